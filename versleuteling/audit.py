"""The table `audit` (migrations 003 and 008), its one owner: every statement on it is here.

Two sides write it: the worker (every human decision, activities/audit.py, and the extensions of
a destruction list) and the codec server (every decode, encode, verklaring and refusal,
starter/codec_audit.py). `versleuteling/` is the one room both may import. A row's `gegevens`
arrive as the caller made them: encrypted with the melding's data key, or plain JSON of counts.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

_SCHRIJF = (
    "INSERT INTO audit (sleutel, melding_id, handeling, medewerker, op, gegevens)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sleutel) DO NOTHING"
)
# The same row, answering with its melding_id when it was new (for a statement that goes on
# with what it wrote: activities/signalering.schrijf_en_sluit).
SCHRIJF_GEEFT_MELDING = f"{_SCHRIJF} RETURNING melding_id"


async def schrijf(
    con: asyncpg.Connection,
    sleutel: str,
    melding_id: str,
    handeling: str,
    medewerker: str,
    op: datetime,
    gegevens: bytes,
) -> None:
    """One row, once per `sleutel` (a retry writes nothing)."""
    await con.execute(_SCHRIJF, sleutel, melding_id, handeling, medewerker, op, gegevens)


async def rijen(con: asyncpg.Connection, melding_id: str) -> list[asyncpg.Record]:
    """The melding's rows in the order they happened."""
    return list(
        await con.fetch(
            "SELECT melding_id, sleutel, handeling, medewerker, op, gegevens FROM audit"
            " WHERE melding_id = $1 ORDER BY op, id",
            melding_id,
        )
    )


async def verwijder(con: asyncpg.Connection, melding_id: str) -> None:
    """A destroyed dossier's trail (what stays of it is in its verslag)."""
    await con.execute("DELETE FROM audit WHERE melding_id = $1", melding_id)


async def aantal_met_prefix(con: asyncpg.Connection, prefix: str) -> int:
    """The rows of the meldingen whose id starts with `prefix` (a benchmark's run)."""
    return int(
        await con.fetchval("SELECT count(*) FROM audit WHERE melding_id LIKE $1", prefix + "%")
    )
