"""A text an ops person reads in the Web UI without the codec server (docs/architecture.md,
"State without personal data").

`Leesbaar` marks a summary, a details text, a timer's or an activity's summary as free of
personal data by construction: it is built from phases, deadlines, role names, registration
numbers and region slugs only (domain/casusbeeld.py, domain/adviesbeeld.py), never from a name,
BSN, contact detail or free text. The data converter stores a payload of this type readable
(contract/client.py); every other payload stays encrypted.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

P = ParamSpec("P")


class Leesbaar(str):
    """A str, free of personal data by construction; stored readable in the history."""

    __slots__ = ()


def leesbaar(maak: Callable[P, str]) -> Callable[P, Leesbaar]:
    """A function whose text is readable (its inputs are ids, phases, dates and codes)."""

    @functools.wraps(maak)
    def tekst(*args: P.args, **kwargs: P.kwargs) -> Leesbaar:
        return Leesbaar(maak(*args, **kwargs))

    return tekst
