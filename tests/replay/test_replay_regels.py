"""Recorded histories replay after a contract rule changed: decode is lenient, intake is strict
(the region list is data; a merger may remove a region that open cases still name)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from contract.client import data_converter
from domain import regio
from workflows import ALLE_WORKFLOWS

HISTORIES = Path(__file__).parent / "histories"


async def test_a_history_replays_after_its_region_was_removed_from_the_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reproduction: removing 'utrecht' from REGIOS made v1_advies.json fail to decode."""
    monkeypatch.setattr(regio, "REGIOS", tuple(r for r in regio.REGIOS if r != "utrecht"))
    bestand = HISTORIES / "v1_advies.json"
    geschiedenis = WorkflowHistory.from_json(bestand.stem, bestand.read_text())
    replayer = Replayer(workflows=ALLE_WORKFLOWS, data_converter=data_converter())
    await replayer.replay_workflow(geschiedenis)
