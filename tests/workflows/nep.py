"""Fake activities registered under the real activity names: in memory, recording every call.

Only the I/O is faked; the calendar activity is the real one (it is pure).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.kalender import KalenderActiviteiten
from contract import names
from domain.bezorging import Bezorging, BezorgOpdracht, BezorgUitkomst, Kanaal
from domain.melding import Melding
from domain.uitwisseling import (
    AuditRegel,
    Bericht,
    BronAntwoord,
    BronVraag,
    DossierStand,
    RadarResultaat,
    RegisterResultaat,
    Signalering,
    Vernietiging,
    VernietigingsGrond,
    Vernietigingsverslag,
    Verzending,
)


@dataclass
class NepActiviteiten:
    """What the workflow did, by activity; `stil` names sources that never answer."""

    register: RegisterResultaat = field(default_factory=lambda: RegisterResultaat(aantal=0))
    stil: set[str] = field(default_factory=set)
    meldingen: dict[str, Melding] = field(default_factory=dict)
    outbox: dict[tuple[str, str], Bericht] = field(default_factory=dict)
    verstuurd_op: dict[tuple[str, str], datetime] = field(default_factory=dict)
    audit: list[AuditRegel] = field(default_factory=list)
    # Per audit write, the key the workflow named (since v7: run and update ID), else None.
    audit_sleutels: list[str | None] = field(default_factory=list)
    signaleringen: list[Signalering] = field(default_factory=list)
    # What the delivery answers per message kind (default: delivered by email), and its calls.
    bezorging: dict[str, BezorgUitkomst] = field(default_factory=dict)
    bezorgd: list[tuple[str, str]] = field(default_factory=list)
    # Message kinds whose every delivery attempt fails (a server that never comes back).
    bezorging_faalt: set[str] = field(default_factory=set)
    dossier: dict[str, DossierStand] = field(default_factory=dict)
    aanroepen: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    vernietigd: list[str] = field(default_factory=list)
    verslagen: list[Vernietigingsverslag | None] = field(default_factory=list)
    # Seconds each audit write takes: a decision's audit in flight while others arrive.
    audit_vertraging: float = 0.0
    # Meldingen whose case still runs: destroying them is refused, as the real activity does.
    lopend: set[str] = field(default_factory=set)
    # Seconds the audit of one kind of decision takes (by handeling), on top of the above.
    audit_vertraging_voor: dict[str, float] = field(default_factory=dict)
    # Seconds each store of a melding takes: a cancel that arrives during registration.
    opslag_vertraging: float = 0.0
    # Activities that fail for good (a non-retryable error), by name: a broken main path.
    kapot: set[str] = field(default_factory=set)

    def _breek(self, naam: str) -> None:
        self.aanroepen[naam] += 1
        if naam in self.kapot:
            raise ApplicationError(f"{naam} kapot", type="Kapot", non_retryable=True)

    def alle(self) -> list[Any]:
        return [
            KalenderActiviteiten().bereken_termijnen,
            self.sla_melding_op,
            self.werk_dossier_bij,
            self.zoek_eerdere_meldingen,
            self.koppel_aan_open_meldingen,
            self.vraag_bron,
            self.verstuur_bericht,
            self.bezorg_bericht,
            self.leg_beslissing_vast,
            self.signaleer,
            self.beoordeel_verzoek,
            self.vernietig,
            self.melding_id_vrij,
        ]

    @activity.defn(name="sla_melding_op")
    async def sla_melding_op(self, melding: Melding, keten: str | None = None) -> None:
        self.aanroepen["sla_melding_op"] += 1
        melding = Melding.model_validate(melding)  # one argument (v5): decoded untyped
        await asyncio.sleep(self.opslag_vertraging)
        self.meldingen[melding.melding_id] = melding

    @activity.defn(name="werk_dossier_bij")
    async def werk_dossier_bij(self, stand: DossierStand) -> None:
        self._breek("werk_dossier_bij")
        self.dossier[stand.melding_id] = stand

    @activity.defn(name="zoek_eerdere_meldingen")
    async def zoek_eerdere_meldingen(self, melding_id: str) -> RegisterResultaat:
        if "register" in self.stil:
            raise ApplicationError("register antwoordt niet")
        return self.register

    @activity.defn(name="koppel_aan_open_meldingen")
    async def koppel_aan_open_meldingen(self, melding_id: str) -> RadarResultaat:
        self.aanroepen["koppel_aan_open_meldingen"] += 1
        return RadarResultaat()

    @activity.defn(name="vraag_bron")
    async def vraag_bron(self, vraag: BronVraag) -> BronAntwoord:
        self.aanroepen[f"vraag_bron:{vraag.bron.value}"] += 1
        if vraag.bron.value in self.stil:
            raise ApplicationError(f"{vraag.bron.value} antwoordt niet")
        return BronAntwoord(bron=vraag.bron, bekend=False)

    @activity.defn(name="verstuur_bericht")
    async def verstuur_bericht(self, bericht: Bericht) -> Verzending:
        self._breek("verstuur_bericht")
        sleutel = (bericht.melding_id, bericht.soort.value)
        nieuw = sleutel not in self.outbox
        if nieuw:
            self.outbox[sleutel] = bericht
            self.verstuurd_op[sleutel] = activity.info().current_attempt_scheduled_time
        return Verzending(
            melding_id=bericht.melding_id,
            soort=bericht.soort,
            nieuw=nieuw,
            verstuurd_op=self.verstuurd_op[sleutel],
        )

    @activity.defn(name="bezorg_bericht")
    async def bezorg_bericht(self, opdracht: BezorgOpdracht) -> Bezorging:
        self.bezorgd.append((opdracht.melding_id, opdracht.soort.value))
        if opdracht.soort.value in self.bezorging_faalt:
            raise ApplicationError("smtp onbereikbaar", type=names.FOUT_BEZORGING_TIJDELIJK)
        uitkomst = self.bezorging.get(opdracht.soort.value, BezorgUitkomst.VERZONDEN)
        return Bezorging(
            soort=opdracht.soort,
            kanaal=Kanaal.EMAIL,
            uitkomst=uitkomst,
            verzonden_op=activity.info().current_attempt_scheduled_time
            if uitkomst is BezorgUitkomst.VERZONDEN
            else None,
            pogingen=1,
        )

    @activity.defn(name="leg_beslissing_vast")
    async def leg_beslissing_vast(self, regel: AuditRegel, sleutel: str | None = None) -> None:
        regel = AuditRegel.model_validate(regel)  # two arguments (v7): decoded untyped
        await asyncio.sleep(
            self.audit_vertraging + self.audit_vertraging_voor.get(regel.handeling, 0)
        )
        self.audit.append(regel)
        self.audit_sleutels.append(sleutel)

    @activity.defn(name="signaleer")
    async def signaleer(self, signalering: Signalering) -> None:
        self.signaleringen.append(signalering)

    @activity.defn(name="beoordeel_verzoek")
    async def beoordeel_verzoek(self, melding_id: str) -> VernietigingsGrond:
        stand = self.dossier.get(melding_id)
        if melding_id not in self.meldingen or stand is None:
            return VernietigingsGrond(bekend=False)
        return VernietigingsGrond(
            bekend=True,
            regio=self.meldingen[melding_id].regio,
            vernietigingsrecht=stand.vernietigingsrecht,
        )

    @activity.defn(name="vernietig")
    async def vernietig(
        self, melding_id: str, verslag: Vernietigingsverslag | None = None
    ) -> Vernietiging:
        self.verslagen.append(verslag)
        if melding_id in self.lopend:
            raise ApplicationError(
                "de casus loopt nog", type=names.FOUT_NOG_OPEN, non_retryable=True
            )
        self.vernietigd.append(melding_id)
        self.meldingen.pop(melding_id, None)
        self.dossier.pop(melding_id, None)
        return Vernietiging(melding_id=melding_id)

    @activity.defn(name="melding_id_vrij")
    async def melding_id_vrij(self, melding_id: str) -> str | None:
        """As the dossier answers (activities/advies.py): stored or destroyed is taken."""
        if melding_id in self.vernietigd:
            return f"melding {melding_id} bestaat al (vernietigd)"
        return f"melding {melding_id} bestaat al" if melding_id in self.meldingen else None
