"""Terugkoppelingen and household messages through an outbox: (melding_id, soort) is unique,
so a retried activity or a replayed workflow never sends a message twice. A relay delivers
the rows (`verzonden_op`); the addressee comes from the dossier, never from the history."""

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
