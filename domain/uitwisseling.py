"""Inputs and results of the activities: what crosses from workflows to I/O and back.

Activity inputs name a melding by its id; the activities read personal data from the dossier
themselves, so histories carry as little of it as possible.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from domain.besluiten import Ketenpartner
from domain.model import Model
from domain.waarden import Vervolg


class Termijnen(Model):
    """The beoordeling's moments, computed with the configured werkdagen calendar."""

    beoordeling_deadline: datetime
    herinnering: datetime
    bron_deadline: datetime


class Bron(StrEnum):
    REGISTER = "register"
    RAAD = "raad"
    POLITIE = "politie"


class EerdereMelding(Model):
    """A match in the national register: region and dates, never case content (docs/privacy.md).

    `mogelijk`: matched on name and date of birth only, not on a BSN; it may be another
    household, so a person confirms it before a melder hears of it."""

    melding_id: str
    regio: str
    ontvangen_op: datetime
    vervolg: Vervolg | None = None
    ketenpartner: Ketenpartner | None = None
    open: bool
    mogelijk: bool = False


class RegisterResultaat(Model):
    """Earlier meldingen of the household: `aantal` and `regios` count every match,
    `aantal_mogelijk` of them are name-only matches; `eerdere` lists a bounded number of them
    (BSN matches first, then the most recent). `zekere_regios`: the regions of the BSN matches
    (None in results from before name-only matches were told apart: all counted as certain)."""

    aantal: int
    regios: list[str] = Field(default_factory=list)
    eerdere: list[EerdereMelding] = Field(default_factory=list)
    aantal_mogelijk: int = 0
    zekere_regios: list[str] | None = None

    @property
    def aantal_zeker(self) -> int:
        return self.aantal - self.aantal_mogelijk

    @property
    def regios_zeker(self) -> list[str]:
        return sorted(set(self.regios if self.zekere_regios is None else self.zekere_regios))


class BronVraag(Model):
    melding_id: str
    bron: Bron


class BronAntwoord(Model):
    bron: Bron
    bekend: bool
    aantal_registraties: int = 0
    toelichting: str | None = None


class BerichtSoort(StrEnum):
    EERSTE_TERUGKOPPELING = "eerste_terugkoppeling"
    TWEEDE_TERUGKOPPELING = "tweede_terugkoppeling"
    HUISHOUDEN_INFORMEREN = "huishouden_informeren"
    # Q&A 28: after a dienst that found no violence, the household told of its right.
    HUISHOUDEN_VERNIETIGINGSRECHT = "huishouden_vernietigingsrecht"
    # Issue 25 (v7): the outcome of a request to destroy the dossier, a letter to the household.
    VERNIETIGING_UITKOMST = "vernietiging_uitkomst"
    # Issue 22 (Q&A 10): a professional around the child (huisarts, JGZ, school) informed;
    # one per professional the besluit names (`ontvanger`).
    PROFESSIONAL_INFORMEREN = "professional_informeren"


class Bericht(Model):
    """One outgoing message; (melding_id, outbox_soort) is its unique outbox key: sent once."""

    melding_id: str
    soort: BerichtSoort
    inhoud: dict[str, Any]
    # Since v7: which of the melding's professionals (1-based) a professional's message is for.
    ontvanger: int | None = None


def outbox_soort(soort: BerichtSoort, ontvanger: int | None = None) -> str:
    """The outbox row's `soort`: the kind, and for a professional's message its number
    (`professional_informeren-2`), so each professional's message is placed and sent once."""
    return soort.value if ontvanger is None else f"{soort.value}-{ontvanger}"


class Verzending(Model):
    """What the outbox did: `nieuw` is False when the message had been stored before."""

    melding_id: str
    soort: BerichtSoort
    nieuw: bool
    verstuurd_op: datetime


class Termijnsoort(StrEnum):
    BEOORDELING = "beoordeling"
    TWEEDE_TERUGKOPPELING = "tweede_terugkoppeling"
    MONITORING = "monitoring"
    HUISHOUDEN_INFORMEREN = "huishouden_informeren"
    VERNIETIGING = "vernietiging"
    # Not a legal term: the case's processing itself (a worker cannot replay it).
    VERWERKING = "verwerking"
    # The case itself: its workflow failed, was terminated or is missing (issue 18.4).
    CASUS = "casus"
    # A message that could not be delivered (issue 20): no term of the melding, so closing the
    # case does not close it; a human does.
    BEZORGING = "bezorging"
    # Information that came after a spoed besluit (Q&A 25): open until the team handled it.
    NAGEKOMEN_INFORMATIE = "nagekomen_informatie"
    # An overdracht that did not reach the ketenpartner as a zaak (issue 22): like a message,
    # closing the case does not close it; a human hands over another way.
    OVERDRACHT = "overdracht"
    # The verzoek tot onderzoek: the Raad's acknowledgement and decision (issue 22).
    RAAD = "raad"


class SignaleringSoort(StrEnum):
    HERINNERING = "herinnering"
    ESCALATIE = "escalatie"
    UITSTEL = "uitstel"
    # The case's workflow task fails on non-determinism (runtime/bewaking.py): it stands still.
    VASTGELOPEN = "vastgelopen"
    # The case stopped without closing its dossier (Failed, Terminated, missing): a person acts.
    MISLUKT = "mislukt"
    ONBEZORGBAAR = "onbezorgbaar"
    # A source answered after a spoed besluit with something the besluit did not know.
    NIEUWE_INFORMATIE = "nieuwe_informatie"
    # The overdracht's zaak could not be created (issue 22).
    NIET_OVERGEDRAGEN = "niet_overgedragen"
    # The ketenpartner handed the zaak back: the case is back at Veilig Thuis for a new besluit.
    TERUGGEGEVEN = "teruggegeven"


class Signalering(Model):
    """A reminder or escalation a team lead can list (no personal data)."""

    melding_id: str
    regio: str
    soort: SignaleringSoort
    termijn: Termijnsoort
    deadline: datetime


class AuditRegel(Model):
    """A human decision: who, when, what (the update's name and its payload)."""

    melding_id: str
    handeling: str
    medewerker: str
    op: datetime
    gegevens: dict[str, Any]


class RadarResultaat(Model):
    """Open cases of the same household that were told of the new melding (for each BSN of the
    melding: the household's most recent open case, so a few at most), and the register as it
    stood at that moment (a melding stored just after the first search is in it)."""

    gesignaleerd: list[str] = Field(default_factory=list)
    stand: RegisterResultaat | None = None


class DossierStand(Model):
    """The register's view of a melding after a decision: follow-up, ketenpartner, open or not."""

    melding_id: str
    vervolg: Vervolg | None = None
    ketenpartner: Ketenpartner | None = None
    afgesloten: bool = False
    # Q&A 28: no violence found, so a request to destroy the dossier is granted at once.
    vernietigingsrecht: bool = False
    # Issue 25: the moment the case closed (the workflow's clock), the start of its bewaartermijn.
    afgesloten_op: datetime | None = None


class VernietigingsGrond(Model):
    """What the dossier says about a request to destroy it."""

    bekend: bool
    regio: str = ""
    vernietigingsrecht: bool = False


class Vernietiging(Model):
    """What destruction removed: dossier rows and workflow histories (ids only)."""

    melding_id: str
    verwijderde_workflows: list[str] = Field(default_factory=list)


class Vernietigingsverslag(Model):
    """Who filed a destruction request and who granted it (two people), kept in a
    pseudonymised record after the dossier is gone (activities/vernietiging.py)."""

    aangevraagd_door: str | None = None
    aangevraagd_op: datetime | None = None
    besloten_door: str | None = None
    besloten_op: datetime | None = None


class Spook(Model):
    """An open dossier whose case does not run (issue 18.4): `toestand` is the workflow's
    status (`mislukt`, `beeindigd`, `verlopen`, `geannuleerd`, `voltooid`) or `ontbreekt`."""

    melding_id: str
    regio: str
    toestand: str


class Naloop(Model):
    """One reconciliation: how many open dossiers and running cases it compared, the ghosts it
    found and how many of them were newly signalled (ids, regions and counts only)."""

    open_dossiers: int
    lopend: int
    spoken: list[Spook] = Field(default_factory=list)
    nieuw_gesignaleerd: int = 0
