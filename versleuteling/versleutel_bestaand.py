"""Encrypt in place what was written in clear before migrations 008 and 009 (docs/privacy.md).

    DATABASE_URL=… VT_MASTER_KEY=… python -m versleuteling.versleutel_bestaand [--batch 500]

Every column of `versleuteling.kolommen.KOLOMMEN`, row by row, with the data key of the row's
melding (made if the melding has none yet). Safe while workers run: a row is rewritten only if
it still holds the plaintext that was read (a worker that rewrote it meanwhile wins). Safe to
run again: rows already encrypted are skipped. Progress on stderr after every batch.

A row whose melding's key was destroyed (a dossier deleted while this row was not) is left as it
is and counted; so is a row whose melding_id is not a valid registration number (it has no
data key). The old plaintext remains in PostgreSQL's free space and WAL until they are
overwritten, and in every backup made before: run `VACUUM FULL` on the five tables afterwards
and let the old backups expire (docs/privacy.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import asyncpg

from versleuteling.codec import KeyStore, SleutelFout, SleutelVernietigd, lees_hoofdsleutel
from versleuteling.kolommen import (
    KOLOMMEN,
    VERSLEUTELD,
    Kolom,
    Kolomsleutels,
    bron_sleutel,
    melding_sleutel,
)
from versleuteling.opslag import PostgresKeyStore


@dataclass
class Kolomtelling:
    kolom: str
    te_doen: int = 0
    versleuteld: int = 0
    vernietigd: int = 0
    ongeldig_id: int = 0
    gewijzigd_tussendoor: int = 0


def _sleutel_van(kolom: Kolom, rij: tuple[object, ...]) -> str:
    waarde = str(rij[kolom.rij.index(kolom.sleutel_uit)])
    return bron_sleutel(waarde) if kolom.sleutel_uit == "bron" else melding_sleutel(waarde)


async def versleutel_kolom(
    pool: asyncpg.Pool,
    kolommen: Kolomsleutels,
    kolom: Kolom,
    batch: int = 500,
    voortgang: Callable[[Kolomtelling], None] = lambda _: None,
) -> Kolomtelling:
    """One column: every plaintext value encrypted, in batches ordered by the row's key."""
    rijkolommen = ", ".join(kolom.rij)
    naam = f"{kolom.tabel}.{kolom.kolom}"
    open_ = f"{kolom.kolom} IS NOT NULL AND substr({kolom.kolom}, 1, {len(VERSLEUTELD)}) <> $1"
    telling = Kolomtelling(naam)
    async with pool.acquire() as con:
        telling.te_doen = await con.fetchval(
            f"SELECT count(*) FROM {kolom.tabel} WHERE {open_}", VERSLEUTELD
        )
    verder = ", ".join(f"${i}" for i in range(2, 2 + len(kolom.rij)))
    laatste: tuple[object, ...] | None = None
    while True:
        voorbij = "" if laatste is None else f" AND ({rijkolommen}) > ({verder})"
        async with pool.acquire() as con:
            rijen = await con.fetch(
                f"SELECT {rijkolommen}, {kolom.kolom} AS waarde FROM {kolom.tabel}"
                f" WHERE {open_}{voorbij} ORDER BY {rijkolommen} LIMIT {int(batch)}",
                VERSLEUTELD,
                *(laatste or ()),
            )
        if not rijen:
            return telling
        for r in rijen:
            rij = tuple(r[c] for c in kolom.rij)
            laatste = rij
            try:
                sleutel = await kolommen.voor_schrijven(_sleutel_van(kolom, rij))
            except SleutelVernietigd:
                telling.vernietigd += 1
                continue
            except ValueError:  # not a registration number: no data key can belong to it
                telling.ongeldig_id += 1
                continue
            waar = " AND ".join(f"{c} = ${i}" for i, c in enumerate(kolom.rij, 3))
            async with pool.acquire() as con:
                status = await con.execute(
                    f"UPDATE {kolom.tabel} SET {kolom.kolom} = $1"
                    f" WHERE {kolom.kolom} = $2 AND {waar}",
                    sleutel.versleutel(kolom, rij, r["waarde"]),
                    r["waarde"],
                    *rij,
                )
            if status.endswith(" 1"):
                telling.versleuteld += 1
            else:
                telling.gewijzigd_tussendoor += 1
        voortgang(telling)


async def versleutel_bestaand(
    pool: asyncpg.Pool,
    sleutels: KeyStore,
    batch: int = 500,
    voortgang: Callable[[Kolomtelling], None] = lambda _: None,
) -> list[Kolomtelling]:
    kolommen = Kolomsleutels(sleutels)
    return [await versleutel_kolom(pool, kolommen, k, batch, voortgang) for k in KOLOMMEN]


def _toon(telling: Kolomtelling) -> None:
    print(
        f"{telling.kolom}: {telling.versleuteld}/{telling.te_doen} versleuteld",
        file=sys.stderr,
        flush=True,
    )


async def _uit_omgeving(env: Mapping[str, str], batch: int) -> list[Kolomtelling]:
    hoofdsleutel = lees_hoofdsleutel(env.get("VT_MASTER_KEY", ""))
    pool = await asyncpg.create_pool(env.get("DATABASE_URL", ""), min_size=1, max_size=2)
    try:
        return await versleutel_bestaand(pool, PostgresKeyStore(hoofdsleutel, pool), batch, _toon)
    finally:
        await pool.close()


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m versleuteling.versleutel_bestaand", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--batch", type=int, default=500, help="rijen per ronde (500)")
    args = parser.parse_args(argv)
    try:
        tellingen = asyncio.run(_uit_omgeving(os.environ if env is None else env, args.batch))
    except (ValueError, SleutelFout, OSError, asyncpg.PostgresError) as fout:
        print(f"versleutel_bestaand: {fout}", file=sys.stderr)
        return 1
    for t in tellingen:
        overig = [
            f"{n} {w}"
            for n, w in (
                (t.vernietigd, "met vernietigde sleutel"),
                (t.ongeldig_id, "met ongeldig melding_id"),
                (t.gewijzigd_tussendoor, "tussendoor herschreven"),
            )
            if n
        ]
        print(
            f"{t.kolom}: {t.versleuteld} versleuteld"
            + (f" ({', '.join(overig)}: ongewijzigd)" if overig else "")
        )
    print("Daarna: VACUUM FULL op deze tabellen; oude back-ups bevatten de platte tekst nog.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
