"""Terugkoppelingen and household messages through an outbox: (melding_id, soort) is unique,
so a retried activity or a replayed workflow never sends a message twice. A relay delivers
the rows (`verzonden_op`); the addressee comes from the dossier, never from the history.

The table's one owner: the delivery (activities/bezorging.py), the destruction and the bench
call the functions below."""

from __future__ import annotations

import json

import asyncpg
from temporalio import activity

from domain.uitwisseling import Bericht, Verzending, outbox_soort
from versleuteling.codec import KeyStore
from versleuteling.kolommen import OUTBOX, Kolomsleutels, melding_sleutel


class OutboxActiviteiten:
    def __init__(self, pool: asyncpg.Pool, datasleutels: KeyStore) -> None:
        self._pool = pool
        self._kolommen = Kolomsleutels(datasleutels)

    # It only places the message in the outbox; the relay delivers it (activities/bezorging.py).
    # The activity keeps the name it has in every recorded history.
    @activity.defn(name="verstuur_bericht")
    async def plaats_in_outbox(self, bericht: Bericht) -> Verzending:
        rij = (bericht.melding_id, outbox_soort(bericht.soort, bericht.ontvanger))
        sleutel = await self._kolommen.voor_schrijven(melding_sleutel(bericht.melding_id))
        inhoud = sleutel.versleutel(OUTBOX, rij, json.dumps(bericht.inhoud).encode())
        # One statement in the common case; only a retry (the row is there) reads it back,
        # committed by the attempt that wrote it: no transaction needed around the two.
        async with self._pool.acquire() as con:
            nieuw = await con.fetchval(
                "INSERT INTO outbox (melding_id, soort, inhoud) VALUES ($1, $2, $3)"
                " ON CONFLICT (melding_id, soort) DO NOTHING RETURNING aangemaakt_op",
                *rij,
                inhoud,
            )
            op = nieuw or await con.fetchval(
                "SELECT aangemaakt_op FROM outbox WHERE melding_id = $1 AND soort = $2",
                *rij,
            )
        return Verzending(
            melding_id=bericht.melding_id,
            soort=bericht.soort,
            nieuw=nieuw is not None,
            verstuurd_op=op,
        )


async def outbox_inhoud(
    pool: asyncpg.Pool, datasleutels: KeyStore, melding_id: str, soort: str
) -> object:
    """What a message says (the relay's read), decrypted; None if there is no such message."""
    async with pool.acquire() as con:
        waarde = await con.fetchval(
            "SELECT inhoud FROM outbox WHERE melding_id = $1 AND soort = $2", melding_id, soort
        )
    data = await Kolomsleutels(datasleutels).ontsleutel(
        melding_sleutel(melding_id), OUTBOX, (melding_id, soort), waarde
    )
    return None if data is None else json.loads(data)


# The delivery's record of one message (activities/bezorging.py).
_LEES = (
    "SELECT inhoud, kanaal, uitkomst, pogingen, poging_op, verzonden_op, laatste_fout"
    " FROM outbox WHERE melding_id = $1 AND soort = $2"
)
_CLAIM = (
    "UPDATE outbox SET poging_op = now(), kanaal = $3, bericht_id = $4"
    " WHERE melding_id = $1 AND soort = $2"
    " AND poging_op IS NULL AND verzonden_op IS NULL AND uitkomst IS NULL"
)
_NOG_EENS = (
    "UPDATE outbox SET poging_op = NULL, kanaal = $3, pogingen = $4,"
    " laatste_fout = $5 WHERE melding_id = $1 AND soort = $2"
)
_UITKOMST = (
    "UPDATE outbox SET kanaal = $3, uitkomst = $4, laatste_fout = $5,"
    " verzonden_op = CASE WHEN $6 THEN now() ELSE verzonden_op END,"
    " poging_op = CASE WHEN $6 OR $4 = 'onzeker' THEN poging_op END,"
    " pogingen = $7"
    " WHERE melding_id = $1 AND soort = $2"
    " RETURNING kanaal, uitkomst, pogingen, verzonden_op, laatste_fout"
)


async def bezorgrij(con: asyncpg.Connection, melding_id: str, soort: str) -> asyncpg.Record | None:
    """The message and its delivery so far (None: no such message)."""
    return await con.fetchrow(_LEES, melding_id, soort)


async def claim_overgave(
    con: asyncpg.Connection, melding_id: str, soort: str, kanaal: str, bericht_id: str
) -> bool:
    """The point of no return claimed, unless another attempt did or it ended."""
    return bool(await con.execute(_CLAIM, melding_id, soort, kanaal, bericht_id) == "UPDATE 1")


async def poging_mislukt(
    con: asyncpg.Connection, melding_id: str, soort: str, kanaal: str, poging: int, fout: str
) -> None:
    """Nothing was delivered: the claim is released for the next attempt."""
    await con.execute(_NOG_EENS, melding_id, soort, kanaal, poging, fout)


async def leg_uitkomst_vast(
    con: asyncpg.Connection,
    melding_id: str,
    soort: str,
    kanaal: str | None,
    uitkomst: str,
    fout: str | None,
    verzonden: bool,
    pogingen: int,
) -> asyncpg.Record | None:
    """The delivery's outcome (None: the row went with a destroyed dossier)."""
    return await con.fetchrow(
        _UITKOMST, melding_id, soort, kanaal, uitkomst, fout, verzonden, pogingen
    )


async def verwijder(con: asyncpg.Connection, melding_id: str) -> None:
    """A destroyed dossier's messages."""
    await con.execute("DELETE FROM outbox WHERE melding_id = $1", melding_id)


async def aantal_met_prefix(con: asyncpg.Connection, prefix: str) -> int:
    """The messages of the meldingen whose id starts with `prefix` (a benchmark's run)."""
    return int(
        await con.fetchval("SELECT count(*) FROM outbox WHERE melding_id LIKE $1", prefix + "%")
    )
