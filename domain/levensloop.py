"""The lifecycle of a melding in one place: its phases and its decisions.

Each phase says how it is called, what the case waits for in it and from whom, what ends it
(a decision of a person, or a named outside event) and its due moment. Each decision says its
update, who takes it, its input model, its CLI command and example, and its description.

From this table the rest is derived: the Web UI's phase names and the CLI hint in the current
details (domain/casusbeeld.py, domain/wachtpunten.py), the next deadline
(workflows/toestand.py), the descriptions of the updates (workflows/beschrijvingen.py); the
CLI's update commands are checked against it (tests/unit/test_levensloop.py). A phase or a
decision added here without all its parts fails that test; the workflow step that performs it
stays in workflows/.

Pure: names, models and rules; no Temporal, no I/O.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from domain import namen
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    HuishoudenInformeren,
    MonitoringUitkomst,
    Triage,
)
from domain.status import MeldingStatus
from domain.waarden import Fase

ANTWOORD = "Antwoord: de MeldingStatus."


@dataclass(frozen=True)
class Beslissing:
    """A decision by a person: one update of MeldingWorkflow."""

    update: str
    invoer: type[BaseModel]
    # Who takes it (`de triage van een medewerker`).
    door: str
    # The CLI command that sends it and the example input under starter/examples/.
    cli: str
    voorbeeld: str
    # The first sentence of its description; the payload's fields are added from the model.
    kop: str

    def beschrijving(self) -> str:
        """The update's description as the Web UI and `temporal workflow metadata` show it."""
        return f"{self.kop} Payload {self.invoer.__name__}: {velden(self.invoer)}. {ANTWOORD}"


TRIAGE = Beslissing(
    namen.UPDATE_TRIAGE,
    Triage,
    "een medewerker",
    "triage",
    "triage.json",
    "Triage registreren, voor het besluit.",
)
BESLUIT = Beslissing(
    namen.UPDATE_BESLUIT,
    Besluit,
    "het MDO (een medewerker legt het vast)",
    "besluit",
    "besluit_voorwaarden_en_vervolg.json",
    "Besluit over het vervolg, na de triage en de bronnen.",
)
DIENST_AFRONDEN = Beslissing(
    namen.UPDATE_DIENST_AFRONDEN,
    DienstAfronding,
    "de medewerker van de dienst",
    "dienst-afronden",
    "dienst_afronding.json",
    "Dienst afronden (fase voorwaarden_en_vervolg of onderzoek).",
)
MONITORING = Beslissing(
    namen.UPDATE_MONITORING,
    MonitoringUitkomst,
    "de medewerker monitoring",
    "monitoring",
    "monitoring.json",
    "Uitkomst van het open monitoringsmoment (een gepland moment dat nog niet open is, wordt "
    "geweigerd).",
)
HUISHOUDEN_INFORMEREN = Beslissing(
    namen.UPDATE_HUISHOUDEN_INFORMEREN,
    HuishoudenInformeren,
    "de medewerker die het huishouden informeerde",
    "huishouden-informeren",
    "huishouden_informeren.json",
    "Het uitgestelde informeren van het huishouden is gedaan (Q&A 4); wijze bericht: het "
    "bericht gaat nu uit, gesprek: het huishouden is persoonlijk geinformeerd.",
)

# Every decision of MeldingWorkflow, by its update name.
BESLISSINGEN: Mapping[str, Beslissing] = {
    b.update: b for b in (TRIAGE, BESLUIT, DIENST_AFRONDEN, MONITORING, HUISHOUDEN_INFORMEREN)
}


@dataclass(frozen=True)
class Fasestand:
    """What a phase's due moment is read from."""

    status: MeldingStatus
    tweede_verstuurd: bool = False


def _beoordeling(s: Fasestand) -> datetime | None:
    return s.status.beoordeling_deadline


def _tweede(s: Fasestand) -> datetime | None:
    return None if s.tweede_verstuurd else s.status.tweede_terugkoppeling_deadline


def _aanvaarding(s: Fasestand) -> datetime | None:
    return s.status.overdracht.aanvaarden_voor if s.status.overdracht is not None else None


def _monitoringsmoment(s: Fasestand) -> datetime | None:
    return s.status.monitoring[-1].gepland_op if s.status.monitoring else None


def _geen(s: Fasestand) -> datetime | None:
    return None


@dataclass(frozen=True)
class Fasebeeld:
    """One phase of the lifecycle."""

    fase: Fase
    in_woorden: str
    wacht_op: str
    # The decision that ends the phase, or, when no person ends it, what does.
    einde: Beslissing | str
    # Its due moment (None: none now).
    deadline: Callable[[Fasestand], datetime | None]


_FASEBEELDEN = (
    Fasebeeld(
        Fase.INFORMATIE_VERZAMELEN,
        "Informatie verzamelen",
        "de bronnen: landelijk register, politie, Raad voor de Kinderbescherming",
        "de antwoorden van de bronnen, of hun termijn",
        _beoordeling,
    ),
    Fasebeeld(Fase.WACHT_OP_TRIAGE, "Wacht op triage", "de triage", TRIAGE, _beoordeling),
    Fasebeeld(Fase.WACHT_OP_BESLUIT, "Wacht op besluit", "het besluit", BESLUIT, _beoordeling),
    Fasebeeld(
        Fase.VOORWAARDEN_EN_VERVOLG,
        "Dienst: voorwaarden en vervolg",
        "de afronding van de dienst",
        DIENST_AFRONDEN,
        _tweede,
    ),
    Fasebeeld(
        Fase.ONDERZOEK,
        "Dienst: onderzoek",
        "de afronding van de dienst",
        DIENST_AFRONDEN,
        _tweede,
    ),
    Fasebeeld(
        Fase.MONITORING,
        "Monitoring",
        "de uitkomst van het monitoringsmoment",
        MONITORING,
        _monitoringsmoment,
    ),
    Fasebeeld(
        Fase.WARME_OVERDRACHT,
        "Warme overdracht",
        "de aanvaarding van de zaak door de ketenpartner",
        "de status in behandeling van de zaak bij de ketenpartner, of haar teruggave",
        _aanvaarding,
    ),
    Fasebeeld(Fase.AFGESLOTEN, "Afgesloten", "niets", "-", _geen),
)
FASEN: Mapping[Fase, Fasebeeld] = {f.fase: f for f in _FASEBEELDEN}


def volgende_deadline(stand: Fasestand) -> datetime | None:
    """The next due moment of the case: its phase's."""
    return FASEN[stand.status.fase].deadline(stand)


# -- the payload's fields in words ------------------------------------------------------------
def velden(model: type[BaseModel]) -> str:
    """`medewerker, urgentie (spoed|hoog|normaal), ketenpartner {soort, naam}`: each field of
    the model, an enum with its values, a model with its fields, a list in brackets."""
    return ", ".join(
        f"{naam} {_soort(info.annotation)}".rstrip() for naam, info in model.model_fields.items()
    )


_ENKELVOUD: dict[object, str] = {int: "getal", str: "tekst", bool: "true|false"}


def _soort(annotatie: object, diepte: int = 0) -> str:
    argumenten = [a for a in typing.get_args(annotatie) if a is not type(None)]
    if typing.get_origin(annotatie) in (typing.Union, types.UnionType) and len(argumenten) == 1:
        return _soort(argumenten[0], diepte)
    if typing.get_origin(annotatie) is typing.Annotated:
        return _soort(argumenten[0], diepte)
    if typing.get_origin(annotatie) is list and argumenten:
        element = argumenten[0]
        while typing.get_origin(element) is typing.Annotated:
            element = typing.get_args(element)[0]
        return f"[{_soort(element, diepte) or _ENKELVOUD.get(element, 'waarde')}]"
    if isinstance(annotatie, type) and issubclass(annotatie, enum.Enum):
        return "(" + "|".join(str(w.value) for w in annotatie) + ")"
    if isinstance(annotatie, type) and issubclass(annotatie, BaseModel) and diepte < 2:
        return "{" + ", ".join(annotatie.model_fields) + "}"
    return ""


def gebreken(
    fasen: Mapping[Fase, Fasebeeld] = FASEN,
    beslissingen: Mapping[str, Beslissing] = BESLISSINGEN,
) -> list[str]:
    """What the lifecycle lacks: a phase without its entry or one of its parts, a phase ended
    by a decision that is not one of the decisions, a decision without its parts."""
    uit: list[str] = []
    for fase in Fase:
        beeld = fasen.get(fase)
        if beeld is None:
            uit.append(f"fase {fase.value}: ontbreekt")
            continue
        for deel in ("in_woorden", "wacht_op"):
            if not getattr(beeld, deel).strip():
                uit.append(f"fase {fase.value}: {deel} ontbreekt")
        if isinstance(beeld.einde, Beslissing):
            if beslissingen.get(beeld.einde.update) is not beeld.einde:
                uit.append(f"fase {fase.value}: beslissing {beeld.einde.update} onbekend")
        elif not beeld.einde.strip():
            uit.append(f"fase {fase.value}: einde ontbreekt")
    for naam, b in beslissingen.items():
        if naam != b.update:
            uit.append(f"beslissing {naam}: staat onder een andere naam dan {b.update}")
        for deel in ("door", "cli", "voorbeeld", "kop"):
            if not getattr(b, deel).strip():
                uit.append(f"beslissing {naam}: {deel} ontbreekt")
    return uit
