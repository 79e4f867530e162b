"""The migration runner: numbered files applied once, in order, recorded."""

from __future__ import annotations

import asyncpg

from activities.database import lees_migraties, migreer


async def test_migrations_are_recorded_and_not_applied_twice(pool: asyncpg.Pool) -> None:
    """A second run (a second worker, a restart) applies nothing and changes nothing."""
    assert await migreer(pool) == []
    async with pool.acquire() as con:
        versies = [
            r["versie"]
            for r in await con.fetch("SELECT versie FROM schema_migraties ORDER BY versie")
        ]
    assert versies == [m.versie for m in lees_migraties()]
