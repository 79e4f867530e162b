"""NaloopWorkflow: the reconciliation of open dossiers with running cases, started by a Temporal
Schedule (runtime/naloop.py); the comparison itself is an activity (activities/naloop.py)."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.naloop import NaloopActiviteiten
    from contract import names
    from contract.policies import NALOOP, NALOOP_HARTSLAG, NALOOP_RETRY
    from domain.leesbaar import Leesbaar
    from domain.uitwisseling import Naloop


@workflow.defn(name=names.NALOOP_WORKFLOW)
class NaloopWorkflow:
    @workflow.run
    async def run(self) -> Naloop:
        return await workflow.execute_activity_method(
            NaloopActiviteiten.loop_dossiers_na,
            start_to_close_timeout=NALOOP,
            heartbeat_timeout=NALOOP_HARTSLAG,
            retry_policy=NALOOP_RETRY,
            summary=Leesbaar("Open dossiers naast lopende casussen leggen"),
        )
