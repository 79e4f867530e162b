"""Een route: the intake of N meldingen along one route only, for a profiler to look at.

    .venv/bin/python -m bench.een_route --route ons|kaal|minimaal [--meldingen 300]
                                        [--gelijktijdig 20]

On the stack of `bench.doorvoer` (dev server, embedded PostgreSQL, all workers in this process)
it warms the route up, then carries N meldingen through intake with C starters at a time and
prints the rate and this process's CPU (worker and starters) per melding; exit 1 when a
melding failed. Run under a sampling
profiler, the process then does one route's work only, so two profiles (ours, bare) compare
(docs/performance.md):

    py-spy record --gil --format raw -o ons.txt -- .venv/bin/python -m bench.een_route --route ons
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

from bench.meldingen import HERHAAL_AANDEEL, maak_plannen, run_label
from bench.meting import Uitkomst, intake, opwarmen
from bench.omgeving import stack
from bench.opties import stil_loggen
from runtime.exit import verlaat


async def meet(args: argparse.Namespace) -> tuple[str, int]:
    rng = random.Random(args.seed)
    async with stack() as s:
        route = {"ons": s.ons, "kaal": s.kaal, "minimaal": s.minimaal}[args.route]
        await opwarmen(route, 3, rng, args.timeout)
        plannen = maak_plannen(args.meldingen, HERHAAL_AANDEEL, rng, run_label(), 20)
        uitkomsten = [Uitkomst(p) for p in plannen]
        cpu = time.process_time()
        wand = await intake(route, uitkomsten, args.gelijktijdig, args.timeout)
        cpu = time.process_time() - cpu
    fouten = sum(u.fout is not None for u in uitkomsten)
    return (
        f"{args.route}: intake {args.meldingen} in {wand:.2f} s = {args.meldingen / wand:.1f}/s;"
        f" CPU van dit proces {cpu / args.meldingen * 1000:.1f} ms per melding; {fouten} fout(en)",
        fouten,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.een_route", description=__doc__)
    p.add_argument("--route", choices=["ons", "kaal", "minimaal"], required=True)
    p.add_argument("--meldingen", type=int, default=300)
    p.add_argument("--gelijktijdig", type=int, default=20)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--timeout", type=float, default=120.0, help="per melding (s)")
    args = p.parse_args(argv)
    if args.meldingen < 1 or args.gelijktijdig < 1:
        p.error("--meldingen en --gelijktijdig ≥ 1")
    stil_loggen()
    tekst, fouten = asyncio.run(meet(args))
    print(tekst)
    return 1 if fouten else 0


if __name__ == "__main__":
    verlaat(main())
