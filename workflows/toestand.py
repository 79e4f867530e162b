"""The durable state of one MeldingWorkflow: one model, carried over on continue-as-new."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.activiteiten import RegisterResultaat, Termijnen
from domain.besluiten import DienstAfronding
from domain.melding import Melding
from domain.status import MeldingStatus
from domain.waarden import BronStatus, Einde, Fase

VERZOEKEN_BEWAARD = 200


class MeldingToestand(BaseModel):
    # Internal state, decoded from a continued run's input: a field that a later version drops
    # must not make that input unreadable, so unknown fields are ignored, never refused.
    model_config = ConfigDict(extra="ignore")

    status: MeldingStatus
    termijnen: Termijnen | None = None
    geregistreerd: bool = False
    bronnen_klaar: bool = False
    register: RegisterResultaat | None = None
    # Reminders and escalations already raised, as "<termijn>:<soort>[:n]": never twice.
    signaleringen: list[str] = Field(default_factory=list)
    eerste_verstuurd: bool = False
    huishouden_afgehandeld: bool = False
    afronding: DienstAfronding | None = None
    tweede_verstuurd: bool = False
    dienst_einde: datetime | None = None
    monitoring_open: bool = False
    einde: Einde | None = None
    # Update IDs of the decisions applied, newest last: a client's retry with the same ID
    # answers as the first, also after continue-as-new (bounded: the last VERZOEKEN_BEWAARD).
    verzoeken: list[str] = Field(default_factory=list)
    # What the Web UI shows (domain/casusbeeld.py): the legal terms that passed, in order, and
    # what the case waits for now and since when. Display only: no step reads them.
    verstreken: list[str] = Field(default_factory=list)
    wacht_sleutel: str | None = None
    wacht_sinds: datetime | None = None

    @classmethod
    def nieuw(cls, melding: Melding) -> MeldingToestand:
        status = MeldingStatus(
            melding_id=melding.melding_id,
            regio=melding.regio,
            fase=Fase.INFORMATIE_VERZAMELEN,
            ontvangen_op=melding.ontvangen_op,
        )
        if not melding.heeft_minderjarige():
            status.bronnen.raad = BronStatus.NIET_VAN_TOEPASSING
        return cls(status=status)
