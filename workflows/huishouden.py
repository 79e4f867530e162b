"""A postponed informing of the household, followed up until it is done (Q&A 4: the household
is informed "in alle gevallen"; postponing is allowed only while informing would endanger
someone).

From the moment the besluit postponed it, the team is reminded every two weeks
(`termijnen.HUISHOUDEN_HERINNERING`) until a medewerker registers `informeer_huishouden`:
`bericht` sends the household message then (with the right to destruction when a finding of no
violence came meanwhile, Q&A 28), `gesprek` records that they were told in person. The case does
not close before. Every moment is absolute (the postponement plus n intervals) and the count is
in the durable state, so the follow-up resumes exactly after a continue-as-new.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import berichten, casusbeeld, regels, termijnen
    from domain.melding import Melding
    from domain.uitwisseling import SignaleringSoort, Termijnsoort
    from domain.waarden import WijzeInformeren
    from workflows.handelingen import Handelingen
    from workflows.toestand import MeldingToestand


class Opvolging:
    def __init__(
        self,
        melding: Melding,
        t: MeldingToestand,
        handelingen: Handelingen,
        verstuur: Callable[[Any], Awaitable[None]],
    ) -> None:
        self.melding, self.toestand, self.handelingen, self._verstuur = (
            melding,
            t,
            handelingen,
            verstuur,
        )
        self.taak: asyncio.Task[None] | None = None
        # True while the task waits for its next reminder (a timer, no activity in flight).
        self.rust = False

    def start(self) -> None:
        """Follow up in the background while the case goes on (once per run)."""
        if self.taak is None and self.toestand.huishouden_wacht():
            self.taak = asyncio.create_task(self._volg_op())

    async def klaar(self) -> None:
        """Wait until the household is informed (the case does not close before)."""
        if self.taak is not None:
            await self.taak

    async def _wacht_tot(self, moment: datetime) -> bool:
        """Until the household is informed (True) or `moment` (False), resting meanwhile."""
        self.rust = True
        try:
            await workflow.wait_condition(
                lambda: self.toestand.huishouden_geinformeerd is not None,
                timeout=max(moment - workflow.now(), timedelta(seconds=1)),
                timeout_summary=casusbeeld.herinnering("huishouden informeren", moment),
            )
        except TimeoutError:
            return False
        finally:
            self.rust = False
        return True

    async def _volg_op(self) -> None:
        t = self.toestand
        assert t.huishouden_uitgesteld_op is not None
        while t.huishouden_geinformeerd is None:
            moment = t.huishouden_uitgesteld_op + termijnen.HUISHOUDEN_HERINNERING * (
                t.huishouden_herinneringen + 1
            )
            if not await self._wacht_tot(moment):
                await self.handelingen.signaleer(
                    SignaleringSoort.HERINNERING, Termijnsoort.HUISHOUDEN_INFORMEREN, moment
                )
                t.huishouden_herinneringen += 1
        besluit = t.status.besluit
        assert besluit is not None
        if t.huishouden_geinformeerd.wijze is WijzeInformeren.BERICHT:
            await self._verstuur(berichten.huishouden_bericht(self.melding, besluit, t.afronding))
            t.vernietigingsrecht_gemeld = regels.vernietigingsrecht(besluit, t.afronding)
        elif regels.vernietigingsrecht(besluit, t.afronding):
            # Told in person; the right to destruction goes in writing all the same (Q&A 28).
            await self._verstuur(berichten.vernietigingsrecht_bericht(self.melding))
            t.vernietigingsrecht_gemeld = True
        t.huishouden_opgevolgd = True
