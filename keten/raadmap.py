"""The folder channel to the Raad voor de Kinderbescherming (domain/raad.py, port Raadkanaal):
a folder shared with the Raad's intake (`VT_RAAD_MAP`).

    <map>/uit/VTO-<melding_id>.json             the verzoek tot onderzoek (written as `.deel`,
                                                then renamed: the Raad reads only `*.json`)
    <map>/in/VTO-<melding_id>.ontvangen.json    the Raad's acknowledgement {"ontvangen_op": …}
    <map>/in/VTO-<melding_id>.beslissing.json   its decision {"beslissing": "onderzoek" |
                                                "geen_onderzoek", "beslist_op": …}

Sent once: a VTO whose file exists (or was collected: `verzonden/`) is not written again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import ValidationError

from domain.raad import RaadAntwoord, RaadTijdelijk, Vto


class Raadmap:
    def __init__(self, map_: Path) -> None:
        self.map = map_

    async def verstuur(self, vto: Vto) -> None:
        uit = self.map / "uit"
        doel = uit / f"{vto.kenmerk}.json"
        if doel.exists() or (self.map / "verzonden" / doel.name).exists():
            return
        try:
            uit.mkdir(parents=True, exist_ok=True, mode=0o700)
            tijdelijk = doel.with_name(doel.name + ".deel")
            tijdelijk.write_text(json.dumps(vto.inhoud, ensure_ascii=False), encoding="utf-8")
            os.chmod(tijdelijk, 0o600)
            os.replace(tijdelijk, doel)
        except OSError as fout:
            raise RaadTijdelijk(f"raadmap: {type(fout).__name__}") from None

    async def antwoord(self, kenmerk: str) -> RaadAntwoord:
        gegevens: dict[str, object] = {}
        for soort in ("ontvangen", "beslissing"):
            pad = self.map / "in" / f"{kenmerk}.{soort}.json"
            try:
                gegevens |= json.loads(pad.read_text(encoding="utf-8"))
            except FileNotFoundError:
                continue
            except (OSError, ValueError) as fout:
                raise RaadTijdelijk(f"raadmap: {pad.name} onleesbaar") from fout
        try:
            return RaadAntwoord.model_validate(gegevens)
        except ValidationError:
            raise RaadTijdelijk(f"raadmap: antwoord op {kenmerk} ongeldig") from None
