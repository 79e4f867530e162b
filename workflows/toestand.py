"""The durable state of one MeldingWorkflow: one model, carried over on continue-as-new."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from domain import levensloop, regels
from domain.besluiten import DienstAfronding, HuishoudenInformeren
from domain.melding import Melding
from domain.model import Model, veld_register
from domain.status import MeldingStatus
from domain.termijnen import MONITORING_MAANDEN
from domain.uitwisseling import DossierStand, RegisterResultaat, Termijnen
from domain.waarden import BronStatus, Einde, Fase

VERZOEKEN_BEWAARD = 200
# Radar links a continued run carries in full (the rest as a count): the input of
# continue-as-new stays far below Temporal's payload limit (2 MB) however many links a
# household collects (500 links: about 60 kB of JSON).
KOPPELINGEN_BEWAARD = 500
# Possible (name-only) links listed: the newest, a display hint with no count kept.
MOGELIJK_BEWAARD = 50


with veld_register():

    class MeldingToestand(Model, extra="ignore"):
        # Internal state, decoded from a continued run's input: a field that a later version drops
        # must not make that input unreadable, so unknown fields are ignored, never refused.

        status: MeldingStatus
        termijnen: Termijnen | None = None
        geregistreerd: bool = False
        bronnen_klaar: bool = False
        register: RegisterResultaat | None = None
        # Reminders and escalations already raised, as "<termijn>:<soort>[:n]": never twice.
        signaleringen: list[str] = Field(default_factory=list)
        eerste_verstuurd: bool = False
        huishouden_afgehandeld: bool = False
        # A postponed informing (Q&A 4): since when, how many reminders, and when it was done.
        huishouden_uitgesteld_op: datetime | None = None
        huishouden_herinneringen: int = 0
        huishouden_geinformeerd: HuishoudenInformeren | None = None
        huishouden_opgevolgd: bool = False
        # Q&A 28: the household was pointed to its right to destruction (by any message).
        vernietigingsrecht_gemeld: bool = False
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

        def volgende_deadline(self) -> datetime | None:
            """The next due moment: its phase's (domain/levensloop.py)."""
            return levensloop.volgende_deadline(
                levensloop.Fasestand(self.status, tweede_verstuurd=self.tweede_verstuurd)
            )

        def voor_voortzetting(self) -> MeldingToestand:
            """What continue-as-new carries: bounded (KOPPELINGEN_BEWAARD links listed, the
            older ones counted; the request IDs are bounded where they are added). The
            monitoring rows and the raised signaleringen grow by one check each (four a year
            after the first year): bounded by the case's life, not trimmed, since the numbering
            of the checks reads them."""
            status = self.status
            weg = len(status.gekoppelde_meldingen) - KOPPELINGEN_BEWAARD
            if weg <= 0:
                return self
            begrensd = status.model_copy(
                update={
                    "gekoppelde_meldingen": status.gekoppelde_meldingen[weg:],
                    "eerdere_koppelingen": status.eerdere_koppelingen + weg,
                }
            )
            return self.model_copy(update={"status": begrensd})

        def antwoord(self) -> MeldingStatus:
            """The status query's answer: a copy of the status with what is derived from it."""
            status = self.status.model_copy(deep=True)
            status.volgende_deadline = self.volgende_deadline()
            status.voorgestelde_ketenpartner = regels.voorgestelde_ketenpartner(self.register)
            if status.monitoring and self.monitoring_open:
                status.monitoring[-1].open = True
            return status

        def monitoringafspraak(self) -> tuple[int, ...]:
            """The monitoring moments agreed at the start (Q&A 23), in months after the dienst;
            by default 3 and 12 (Werkwijze)."""
            agreed = self.afronding.monitoring_maanden if self.afronding else None
            return tuple(agreed) if agreed else MONITORING_MAANDEN

        def huishouden_wacht(self) -> bool:
            """The informing of the household was postponed and is not yet done (Q&A 4)."""
            return self.huishouden_uitgesteld_op is not None and not self.huishouden_opgevolgd

        def dossier_stand(self, melding_id: str, afgesloten: bool | None = None) -> DossierStand:
            """What the dossier records of the case now (closed once it has an end)."""
            besluit = self.status.besluit
            ketenpartner = self.afronding.ketenpartner if self.afronding else None
            return DossierStand(
                melding_id=melding_id,
                vervolg=besluit.vervolg if besluit else None,
                ketenpartner=ketenpartner or (besluit.ketenpartner if besluit else None),
                afgesloten=self.einde is not None if afgesloten is None else afgesloten,
                vernietigingsrecht=regels.vernietigingsrecht(besluit, self.afronding),
            )
