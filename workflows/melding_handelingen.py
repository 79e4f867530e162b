"""The mechanics MeldingWorkflow's steps share: waiting with continue-as-new, sending through
the outbox, signalering, the overdue mark and the dossier update. Orchestration only: each is
one activity call or one state change; the order of the process lives in workflows/melding.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.dossier import DossierActiviteiten
    from activities.outbox import OutboxActiviteiten
    from activities.signalering import SignaleringActiviteiten
    from domain import regels
    from domain.activiteiten import (
        Bericht,
        DossierStand,
        Signalering,
        SignaleringSoort,
        Termijnsoort,
    )
    from domain.status import TerugkoppelingRegel
    from domain.waarden import TerugkoppelingSoort
    from workflows.melding_berichten import MeldingBerichten
    from workflows.termijnbewaking import Voorwaarde

# Timeouts and retries per kind of activity; business refusals are non-retryable by type.
KORT = timedelta(seconds=30)
DATABASE_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))
# A case that receives this many radar links in one run continues as new: bounded history.
KOPPELINGEN_PER_RUN = 100


class MeldingHandelingen(MeldingBerichten):
    async def wacht(self, klaar: Voorwaarde, tot: datetime | None) -> bool:
        """Wait until `klaar` (True) or the moment `tot` (False), continuing as new when the
        history grows long; the state model carries everything over."""
        while True:
            if klaar():
                return True
            timeout = None if tot is None else tot - workflow.now()
            if timeout is not None and timeout <= timedelta(0):
                return False
            try:
                await workflow.wait_condition(lambda: klaar() or self.te_lang(), timeout=timeout)
            except TimeoutError:
                return klaar()
            if not klaar():
                await self._ga_verder_als_nieuw()

    def te_lang(self) -> bool:
        if self.bezig is not None and not self.bezig.done():
            return False
        return (
            self.koppelingen_deze_run >= KOPPELINGEN_PER_RUN
            or workflow.info().is_continue_as_new_suggested()
        )

    async def _ga_verder_als_nieuw(self) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(args=[self.melding, self.t])

    async def _verstuur(self, bericht: Bericht, soort: TerugkoppelingSoort | None = None) -> None:
        verzending = await workflow.execute_activity_method(
            OutboxActiviteiten.verstuur_bericht,
            bericht,
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
        )
        if soort is not None:
            self.t.status.terugkoppelingen.append(
                TerugkoppelingRegel(soort=soort, verstuurd_op=verzending.verstuurd_op)
            )
        self.werk_zoekattributen_bij()

    async def _signaleer(self, soort: SignaleringSoort, termijn: Termijnsoort) -> None:
        deadline = self.volgende_deadline() or workflow.now()
        await workflow.execute_activity_method(
            SignaleringActiviteiten.signaleer,
            Signalering(
                melding_id=self.melding.melding_id,
                regio=self.melding.regio,
                soort=soort,
                termijn=termijn,
                deadline=deadline,
            ),
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
        )

    async def _overschreden(self, termijn: Termijnsoort) -> None:
        self.t.status.termijn_overschreden = True
        self.werk_zoekattributen_bij()
        workflow.logger.warning(
            "termijn overschreden",
            extra={"melding_id": self.melding.melding_id, "termijn": termijn},
        )
        await self._signaleer(SignaleringSoort.ESCALATIE, termijn)

    async def _werk_dossier_bij(self) -> None:
        t = self.t
        besluit = t.status.besluit
        ketenpartner = t.afronding.ketenpartner if t.afronding else None
        await workflow.execute_activity_method(
            DossierActiviteiten.werk_dossier_bij,
            DossierStand(
                melding_id=self.melding.melding_id,
                vervolg=besluit.vervolg if besluit else None,
                ketenpartner=ketenpartner or (besluit.ketenpartner if besluit else None),
                afgesloten=t.einde is not None,
                vernietigingsrecht=regels.vernietigingsrecht(besluit, t.afronding),
            ),
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
        )
