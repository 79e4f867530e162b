"""Cases no worker can move: their workflow task fails on non-determinism (a release that cannot
replay their history, docs/deployment.md, *Releases and rollback*). Such a case does not fail:
it stands still, retried for ever, with nothing in the logs of our own.

Temporal's server flags a workflow whose workflow tasks keep failing with the search attribute
`TemporalReportedProblems` (`cause=WorkflowTaskFailedCauseNonDeterministicError`, or
`…WorkflowWorkerUnhandledFailure` for a payload it cannot decode; after
`system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute` failures in a row, 1 in
deploy/dynamicconfig/production.yaml) and clears it when a task succeeds. Every worker asks for
those cases once a minute: the gauge `vt_workflows_niet_deterministisch` holds their number
(alert when above 0), and each gets one open signalering `vastgelopen` (termijn `verwerking`)
in the team lead's list, closed once it moves again. Ids and region only.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import asyncpg
import structlog
from temporalio.client import Client
from temporalio.common import MetricMeter

from activities.signalering import signaleer_vastgelopen
from contract import ids
from contract.search_attributes import VT_REGIO

# Non-determinism (a release that cannot replay the history), and a failure of the worker itself
# (a payload it cannot decode, an exception in workflow code): either way no task completes.
OORZAKEN = (
    "cause=WorkflowTaskFailedCauseNonDeterministicError",
    "cause=WorkflowTaskFailedCauseWorkflowWorkerUnhandledFailure",
)
ZOEKVRAAG = "ExecutionStatus = 'Running' AND TemporalReportedProblems IN ({})".format(
    ", ".join(f"'{o}'" for o in OORZAKEN)
)
METRIEK = "vt_workflows_niet_deterministisch"
INTERVAL = timedelta(minutes=1)

log = structlog.get_logger("bewaking")


async def controleer(client: Client, pool: asyncpg.Pool, meter: MetricMeter | None) -> list[str]:
    """The workflow IDs that stand still on non-determinism now; counted and signalled."""
    vast: dict[str, str] = {}
    workflow_ids: list[str] = []
    async for wf in client.list_workflows(ZOEKVRAAG):
        workflow_ids.append(wf.id)
        melding_id = ids.melding_id_van(wf.id)
        if melding_id is not None:
            vast[melding_id] = wf.typed_search_attributes.get(VT_REGIO) or ""
    if meter is not None:
        meter.create_gauge(METRIEK, "lopende workflows die niet deterministisch zijn").set(
            len(workflow_ids)
        )
    nieuw = await signaleer_vastgelopen(pool, vast)
    for workflow_id in workflow_ids:
        log.error("workflow niet deterministisch", workflow_id=workflow_id)
    if nieuw:
        log.error("vastgelopen gesignaleerd", aantal=nieuw)
    return workflow_ids


async def bewaak(
    client: Client, pool: asyncpg.Pool, meter: MetricMeter | None, stop: asyncio.Event
) -> None:
    """`controleer` every INTERVAL until `stop`; a failed round is logged and tried again."""
    while not stop.is_set():
        try:
            await controleer(client, pool, meter)
        except Exception as fout:
            log.warning("bewaking mislukt", fout=type(fout).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), INTERVAL.total_seconds())
