"""The benchmark's bare baseline (bench/kaal.py) has the same shape as MeldingWorkflow's advies
path: the same commands in the same order, so `bench.doorvoer` compares like with like."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.kaal import KAAL_WORKFLOW, KALE_ACTIVITEITEN, KaalWorkflow, kaal_activering
from tests.workflows import scenario as sc

# Events a workflow command (or the start and an accepted update) puts in the history; the
# rest (workflow tasks, activity started/completed) depends on timing, not on the shape.
COMMANDO_EVENTS = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    EventType.EVENT_TYPE_TIMER_STARTED,
    EventType.EVENT_TYPE_TIMER_CANCELED,
    EventType.EVENT_TYPE_MARKER_RECORDED,
    EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
    EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
    EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
}


def vorm(geschiedenis: WorkflowHistory) -> list[str]:
    """The command sequence: event types, an activity with its name, a local activity (a
    marker) with its type."""
    uit = []
    for e in geschiedenis.events:
        if e.event_type not in COMMANDO_EVENTS:
            continue
        naam = EventType.Name(e.event_type).removeprefix("EVENT_TYPE_")
        if e.HasField("activity_task_scheduled_event_attributes"):
            naam += f" {e.activity_task_scheduled_event_attributes.activity_type.name}"
        if e.HasField("marker_recorded_event_attributes"):
            naam += f" {e.marker_recorded_event_attributes.marker_name}"
        uit.append(naam)
    return uit


async def wacht_op_triage(handle: WorkflowHandle[Any, Any], seconden: float = 30) -> None:
    einde = time.monotonic() + seconden
    while (await handle.query("status", result_type=dict))["fase"] != "wacht_op_triage":
        assert time.monotonic() < einde, "de kale workflow kwam niet in wacht_op_triage"
        await asyncio.sleep(0.05)


async def test_the_bare_baseline_issues_the_same_commands_as_the_advies_path(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    """Ours with fake activities and the bare workflow with no-ops, driven alike: start, wait
    for wacht_op_triage, triage, besluit, result; their command sequences are equal."""
    ons = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(ons, "advies")
    assert (await ons.result()).einde == "advies"

    async with Worker(
        env.client,
        task_queue=f"kaal-{uuid.uuid4()}",
        workflows=[KaalWorkflow],
        activities=KALE_ACTIVITEITEN,
        patch_activation_callback=kaal_activering,
    ) as kale_worker:
        kaal = await env.client.start_workflow(
            KAAL_WORKFLOW, "kaal", id=f"kaal-{uuid.uuid4()}", task_queue=kale_worker.task_queue
        )
        await wacht_op_triage(kaal)
        await kaal.execute_update("registreer_triage", "normaal", result_type=dict)
        await kaal.execute_update("neem_besluit", "advies", result_type=dict)
        assert await kaal.result() == "advies"

    assert vorm(await kaal.fetch_history()) == vorm(await ons.fetch_history())
