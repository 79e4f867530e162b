"""What the dossier in PostgreSQL holds for this run's meldingen, read back after the phases.

The rows per table (meldingen, audit, outbox, koppelingen) that the report checks against the
number of meldingen that went through, and per melding the radar links stored. Only this run's
meldingen count: their ids start with the run's prefix.
"""

from __future__ import annotations

from activities import outbox
from bench.omgeving import Stack
from versleuteling import audit


async def koppelingen_per_melding(s: Stack, prefix: str) -> dict[str, int]:
    async with s.pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT melding_id, count(*) AS n FROM koppelingen WHERE melding_id LIKE $1"
            " GROUP BY melding_id",
            prefix + "%",
        )
    return {r["melding_id"]: int(r["n"]) for r in rijen}


async def controles(s: Stack, prefix: str) -> dict[str, int]:
    """What the dossier holds for this run's meldingen."""
    patroon = prefix + "%"
    async with s.pool.acquire() as con:

        async def tel(sql: str) -> int:
            return int(await con.fetchval(sql, patroon))

        return {
            "meldingen": await tel("SELECT count(*) FROM meldingen WHERE melding_id LIKE $1"),
            "afgesloten": await tel(
                "SELECT count(*) FROM meldingen WHERE melding_id LIKE $1 AND afgesloten"
            ),
            "audit": await audit.aantal_met_prefix(con, prefix),
            "outbox": await outbox.aantal_met_prefix(con, prefix),
            "koppelingen": await tel("SELECT count(*) FROM koppelingen WHERE melding_id LIKE $1"),
        }
