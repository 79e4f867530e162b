"""The file drop of the politie's zorgmeldingen (domain/zorgmelding.py, the port
`Zorgmeldingkanaal`): a folder shared with the politie's system.

    <map>/in/          the politie writes `<name>.json` (first as `.deel` or any other
                       extension, then renamed: only `*.json` is read)
    <map>/verwerkt/    handled: `<name>.json`, and `<name>.melding` holding the melding_id
    <map>/geweigerd/   refused: `<name>.json`, and `<name>.fout.txt` with the reasons

A message is moved only after it was handled, so a crash in between handles it again: the
melding's intake is idempotent (the same zorgmelding is the same case). Folders are created
owner-only; the files hold personal data: give the share the access rules of the dossier."""

from __future__ import annotations

import os
from pathlib import Path

from domain.zorgmelding import Inkomend

MAPPEN = ("in", "verwerkt", "geweigerd")


class Uitwisselmap:
    def __init__(self, map_: Path) -> None:
        self.map = map_
        for naam in MAPPEN:
            (map_ / naam).mkdir(parents=True, exist_ok=True, mode=0o700)

    def nieuwe(self) -> list[Inkomend]:
        paden = sorted(
            (p for p in (self.map / "in").glob("*.json") if p.is_file()),
            key=lambda p: (p.stat().st_mtime_ns, p.name),
        )
        return [Inkomend(naam=p.stem, pad=p) for p in paden]

    def verwerkt(self, bericht: Inkomend, melding_id: str) -> None:
        doel = self.map / "verwerkt"
        self._schrijf(doel / f"{bericht.naam}.melding", melding_id + "\n")
        os.replace(bericht.pad, doel / bericht.pad.name)

    def weiger(self, bericht: Inkomend, redenen: list[str]) -> None:
        doel = self.map / "geweigerd"
        self._schrijf(doel / f"{bericht.naam}.fout.txt", "\n".join(redenen) + "\n")
        os.replace(bericht.pad, doel / bericht.pad.name)

    @staticmethod
    def _schrijf(pad: Path, tekst: str) -> None:
        tijdelijk = pad.with_name(pad.name + ".deel")
        tijdelijk.write_text(tekst, encoding="utf-8")
        os.chmod(tijdelijk, 0o600)
        os.replace(tijdelijk, pad)
