"""Leaving a process that ran the Temporal SDK."""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def verlaat(code: int) -> NoReturn:
    """Flush and leave with `code`, skipping interpreter finalisation.

    The SDK's Rust runtime threads can outlive the event loop and abort finalisation
    ("PyGILState_Release … finalizing", temporalio/sdk-python#300), turning a clean exit into
    SIGABRT. Call this last, when everything is closed.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
