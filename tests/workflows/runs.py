"""Reading a melding's runs: the chain of continue-as-new, and what went wrong in it."""

from __future__ import annotations

from temporalio.api.enums.v1 import EventType, WorkflowTaskFailedCause
from temporalio.client import Client, WorkflowHistory


async def runs(client: Client, workflow_id: str, eerste_run_id: str) -> list[WorkflowHistory]:
    """Every run's history from `eerste_run_id` (empty: the first) to the current one, read
    from the current run back along the chain of continue-as-new: a history the time-skipping
    server cut short (see WEGGELATEN) has no ContinuedAsNew event to follow forward."""
    return await alle_runs(client, workflow_id, eerste_run_id)


# The time-skipping server can leave out the last workflow task of a run that continued as new
# (its history then ends at WorkflowTaskStarted, without the ContinuedAsNew event): at most this
# many events (task completed, upserts, markers, a timer cancelled, the continue-as-new).
WEGGELATEN = 10
AFGESLOTEN = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
}


async def alle_runs(client: Client, workflow_id: str, tot: str = "") -> list[WorkflowHistory]:
    """Every run's history, first to last, read from the last run back along the chain (a
    cut history has no ContinuedAsNew event to follow forward); `tot`: the first run to read."""
    geschiedenissen: list[WorkflowHistory] = []
    run_id: str | None = None
    while True:
        g = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        geschiedenissen.insert(0, g)
        if tot and run_id == tot:
            return geschiedenissen
        run_id = g.events[0].workflow_execution_started_event_attributes.continued_execution_run_id
        if not run_id:
            return geschiedenissen


def afgekapt(geschiedenis: WorkflowHistory) -> bool:
    """The history of a closed run that lacks its closing events (see WEGGELATEN)."""
    return geschiedenis.events[-1].event_type not in AFGESLOTEN


def mislukte_taken(geschiedenissen: list[WorkflowHistory]) -> list[str]:
    """The failure messages of every failed workflow task in these runs (none, if sound).

    Not counted: a task the server itself turned down because new signals or updates arrived
    while the workflow was closing the run (UNHANDLED_COMMAND): that is how the server keeps
    them from being lost, and the workflow handles them in the next task.
    """
    return [
        # A failure without a message is named by its cause (one such was seen in a full run).
        e.workflow_task_failed_event_attributes.failure.message
        or WorkflowTaskFailedCause.Name(e.workflow_task_failed_event_attributes.cause)
        for g in geschiedenissen
        for e in g.events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
        and e.workflow_task_failed_event_attributes.cause
        != WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND
    ]


def aantal(geschiedenissen: list[WorkflowHistory], soort: EventType.ValueType) -> int:
    return sum(1 for g in geschiedenissen for e in g.events if e.event_type == soort)


def patch_markers(geschiedenissen: list[WorkflowHistory]) -> int:
    """patched() markers: the first use of a patch in a run also upserts TemporalChangeVersion."""
    return sum(
        1
        for g in geschiedenissen
        for e in g.events
        if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
        and e.marker_recorded_event_attributes.marker_name == "core_patch"
    )
