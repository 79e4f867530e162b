"""Which recorded history holds which side of which patch (tests/replay/test_patchzijden.py)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import temporalio.workflow
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from contract.client import data_converter
from contract.patches import PATCHES, Stand
from runtime.auteurschap import VerklaringWorkerInterceptor
from workflows import ALLE_WORKFLOWS

WORTEL = Path(__file__).resolve().parents[2]
HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def patches_in_de_code() -> list[str]:
    """Every `PATCH_… = "<id>"` of workflows/ (the ids `workflow.patched` is called with),
    without the deprecated ones (`deprecate_patch` has one branch: nothing to force)."""
    return sorted(
        naam
        for pad in (WORTEL / "workflows").glob("*.py")
        for naam in re.findall(r'^PATCH_\w+ = "([^"]+)"', pad.read_text(encoding="utf-8"), re.M)
        if PATCHES[naam].stand is not Stand.VEROUDERD
    )


def markers(bestand: Path) -> set[str]:
    """The patch ids whose marker the history holds."""
    gevonden: set[str] = set()
    for e in json.loads(bestand.read_text())["events"]:
        details = e.get("markerRecordedEventAttributes", {})
        if details.get("markerName") != "core_patch":
            continue
        data = details["details"]["patch-data"]["payloads"][0]["data"]
        gevonden.add(json.loads(base64.b64decode(data))["id"])
    return gevonden


def upserts(bestand: Path) -> list[set[str]]:
    """The search attributes each upsert of the history set or cleared, in order (without the
    SDK's own TemporalChangeVersion, which core adds with a patch marker)."""
    uit: list[set[str]] = []
    for e in json.loads(bestand.read_text())["events"]:
        details = e.get("upsertWorkflowSearchAttributesEventAttributes")
        if details is None:
            continue
        sleutels = set(details["searchAttributes"].get("indexedFields", {})) - {
            "TemporalChangeVersion"
        }
        if sleutels:
            uit.append(sleutels)
    return uit


@contextmanager
def opgenomen_upserts() -> Iterator[list[set[str]]]:
    """The search attributes the workflow code upserts during a replay, call by call: core
    matches an upsert command to its event by kind only, so a patch whose two sides differ
    only in what an upsert holds (`zoekattributen-geerfde-deadline-wissen`) shows here."""
    echt = temporalio.workflow.upsert_search_attributes
    gezien: list[set[str]] = []

    def upsert(updates: Any) -> None:
        gezien.append({u.key.name for u in updates})
        echt(updates)

    temporalio.workflow.upsert_search_attributes = upsert  # type: ignore[assignment]
    try:
        yield gezien
    finally:
        temporalio.workflow.upsert_search_attributes = echt  # type: ignore[assignment]


async def breekt(r: Replayer, bestand: Path) -> bool:
    """The history fails to replay, or the code upserts other search attributes than it did."""
    with opgenomen_upserts() as gezien:
        uitslag = await r.replay_workflow(
            WorkflowHistory.from_json(bestand.stem, bestand.read_text()),
            raise_on_replay_failure=False,
        )
    verwacht = upserts(bestand)
    if open_taak(bestand):
        # The history ends in a task whose commands it does not hold (the test server cut a run
        # short, tests/workflows/runs.py): the replay's upserts go on past its last one.
        gezien = gezien[: len(verwacht)]
    return uitslag.replay_failure is not None or gezien != verwacht


def _workflow(bestand: Path) -> str:
    eerste = json.loads(bestand.read_text())["events"][0]
    return str(eerste["workflowExecutionStartedEventAttributes"]["workflowType"]["name"])


def _versie(bestand: Path) -> int:
    return int(bestand.stem.split("_", 1)[0].removeprefix("v"))


def open_taak(bestand: Path) -> bool:
    laatste = json.loads(bestand.read_text())["events"][-1]["eventType"]
    return laatste in ("EVENT_TYPE_WORKFLOW_TASK_STARTED", "EVENT_TYPE_WORKFLOW_TASK_SCHEDULED")


@contextmanager
def gedwongen(patch: str, kant: bool) -> Iterator[None]:
    """`workflow.patched(patch)` answers `kant` (the SDK still reads the marker, so a history
    with it is consumed as usual); every other patch answers as recorded."""
    echt: Callable[[str], bool] = temporalio.workflow.patched

    def patched(naam: str) -> bool:
        uitkomst = echt(naam)
        return kant if naam == patch else uitkomst

    temporalio.workflow.patched = patched  # type: ignore[assignment]
    try:
        yield
    finally:
        temporalio.workflow.patched = echt  # type: ignore[assignment]


def replayer() -> Replayer:
    return Replayer(
        workflows=ALLE_WORKFLOWS,
        data_converter=data_converter(),
        interceptors=[VerklaringWorkerInterceptor([])],
    )


async def eerste_die_breekt(patch: str, kant: bool) -> str | None:
    """The first history that fails to replay with `patch` forced to `kant`: a history of the
    other side (forced new: one without the marker; forced old: one with it). None: no history
    tells the two sides apart, so that side of the patch is untested."""
    r = replayer()
    # The histories recorded for this side first (`__zonder_<patch>`), then those of the patch's
    # workflow, oldest first: each side stops at its first break.
    soort = PATCHES[patch].workflow
    volgorde = sorted(
        HISTORIES,
        key=lambda b: (
            f"__zonder_{patch}" not in b.stem,
            _workflow(b) != soort,
            _versie(b),
            b.stem,
        ),
    )
    for bestand in volgorde:
        if (patch in markers(bestand)) == kant:
            continue
        with gedwongen(patch, kant):
            if await breekt(r, bestand):
                return bestand.stem
    return None
