"""Every recorded history replays against the current workflow code (docs/contract.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from contract.client import data_converter
from runtime.auteurschap import VerklaringWorkerInterceptor
from tests.replay.patchzijden import open_taak, opgenomen_upserts, upserts
from workflows import ALLE_WORKFLOWS

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_there_are_recorded_histories_to_replay() -> None:
    """An empty folder would make the replay test pass without replaying anything."""
    assert len(HISTORIES) >= 4


@pytest.mark.parametrize("bestand", HISTORIES, ids=lambda p: p.stem)
async def test_recorded_history_replays_against_the_current_code(bestand: Path) -> None:
    """A change to the command sequence without workflow.patched() fails here, and so does a
    change to what an upsert of search attributes holds (core matches an upsert command to its
    event by kind only: tests/replay/patchzijden.py compares the attributes)."""
    geschiedenis = WorkflowHistory.from_json(bestand.stem, bestand.read_text())
    # As a worker replays: with the verklaring interceptor (it reads the headers; validators,
    # where it checks them, do not run on replay, so no key is needed to replay).
    replayer = Replayer(
        workflows=ALLE_WORKFLOWS,
        data_converter=data_converter(),
        interceptors=[VerklaringWorkerInterceptor([])],
    )
    with opgenomen_upserts() as gezien:
        await replayer.replay_workflow(geschiedenis)
    verwacht = upserts(bestand)
    assert (gezien[: len(verwacht)] if open_taak(bestand) else gezien) == verwacht
