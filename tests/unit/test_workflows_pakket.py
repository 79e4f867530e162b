"""The workflows package loads its workflow modules only on use: the sandbox imports the package
anew for every case it starts, and a MeldingWorkflow must not pay for VernietigingWorkflow's
module (issue 12: 5 % of the worker's CPU in the intake)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _geladen(code: str) -> list[str]:
    uit = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{code}\nimport sys\nimport json\nprint(json.dumps(sorted(m for m in sys.modules "
            "if m.startswith('workflows.'))))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(uit.stdout))


def test_het_pakket_alleen_laadt_geen_workflow() -> None:
    assert _geladen("import workflows") == []


def test_de_meldingworkflow_laadt_de_vernietiging_niet() -> None:
    geladen = _geladen("import workflows.melding")
    assert "workflows.melding" in geladen
    assert "workflows.vernietiging" not in geladen
    assert "workflows.advies" not in geladen


def test_de_namen_blijven_bereikbaar() -> None:
    from workflows import (
        ALLE_WORKFLOWS,
        AdviesWorkflow,
        MeldingWorkflow,
        NaloopWorkflow,
        VernietigingslijstWorkflow,
        VernietigingWorkflow,
    )

    assert [
        MeldingWorkflow,
        VernietigingWorkflow,
        NaloopWorkflow,
        AdviesWorkflow,
        VernietigingslijstWorkflow,
    ] == ALLE_WORKFLOWS
    with pytest.raises(ImportError):
        from workflows import Bestaatniet  # type: ignore[attr-defined]  # noqa: F401
