"""The activities' log context."""

from __future__ import annotations

from typing import Any

import structlog
from temporalio import activity
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from contract import ids


class _LogContext(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        workflow_id = info.workflow_id or ""
        context: dict[str, Any] = {
            "workflow_id": workflow_id,
            "run_id": info.workflow_run_id,
            "activity": info.activity_type,
        }
        if (melding_id := ids.melding_id_van(workflow_id)) is not None:
            context["melding_id"] = melding_id
        elif (advies_id := ids.advies_id_van(workflow_id)) is not None:
            context["advies_id"] = advies_id
        with structlog.contextvars.bound_contextvars(**context):
            return await super().execute_activity(input)


class LogContextInterceptor(Interceptor):
    """Binds workflow id, run id, activity and melding id (for a melding's or a destruction
    request's workflow) or advies id (an advies') to every log line of an activity."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _LogContext(next)
