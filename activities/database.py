"""The asyncpg pool and the migration runner: numbered .sql files applied once, in order,
recorded in `schema_migraties`, under an advisory lock so many workers can start together."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import structlog

log = structlog.get_logger(__name__)

_BESTAND = re.compile(r"^(\d{3,})_[a-z0-9_]+\.sql$")
# pg_advisory_lock key: "VT" migrations.
_SLOT = 0x5654_0001


def migratiemap() -> Path:
    """`migrations/` beside the packages (checkout), or in the working directory (image)."""
    for kandidaat in (
        Path(__file__).resolve().parents[1] / "migrations",
        Path.cwd() / "migrations",
    ):
        if kandidaat.is_dir():
            return kandidaat
    raise FileNotFoundError("migrations/: map met SQL-migraties niet gevonden")


@dataclass(frozen=True)
class Migratie:
    versie: int
    naam: str
    sql: str


def lees_migraties(map_: Path | None = None) -> list[Migratie]:
    migraties = []
    for pad in sorted((map_ or migratiemap()).iterdir()):
        treffer = _BESTAND.match(pad.name)
        if pad.suffix == ".sql" and not treffer:
            raise ValueError(f"{pad.name}: migratie heet NNN_naam.sql")
        if treffer:
            migraties.append(Migratie(int(treffer.group(1)), pad.name, pad.read_text()))
    versies = [m.versie for m in migraties]
    if len(set(versies)) != len(versies):
        raise ValueError("migrations/: twee migraties met hetzelfde nummer")
    return migraties


async def migreer(pool: asyncpg.Pool, map_: Path | None = None) -> list[str]:
    """Apply the migrations not yet recorded; returns the names applied now."""
    toegepast_nu: list[str] = []
    async with pool.acquire() as con:
        await con.execute("SELECT pg_advisory_lock($1)", _SLOT)
        try:
            await con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migraties ("
                " versie integer PRIMARY KEY, naam text NOT NULL,"
                " toegepast_op timestamptz NOT NULL DEFAULT now())"
            )
            gedaan = {r["versie"] for r in await con.fetch("SELECT versie FROM schema_migraties")}
            for migratie in lees_migraties(map_):
                if migratie.versie in gedaan:
                    continue
                async with con.transaction():
                    await con.execute(migratie.sql)
                    await con.execute(
                        "INSERT INTO schema_migraties (versie, naam) VALUES ($1, $2)",
                        migratie.versie,
                        migratie.naam,
                    )
                toegepast_nu.append(migratie.naam)
                log.info("migratie toegepast", migratie=migratie.naam)
        finally:
            await con.execute("SELECT pg_advisory_unlock($1)", _SLOT)
    return toegepast_nu


async def maak_pool(dsn: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size)
    assert pool is not None
    return pool
