"""Fake activities registered under the real activity names: in memory, recording every call.

Only the I/O is faked; the calendar activity is the real one (it is pure).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.bewaartermijn import dag
from activities.kalender import KalenderActiviteiten
from contract import names
from domain import bewaartermijn
from domain.beleidsinformatie import AdviesInformatie
from domain.bewaartermijn import Bewaartermijn, Grond
from domain.bezorging import Bezorging, BezorgOpdracht, BezorgUitkomst, Kanaal
from domain.keten import (
    Aanvaardingsvraag,
    OverdrachtOpdracht,
    OverdrachtStand,
    OverdrachtUitkomst,
    ZaakOverdracht,
)
from domain.melding import Melding
from domain.raad import RaadAntwoord, RaadUitkomst, RaadVerzoek, VtoOpdracht, vto_kenmerk
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
    outbox_soort,
)
from domain.vernietigingslijst import Behouden, Lijstdeel, LijstItem, Vernietigingsverklaring


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
    # The beleidsinformatie of finished adviezen, by advies_id (activity leg_advies_vast).
    adviesinformatie: dict[str, AdviesInformatie] = field(default_factory=dict)
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
    # Sources ("register", "politie", "raad") that answer only once their event is set (a
    # source still being asked), and partners that know the household.
    vasthouden: dict[str, asyncio.Event] = field(default_factory=dict)
    bekend: set[str] = field(default_factory=set)
    # Issue 25: each closed dossier's bewaartermijn, as werk_dossier_bij recorded it.
    termijnen: dict[str, Bewaartermijn] = field(default_factory=dict)
    verklaringen: list[Vernietigingsverklaring] = field(default_factory=list)
    # The term for a destruction request, in months (VT_VERNIETIGING_TERMIJN_MAANDEN).
    termijn_maanden: int = 3
    # Issue 22: what the gemeente's Zaken API answers an overdracht (default: a zaak), the calls.
    overdracht: OverdrachtUitkomst = OverdrachtUitkomst.AANGEMAAKT
    overdrachten: list[OverdrachtOpdracht] = field(default_factory=list)
    # The warme overdracht: None, the gemeente configured no statustypen (no wait); else the
    # acceptance's term, and what reading the zaak answers now (a test changes it), the reads.
    aanvaarding_termijn: timedelta | None = None
    aanvaarding: OverdrachtStand = OverdrachtStand.WACHT
    gepeild: int = 0
    # The gemeente's reading interval in seconds (None: the workflow's PEILINTERVAL).
    peilinterval_seconden: int | None = None
    # The verzoek tot onderzoek: what was sent, and what the Raad answered so far (a test sets it).
    vto: list[VtoOpdracht] = field(default_factory=list)
    raad_antwoord: RaadAntwoord = field(default_factory=RaadAntwoord)

    def _breek(self, naam: str) -> None:
        self.aanroepen[naam] += 1
        if naam in self.kapot:
            raise ApplicationError(f"{naam} kapot", type="Kapot", non_retryable=True)

    def alle(self) -> list[Any]:
        return [
            KalenderActiviteiten().bereken_termijnen,
            self.sla_melding_op,
            self.werk_dossier_bij,
            self.lees_bewaartermijn,
            self.zoek_eerdere_meldingen,
            self.koppel_aan_open_meldingen,
            self.vraag_bron,
            self.plaats_in_outbox,
            self.bezorg_bericht,
            self.draag_zaak_over,
            self.lees_aanvaarding,
            self.verstuur_vto,
            self.lees_raad_antwoord,
            self.leg_beslissing_vast,
            self.signaleer,
            self.beoordeel_verzoek,
            self.vernietig,
            self.vernietigingstermijn,
            self.melding_id_vrij,
            self.leg_advies_vast,
            self.stel_lijst_samen,
            self.verleng_bewaartermijnen,
            self.vernietig_lijstdeel,
            self.stel_verklaring_op,
        ]

    @activity.defn(name="sla_melding_op")
    async def sla_melding_op(self, melding: Melding, keten: str | None = None) -> None:
        self.aanroepen["sla_melding_op"] += 1
        melding = Melding.model_validate(melding)  # one argument (v5): decoded untyped
        await asyncio.sleep(self.opslag_vertraging)
        self.meldingen[melding.melding_id] = melding

    @activity.defn(name="draag_zaak_over")
    async def draag_zaak_over(self, opdracht: OverdrachtOpdracht) -> ZaakOverdracht:
        self._breek("draag_zaak_over")
        self.overdrachten.append(opdracht)
        if self.overdracht is not OverdrachtUitkomst.AANGEMAAKT:
            return ZaakOverdracht(uitkomst=self.overdracht, gemeente="utrecht")
        ident = f"VT-{opdracht.melding_id}"
        wacht = self.aanvaarding_termijn
        return ZaakOverdracht(
            uitkomst=self.overdracht,
            gemeente="utrecht",
            zaak_identificatie=ident,
            zaak_url=f"https://open-zaak.utrecht.invalid/zaken/api/v1/zaken/{ident}",
            aangemaakt_op=activity.info().current_attempt_scheduled_time,
            stand=OverdrachtStand.WACHT if wacht else None,
            herinnering_op=opdracht.op + wacht - timedelta(days=1) if wacht else None,
            aanvaarden_voor=opdracht.op + wacht if wacht else None,
            peilinterval_seconden=self.peilinterval_seconden,
        )

    @activity.defn(name="verstuur_vto")
    async def verstuur_vto(self, opdracht: VtoOpdracht) -> RaadVerzoek:
        self._breek("verstuur_vto")
        self.vto.append(opdracht)
        return RaadVerzoek(
            uitkomst=RaadUitkomst.VERSTUURD,
            kenmerk=vto_kenmerk(opdracht.melding_id),
            verzonden_op=opdracht.op,
            ontvangst_voor=opdracht.op + timedelta(days=2),
            beslissing_voor=opdracht.op + timedelta(days=14),
        )

    @activity.defn(name="lees_raad_antwoord")
    async def lees_raad_antwoord(self, kenmerk: str) -> RaadAntwoord:
        self._breek("lees_raad_antwoord")
        return self.raad_antwoord

    @activity.defn(name="lees_aanvaarding")
    async def lees_aanvaarding(self, vraag: Aanvaardingsvraag) -> OverdrachtStand:
        self._breek("lees_aanvaarding")
        self.gepeild += 1
        return self.aanvaarding

    @activity.defn(name="werk_dossier_bij")
    async def werk_dossier_bij(self, stand: DossierStand) -> None:
        """As the dossier does: a closed case's term from the pure policy (no linked cases)."""
        self._breek("werk_dossier_bij")
        self.dossier[stand.melding_id] = stand
        if stand.afgesloten and stand.afgesloten_op is not None:
            termijn = bewaartermijn.bereken(
                dag(stand.afgesloten_op), bewaartermijn.kinderen(self.meldingen[stand.melding_id])
            )
            self.termijnen.setdefault(stand.melding_id, termijn)

    @activity.defn(name="lees_bewaartermijn")
    async def lees_bewaartermijn(self, melding_id: str) -> Bewaartermijn | None:
        return self.termijnen.get(melding_id)

    @activity.defn(name="zoek_eerdere_meldingen")
    async def zoek_eerdere_meldingen(self, melding_id: str) -> RegisterResultaat:
        if "register" in self.stil:
            raise ApplicationError("register antwoordt niet")
        if "register" in self.vasthouden:
            await self.vasthouden["register"].wait()
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
        if vraag.bron.value in self.vasthouden:
            await self.vasthouden[vraag.bron.value].wait()
        return BronAntwoord(bron=vraag.bron, bekend=vraag.bron.value in self.bekend)

    @activity.defn(name="verstuur_bericht")
    async def plaats_in_outbox(self, bericht: Bericht) -> Verzending:
        self._breek("verstuur_bericht")
        sleutel = (bericht.melding_id, outbox_soort(bericht.soort, bericht.ontvanger))
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
        self.bezorgd.append((opdracht.melding_id, outbox_soort(opdracht.soort, opdracht.ontvanger)))
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
            ontvanger=opdracht.ontvanger,
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

    @activity.defn(name="leg_advies_vast")
    async def leg_advies_vast(self, info: AdviesInformatie) -> None:
        """As activities/advies.py: one row per advies (a repeat changes nothing)."""
        info = AdviesInformatie.model_validate(info)
        self.aanroepen["leg_advies_vast"] += 1
        self.adviesinformatie.setdefault(info.advies_id, info)

    @activity.defn(name="vernietigingstermijn")
    async def vernietigingstermijn(self) -> int:
        return self.termijn_maanden

    @activity.defn(name="melding_id_vrij")
    async def melding_id_vrij(self, melding_id: str) -> str | None:
        """As the dossier answers (activities/advies.py): stored or destroyed is taken."""
        if melding_id in self.vernietigd:
            return f"melding {melding_id} bestaat al (vernietigd)"
        return f"melding {melding_id} bestaat al" if melding_id in self.meldingen else None

    # -- the destruction list (issue 25), as activities/vernietigingslijst.py does it --------
    @activity.defn(name="stel_lijst_samen")
    async def stel_lijst_samen(self, peildatum: date) -> list[LijstItem]:
        return [
            LijstItem(melding_id=m, regio=self.meldingen[m].regio, bewaren_tot=t.tot, grond=t.grond)
            for m, t in sorted(self.termijnen.items(), key=lambda mt: (mt[1].tot, mt[0]))
            if t.tot < peildatum and m in self.meldingen
        ]

    @activity.defn(name="verleng_bewaartermijnen")
    async def verleng_bewaartermijnen(
        self, lijst_id: str, medewerker: str, op: datetime, behouden: list[Behouden]
    ) -> None:
        for h in behouden:
            self.termijnen[h.melding_id] = Bewaartermijn(tot=h.tot, grond=Grond.VERLENGD)
            self.audit.append(
                AuditRegel(
                    melding_id=h.melding_id,
                    handeling="bewaartermijn_verlengd",
                    medewerker=medewerker,
                    op=op,
                    gegevens={"lijst_id": lijst_id, "tot": h.tot.isoformat(), "reden": h.reden},
                )
            )

    @activity.defn(name="vernietig_lijstdeel")
    async def vernietig_lijstdeel(
        self, lijst_id: str, melding_ids: list[str], verslag: Vernietigingsverslag
    ) -> Lijstdeel:
        deel = Lijstdeel()
        for m in melding_ids:
            if m not in self.meldingen:
                deel.niet_gevonden.append(m)
                continue
            await self.vernietig(m, verslag)
            deel.vernietigd.append(m)
        return deel

    @activity.defn(name="stel_verklaring_op")
    async def stel_verklaring_op(
        self, verklaring: Vernietigingsverklaring, melding_ids: list[str]
    ) -> Vernietigingsverklaring:
        kenmerken = sorted(hashlib.sha256(m.encode()).hexdigest() for m in melding_ids)
        self.verklaringen.append(verklaring.model_copy(update={"kenmerken": kenmerken}))
        return self.verklaringen[-1]
