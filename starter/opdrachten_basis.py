"""The command table's row types (starter/opdrachten.py builds OPDRACHTEN of them)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starter import acties


@dataclass(frozen=True)
class Argument:
    """One extra argument of a command: argparse's `add_argument(*vlaggen, **opties)`."""

    vlaggen: tuple[str, ...]
    opties: dict[str, Any] = field(default_factory=dict)


def argument(*vlaggen: str, **opties: Any) -> Argument:
    return Argument(vlaggen, opties)


@dataclass(frozen=True)
class Opdracht:
    """A command: its name and help, how it prepares its action, and its arguments. `id_`: the
    melding_id as first argument; `bestand`: what FILE holds; `json_`: what --json shows;
    `verzoek`: --verzoek-id (an update); `voorbereid` None: a command of its own (main)."""

    naam: str
    hulp: str
    voorbereid: Callable[[argparse.Namespace], acties.Actie | None] | None
    id_: bool = False
    bestand: str | None = None
    json_: str = ""
    verzoek: bool = False
    extra: tuple[Argument, ...] = ()


def update_opdracht(
    naam: str,
    hulp: str,
    voorbereid: Callable[[argparse.Namespace], acties.Actie | None],
    bestand: str,
    status: str,
) -> Opdracht:
    """An update command: ID, FILE (`bestand`), --json with `status`, --verzoek-id."""
    return Opdracht(naam, hulp, voorbereid, id_=True, bestand=bestand, json_=status, verzoek=True)
