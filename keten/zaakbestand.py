"""A zaak of the zaakloket (keten/zaakloket.py) as one JSON file, for a newcomer to read what
the wijkteam received: `<map>/<identificatie>.json` holding the zaak, its rollen, its statussen
and its documents with their text. Owner-only (0600, written whole and renamed): it holds the
household's personal data."""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from pathlib import Path
from typing import Any

# An identificatie used as a file name as it is; any other (a client chooses it) by the uuid.
_VEILIGE_NAAM = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def schrijf_zaak(
    map_: Path, data: dict[str, dict[str, dict[str, Any]]], inhouden: dict[str, str], zaak_url: str
) -> Path:
    """The zaak at `zaak_url` of the APIs' `data` (resources per kind, keyed by URL), with the
    documents' content (`inhouden`, base64 by URL); returns the file."""
    zaak = data["zaken"][zaak_url]
    naam = str(zaak["identificatie"])
    if not _VEILIGE_NAAM.match(naam):
        naam = str(zaak["uuid"])
    documenten = []
    for url in zaak["zaakinformatieobjecten"]:
        document = data["enkelvoudiginformatieobjecten"][
            data["zaakinformatieobjecten"][url]["informatieobject"]
        ]
        documenten.append({**document, "tekst": _tekst(inhouden.get(document["url"]))})
    inhoud = {
        "zaak": zaak,
        "rollen": [data["rollen"][u] for u in zaak["rollen"]],
        "statussen": [s for s in data["statussen"].values() if s["zaak"] == zaak_url],
        "documenten": documenten,
    }
    pad = map_ / f"{naam}.json"
    tijdelijk = pad.with_name(f".{pad.name}.deel")
    fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), 0o600)
        json.dump(inhoud, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tijdelijk, pad)
    return pad


def _tekst(inhoud: str | None) -> str | None:
    """A document's content as text (the overdracht document is text/plain), else None."""
    try:
        return base64.b64decode(inhoud or "", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
