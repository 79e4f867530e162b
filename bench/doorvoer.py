"""Doorvoer: how many meldingen this machine carries through the real stack.

    .venv/bin/python -m bench.doorvoer [--meldingen N] [--gelijktijdig C] [--rondes R] [--json]
                                       [--eager-activiteiten]

Starts a Temporal dev server (the `temporal` binary next to this Python), embedded PostgreSQL
in a fresh directory under /tmp, and the production worker (`maak_worker`: every workflow and
the real activities, its interceptors, the data keys in PostgreSQL) on a task queue of its own,
all on this machine. Then, with synthetic data only:

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

The same driver carries two baselines through both phases on the same stack, in rounds of
alternating order (ons/kaal/minimaal, minimaal/kaal/ons): the mirror (bench/kaal.py: a workflow
with our commands in our order, every activity a no-op, on a worker of its own with the same
options) and the minimal workflow of this process (bench/minimaal.py: issue 26's fixed
yardstick, which does not follow our shape, with the SDK's default data converter and no codec).
The report prints ours / mirror / minimal per figure (throughput, latency p50/p95/p99, CPU),
ours/mirror and ours/minimal, and issue 26's targets against the minimal workflow.

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
from typing import Any

from bench.dossier import controles, koppelingen_per_melding
from bench.meldingen import maak_plannen
from bench.meting import POLL_MAX, POLL_MIN, Meting, Uitkomst, meet, met_c, opwarmen
from bench.omgeving import WORKER_OPTIES, stack
from bench.opties import Aanvang, belasting_opties, lees, stil_loggen, toon
from bench.profiel import profiel
from bench.profiel import tabel as profieltabel
from bench.rapport import samenvatting, tabel
from bench.routes import Route
from runtime.exit import verlaat

# Eager activity execution: the server hands an activity scheduled on the worker's own task queue
# back in the response to the workflow task, no poll in between. Off by default in the server.
EAGER = "--dynamic-config-value=system.enableActivityEagerExecution=true"


ROUTES = ("ons", "kaal", "minimaal")


def volgorde(ronde: int) -> list[str]:
    """The routes' order in a round: forward in even rounds, backward in odd ones, so a
    drifting machine load hits every route alike."""
    return list(ROUTES) if ronde % 2 == 0 else list(reversed(ROUTES))


async def hoofd(args: argparse.Namespace) -> dict[str, Any]:
    a = Aanvang(args)
    uitkomsten: dict[str, list[Uitkomst]] = {naam: [] for naam in ROUTES}
    metingen: dict[str, list[Meting]] = {naam: [] for naam in ROUTES}
    volgordes = []
    server_opties = [EAGER] if args.eager_activiteiten else []
    async with stack(args.pool, server_opties) as s:
        routes: dict[str, Route] = {"ons": s.ons, "kaal": s.kaal, "minimaal": s.minimaal}
        for route in routes.values():
            await opwarmen(route, args.opwarmen, a.rng, args.timeout)
        for ronde, n in enumerate(a.per_ronde):
            orde = volgorde(ronde)
            volgordes.append("/".join(orde))
            for naam in orde:
                label = f"{a.run}{naam[0]}{ronde}"
                plannen = maak_plannen(n, args.aandeel, a.rng, label, args.gelijktijdig)
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
        dossier = await controles(s, f"VT-BNCH-{a.run}o")
        links = await koppelingen_per_melding(s, f"VT-BNCH-{a.run}o")
        opstart_s, pg_versie = s.opstart_s, s.pg_versie

    opzet = {
        "meldingen": len(uitkomsten["ons"]),
        "gelijktijdig": args.gelijktijdig,
        "rondes": volgordes,
        "pool": args.pool,
        "server_opties": server_opties,
        "worker_opties": {k: str(v) for k, v in WORKER_OPTIES.items()},
        "opwarmen": args.opwarmen,
        "herhaal_aandeel": args.aandeel,
        "seed": a.seed,
        "poll_interval_s": [POLL_MIN, POLL_MAX],
        "opstart_s": round(opstart_s, 2),
        "postgresql": pg_versie,
        "worker": "in hetzelfde Python-proces als de starters",
    }
    ons = Meting.samen(metingen["ons"])
    kaal = (uitkomsten["kaal"], Meting.samen(metingen["kaal"]))
    minimaal = (uitkomsten["minimaal"], Meting.samen(metingen["minimaal"]))
    r = samenvatting(
        a.machine, opzet, uitkomsten["ons"], ons, dossier, links, a.begin, kaal, minimaal
    )
    r["profiel"] = profielen
    return r


def argumenten(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.doorvoer", description=__doc__.split("\n")[0])
    belasting_opties(p, rondes_uitleg="afwisselend ons/kaal/minimaal, minimaal/kaal/ons")
    p.add_argument(
        "--eager-activiteiten",
        action="store_true",
        help="de dev server geeft activiteiten direct mee met de workflowtaak (eager execution)",
    )
    return lees(p, argv)


def main(argv: list[str] | None = None) -> int:
    args = argumenten(argv)
    stil_loggen()
    rapport = asyncio.run(hoofd(args))
    tekst = "\n".join([tabel(rapport), *profieltabel(rapport["profiel"])])
    toon(tekst, rapport, args.json)
    return 0 if rapport["geslaagd"] else 1


if __name__ == "__main__":
    verlaat(main())
