"""Werkdagen (docs/architecture.md): Monday to Friday, except the algemeen erkende feestdagen.

Algemene termijnenwet art. 3: Nieuwjaarsdag, tweede Paasdag, Koningsdag, 5 mei,
Hemelvaartsdag, tweede Pinksterdag, eerste en tweede Kerstdag; Goede Vrijdag is gelijkgesteld
(Besluit van 1999), and further days can be gelijkgesteld by decree: `extra` holds them.
Easter is computed (the Gregorian computus), not tabled. Pure: dates in, dates out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def pasen(jaar: int) -> date:
    """Easter Sunday of `jaar` (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = jaar % 19
    b, c = divmod(jaar, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    maand, dag = divmod(h + ll - 7 * m + 114, 31)
    return date(jaar, maand, dag + 1)


def koningsdag(jaar: int) -> date:
    """27 April; 26 April when the 27th is a Sunday (Wet vaststelling Koningsdag)."""
    dag = date(jaar, 4, 27)
    return dag - timedelta(days=1) if dag.weekday() == 6 else dag


@lru_cache(maxsize=64)
def feestdagen(jaar: int) -> dict[date, str]:
    """The algemeen erkende feestdagen of `jaar`, with Goede Vrijdag, by date."""
    p = pasen(jaar)
    return {
        date(jaar, 1, 1): "Nieuwjaarsdag",
        p - timedelta(days=2): "Goede Vrijdag",
        p + timedelta(days=1): "Tweede Paasdag",
        koningsdag(jaar): "Koningsdag",
        date(jaar, 5, 5): "Bevrijdingsdag",
        p + timedelta(days=39): "Hemelvaartsdag",
        p + timedelta(days=50): "Tweede Pinksterdag",
        date(jaar, 12, 25): "Eerste Kerstdag",
        date(jaar, 12, 26): "Tweede Kerstdag",
    }


@dataclass(frozen=True)
class Werkdagkalender:
    """Werkdagen with the statutory holidays plus `extra` days gelijkgesteld by decree."""

    extra: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def met_extra(cls, dagen: Iterable[date]) -> Werkdagkalender:
        return cls(extra=frozenset(dagen))

    @classmethod
    def uit_tekst(cls, tekst: str) -> Werkdagkalender:
        """Parse a comma-separated list of ISO dates (configuration: VT_EXTRA_FEESTDAGEN)."""
        dagen = []
        for deel in tekst.split(","):
            deel = deel.strip()
            if not deel:
                continue
            try:
                dagen.append(date.fromisoformat(deel))
            except ValueError:
                raise ValueError(f"extra feestdag {deel!r}: geen datum JJJJ-MM-DD") from None
        return cls.met_extra(dagen)

    def is_werkdag(self, dag: date) -> bool:
        return dag.weekday() < 5 and dag not in feestdagen(dag.year) and dag not in self.extra

    def plus_werkdagen(self, dag: date, aantal: int) -> date:
        """The `aantal`-th werkdag after `dag` (the day itself never counts)."""
        if aantal < 0:
            raise ValueError("aantal: mag niet negatief zijn")
        while aantal > 0:
            dag += timedelta(days=1)
            if self.is_werkdag(dag):
                aantal -= 1
        return dag

    def werkdagen_tussen(self, van: date, tot: date) -> int:
        """Werkdagen after `van` up to and including `tot` (0 when `tot` is not later)."""
        aantal, dag = 0, van
        while dag < tot:
            dag += timedelta(days=1)
            aantal += self.is_werkdag(dag)
        return aantal


STANDAARD_KALENDER = Werkdagkalender()
