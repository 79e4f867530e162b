"""The Schedule that runs the reconciliation (workflows/naloop.py) every NALOOP_INTERVAL,
created by the worker at its start: idempotent (an existing schedule is kept, its task queue
brought up to date), so every worker may call it."""

from __future__ import annotations

from datetime import timedelta

import structlog
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError

from contract import names

NALOOP_INTERVAL = timedelta(hours=1)

log = structlog.get_logger(__name__)


def _schema(task_queue: str, elke: timedelta) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            names.NALOOP_WORKFLOW, id=names.NALOOP_SCHEDULE, task_queue=task_queue
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=elke)]),
    )


async def plan_naloop(client: Client, task_queue: str, elke: timedelta = NALOOP_INTERVAL) -> bool:
    """True once the schedule stands; False (logged as an error, the worker runs on) when
    Temporal refused it, e.g. a namespace where this worker may not manage schedules."""
    schema = _schema(task_queue, elke)
    try:
        try:
            await client.create_schedule(names.NALOOP_SCHEDULE, schema)
            log.info("naloop gepland", elke=str(elke))
        except ScheduleAlreadyRunningError:

            def bij(invoer: ScheduleUpdateInput) -> ScheduleUpdate:
                return ScheduleUpdate(schedule=schema)

            await client.get_schedule_handle(names.NALOOP_SCHEDULE).update(bij)
    except RPCError as fout:
        log.error("naloop niet gepland", fout=fout.message, status=fout.status.name)
        return False
    return True
