"""The table `betrokkenen` (the register's keyed hashes of each melding's betrokkenen: role and
HMAC hashes only; migrations 001, 005 and 008): its one owner. The registration (with its
melding, activities/meldingen.py), the register's lookup, the key rotation (activities/herhash.py,
runtime/registersleutel.py) and the bench call it; the radar (activities/register.py), the
statistics and the demo source read it in statements about their own tables.

A statement about this table may read `meldingen` (a match is answered with its melding's
region, dates and state); it writes no other table (docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg


def erbij(nieuw: str, eerste: int) -> str:
    """The INSERT of a new melding's betrokkenen, for a WITH after the CTE `nieuw` that wrote
    the melding (its melding_id): volgnummer, rol, bsn_hash, naam_hash and sleutel_versie as
    arrays in the parameters numbered from `eerste` on."""
    p = [f"${eerste + i}" for i in range(5)]
    return (
        "INSERT INTO betrokkenen (melding_id, volgnummer, rol, bsn_hash, naam_hash,"
        " sleutel_versie)"
        f" SELECT {nieuw}.melding_id, b.volgnummer, b.rol, b.bsn_hash, b.naam_hash,"
        f" b.sleutel_versie FROM {nieuw}, unnest({p[0]}::integer[], {p[1]}::text[],"
        f" {p[2]}::bytea[], {p[3]}::bytea[], {p[4]}::smallint[])"
        " AS b(volgnummer, rol, bsn_hash, naam_hash, sleutel_versie)"
    )


# The betrokkenen of melding $1 and the earlier meldingen sharing a BSN hash (certain) or a name
# hash (possible; not when both persons have a BSN and they differ) with one of them. Both paths
# and the meldingen they reach are read from covering indexes (migration 005).
_TREFFERS = """
WITH nieuw AS (SELECT melding_id, regio, ontvangen_op FROM meldingen WHERE melding_id = $1),
mijn AS (SELECT DISTINCT bsn_hash, naam_hash FROM betrokkenen WHERE melding_id = $1),
treffers AS (
    SELECT melding_id, bool_or(zeker) AS zeker
    FROM (
        SELECT b.melding_id, true AS zeker
        FROM mijn JOIN betrokkenen b ON b.bsn_hash = mijn.bsn_hash
        WHERE b.bsn_hash IS NOT NULL
        UNION ALL
        SELECT b.melding_id, false AS zeker
        FROM mijn JOIN betrokkenen b ON b.naam_hash = mijn.naam_hash
        WHERE b.naam_hash IS NOT NULL AND (mijn.bsn_hash IS NULL OR b.bsn_hash IS NULL)
    ) paden
    GROUP BY melding_id
),
eerdere AS (
    SELECT m.melding_id, m.regio, m.ontvangen_op, m.afgesloten, t.zeker
    FROM treffers t JOIN meldingen m ON m.melding_id = t.melding_id CROSS JOIN nieuw n
    WHERE (m.ontvangen_op, m.melding_id COLLATE "C") < (n.ontvangen_op, n.melding_id COLLATE "C")
)"""

# The new melding (no row: not in the dossier), counts over every match, and the first $2
# matches: BSN matches first, then the most recent.
_ZOEK = (
    _TREFFERS
    + """,
telling AS (
    SELECT count(*) AS aantal, count(*) FILTER (WHERE NOT zeker) AS aantal_mogelijk,
           array_agg(DISTINCT regio) AS regios,
           array_agg(DISTINCT regio) FILTER (WHERE zeker) AS zekere_regios
    FROM eerdere
),
lijst AS (
    SELECT * FROM eerdere
    ORDER BY zeker DESC, ontvangen_op DESC, melding_id COLLATE "C" DESC LIMIT $2
)
SELECT n.regio AS nieuw_regio, n.ontvangen_op AS nieuw_ontvangen_op, telling.*,
       lijst.melding_id, lijst.regio, lijst.ontvangen_op, m.vervolg, m.ketenpartner,
       lijst.afgesloten, lijst.zeker
FROM telling LEFT JOIN nieuw n ON true LEFT JOIN lijst ON n.melding_id IS NOT NULL
    LEFT JOIN meldingen m ON m.melding_id = lijst.melding_id
"""
)


async def zoek(con: asyncpg.Connection, melding_id: str, maximum: int) -> list[asyncpg.Record]:
    """The register's lookup: the new melding (no row: not in the dossier), the counts over
    every match and the first `maximum` matches (at least one row)."""
    return list(await con.fetch(_ZOEK, melding_id, maximum))


# --- the key rotation (activities/herhash.py) ---

# The meldingen without hashes under version $1 (every melding with $2).
_OPEN = """
FROM meldingen m
WHERE ($2 OR NOT EXISTS (
    SELECT 1 FROM betrokkenen b WHERE b.melding_id = m.melding_id AND b.sleutel_versie = $1))
"""


async def aantal_zonder_versie(con: asyncpg.Connection, versie: int, alles: bool) -> int:
    return int(await con.fetchval(f"SELECT count(*) {_OPEN}", versie, alles))


async def zonder_versie(
    con: asyncpg.Connection, versie: int, alles: bool, na: str, batch: int
) -> list[asyncpg.Record]:
    """The next `batch` of them after melding_id `na`: melding_id and the stored melding."""
    return list(
        await con.fetch(
            f"SELECT m.melding_id, m.gegevens {_OPEN} AND m.melding_id > $3"
            f" ORDER BY m.melding_id LIMIT {int(batch)}",
            versie,
            alles,
            na,
        )
    )


async def vervang(
    con: asyncpg.Connection,
    melding_id: str,
    versie: int,
    rijen: Sequence[tuple[str, int, str, bytes | None, bytes | None, int]],
) -> None:
    """The melding's hashes of `versie` replaced by `rijen` (call it in a transaction)."""
    await con.execute(
        "DELETE FROM betrokkenen WHERE melding_id = $1 AND sleutel_versie = $2",
        melding_id,
        versie,
    )
    await con.executemany(
        "INSERT INTO betrokkenen"
        " (melding_id, volgnummer, rol, bsn_hash, naam_hash, sleutel_versie)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        rijen,
    )


async def zonder_opvolger(con: asyncpg.Connection, oud: int, huidige: int) -> int:
    """The meldingen with hashes of `oud` and none of `huidige`."""
    return int(
        await con.fetchval(
            "SELECT count(DISTINCT melding_id) FROM betrokkenen b WHERE sleutel_versie = $1"
            " AND NOT EXISTS (SELECT 1 FROM betrokkenen n WHERE n.melding_id = b.melding_id"
            " AND n.sleutel_versie = $2)",
            oud,
            huidige,
        )
    )


async def trek_in(con: asyncpg.Connection, oud: int) -> int:
    """Every hash of version `oud` deleted; how many."""
    status = await con.execute("DELETE FROM betrokkenen WHERE sleutel_versie = $1", oud)
    return int(status.split()[-1])


async def andere_versies(con: asyncpg.Connection, actief: Sequence[int]) -> list[int]:
    """The key versions in use that are not in `actief`, ascending."""
    return [
        r[0]
        for r in await con.fetch(
            "SELECT DISTINCT sleutel_versie FROM betrokkenen"
            " WHERE sleutel_versie <> ALL($1::smallint[]) ORDER BY 1",
            list(actief),
        )
    ]


async def aantal(con: asyncpg.Connection) -> int:
    return int(await con.fetchval("SELECT count(*) FROM betrokkenen"))
