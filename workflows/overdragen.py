"""An overdracht besluit reaches the ketenpartner (issue 22), after the eerste terugkoppeling:

1. the zaak in the gemeente's Zaken API (activities/keten.py), with retries and backoff; one
   that does not arrive (no gemeente configured, refused, failed after every attempt) is a case
   for a human: a signalering and a metric, and the case closes as overgedragen;
2. the warme overdracht: where the gemeente configured the statustypen to read it from, the case
   waits (phase `warme_overdracht`) until the ketenpartner accepts the zaak, reading its status
   every PEILINTERVAL, with a reminder at the start of the term's last werkdag and an escalation
   to the teamleider at its end, after which it keeps waiting (Q&A 25: until accepted, Veilig
   Thuis keeps zicht op veiligheid);
3. a zaak handed back puts the case back to Veilig Thuis: a signalering at once, the besluit
   cleared (kept in the audit trail and `teruggegeven`), and the case waits for a new besluit,
   which takes its course as the first one would have after the eerste terugkoppeling.

The state is the status's `overdracht` (and `teruggegeven`): the step resumes after a
continue-as-new exactly where it was.

Since v7 (patch `dienst-overdracht-als-zaak`) an overdracht decided at the end of a dienst
(`DienstAfronding` with vervolg overdracht) takes the same steps 1 and 2 (`na_dienst`); a zaak
handed back then returns the case to its dienst, which waits for a new afronding."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from contract.policies import AANVAARDING_RETRY, KORT, OVERDRACHT_RETRY, OVERDRAGEN
    from domain import regels, tijdlijn
    from domain.besluiten import Besluit, DienstAfronding
    from domain.keten import (
        OVERDRACHT_VOOR_EEN_MENS,
        PEILINTERVAL,
        Aanvaardingsvraag,
        OverdrachtOpdracht,
        OverdrachtStand,
        OverdrachtUitkomst,
        ZaakOverdracht,
    )
    from domain.leesbaar import Leesbaar
    from domain.status import MeldingStatus
    from domain.uitwisseling import SignaleringSoort, Termijnsoort
    from domain.waarden import DienstVervolg, Fase, Vervolg
    from workflows.handelingen import Handelingen
    from workflows.termijnbewaking import Voorwaarde, Wachter, bewaak
    from workflows.toestand import MeldingToestand

# Replay: before v7 an overdracht only told the melder the ketenpartner's name; since v7 the
# ketenpartner receives it as a zaak, and the case waits for its acceptance.
PATCH_OVERDRACHT_ALS_ZAAK = "overdracht-als-zaak"
# Replay: before v7 an overdracht decided at the end of a dienst created no zaak; since v7 it
# does, and the case waits for its acceptance as after an overdracht besluit.
PATCH_DIENST_OVERDRACHT_ALS_ZAAK = "dienst-overdracht-als-zaak"
METRIC_VOOR_EEN_MENS = "vt_overdracht_voor_een_mens"
SAMENVATTING = Leesbaar("Overdracht als zaak bij de gemeente")
PEILEN = Leesbaar("Overdracht: de zaak bij de gemeente lezen")


def overdracht_open(status: MeldingStatus) -> bool:
    """An overdracht besluit without its zaak yet, or a zaak not yet accepted."""
    besluit, o = status.besluit, status.overdracht
    if besluit is None or besluit.vervolg is not Vervolg.OVERDRACHT:
        return False
    return o is None or o.stand is OverdrachtStand.WACHT


class Overdragen:
    def __init__(
        self,
        handelingen: Handelingen,
        t: MeldingToestand,
        wacht: Wachter,
        attributen: Callable[[], None],
        dossier: Callable[[], Awaitable[None]],
        na_besluit: Callable[[Besluit], Awaitable[None]],
    ) -> None:
        """`na_besluit`: what follows a new besluit besides its course (the professionals it
        names are informed, workflows/professionals.py)."""
        self.handelingen, self.toestand, self.wacht = handelingen, t, wacht
        self._attributen, self._dossier, self._na_besluit = attributen, dossier, na_besluit

    async def __call__(self) -> None:
        """One round: the zaak, the wait for its acceptance, and after a refusal the new
        besluit (the caller asks `overdracht_open` again: a new overdracht is a new round)."""
        s = self.toestand.status
        if s.overdracht is None:
            assert s.besluit is not None
            await self.draag_over(s.besluit)
            self._attributen()
        o = s.overdracht
        assert o is not None
        if o.stand is not OverdrachtStand.WACHT:
            return
        if await self.wacht_op_aanvaarding(o) is OverdrachtStand.TERUGGEGEVEN:
            await self.nieuw_besluit(o)

    async def na_dienst(self) -> DienstAfronding:
        """The dienst's overdracht: the zaak and the wait for its acceptance; handed back, the
        dienst resumes (its phase, a signalering) and waits for a new afronding, which takes
        its course. Returns the afronding the case goes on with."""
        t = self.toestand
        while True:
            afronding, besluit = t.afronding, t.status.besluit
            assert afronding is not None and besluit is not None
            if afronding.vervolg is not DienstVervolg.OVERDRACHT:
                return afronding
            if t.status.overdracht is None:
                await self.draag_over(besluit, afronding)
                self._attributen()
            o = t.status.overdracht
            assert o is not None
            if o.stand is not OverdrachtStand.WACHT:
                return afronding
            if await self.wacht_op_aanvaarding(o) is not OverdrachtStand.TERUGGEGEVEN:
                return afronding
            t.status.teruggegeven.append(o)
            t.status.overdracht = None
            t.afronding = None
            t.dienst_einde = None
            t.status.fase = Fase(besluit.vervolg.value)
            self._attributen()
            await self._signaleer(SignaleringSoort.TERUGGEGEVEN)
            await workflow.wait_condition(lambda: t.afronding is not None)

    async def draag_over(self, besluit: Besluit, afronding: DienstAfronding | None = None) -> None:
        handelingen = self.handelingen
        opdracht = OverdrachtOpdracht(
            melding_id=handelingen.melding_id,
            besluit=besluit,
            afronding=afronding,
            op=workflow.now(),
        )
        try:
            o: ZaakOverdracht = await workflow.execute_activity(
                "draag_zaak_over",
                opdracht,
                result_type=ZaakOverdracht,
                start_to_close_timeout=OVERDRAGEN,
                retry_policy=OVERDRACHT_RETRY,
                summary=SAMENVATTING,
            )
        except ActivityError:
            # Only when the activity could not even record its outcome (every attempt timed out).
            o = ZaakOverdracht(uitkomst=OverdrachtUitkomst.MISLUKT, fout="activiteit")
        self.toestand.status.overdracht = o
        if o.uitkomst in OVERDRACHT_VOOR_EEN_MENS:
            workflow.metric_meter().create_counter(
                METRIC_VOOR_EEN_MENS, "overdrachten die een mens moet oppakken"
            ).add(1, {"uitkomst": o.uitkomst.value})
            workflow.logger.warning(
                "overdracht niet als zaak aangekomen",
                extra={"melding_id": handelingen.melding_id, "uitkomst": o.uitkomst.value},
            )
            await self._signaleer(SignaleringSoort.NIET_OVERGEDRAGEN)

    async def wacht_op_aanvaarding(self, o: ZaakOverdracht) -> OverdrachtStand | None:
        assert o.herinnering_op is not None and o.aanvaarden_voor is not None
        self.toestand.status.fase = Fase.WARME_OVERDRACHT
        self._attributen()
        wat = "aanvaarding overdracht"
        await bewaak(
            self._peilend(o),
            lambda: o.stand is not OverdrachtStand.WACHT,
            sleutel=f"{Termijnsoort.OVERDRACHT}:{len(self.toestand.status.teruggegeven) + 1}",
            herinnering=o.herinnering_op,
            deadline=o.aanvaarden_voor,
            gedaan=self.toestand.signaleringen,
            bij_herinnering=lambda: self._signaleer(SignaleringSoort.HERINNERING, o.herinnering_op),
            bij_overschrijding=lambda: self._signaleer(
                SignaleringSoort.ESCALATIE, o.aanvaarden_voor
            ),
            samenvattingen=(
                tijdlijn.herinnering(wat, o.herinnering_op),
                tijdlijn.termijn(wat, o.aanvaarden_voor),
            ),
        )
        o.beantwoord_op = workflow.now()
        workflow.logger.info(
            "warme overdracht beantwoord",
            extra={"melding_id": self.handelingen.melding_id, "stand": o.stand},
        )
        self._attributen()
        return o.stand

    async def nieuw_besluit(self, o: ZaakOverdracht) -> None:
        """Handed back: the teamleider hears it at once; the case waits for a new besluit (the
        update `neem_besluit` is accepted again), then takes its course."""
        t = self.toestand
        t.status.teruggegeven.append(o)
        t.status.overdracht = None
        t.status.besluit = None
        t.einde = None
        t.status.fase = Fase.WACHT_OP_BESLUIT
        self._attributen()
        await self._signaleer(SignaleringSoort.TERUGGEGEVEN)
        # Its named outcome is the signalering above; the history stays small while it waits.
        await workflow.wait_condition(lambda: t.status.besluit is not None)
        besluit = t.status.besluit
        assert besluit is not None
        await self._na_besluit(besluit)
        t.einde = regels.einde_na_besluit(besluit.vervolg)
        if t.einde is None:
            t.status.fase = Fase(besluit.vervolg.value)
        self._attributen()
        await self._dossier()

    def _peilend(self, o: ZaakOverdracht) -> Wachter:
        """The wait, reading the zaak every PEILINTERVAL, or as often as the gemeente's
        koppeling says (a notification could end it sooner). Only a timer's length differs:
        the same commands either way."""
        interval = (
            timedelta(seconds=o.peilinterval_seconden) if o.peilinterval_seconden else PEILINTERVAL
        )

        async def wacht(
            klaar: Voorwaarde, tot: datetime | None, samenvatting: str | None = None
        ) -> bool:
            while True:
                grens = workflow.now() + interval
                eind = tot is not None and tot <= grens
                if await self.wacht(
                    klaar, tot if eind else grens, samenvatting if eind else PEILEN
                ):
                    return True
                await self._peil(o)
                if klaar():
                    return True
                if eind:
                    return False

        return wacht

    async def _peil(self, o: ZaakOverdracht) -> None:
        assert o.gemeente is not None and o.zaak_url is not None
        try:
            o.stand = await workflow.execute_activity(
                "lees_aanvaarding",
                Aanvaardingsvraag(
                    melding_id=self.handelingen.melding_id, gemeente=o.gemeente, zaak_url=o.zaak_url
                ),
                result_type=OverdrachtStand,
                start_to_close_timeout=KORT,
                retry_policy=AANVAARDING_RETRY,
                summary=PEILEN,
            )
        except ActivityError:
            workflow.logger.warning(
                "warme overdracht: zaak niet gelezen",
                extra={"melding_id": self.handelingen.melding_id},
            )

    async def _signaleer(self, soort: SignaleringSoort, moment: datetime | None = None) -> None:
        await self.handelingen.signaleer(soort, Termijnsoort.OVERDRACHT, moment or workflow.now())
