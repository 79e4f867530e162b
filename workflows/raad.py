"""The verzoek tot onderzoek (issue 22): a besluit with `raad_verzoek_tot_onderzoek` sends one
to the Raad right after the eerste terugkoppeling (activity `verstuur_vto`), then awaits the
Raad's acknowledgement and its decision, each with a term, a reminder at the start of its last
werkdag and an escalation to the teamleider at its end, reading the Raad's answers every
PEILINTERVAL. It runs beside the case's dienst (a task of the workflow, restarted from the
status after a continue-as-new); the case does not close before the decision is recorded. A VTO
that could not be sent is a signalering at once: a human sends it another way."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from contract.policies import AANVAARDING_RETRY, KORT, RAAD_RETRY
    from domain import casusbeeld
    from domain.keten import PEILINTERVAL
    from domain.leesbaar import Leesbaar
    from domain.raad import RaadAntwoord, RaadUitkomst, RaadVerzoek, VtoOpdracht, herinnering
    from domain.status import MeldingStatus
    from domain.uitwisseling import SignaleringSoort, Termijnsoort
    from workflows.handelingen import Handelingen
    from workflows.termijnbewaking import Voorwaarde, Wachter, bewaak
    from workflows.toestand import MeldingToestand

# Replay: before v7 `raad_verzoek_tot_onderzoek` only kept the case at Veilig Thuis; since v7
# the VTO is sent and its answers awaited.
PATCH_RAAD_VTO = "raad-verzoek-tot-onderzoek"
VERSTUREN = Leesbaar("Verzoek tot onderzoek aan de Raad versturen")
LEZEN = Leesbaar("Antwoord van de Raad lezen")


def raad_open(status: MeldingStatus) -> bool:
    besluit, r = status.besluit, status.raad
    if besluit is None or not besluit.raad_verzoek_tot_onderzoek:
        return False
    return r is None or (r.uitkomst is RaadUitkomst.VERSTUURD and r.beslissing is None)


class Raadsverzoek:
    def __init__(
        self, handelingen: Handelingen, t: MeldingToestand, attributen: Callable[[], None]
    ) -> None:
        self.handelingen, self.toestand, self._attributen = handelingen, t, attributen
        self._taak: asyncio.Task[None] | None = None
        # True while the task waits for the next reading (a timer, no activity in flight).
        self.rust = False

    @property
    def taak(self) -> asyncio.Task[None] | None:
        return self._taak

    def start(self) -> None:
        """Beside the main path, once per run (patched() last: only where a VTO is due)."""
        if (
            self._taak is None
            and raad_open(self.toestand.status)
            and workflow.patched(PATCH_RAAD_VTO)
        ):
            self._taak = asyncio.create_task(self._verloop())

    async def klaar(self, wacht: Wachter) -> None:
        """The case waits for the Raad's decision before it closes, through the workflow's
        wait (which continues as new when the history grows: the next run restarts the task)."""
        taak = self._taak
        if taak is not None:
            await wacht(taak.done, None, Leesbaar("Wacht op de beslissing van de Raad"))
            await taak

    async def _verloop(self) -> None:
        s = self.toestand.status
        if s.raad is None:
            assert s.besluit is not None
            try:
                s.raad = await workflow.execute_activity(
                    "verstuur_vto",
                    VtoOpdracht(
                        melding_id=self.handelingen.melding_id, besluit=s.besluit, op=workflow.now()
                    ),
                    result_type=RaadVerzoek,
                    start_to_close_timeout=KORT,
                    retry_policy=RAAD_RETRY,
                    summary=VERSTUREN,
                )
            except ActivityError:
                s.raad = RaadVerzoek(uitkomst=RaadUitkomst.MISLUKT, fout="activiteit")
            self._attributen()
            if s.raad.uitkomst is not RaadUitkomst.VERSTUURD:
                await self._signaleer(SignaleringSoort.ESCALATIE, workflow.now())
                return
        r = s.raad
        assert r.ontvangst_voor is not None and r.beslissing_voor is not None
        stappen: tuple[tuple[str, Voorwaarde, datetime], ...] = (
            ("ontvangstbevestiging", lambda: r.ontvangen_op is not None, r.ontvangst_voor),
            ("beslissing", lambda: r.beslissing is not None, r.beslissing_voor),
        )
        for wat, klaar, deadline in stappen:
            moment = herinnering(deadline)
            await bewaak(
                self._peilend(r),
                klaar,
                sleutel=f"{Termijnsoort.RAAD}:{wat}",
                herinnering=moment,
                deadline=deadline,
                gedaan=self.toestand.signaleringen,
                bij_herinnering=functools.partial(
                    self._signaleer, SignaleringSoort.HERINNERING, moment
                ),
                bij_overschrijding=functools.partial(
                    self._signaleer, SignaleringSoort.ESCALATIE, deadline
                ),
                samenvattingen=(
                    casusbeeld.herinnering(f"Raad {wat}", moment),
                    casusbeeld.termijn(f"Raad {wat}", deadline),
                ),
            )
        self._attributen()

    def _peilend(self, r: RaadVerzoek) -> Wachter:
        async def wacht(
            klaar: Voorwaarde, tot: datetime | None, samenvatting: str | None = None
        ) -> bool:
            """Until `klaar` or `tot`, reading the Raad's answers every PEILINTERVAL; no
            continue-as-new from here (a task: the main path's wait does that)."""
            while not klaar():
                grens = workflow.now() + PEILINTERVAL
                eind = tot is not None and tot <= grens
                rest = (tot if eind and tot is not None else grens) - workflow.now()
                if rest.total_seconds() > 0:
                    self.rust = True
                    try:
                        with contextlib.suppress(TimeoutError):
                            await workflow.wait_condition(
                                klaar, timeout=rest, timeout_summary=samenvatting if eind else LEZEN
                            )
                    finally:
                        self.rust = False
                if klaar():
                    return True
                await self._peil(r)
                if eind and not klaar():
                    return False
            return True

        return wacht

    async def _peil(self, r: RaadVerzoek) -> None:
        assert r.kenmerk is not None
        try:
            antwoord = await workflow.execute_activity(
                "lees_raad_antwoord",
                r.kenmerk,
                result_type=RaadAntwoord,
                start_to_close_timeout=KORT,
                retry_policy=AANVAARDING_RETRY,
                summary=LEZEN,
            )
        except ActivityError:
            return
        if antwoord.ontvangen_op is not None or antwoord.beslissing is not None:
            r.ontvangen_op = r.ontvangen_op or antwoord.ontvangen_op or antwoord.beslist_op
        if antwoord.beslissing is not None and r.beslissing is None:
            r.beslissing, r.beslist_op = antwoord.beslissing, antwoord.beslist_op or workflow.now()
        self._attributen()

    async def _signaleer(self, soort: SignaleringSoort, moment: datetime) -> None:
        await self.handelingen.signaleer(soort, Termijnsoort.RAAD, moment)
