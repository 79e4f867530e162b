"""The print street: a letter is a PDF dropped in a folder it collects from. Written under a
temporary name, flushed to disk, then renamed to `<kenmerk>.pdf` in one step, so the print
street never sees half a letter and the same letter is never dropped twice."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
from datetime import date
from pathlib import Path

from bezorging.pdf import pdf
from domain.bezorging import Brief, TijdelijkeFout, VoorOvergave


class MapDrukstraat:
    def __init__(self, map_: Path) -> None:
        self.map = map_

    def pad(self, kenmerk: str) -> Path:
        return self.map / f"{kenmerk}.pdf"

    def afgeleverd(self, kenmerk: str) -> bool:
        return self.pad(kenmerk).exists()

    async def lever_af(self, brief: Brief, voor_overgave: VoorOvergave) -> None:
        tijdelijk = self.map / f".{brief.kenmerk}.pdf.deel"
        inhoud = pdf(brief, date.today())
        try:
            await asyncio.to_thread(_schrijf, tijdelijk, inhoud)
        except OSError as fout:
            with contextlib.suppress(OSError):  # the folder itself may be what is wrong
                tijdelijk.unlink(missing_ok=True)
            naam = errno.errorcode.get(fout.errno or 0, type(fout).__name__)
            raise TijdelijkeFout(f"drukstraat-map {naam}") from None
        try:
            await voor_overgave()
        except BaseException:
            tijdelijk.unlink(missing_ok=True)
            raise
        os.replace(tijdelijk, self.pad(brief.kenmerk))


def _schrijf(pad: Path, inhoud: bytes) -> None:
    pad.parent.mkdir(parents=True, exist_ok=True)
    with open(pad, "wb") as f:
        f.write(inhoud)
        f.flush()
        os.fsync(f.fileno())
