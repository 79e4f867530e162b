"""What the workflow shows (MeldingStatus) and returns (MeldingAfloop): docs/contract.md."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from domain.besluiten import Besluit, Ketenpartner, Koppeling, MonitoringUitkomst, Triage
from domain.bewaartermijn import Bewaartermijn
from domain.bezorging import Bezorging
from domain.keten import ZaakOverdracht
from domain.model import Model, veld_register
from domain.raad import RaadVerzoek
from domain.waarden import BronStatus, Einde, Fase, TerugkoppelingSoort, Vervolg

with veld_register():

    class Bronnen(Model, extra="ignore"):
        register: BronStatus = BronStatus.BEZIG
        raad: BronStatus = BronStatus.BEZIG
        politie: BronStatus = BronStatus.BEZIG


class TerugkoppelingRegel(Model, extra="ignore"):
    soort: TerugkoppelingSoort
    verstuurd_op: datetime


class MonitoringRegel(Model, extra="ignore"):
    """A monitoring check: planned for `gepland_op`; `open` from that moment until its outcome
    is registered (only then does `registreer_monitoring` accept one)."""

    gepland_op: datetime
    uitkomst: MonitoringUitkomst | None = None
    open: bool = False


class MeldingStatus(Model, extra="ignore"):
    melding_id: str
    regio: str
    fase: Fase
    ontvangen_op: datetime
    beoordeling_deadline: datetime | None = None
    termijn_overschreden: bool = False
    bronnen: Bronnen = Field(default_factory=Bronnen)
    eerdere_meldingen: int = 0
    # Q&A 10: the ketenpartner an earlier case was handed over to, proposed for the besluit.
    voorgestelde_ketenpartner: Ketenpartner | None = None
    triage: Triage | None = None
    besluit: Besluit | None = None
    terugkoppelingen: list[TerugkoppelingRegel] = Field(default_factory=list)
    tweede_terugkoppeling_deadline: datetime | None = None
    monitoring: list[MonitoringRegel] = Field(default_factory=list)
    gekoppelde_meldingen: list[Koppeling] = Field(default_factory=list)
    # Links no longer listed: a continued run carries the newest KOPPELINGEN_BEWAARD only.
    eerdere_koppelingen: int = 0
    # Issue 21.7: newer meldingen matched on name and date of birth only (no BSN on one side):
    # possibly the same household, shown to the medewerker, never acted on (the newest
    # KOPPELINGEN_BEWAARD). Since v7, patch `radar-mogelijk`.
    mogelijk_gekoppeld: list[Koppeling] = Field(default_factory=list)
    volgende_deadline: datetime | None = None
    # Issue 20: each message's channel, outcome and verzonden_op (no address).
    bezorgingen: list[Bezorging] = Field(default_factory=list)
    # Issue 25: how long the dossier is kept, recorded when the case closed (docs/retention.md).
    bewaartermijn: Bewaartermijn | None = None
    # Issue 22: the overdracht as a zaak at the ketenpartner's gemeente (no personal data).
    overdracht: ZaakOverdracht | None = None
    # Overdrachten the ketenpartner handed back: the case went back for a new besluit.
    teruggegeven: list[ZaakOverdracht] = Field(default_factory=list)
    # Issue 22: the verzoek tot onderzoek to the Raad and its answers (no personal data).
    raad: RaadVerzoek | None = None

    def gekoppeld(self) -> int:
        """Every radar link of the case, also those no longer listed."""
        return len(self.gekoppelde_meldingen) + self.eerdere_koppelingen


class MeldingAfloop(Model, extra="ignore"):
    melding_id: str
    vervolg: Vervolg
    einde: Einde
    terugkoppelingen: int
    monitoringen: int


class Annulering(Model, extra="ignore"):
    """A case closed by a cancel request (audit trail): the phase it was in."""

    fase: Fase
