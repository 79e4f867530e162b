"""What the workflow shows (MeldingStatus) and returns (MeldingAfloop): CONTRACT.md."""

from __future__ import annotations

import warnings
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.besluiten import Besluit, Koppeling, MonitoringUitkomst, Triage
from domain.waarden import BronStatus, Einde, Fase, TerugkoppelingSoort, Vervolg


class Uitvoer(BaseModel):
    """Base of the models the workflow produces and carries over continue-as-new: unknown
    fields are ignored, so a field a later version adds or drops never makes a status or a
    carried-over state unreadable."""

    model_config = ConfigDict(extra="ignore")


warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)


class Bronnen(Uitvoer):
    # `register` is the contract's name; it shadows ABCMeta.register, which nobody calls here.
    register: BronStatus = BronStatus.BEZIG
    raad: BronStatus = BronStatus.BEZIG
    politie: BronStatus = BronStatus.BEZIG


class TerugkoppelingRegel(Uitvoer):
    soort: TerugkoppelingSoort
    verstuurd_op: datetime


class MonitoringRegel(Uitvoer):
    """A monitoring check: planned for `gepland_op`; `open` from that moment until its outcome
    is registered (only then does `registreer_monitoring` accept one)."""

    gepland_op: datetime
    uitkomst: MonitoringUitkomst | None = None
    open: bool = False


class MeldingStatus(Uitvoer):
    melding_id: str
    regio: str
    fase: Fase
    ontvangen_op: datetime
    beoordeling_deadline: datetime | None = None
    termijn_overschreden: bool = False
    bronnen: Bronnen = Field(default_factory=Bronnen)
    eerdere_meldingen: int = 0
    triage: Triage | None = None
    besluit: Besluit | None = None
    terugkoppelingen: list[TerugkoppelingRegel] = Field(default_factory=list)
    tweede_terugkoppeling_deadline: datetime | None = None
    monitoring: list[MonitoringRegel] = Field(default_factory=list)
    gekoppelde_meldingen: list[Koppeling] = Field(default_factory=list)
    volgende_deadline: datetime | None = None


class MeldingAfloop(Uitvoer):
    melding_id: str
    vervolg: Vervolg
    einde: Einde
    terugkoppelingen: int
    monitoringen: int


class Annulering(Uitvoer):
    """A case closed by a cancel request (audit trail): the phase it was in."""

    fase: Fase
