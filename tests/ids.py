"""Fresh melding_ids for tests: opaque, and never with a run of nine digits (an ID that could
hold a BSN is refused at intake, so a random hex ID would fail about once in 200)."""

from __future__ import annotations

import uuid

_GEEN_CIJFERS = str.maketrans("0123456789", "ghijklmnop")


def nieuw_melding_id(voorvoegsel: str) -> str:
    return f"{voorvoegsel}-{uuid.uuid4().hex[:12].translate(_GEEN_CIJFERS)}"
