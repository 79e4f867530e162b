"""The activities' log context (runtime/interceptor.py): every line an activity logs carries
its workflow id, run id, activity and the melding_id read from the workflow ID (contract/ids.py),
asserted with structlog's capture_logs."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import structlog
from structlog.contextvars import merge_contextvars
from temporalio.testing import ActivityEnvironment
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput

from runtime.interceptor import LogContextInterceptor


class _Activiteit(ActivityInboundInterceptor):
    """Stands in for the SDK's next interceptor: the activity itself, which logs one line."""

    def __init__(self) -> None:
        pass

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        structlog.get_logger("activiteit").info("melding opgeslagen")
        return "klaar"


async def _logregels(workflow_id: str) -> list[dict[str, Any]]:
    omgeving = ActivityEnvironment()
    omgeving.info = dataclasses.replace(
        omgeving.info,
        workflow_id=workflow_id,
        workflow_run_id="run-1",
        activity_type="sla_melding_op",
    )
    interceptor = LogContextInterceptor().intercept_activity(_Activiteit())

    async def activiteit() -> Any:
        return await interceptor.execute_activity(None)  # type: ignore[arg-type]

    with structlog.testing.capture_logs(processors=[merge_contextvars]) as regels:
        assert await omgeving.run(activiteit) == "klaar"
    return regels


@pytest.mark.parametrize(
    ("workflow_id", "melding_id"),
    [
        ("melding-VT-UTR-2026-000123", "VT-UTR-2026-000123"),
        ("vernietiging-VT-UTR-2026-000123", "VT-UTR-2026-000123"),
        ("melding-VT-1-M1", "VT-1-M1"),
    ],
)
async def test_an_activity_line_carries_the_workflow_and_the_melding_it_belongs_to(
    workflow_id: str, melding_id: str
) -> None:
    [regel] = await _logregels(workflow_id)
    assert regel == {
        "event": "melding opgeslagen",
        "log_level": "info",
        "workflow_id": workflow_id,
        "run_id": "run-1",
        "activity": "sla_melding_op",
        "melding_id": melding_id,
    }


async def test_a_workflow_that_is_no_melding_gets_no_melding_id() -> None:
    """A workflow ID of another shape (a benchmark's, a test's) is not cut into a melding_id."""
    [regel] = await _logregels("bench-kaal-7")
    assert "melding_id" not in regel and regel["workflow_id"] == "bench-kaal-7"


async def test_an_advies_activity_line_carries_the_advies_id_not_a_melding_id() -> None:
    """An advies' number is never logged as a melding's: a melding may carry the same one."""
    [regel] = await _logregels("advies-AV-HGL-2026-000401")
    assert regel["advies_id"] == "AV-HGL-2026-000401" and "melding_id" not in regel
