"""A cron expression as Temporal Schedules take it (five fields: minute hour day month weekday),
checked before it is sent: each error names the field and its rule, and only ASCII digits,
the month and weekday names, `*`, `,`, `-` and `/` pass (no other script's digits, no control
characters)."""

from __future__ import annotations

import re

VELDEN = (
    ("minuut", 0, 59, ()),
    ("uur", 0, 23, ()),
    ("dag", 1, 31, ()),
    (
        "maand",
        1,
        12,
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
    ),
    ("weekdag", 0, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
)
_DEEL = re.compile(r"(\*|[0-9A-Za-z]{1,3}(?:-[0-9A-Za-z]{1,3})?)(?:/([0-9]{1,2}))?")


def _waarde(tekst: str, laag: int, hoog: int, namen: tuple[str, ...]) -> int | None:
    if tekst.isascii() and tekst.isdigit():
        getal = int(tekst)
        return getal if laag <= getal <= hoog else None
    if tekst.upper() in namen:
        return namen.index(tekst.upper()) + laag
    return None


def cron_fout(tekst: str) -> str | None:
    """None when `tekst` is five valid fields, else the first problem, in Dutch."""
    if not tekst.isascii() or not tekst.isprintable():
        return "cron: alleen ASCII-tekens (cijfers 0-9, namen, * , - /)"
    delen = tekst.split()
    if len(delen) != len(VELDEN):
        return f"cron: vijf velden (minuut uur dag maand weekdag), niet {len(delen)}"
    for deel, (veld, laag, hoog, namen) in zip(delen, VELDEN, strict=True):
        for stuk in deel.split(","):
            m = _DEEL.fullmatch(stuk)
            if m is None:
                return f"cron.{veld}: {stuk[:20]!r} is geen waarde, bereik of stap"
            if m.group(2) is not None and int(m.group(2)) < 1:
                return f"cron.{veld}: een stap is 1 of meer"
            if m.group(1) == "*":
                continue
            for grens in m.group(1).split(sep="-"):
                if _waarde(grens, laag, hoog, namen) is None:
                    return f"cron.{veld}: {grens!r} ligt niet tussen {laag} en {hoog}"
    return None
