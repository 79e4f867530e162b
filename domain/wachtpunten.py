"""What a case waits for now, from whom, until when, and what happens then: the `Wachtpunt`
of the current details (domain/casusbeeld.py draws them), read from plain data about the case
(`Casus`). A phase without a rendering of its own here is drawn from its lifecycle entry
(domain/levensloop.py).

Pure: only ids, the region, kinds, the phase, dates and codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from domain.levensloop import BESLUIT, DIENST_AFRONDEN, FASEN, MONITORING, TRIAGE, Beslissing
from domain.status import Bronnen
from domain.termijnen import (
    MONITORING_ESCALATIE,
    MONITORING_HERINNERING,
    monitoring_maanden,
    tweede_terugkoppeling_herinnering,
)
from domain.tijdlijn import tijdstip
from domain.waarden import BronStatus, Fase


@dataclass(frozen=True)
class Monitoringmoment:
    nummer: int
    gepland_op: datetime
    open: bool = False
    geregistreerd: bool = False
    # The months after the dienst as agreed (Q&A 23); None: the default moments.
    afgesproken_maanden: int | None = None

    @property
    def maanden(self) -> int:
        return self.afgesproken_maanden or monitoring_maanden(self.nummer)


@dataclass(frozen=True)
class Casus:
    """What the current details are made of: ids, region, kinds, phase, dates, codes."""

    melding_id: str
    regio: str
    melder_soort: str
    fase: Fase
    ontvangen_op: datetime
    nu: datetime
    geregistreerd: bool = False
    beoordeling_deadline: datetime | None = None
    beoordeling_herinnering: datetime | None = None
    bron_deadline: datetime | None = None
    bronnen: Bronnen = field(default_factory=Bronnen)
    bronnen_klaar: bool = False
    eerdere_meldingen: int = 0
    triage_urgentie: str | None = None
    vervolg: str | None = None
    eerste_verstuurd_op: datetime | None = None
    tweede_deadline: datetime | None = None
    tweede_verstuurd: bool = False
    dienst_afgerond: bool = False
    monitoring: tuple[Monitoringmoment, ...] = ()
    gekoppeld: int = 0
    # Name-only radar links (issue 21.7): possibly the same household, not acted on.
    mogelijk_gekoppeld: int = 0
    # Legal terms that passed ("beoordeling", "tweede_terugkoppeling"); the search attribute
    # VtTermijnOverschreden says the same.
    verstreken: tuple[str, ...] = ()
    termijn_overschreden: bool = False
    einde: str | None = None
    # Since when the case waits for what it waits for now (set by the workflow).
    sinds: datetime | None = None
    # Issue 20: each message delivered or not: (bericht soort, kanaal, uitkomst, verzonden_op).
    bezorgingen: tuple[tuple[str, str, str, datetime | None], ...] = ()
    # Issue 22: the overdracht as a zaak: (zaak identificatie or "-", its stand or outcome),
    # the acceptance's reminder and deadline.
    overdracht: tuple[str, str] | None = None
    aanvaarding_herinnering: datetime | None = None
    aanvaarding_deadline: datetime | None = None


@dataclass(frozen=True)
class Wachtpunt:
    """What a case waits for: a key (a change restarts `sinds`) and its lines."""

    sleutel: str
    wacht_op: str
    uiterlijk: datetime | None = None
    bij_termijn: str | None = None
    herinnering: datetime | None = None
    # The decision of a person it waits for (its CLI hint), if any.
    beslissing: Beslissing | None = None


def wachtpunt(c: Casus) -> Wachtpunt:
    """What the case waits for now, from whom, until when, and what happens then: the first
    phase of `_FASEN` that has an answer."""
    if c.fase not in _EIGEN_WACHTPUNT:
        return _uit_de_levensloop(c)
    for fase in _FASEN:
        if (punt := fase(c)) is not None:
            return punt
    return Wachtpunt("verwerken", "de volgende stap (wordt verwerkt)")


def _uit_de_levensloop(c: Casus) -> Wachtpunt:
    """A phase with no rendering of its own: what the lifecycle says of it."""
    beeld = FASEN[c.fase]
    if isinstance(beeld.einde, Beslissing):
        b = beeld.einde
        return Wachtpunt(
            c.fase.value, f"{beeld.wacht_op}, door {b.door} (update `{b.update}`)", beslissing=b
        )
    return Wachtpunt(c.fase.value, f"{beeld.wacht_op} ({beeld.einde})")


_BEOORDELING_TE_LAAT = (
    "de casus wordt gemarkeerd als te laat (VtTermijnOverschreden) en geëscaleerd naar "
    "de teamleider; hij blijft wachten"
)


def _afgesloten(c: Casus) -> Wachtpunt | None:
    if c.fase is not Fase.AFGESLOTEN:
        return None
    return Wachtpunt("afgesloten", f"niets: de casus is afgesloten (einde: {c.einde or '-'})")


def _registratie(c: Casus) -> Wachtpunt | None:
    if c.geregistreerd:
        return None
    return Wachtpunt("registratie", "de registratie: de melding wordt vastgelegd")


def _beoordeling(c: Casus) -> Wachtpunt | None:
    if c.vervolg is not None:
        return None
    if c.fase is Fase.INFORMATIE_VERZAMELEN and not c.bronnen_klaar:
        sleutel = "bronnen"
        wacht_op = (
            "de bronnen: landelijk register, politie"
            + (", Raad voor de Kinderbescherming" if c.bronnen.raad is BronStatus.BEZIG else "")
            + f" (uiterlijk {tijdstip(c.bron_deadline)}; wie zwijgt: niet_ontvangen)"
        )
        beslissing = None
    elif c.triage_urgentie is None:
        sleutel, beslissing = "triage", TRIAGE
        wacht_op = f"de triage van {TRIAGE.door} (update `{TRIAGE.update}`)"
    else:
        sleutel, beslissing = "besluit", BESLUIT
        wacht_op = f"het besluit over het vervolg, door {BESLUIT.door} (update `{BESLUIT.update}`)"
    return Wachtpunt(
        sleutel,
        wacht_op,
        c.beoordeling_deadline,
        _BEOORDELING_TE_LAAT,
        c.beoordeling_herinnering,
        beslissing,
    )


def _eerste(c: Casus) -> Wachtpunt | None:
    if c.eerste_verstuurd_op is not None:
        return None
    return Wachtpunt("eerste", "de eerste terugkoppeling aan de melder (wordt verstuurd)")


def _dienst(c: Casus) -> Wachtpunt | None:
    if c.fase not in (Fase.VOORWAARDEN_EN_VERVOLG, Fase.ONDERZOEK) or c.dienst_afgerond:
        return None
    eerste = c.eerste_verstuurd_op  # set: `_eerste` comes before
    if not c.tweede_verstuurd and c.tweede_deadline is not None and eerste is not None:
        return Wachtpunt(
            "dienst",
            f"{_AFRONDING}; daarna de tweede terugkoppeling",
            c.tweede_deadline,
            "de tweede terugkoppeling gaat met de stand van dat moment naar de melder; "
            "de casus wordt gemarkeerd als te laat en geëscaleerd; de dienst loopt door",
            tweede_terugkoppeling_herinnering(eerste),
            DIENST_AFRONDEN,
        )
    return Wachtpunt(
        "dienst-na-tweede",
        f"{_AFRONDING}; de tweede terugkoppeling is verstuurd",
        beslissing=DIENST_AFRONDEN,
    )


_AFRONDING = (
    f"de afronding van de dienst door {DIENST_AFRONDEN.door} (update `{DIENST_AFRONDEN.update}`)"
)


def _monitoring(c: Casus) -> Wachtpunt | None:
    if c.fase is not Fase.MONITORING or not c.monitoring:
        return None
    m = c.monitoring[-1]
    if m.geregistreerd:
        return None
    if m.open:
        return Wachtpunt(
            f"monitoring-{m.nummer}-open",
            f"de uitkomst van monitoringsmoment {m.nummer} "
            f"({m.maanden} maanden), door {MONITORING.door} "
            f"(update `{MONITORING.update}`)",
            m.gepland_op + MONITORING_ESCALATIE,
            "escalatie naar de teamleider (geen wettelijke termijn); de casus blijft wachten",
            m.gepland_op + MONITORING_HERINNERING,
            MONITORING,
        )
    return Wachtpunt(
        f"monitoring-{m.nummer}-gepland",
        f"monitoringsmoment {m.nummer} ({m.maanden} maanden), "
        f"gepland: nog niet open, `{MONITORING.update}` wordt tot dan geweigerd",
        m.gepland_op,
        f"het monitoringsmoment gaat open; dan wacht de casus op `{MONITORING.update}`",
    )


# The phases in the order a case passes them; each answers only for its own.
def _warme_overdracht(c: Casus) -> Wachtpunt | None:
    if c.fase is not Fase.WARME_OVERDRACHT:
        return None
    return Wachtpunt(
        "warme_overdracht",
        "de aanvaarding van de zaak door de ketenpartner (status in behandeling; de zaak wordt "
        "regelmatig gelezen)",
        c.aanvaarding_deadline,
        "escalatie naar de teamleider; Veilig Thuis houdt zicht op veiligheid en blijft wachten",
        c.aanvaarding_herinnering,
    )


# The phases the functions below render; another phase is drawn from its lifecycle entry.
_EIGEN_WACHTPUNT = frozenset(
    {
        Fase.INFORMATIE_VERZAMELEN,
        Fase.WACHT_OP_TRIAGE,
        Fase.WACHT_OP_BESLUIT,
        Fase.VOORWAARDEN_EN_VERVOLG,
        Fase.ONDERZOEK,
        Fase.MONITORING,
        Fase.WARME_OVERDRACHT,
        Fase.AFGESLOTEN,
    }
)
_FASEN: tuple[Callable[[Casus], Wachtpunt | None], ...] = (
    _warme_overdracht,
    _afgesloten,
    _registratie,
    _beoordeling,
    _eerste,
    _dienst,
    _monitoring,
)
