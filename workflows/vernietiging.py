"""VernietigingWorkflow: a betrokkene asks to have the dossier destroyed (Q&A 28).

When the case concluded there was no domestic violence or child abuse, the request is granted
at once. Otherwise a medewerker decides (`beslis_vernietiging`); the answer is due within a
month (AVG art. 12(3)): a reminder at three weeks, an escalation at the month, and the request
keeps waiting. Granted: the dossier rows and the melding's workflow histories are removed.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.signalering import SignaleringActiviteiten
    from activities.vernietiging import VernietigingActiviteiten
    from domain import names
    from domain.activiteiten import Signalering, SignaleringSoort, Termijnsoort
    from domain.besluiten import VernietigingsBesluit, VernietigingsResultaat, VernietigingsVerzoek
    from workflows.termijnbewaking import Voorwaarde, bewaak

KORT = timedelta(seconds=30)
RETRY = RetryPolicy(
    maximum_interval=timedelta(minutes=1), non_retryable_error_types=["OnbekendeMelding"]
)
HERINNERING = timedelta(weeks=3)
ANTWOORDTERMIJN = timedelta(days=30)


@workflow.defn(name=names.VERNIETIGING_WORKFLOW)
class VernietigingWorkflow:
    def __init__(self) -> None:
        self._besluit: VernietigingsBesluit | None = None
        self._gedaan: list[str] = []

    @workflow.run
    async def run(self, verzoek: VernietigingsVerzoek) -> VernietigingsResultaat:
        grond = await workflow.execute_activity_method(
            VernietigingActiviteiten.beoordeel_verzoek,
            verzoek.melding_id,
            start_to_close_timeout=KORT,
            retry_policy=RETRY,
        )
        if not grond.bekend:
            return VernietigingsResultaat(
                melding_id=verzoek.melding_id, toegekend=False, reden="onbekende melding"
            )
        if grond.vernietigingsrecht:
            reden = "geen huiselijk geweld of kindermishandeling vastgesteld (Q&A 28)"
        else:
            deadline = verzoek.ontvangen_op + ANTWOORDTERMIJN

            async def signaleer(soort: SignaleringSoort) -> None:
                await workflow.execute_activity_method(
                    SignaleringActiviteiten.signaleer,
                    Signalering(
                        melding_id=verzoek.melding_id,
                        regio=grond.regio,
                        soort=soort,
                        termijn=Termijnsoort.VERNIETIGING,
                        deadline=deadline,
                    ),
                    start_to_close_timeout=KORT,
                    retry_policy=RETRY,
                )

            await bewaak(
                self._wacht,
                lambda: self._besluit is not None,
                sleutel="vernietiging",
                herinnering=verzoek.ontvangen_op + HERINNERING,
                deadline=deadline,
                gedaan=self._gedaan,
                bij_herinnering=lambda: signaleer(SignaleringSoort.HERINNERING),
                bij_overschrijding=lambda: signaleer(SignaleringSoort.ESCALATIE),
            )
            assert self._besluit is not None
            reden = self._besluit.reden
            if not self._besluit.toegekend:
                return VernietigingsResultaat(
                    melding_id=verzoek.melding_id, toegekend=False, reden=reden
                )
        await workflow.execute_activity_method(
            VernietigingActiviteiten.vernietig,
            verzoek.melding_id,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=RETRY,
        )
        return VernietigingsResultaat(
            melding_id=verzoek.melding_id,
            toegekend=True,
            uitgevoerd_op=workflow.now(),
            reden=reden,
        )

    async def _wacht(self, klaar: Voorwaarde, tot: object) -> bool:
        timeout = None if tot is None else tot - workflow.now()  # type: ignore[operator]
        if timeout is not None and timeout <= timedelta(0):
            return klaar()
        try:
            await workflow.wait_condition(klaar, timeout=timeout)
        except TimeoutError:
            return klaar()
        return True

    @workflow.update(name=names.UPDATE_VERNIETIGING)
    async def beslis_vernietiging(self, besluit: VernietigingsBesluit) -> VernietigingsResultaat:
        self._besluit = besluit
        return VernietigingsResultaat(
            melding_id=workflow.info().workflow_id.removeprefix("vernietiging-"),
            toegekend=besluit.toegekend,
            reden=besluit.reden,
        )

    @beslis_vernietiging.validator
    def _valideer(self, besluit: VernietigingsBesluit) -> None:
        if self._besluit is not None:
            raise ValueError("beslis_vernietiging: over dit verzoek is al beslist")
