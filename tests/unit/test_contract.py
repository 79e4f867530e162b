"""One home for the Temporal contract (contract/): the names, error types, search-attribute
keys, workflow IDs and activity options are spelled there and nowhere else in the product."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from contract import ids, names

WORTEL = Path(__file__).resolve().parents[2]
PRODUCT = ("domain", "workflows", "activities", "starter", "versleuteling", "runtime", "bench")


def _bronnen() -> list[Path]:
    paden = [p for deel in PRODUCT for p in (WORTEL / deel).rglob("*.py")]
    return [*paden, WORTEL / "worker.py", WORTEL / "stack.py"]


def _strings(pad: Path) -> list[str]:
    boom = ast.parse(pad.read_text(encoding="utf-8"))
    return [
        k.value for k in ast.walk(boom) if isinstance(k, ast.Constant) and isinstance(k.value, str)
    ]


# The names that are only strings (update, query and workflow names double as the Python
# names of their handlers and client methods, and are found by those).
CONTRACTNAMEN = sorted(
    waarde
    for naam, waarde in vars(names).items()
    if naam.startswith(("FOUT_", "SA_")) or naam == "TASK_QUEUE"
)


@pytest.mark.parametrize("waarde", CONTRACTNAMEN)
def test_a_contract_name_is_spelled_only_in_contract_names(waarde: str) -> None:
    """An error type, search attribute or the task queue spelled out elsewhere is a second
    home that can drift."""
    elders = [pad.relative_to(WORTEL).as_posix() for pad in _bronnen() if waarde in _strings(pad)]
    assert elders == []


def test_retry_policies_and_activity_timeouts_live_in_contract_policies() -> None:
    """No RetryPolicy and no literal timeout where an activity is scheduled."""
    patroon = re.compile(r"RetryPolicy\(|(close|start|heartbeat)_timeout=timedelta\(")
    elders = [
        pad.relative_to(WORTEL).as_posix()
        for pad in _bronnen()
        if patroon.search(pad.read_text(encoding="utf-8"))
    ]
    assert elders == []


def test_workflow_ids_are_made_and_read_by_contract_ids() -> None:
    """No `"melding-"` or `"vernietiging-"` prefix spelled, cut or parsed by hand."""
    patroon = re.compile(r"[\"'](melding|vernietiging)-[\"'{]|split\(\"-\"")
    elders = [
        pad.relative_to(WORTEL).as_posix()
        for pad in _bronnen()
        if patroon.search(pad.read_text(encoding="utf-8"))
    ]
    assert elders == []
    assert ids.melding_id_van(ids.vernietiging_workflow_id("VT-1")) == "VT-1"
    assert ids.melding_id_van("KaalMeldingWorkflow-1") is None
