"""Fresh melding_ids for tests: opaque, and never with a run of nine digits (an ID that could
hold a BSN is refused at intake, so a random hex ID would fail about once in 200), and letters
only as a hexadecimal segment (a run of other letters could carry a name, domain/kenmerken.py)."""

from __future__ import annotations

import uuid


def nieuw_melding_id(voorvoegsel: str) -> str:
    hex_ = uuid.uuid4().hex
    # Hexadecimal with at least one digit, and never more than four digits in a row.
    return f"{voorvoegsel}-1{hex_[:3]}a{hex_[3:7]}a{hex_[7:10]}"
