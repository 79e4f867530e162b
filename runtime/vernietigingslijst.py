"""The Schedule that draws up the destruction list (workflows/vernietigingslijst.py), monthly by
default (VT_VERNIETIGINGSLIJST_CRON), created or brought up to date by the worker at its start:
idempotent, so every worker may call it. A list still under review when the next is due makes
the Schedule skip that one (overlap policy SKIP): never two lists of the same dossiers."""

from __future__ import annotations

import structlog
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError

from contract import names

log = structlog.get_logger(__name__)
# The workflow id of a list: this prefix and the moment the Schedule started it.
LIJST_ID = "vernietigingslijst"


def schema(task_queue: str, cron: str) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            names.VERNIETIGINGSLIJST_WORKFLOW, id=LIJST_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(cron_expressions=[cron]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def plan_vernietigingslijst(client: Client, task_queue: str, cron: str) -> bool:
    """True once the schedule stands as configured; False (logged as an error, the worker runs
    on) when Temporal refused it."""
    nieuw = schema(task_queue, cron)
    try:
        try:
            await client.create_schedule(names.VERNIETIGINGSLIJST_SCHEDULE, nieuw)
            log.info("vernietigingslijst gepland", cron=cron)
        except ScheduleAlreadyRunningError:

            def bij(invoer: ScheduleUpdateInput) -> ScheduleUpdate:
                return ScheduleUpdate(schedule=nieuw)

            await client.get_schedule_handle(names.VERNIETIGINGSLIJST_SCHEDULE).update(bij)
    except RPCError as fout:
        log.error("vernietigingslijst niet gepland", fout=fout.message, status=fout.status.name)
        return False
    return True
