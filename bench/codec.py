"""The payload codec's cost: intake and decision throughput with and without encryption.

    .venv/bin/python -m bench.codec [--meldingen N] [--gelijktijdig C] [--rondes R]
                                    [--codec-server] [--json]

On one stack (bench/omgeving.py: embedded PostgreSQL, a Temporal dev server), with the same
closed-loop driver as bench.doorvoer (bench/meting.py), two routes of our real MeldingWorkflow
and activities, each on a task queue and worker of its own with the production worker's options:

- `versleuteld`: the data converter of the production worker and an operator's client: every
  payload AES-256-GCM with the melding's data key, keys in PostgreSQL (`data_sleutels`, wrapped
  by a master key) and cached in the process (versleuteling/codec.py);
- `plat`: the same pydantic converter without a payload codec (what issue 8 found: payloads
  in plaintext).
- with `--codec-server`, also `codec-server`: the `versleuteld` worker, but the client encodes
  and decodes through the codec server over HTTP (`VT_CODEC_ENDPOINT`, an integrator's machine
  without keys); the codec server runs in this process, on loopback.

The PostgreSQL columns are encrypted in every route (the activities always do that); what
differs is the payload codec alone. Rounds alternate the order of the routes (v/p, p/v, …) so a
changing machine load hits both alike. Printed: throughput, latencies and CPU per route, and
versleuteld / plat per figure. The CPU this process (workers, codec, starters) spent per melding
is the figure least disturbed by other load on the machine; rates and latencies depend on the
machine and on what else runs: note the load average (printed) and compare ratios of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import hashlib
import os
import secrets
import sys
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.worker import Worker

from activities import alle_activiteiten
from adapters.demobron import demo_bronnen
from bench.meldingen import maak_plannen
from bench.meting import Meting, Uitkomst, meet, opwarmen
from bench.omgeving import SLEUTEL, WORKER_OPTIES, Stack, melding_voor, stack
from bench.opties import Aanvang, belasting_opties, lees, stil_loggen, toon
from bench.rapport import _ms, fasen
from bench.routes import Ons, Route
from bench.vergelijking import getal as _getal
from contract.client import data_converter
from contract.verklaring import client_plugin
from domain.identiteit import Auteur, Soort, Taakrol
from runtime.auteurschap import zelf_ondertekend
from starter import codec_server
from starter.client import MeldingClient
from starter.codec_client import CodecServerCodec, CodecServerUitgever
from starter.codec_toegang import Toegangsregels
from versleuteling.codec import lees_hoofdsleutel, nieuwe_hoofdsleutel
from versleuteling.opslag import PostgresKeyStore
from versleuteling.verklaring import sleutel_uit_hoofdsleutel
from workflows import ALLE_WORKFLOWS

PLAT: DataConverter = dataclasses.replace(
    pydantic_data_converter, failure_converter_class=DefaultFailureConverterWithEncodedAttributes
)


class Benoemd(Ons):
    """Our workflow through MeldingClient, under a name of its own in the progress and report."""

    def __init__(self, naam: str, mc: MeldingClient) -> None:
        super().__init__(mc)
        self.naam = naam


@contextlib.asynccontextmanager
async def routes(s: Stack, via_codec_server: bool) -> AsyncIterator[dict[str, Route]]:
    """Per route a client with its converter and a worker on a task queue of its own."""
    hoofdsleutel = lees_hoofdsleutel(nieuwe_hoofdsleutel())
    store = PostgresKeyStore(hoofdsleutel, s.pool)
    ondertekend = zelf_ondertekend(hoofdsleutel)
    service = s.client.service_client
    uit: dict[str, Route] = {}
    async with contextlib.AsyncExitStack() as stapel:
        for naam, converter in (("versleuteld", data_converter(store)), ("plat", PLAT)):
            client = Client(
                service,
                namespace=s.client.namespace,
                data_converter=converter,
                plugins=[ondertekend],
            )
            queue = f"bench-codec-{naam}-{uuid.uuid4().hex[:6]}"
            worker = Worker(
                client,
                task_queue=queue,
                workflows=ALLE_WORKFLOWS,
                activities=alle_activiteiten(
                    s.pool,
                    SLEUTEL,
                    client,
                    adapters=demo_bronnen(s.pool, store),
                    datasleutels=store,
                ),
                **WORKER_OPTIES,
            )
            await stapel.enter_async_context(worker)
            # The plaintext route is the baseline: MeldingClient refuses it unless told so.
            mc = MeldingClient(client, queue, zonder_codec_alleen_voor_meting=naam == "plat")
            uit[naam] = Benoemd(naam, mc)
        if via_codec_server:
            # The benchmark's medewerker logs in with a token of its own, as an integrator would.
            token = secrets.token_urlsafe(24)
            medewerker = Auteur(id="mw-9001", soort=Soort.PERSOON, rollen=(Taakrol.MEDEWERKER,))
            instellingen = codec_server.CodecInstellingen(
                toegang=Toegangsregels(
                    tokens={hashlib.sha256(token.encode()).hexdigest(): medewerker}
                ),
                host="127.0.0.1",
                poort=_vrije_poort(),
                verklaringsleutel=sleutel_uit_hoofdsleutel(hoofdsleutel),
            )
            runner = await codec_server.start(instellingen, store, None)
            stapel.push_async_callback(runner.cleanup)
            endpoint = f"http://127.0.0.1:{instellingen.poort}"
            client = Client(
                service,
                namespace=s.client.namespace,
                data_converter=data_converter(codec=CodecServerCodec(endpoint, token)),
                plugins=[client_plugin(CodecServerUitgever(endpoint, token))],
            )
            versleuteld = uit["versleuteld"]
            assert isinstance(versleuteld, Benoemd)
            uit["codec-server"] = Benoemd(
                "codec-server", MeldingClient(client, versleuteld.mc.task_queue)
            )
        yield uit


def _vrije_poort() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def hoofd(args: argparse.Namespace) -> dict[str, Any]:
    a = Aanvang(args)
    volgordes: list[str] = []
    async with stack(args.pool) as s, routes(s, args.codec_server) as rs:
        namen = list(rs)
        uitkomsten: dict[str, list[Uitkomst]] = {n: [] for n in namen}
        metingen: dict[str, list[Meting]] = {n: [] for n in namen}
        for route in rs.values():
            await opwarmen(route, args.opwarmen, a.rng, args.timeout)
        for ronde, n in enumerate(a.per_ronde):
            volgorde = namen if ronde % 2 == 0 else namen[::-1]
            volgordes.append("/".join(volgorde))
            for naam in volgorde:
                plannen = maak_plannen(
                    n, args.aandeel, a.rng, f"{a.run}{naam[0]}{ronde}", args.gelijktijdig
                )
                deel = [Uitkomst(p) for p in plannen]
                metingen[naam].append(
                    await meet(s, rs[naam], deel, args.gelijktijdig, args.timeout)
                )
                uitkomsten[naam] += deel
        pg_versie = s.pg_versie
    per_route = {n: fasen(uitkomsten[n], Meting.samen(metingen[n])) for n in namen}
    fouten = [f"{n} {u.plan.melding_id}: {u.fout}" for n in namen for u in uitkomsten[n] if u.fout]
    return {
        "machine": a.machine,
        "opzet": {
            "meldingen_per_route": args.meldingen,
            "gelijktijdig": args.gelijktijdig,
            "rondes": volgordes,
            "opwarmen": args.opwarmen,
            "herhaal_aandeel": args.aandeel,
            "seed": a.seed,
            "pool": args.pool,
            "postgresql": pg_versie,
            "worker_opties": {k: str(v) for k, v in WORKER_OPTIES.items()},
        },
        "routes": per_route,
        "verhouding": {
            n: verhouding(per_route[n], per_route["plat"]) for n in namen if n != "plat"
        },
        "load_average_na": [round(x, 2) for x in os.getloadavg()],
        "fouten": fouten,
        "geslaagd": not fouten,
        "wand_totaal_s": round(time.perf_counter() - a.begin, 2),
    }


def _figuren(r: dict[str, Any]) -> dict[str, float | None]:
    i, b = r["intake"], r["beoordeling"]
    return {
        "intake_meldingen_per_s": i["meldingen_per_s"],
        "intake_p50_ms": i["latentie"]["p50_ms"],
        "intake_p95_ms": i["latentie"]["p95_ms"],
        "updates_per_s": b["updates_per_s"],
        "update_p50_ms": b["updates_latentie"]["p50_ms"],
        "update_p95_ms": b["updates_latentie"]["p95_ms"],
        "cpu_python_intake": i["cpu_kernen"]["python"],
        "cpu_python_beoordeling": b["cpu_kernen"]["python"],
        # CPU of this process (workers, codec, starters) per melding: less sensitive to the
        # machine's load than the rates.
        "cpu_ms_per_melding_intake": _per_melding(i["cpu_kernen"]["python"], i),
        "cpu_ms_per_melding_beoordeling": _per_melding(b["cpu_kernen"]["python"], b),
    }


def _per_melding(kernen: float, fase: dict[str, Any]) -> float | None:
    return round(1000 * kernen * fase["wand_s"] / fase["klaar"], 1) if fase["klaar"] else None


def verhouding(route: dict[str, Any], plat: dict[str, Any]) -> dict[str, float | None]:
    """route / plat per figure (throughput below 1 and latency above 1: the codec's cost)."""
    a, b = _figuren(route), _figuren(plat)
    return {k: round(a[k] / b[k], 3) if a[k] is not None and b[k] else None for k in a}  # type: ignore[operator]


def tabel(r: dict[str, Any]) -> str:
    m, o = r["machine"], r["opzet"]
    namen = list(r["routes"])
    regels = [
        "",
        "Kosten van de payload codec: dezelfde stack, afwisselende rondes",
        f"  machine   {m['cpu_count']} CPU's ({m['cpu_beschikbaar']} beschikbaar),"
        f" {m['cpu_model']}; load bij start {m['load_average_bij_start']},"
        f" na afloop {r['load_average_na']}",
        f"  software  Python {m['python']}, temporalio {m['temporalio']},"
        f" temporal {m['temporal_cli']}, PostgreSQL {o['postgresql']}",
        f"  opzet     {o['meldingen_per_route']} meldingen per route, {o['gelijktijdig']}"
        f" gelijktijdig, rondes {', '.join(o['rondes'])}, seed {o['seed']}",
        "",
        f"  {'':<26}" + "".join(f"{n:>14}" for n in namen),
    ]
    figuren = {n: _figuren(r["routes"][n]) for n in namen}
    for sleutel in figuren[namen[0]]:
        waarden = [figuren[n][sleutel] for n in namen]
        if sleutel.endswith("_ms") or "_ms_" in sleutel:
            tekst = [_ms(w) for w in waarden]
        else:
            tekst = [_getal(w) for w in waarden]
        regels.append(f"  {sleutel:<26}" + "".join(f"{t:>14}" for t in tekst))
    for naam, v in r["verhouding"].items():
        regels += ["", f"  {naam} / plat"]
        for sleutel, w in v.items():
            regels.append(f"    {sleutel:<24}{'-' if w is None else f'{w:.3f}':>10}")
    regels += [
        "",
        f"  uitkomst  {'in orde' if r['geslaagd'] else 'FOUTEN'}: {len(r['fouten'])} fout(en);"
        f" totale wandtijd {r['wand_totaal_s']:.1f} s",
        *[f"    {f}" for f in r["fouten"][:10]],
    ]
    return "\n".join(regels)


def argumenten(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.codec", description=__doc__.split("\n")[0])
    belasting_opties(p, rondes_uitleg="afwisselende volgorde")
    p.add_argument(
        "--codec-server", action="store_true", help="ook een client via de codec server (HTTP)"
    )
    return lees(p, argv)


def main(argv: list[str] | None = None) -> int:
    args = argumenten(argv)
    stil_loggen()
    melding_voor(f"bench.codec: routes versleuteld, plat{', codec-server' * args.codec_server}")
    rapport = asyncio.run(hoofd(args))
    toon(tabel(rapport), rapport, args.json)
    return 0 if rapport["geslaagd"] else 1


if __name__ == "__main__":
    code = main()
    # Everything is shut down; skip finalisation, which the SDK runtime can abort (SIGABRT).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
