"""A case whose workflow task fails on non-determinism (a release that cannot replay it) is
found by the workers' watch: counted in a metric and signalled as `vastgelopen` for the team
lead, once, and the signalering closes when the case no longer stands still (issue 18)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import pytest
from temporalio import workflow
from temporalio.client import WorkflowHandle
from temporalio.runtime import MetricBuffer, Runtime, TelemetryConfig
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.signalering import open_signaleringen
from contract.ids import melding_workflow_id
from runtime.bewaking import METRIEK, controleer
from runtime.devserver import programma


@workflow.defn(name="BewakingProef", sandboxed=False)
class Vorige:
    """The release that started the case: a timer, then a wait."""

    @workflow.run
    async def run(self) -> None:
        await workflow.sleep(0.2)
        await workflow.wait_condition(lambda: False)

    @workflow.signal
    def por(self) -> None:
        pass


@workflow.defn(name="BewakingProef", sandboxed=False)
class Volgende:
    """A release that changed the command sequence without a patch."""

    @workflow.run
    async def run(self) -> None:
        await workflow.execute_activity("bestaat_niet", start_to_close_timeout=timedelta(seconds=5))
        await workflow.wait_condition(lambda: False)

    @workflow.signal
    def por(self) -> None:
        pass


@pytest.fixture
async def server() -> AsyncIterator[WorkflowEnvironment]:
    """A dev server of this test only, flagging after one failed workflow task (as
    deploy/dynamicconfig/production.yaml does)."""
    omgeving = await WorkflowEnvironment.start_local(
        dev_server_existing_path=programma("temporal"),
        dev_server_extra_args=[
            "--dynamic-config-value",
            "system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=1",
        ],
    )
    yield omgeving
    await omgeving.shutdown()


async def _vast(server: WorkflowEnvironment, pool: asyncpg.Pool, meter: object) -> list[str]:
    einde = time.monotonic() + 30
    while True:
        gevonden = await controleer(server.client, pool, meter)  # type: ignore[arg-type]
        if gevonden or time.monotonic() > einde:
            return gevonden
        await asyncio.sleep(0.5)


async def test_a_case_that_fails_on_nondeterminism_is_counted_and_signalled_once(
    server: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    melding_id = f"VT-UTR-{uuid.uuid4().hex[:13]}"
    task_queue = f"bewaking-{uuid.uuid4()}"
    async with Worker(server.client, task_queue=task_queue, workflows=[Vorige]):
        handle: WorkflowHandle[Vorige, None] = await server.client.start_workflow(
            Vorige.run, id=melding_workflow_id(melding_id), task_queue=task_queue
        )
        await asyncio.sleep(1)
    buffer = MetricBuffer(1000)
    meter = Runtime(telemetry=TelemetryConfig(metrics=buffer)).metric_meter
    async with Worker(
        server.client, task_queue=task_queue, workflows=[Volgende], max_cached_workflows=0
    ):
        await handle.signal(Vorige.por)
        assert await _vast(server, pool, meter) == [handle.id]
        await controleer(server.client, pool, meter)  # a second round adds nothing
    eigen = [s for s in await open_signaleringen(pool) if s.melding_id == melding_id]
    assert [(s.soort, s.termijn) for s in eigen] == [("vastgelopen", "verwerking")]
    metingen = [u.value for u in buffer.retrieve_updates() if u.metric.name == METRIEK]
    assert metingen and metingen[-1] == 1
    await handle.terminate("test klaar")
    # Visibility follows the terminate a moment later (seen in a full run: one round after it
    # still listed the case as stuck): rounds until it is closed, or 30 s.
    einde = time.monotonic() + 30
    while True:
        await controleer(server.client, pool, None)
        open_ = [s for s in await open_signaleringen(pool) if s.melding_id == melding_id]
        if open_ == [] or time.monotonic() > einde:
            break
        await asyncio.sleep(0.5)
    assert open_ == []
