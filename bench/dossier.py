"""What the dossier in PostgreSQL holds for this run's meldingen, read back after the phases.

The rows per table (meldingen, audit, outbox, koppelingen) that the report checks against the
number of meldingen that went through, and per melding the radar links stored. Only this run's
meldingen count: their ids start with the run's prefix.
"""

from __future__ import annotations

from activities import meldingen, outbox, register
from bench.omgeving import Stack
from versleuteling import audit


async def koppelingen_per_melding(s: Stack, prefix: str) -> dict[str, int]:
    async with s.pool.acquire() as con:
        return await register.koppelingen_per_melding(con, prefix)


async def controles(s: Stack, prefix: str) -> dict[str, int]:
    """What the dossier holds for this run's meldingen."""
    async with s.pool.acquire() as con:
        aantal, afgesloten = await meldingen.aantallen_met_prefix(con, prefix)
        return {
            "meldingen": aantal,
            "afgesloten": afgesloten,
            "audit": await audit.aantal_met_prefix(con, prefix),
            "outbox": await outbox.aantal_met_prefix(con, prefix),
            "koppelingen": sum((await register.koppelingen_per_melding(con, prefix)).values()),
        }
