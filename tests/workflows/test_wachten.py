"""The wait that continues as new (workflows/wachten.py): a decision in flight that ends the
wait is read by the caller, not carried into a new run."""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from workflows.wachten import Wachten


@activity.defn(name="wachten_test_stap")
async def stap() -> None:
    return None


@workflow.defn(name="WachtenTest", sandboxed=False)
class WachtenTest:
    """Waits for a decision; the decision makes the history 'too long' on arrival (as a run
    crossing its bound in the workflow task that brings the decision), then does its I/O and
    ends the wait."""

    def __init__(self) -> None:
        self.klaar = False
        self.te_lang = False
        self.wacht = Wachten(lambda: self.te_lang, self._ga_verder_als_nieuw)

    @workflow.run
    async def run(self, run: int) -> str:
        if run > 1:
            return f"run {run} zonder de beslissing"
        if await self.wacht(lambda: self.klaar, None):
            return f"beslissing gelezen in run {run}"
        return "verlopen"

    async def _ga_verder_als_nieuw(self) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(args=[2])

    @workflow.update
    async def beslis(self) -> None:
        self.te_lang = True
        await workflow.execute_activity(stap, start_to_close_timeout=timedelta(seconds=10))
        self.klaar = True


async def test_a_decision_that_ends_the_wait_while_the_run_is_too_long_is_read_in_that_run(
    env: WorkflowEnvironment,
) -> None:
    """v2: the wait saw 'too long' while the decision was in flight, waited for it, and then
    continued as new all the same: a monitoring check's outcome that arrived then was never read
    (the continued run planned the next check instead of closing a stably safe case)."""
    async with Worker(
        env.client, task_queue=f"wachten-{uuid.uuid4()}", workflows=[WachtenTest], activities=[stap]
    ) as worker:
        handle = await env.client.start_workflow(
            WachtenTest.run, 1, id=f"wachten-{uuid.uuid4()}", task_queue=worker.task_queue
        )
        await handle.execute_update(WachtenTest.beslis)
        assert await handle.result() == "beslissing gelezen in run 1"
