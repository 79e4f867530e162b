"""The table `meldingen` (the dossier: the melding encrypted, its state, its bewaartermijn;
migrations 001, 006, 008, 009 and 020): its one owner. Every statement on it is here; the
dossier, the retention, the destruction and its list, the reconciliation, the advies, the demo
source and the bench call it. The register's hashes of its betrokkenen are
activities/betrokkenen.py's.

A statement about this table may read another's (`vernietigingen`, `koppelingen`); it never
writes one (docs/architecture.md, "One owner per table")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import asyncpg

from activities import betrokkenen

# The melding and its betrokkenen in one statement, unless the dossier was destroyed or the
# melding_id is taken: true when registered now. The betrokkenen's part is their owner's.
_REGISTREER = f"""
WITH nieuw AS (
    INSERT INTO meldingen (melding_id, regio, ontvangen_op, melder_soort, gegevens,
                           registratie_run)
    SELECT $1, $2, $3, $4, $5, $6
    WHERE NOT EXISTS (SELECT 1 FROM vernietigingen WHERE melding_id = $1)
    ON CONFLICT (melding_id) DO NOTHING
    RETURNING melding_id
), betrokken AS ({betrokkenen.erbij("nieuw", 7)})
SELECT true FROM nieuw
"""

# The register's view of the case (for activities/signalering.schrijf_en_sluit: $1…$5).
WERK_BIJ = (
    "UPDATE meldingen SET vervolg = $2, ketenpartner = $3, afgesloten = $4,"
    " vernietigingsrecht = $5, bijgewerkt_op = now() WHERE melding_id = $1"
)

# Whether a melding_id was ever used: stored, or destroyed (the advies' omzetting asks).
_GEBRUIKT = """
SELECT EXISTS (SELECT 1 FROM meldingen WHERE melding_id = $1) AS opgeslagen,
       EXISTS (SELECT 1 FROM vernietigingen WHERE melding_id = $1) AS vernietigd
"""


async def registreer(
    con: asyncpg.Connection,
    melding_id: str,
    regio: str,
    ontvangen_op: datetime,
    melder_soort: str,
    gegevens: bytes,
    run: str,
    rijen: Sequence[tuple[int, str, bytes | None, bytes | None, int]],
) -> bool:
    """The melding and its betrokkenen (volgnummer, rol, bsn_hash, naam_hash, sleutel_versie);
    False when the dossier was destroyed or the melding_id is taken."""
    kolommen = [[r[i] for r in rijen] for i in range(5)]
    nieuw = await con.fetchval(
        _REGISTREER, melding_id, regio, ontvangen_op, melder_soort, gegevens, run, *kolommen
    )
    return bool(nieuw)


async def registratie(con: asyncpg.Connection, melding_id: str) -> asyncpg.Record | None:
    """The registering run, the stored melding and its moment."""
    return await con.fetchrow(
        "SELECT registratie_run, gegevens, geregistreerd_op FROM meldingen WHERE melding_id = $1",
        melding_id,
    )


async def gegevens(con: asyncpg.Connection, melding_id: str) -> bytes | None:
    """The stored melding (encrypted; None: no dossier)."""
    waarde: bytes | None = await con.fetchval(
        "SELECT gegevens FROM meldingen WHERE melding_id = $1", melding_id
    )
    return waarde


async def werk_bij(con: asyncpg.Connection, *args: object) -> None:
    """`WERK_BIJ` on its own."""
    await con.execute(WERK_BIJ, *args)


async def bestaat(con: asyncpg.Connection, melding_id: str) -> bool:
    return bool(await con.fetchval("SELECT true FROM meldingen WHERE melding_id = $1", melding_id))


async def gebruik(con: asyncpg.Connection, melding_id: str) -> asyncpg.Record:
    """`opgeslagen` and `vernietigd` of a melding_id, read together."""
    rij: asyncpg.Record = await con.fetchrow(_GEBRUIKT, melding_id)
    return rij


async def stand(con: asyncpg.Connection, melding_id: str) -> asyncpg.Record | None:
    """`afgesloten` and `bijgewerkt_op` of the dossier."""
    return await con.fetchrow(
        "SELECT afgesloten, bijgewerkt_op FROM meldingen WHERE melding_id = $1", melding_id
    )


async def vernietigingsgrond(con: asyncpg.Connection, melding_id: str) -> asyncpg.Record | None:
    """`regio` and `vernietigingsrecht` of the dossier (None: no dossier)."""
    return await con.fetchrow(
        "SELECT regio, vernietigingsrecht FROM meldingen WHERE melding_id = $1", melding_id
    )


async def verwijder(con: asyncpg.Connection, melding_id: str) -> None:
    """The dossier's row; its betrokkenen and source answers go with it (ON DELETE CASCADE)."""
    await con.execute("DELETE FROM meldingen WHERE melding_id = $1", melding_id)


async def open_dossiers(con: asyncpg.Connection, gratie: timedelta) -> list[asyncpg.Record]:
    """The open dossiers registered more than `gratie` ago (the reconciliation's list)."""
    return list(
        await con.fetch(
            "SELECT melding_id, regio FROM meldingen"
            " WHERE NOT afgesloten AND geregistreerd_op < now() - $1::interval"
            " ORDER BY melding_id",
            gratie,
        )
    )


# --- the bewaartermijn (activities/bewaartermijn.py, activities/vernietigingslijst.py) ---

# The dossiers linked to $1 either way (the radar links a later melding to an open case).
_GEKOPPELD = (
    "SELECT melding_id FROM koppelingen WHERE gekoppeld_aan = $1"
    " UNION SELECT gekoppeld_aan FROM koppelingen WHERE melding_id = $1"
)
_TERMIJNEN_GEKOPPELD = (
    f"SELECT bewaren_tot FROM meldingen WHERE melding_id IN ({_GEKOPPELD})"
    " AND bewaren_tot IS NOT NULL"
)
_BEWAARTERMIJN_VASTLEGGEN = (
    "UPDATE meldingen SET afgesloten_op = coalesce(afgesloten_op, $2), bewaren_tot = $3,"
    " bewaar_grond = $4 WHERE melding_id = $1"
)
# A closed linked dossier kept shorter than this one is kept as long (recomputed: extended).
_DOORGEVEN = (
    "UPDATE meldingen SET bewaren_tot = $2, bewaar_grond = $3"
    f" WHERE melding_id IN ({_GEKOPPELD}) AND bewaren_tot IS NOT NULL AND bewaren_tot < $2"
)
_VERLOPEN = (
    "SELECT melding_id, regio, bewaren_tot, bewaar_grond FROM meldingen"
    " WHERE afgesloten AND bewaren_tot IS NOT NULL AND bewaren_tot < $1"
    " ORDER BY bewaren_tot, melding_id LIMIT $2"
)


async def bewaartermijn(con: asyncpg.Connection, melding_id: str) -> asyncpg.Record | None:
    """`bewaren_tot` and `bewaar_grond` (None: no dossier)."""
    return await con.fetchrow(
        "SELECT bewaren_tot, bewaar_grond FROM meldingen WHERE melding_id = $1", melding_id
    )


async def afsluiting(con: asyncpg.Connection, melding_id: str) -> asyncpg.Record | None:
    """What the term of a closing case is computed from."""
    return await con.fetchrow(
        "SELECT gegevens, afgesloten_op, maatregel_tot, bewaren_tot, bewaar_grond"
        " FROM meldingen WHERE melding_id = $1",
        melding_id,
    )


async def termijnen_gekoppeld(con: asyncpg.Connection, melding_id: str) -> list[date]:
    """The recorded terms of the dossiers linked to this one either way."""
    return [r["bewaren_tot"] for r in await con.fetch(_TERMIJNEN_GEKOPPELD, melding_id)]


async def leg_bewaartermijn_vast(
    con: asyncpg.Connection, melding_id: str, afgesloten_op: datetime, tot: date, grond: str
) -> None:
    """The term recorded (the first closing moment counts), and passed on to the linked
    dossiers kept shorter."""
    await con.execute(_BEWAARTERMIJN_VASTLEGGEN, melding_id, afgesloten_op, tot, grond)


async def geef_termijn_door(
    con: asyncpg.Connection, melding_id: str, tot: date, grond: str
) -> None:
    """A closed linked dossier kept shorter than `tot` is kept as long."""
    await con.execute(_DOORGEVEN, melding_id, tot, grond)


async def verlopen(con: asyncpg.Connection, peildatum: date, maximum: int) -> list[asyncpg.Record]:
    """The closed dossiers whose term ended before `peildatum`, soonest first."""
    return list(await con.fetch(_VERLOPEN, peildatum, maximum))


async def verleng(con: asyncpg.Connection, melding_id: str, tot: date, grond: str) -> None:
    """The term extended to `tot` (never shortened)."""
    await con.execute(
        "UPDATE meldingen SET bewaren_tot = greatest(bewaren_tot, $2),"
        " bewaar_grond = $3 WHERE melding_id = $1",
        melding_id,
        tot,
        grond,
    )


async def aantallen_met_prefix(con: asyncpg.Connection, prefix: str) -> tuple[int, int]:
    """The meldingen whose id starts with `prefix`, and how many of them are closed."""
    rij = await con.fetchrow(
        "SELECT count(*) AS n, count(*) FILTER (WHERE afgesloten) AS afgesloten FROM meldingen"
        " WHERE melding_id LIKE $1",
        prefix + "%",
    )
    return int(rij["n"]), int(rij["afgesloten"])
