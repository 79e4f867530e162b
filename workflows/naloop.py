"""NaloopWorkflow: the reconciliation of open dossiers with running cases, started by a Temporal
Schedule (runtime/naloop.py); the comparison itself is an activity (activities/naloop.py)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.naloop import NaloopActiviteiten
    from contract import names
    from domain.uitwisseling import Naloop


@workflow.defn(name=names.NALOOP_WORKFLOW)
class NaloopWorkflow:
    @workflow.run
    async def run(self) -> Naloop:
        return await workflow.execute_activity_method(
            NaloopActiviteiten.loop_dossiers_na,
            start_to_close_timeout=timedelta(minutes=30),
            heartbeat_timeout=timedelta(minutes=5),
            retry_policy=RetryPolicy(maximum_attempts=3),
            summary="Open dossiers naast lopende casussen leggen",
        )
