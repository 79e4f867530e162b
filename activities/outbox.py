"""Terugkoppelingen and household messages through an outbox: (melding_id, soort) is unique,
so a retried activity or a replayed workflow never sends a message twice. A relay delivers
the rows (`verzonden_op`); the addressee comes from the dossier, never from the history."""

from __future__ import annotations

import json

import asyncpg
from temporalio import activity

from domain.uitwisseling import Bericht, Verzending


class OutboxActiviteiten:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="verstuur_bericht")
    async def verstuur_bericht(self, bericht: Bericht) -> Verzending:
        async with self._pool.acquire() as con, con.transaction():
            nieuw = await con.fetchval(
                "INSERT INTO outbox (melding_id, soort, inhoud) VALUES ($1, $2, $3::jsonb)"
                " ON CONFLICT (melding_id, soort) DO NOTHING RETURNING aangemaakt_op",
                bericht.melding_id,
                bericht.soort.value,
                json.dumps(bericht.inhoud),
            )
            op = nieuw or await con.fetchval(
                "SELECT aangemaakt_op FROM outbox WHERE melding_id = $1 AND soort = $2",
                bericht.melding_id,
                bericht.soort.value,
            )
        return Verzending(
            melding_id=bericht.melding_id,
            soort=bericht.soort,
            nieuw=nieuw is not None,
            verstuurd_op=op,
        )
