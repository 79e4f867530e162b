"""The example files of `make run`, received today: `<data>/voorbeelden/`.

`starter/examples/` holds one valid file for every input message, with fixed dates (the tests
and docs/contract.md use them). A newcomer who submits one of those weeks later gets a case that
is overdue on arrival. So `make run` copies them into its data folder once, with every receipt
moment (`ontvangen_op`) set to the moment of copying: the tour's case starts within its term.
A file already there is left alone, so the tour can be repeated on the same data folder (a
melding submitted before answers with its workflow ID, not "bestaat al").
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BRON = Path(__file__).resolve().parents[1] / "starter" / "examples"
MAP = "voorbeelden"
_ZONE = ZoneInfo("Europe/Amsterdam")


def vandaag_ontvangen(tekst: str, nu: datetime) -> str:
    """The example's JSON with `ontvangen_op` (where it has one, also that of the melding an
    advies' omzetting carries) set to `nu`, to the minute, in Europe/Amsterdam with its offset,
    and a conversation's or consultation's `datum` to that day; anything else as it was."""
    data = json.loads(tekst)
    moment = nu.astimezone(_ZONE).replace(second=0, microsecond=0) - timedelta(minutes=1)
    for deel in (data, data.get("melding") if isinstance(data, dict) else None):
        if isinstance(deel, dict) and "ontvangen_op" in deel:
            deel["ontvangen_op"] = moment.isoformat()
    if isinstance(data, dict) and "datum" in data:
        data["datum"] = moment.date().isoformat()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def schrijf_voorbeelden(data: Path, nu: datetime, bron: Path = BRON) -> Path:
    """Copies every example that is not there yet into `data`/voorbeelden; returns the folder."""
    doel = data / MAP
    doel.mkdir(mode=0o700, exist_ok=True)
    for bestand in sorted(bron.glob("*.json")):
        pad = doel / bestand.name
        if not pad.exists():
            tijdelijk = pad.with_suffix(".tmp")
            tijdelijk.write_text(vandaag_ontvangen(bestand.read_text("utf-8"), nu), "utf-8")
            tijdelijk.replace(pad)
    return doel
