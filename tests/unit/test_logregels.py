"""The worker's log set-up (worker.configureer_logging) on its own: JSON lines, no personal data
at any depth, exceptions as fields."""

from __future__ import annotations

import json
import logging
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from pydantic import BaseModel
from temporalio import activity, workflow

import worker


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """worker.configureer_logging("json") in the test (pytest resets the root logger's level
    between phases); returns the lines written since; the global state restored after."""
    root = logging.getLogger()
    handlers, niveau, hook = root.handlers[:], root.level, sys.excepthook
    info_op = workflow.logger.workflow_info_on_message, activity.logger.activity_info_on_message
    ingesteld = False

    def regels() -> list[dict[str, Any]]:
        nonlocal ingesteld
        if not ingesteld:
            worker.configureer_logging("json")
            ingesteld = True
            return []
        return [json.loads(r) for r in capsys.readouterr().out.splitlines() if r.strip()]

    yield regels
    root.handlers[:], sys.excepthook = handlers, hook
    root.setLevel(niveau)
    workflow.logger.workflow_info_on_message, activity.logger.activity_info_on_message = info_op
    logging.captureWarnings(False)
    structlog.reset_defaults()


def test_personal_fields_are_dropped_at_any_depth(json_logs: Any) -> None:
    """A last net: naam, bsn, omschrijving, … never reach a line, also nested or from stdlib."""
    json_logs()
    structlog.get_logger("test").info(
        "melding ontvangen",
        melding_id="VT-UTR-2026-000123",
        naam="Jan Jansen",
        melding={"melder": {"naam": "X"}, "zorgen": {"omschrijving": "vertrouwelijk"}},
        lijst=[{"bsn": "111222333", "regio": "utrecht"}],
    )
    logging.getLogger("sdk").warning(
        "van buiten structlog", extra={"telefoon": "0612345678", "toelichting": "geheim"}
    )
    eerste, tweede = json_logs()
    assert eerste["melding_id"] == "VT-UTR-2026-000123"
    assert eerste["melding"] == {"zorgen": {}} and eerste["lijst"] == [{"regio": "utrecht"}]
    assert "naam" not in eerste and "telefoon" not in tweede and "toelichting" not in tweede
    tekst = json.dumps([eerste, tweede])
    for waarde in ("Jan Jansen", "vertrouwelijk", "111222333", "0612345678", "geheim"):
        assert waarde not in tekst


class _Model(BaseModel):
    bsn: int


def test_an_exception_is_fields_on_one_line_without_the_input(json_logs: Any) -> None:
    """A pydantic error names field and rule, never the value it refused."""
    json_logs()
    try:
        _Model.model_validate({"bsn": "geheime-invoer"})
    except Exception:
        logging.getLogger("sdk").exception("mislukt")
    (regel,) = json_logs()
    assert regel["fout"] == "ValidationError" and regel["fout_tekst"] == "bsn: int_parsing"
    assert regel["fout_plek"][-1].endswith("model_validate")
    assert "geheime-invoer" not in json.dumps(regel)


def test_a_python_warning_is_a_json_line(json_logs: Any) -> None:
    """Warnings (the sandbox warns on late imports) pass through the same processors."""
    json_logs()
    warnings.warn("let op", UserWarning, stacklevel=1)
    (regel,) = json_logs()
    assert regel["logger"] == "py.warnings" and "let op" in regel["event"]


def test_the_workflow_task_failure_of_the_sdk_becomes_one_clear_event(json_logs: Any) -> None:
    """The SDK's failure line, as it logs it, becomes `workflow-taak mislukt` with the IDs."""
    json_logs()
    logging.getLogger("temporalio.worker._workflow_instance").warning(
        "Failed activation on workflow MeldingWorkflow with ID melding-X and run ID r1",
        exc_info=ValueError("stuk"),
        extra={
            "temporal_workflow": {"workflow_id": "melding-X", "run_id": "r1"},
            "__temporal_error_identifier": "WorkflowTaskFailure",
        },
    )
    (regel,) = json_logs()
    assert (regel["event"], regel["level"]) == ("workflow-taak mislukt", "error")
    assert (regel["workflow_id"], regel["run_id"], regel["fout"]) == (
        "melding-X",
        "r1",
        "ValueError",
    )
