"""Orchestration only: the workflows of the melding process.

The names below load on first use (PEP 562). The sandbox imports a workflow's module, and so this
package, anew for every case it starts or reloads: with eager imports here, each MeldingWorkflow
also ran the whole of `workflows/vernietiging.py`, 5 % of the worker's CPU in bench.doorvoer's
intake (py-spy, docs/performance.md); now each runs only its own module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workflows.advies import AdviesWorkflow
    from workflows.melding import MeldingWorkflow
    from workflows.naloop import NaloopWorkflow
    from workflows.vernietiging import VernietigingWorkflow
    from workflows.vernietigingslijst import VernietigingslijstWorkflow

    ALLE_WORKFLOWS: list[type]

_MODULES = {
    "MeldingWorkflow": "workflows.melding",
    "VernietigingWorkflow": "workflows.vernietiging",
    "NaloopWorkflow": "workflows.naloop",
    "AdviesWorkflow": "workflows.advies",
    "VernietigingslijstWorkflow": "workflows.vernietigingslijst",
}

__all__ = [
    "ALLE_WORKFLOWS",
    "AdviesWorkflow",
    "MeldingWorkflow",
    "NaloopWorkflow",
    "VernietigingWorkflow",
    "VernietigingslijstWorkflow",
]


def __getattr__(naam: str) -> Any:
    if naam == "ALLE_WORKFLOWS":
        return [__getattr__(klasse) for klasse in _MODULES]
    if naam in _MODULES:
        return getattr(importlib.import_module(_MODULES[naam]), naam)
    raise AttributeError(f"module 'workflows' has no attribute {naam!r}")
