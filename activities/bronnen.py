"""The ketenpartner sources, Raad voor de Kinderbescherming and politie, behind one interface.

`PostgresBron` is the default adapter: it answers from `bron_registraties`, keyed by the same
hashes as the register, so the demo and the tests have real data to find. A partner's real
interface is another `BronAdapter`, passed to `BronActiviteiten` in worker.py.
"""

from __future__ import annotations

from typing import Protocol

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from contract import names
from domain.uitwisseling import Bron, BronAntwoord, BronVraag


class BronAdapter(Protocol):
    async def vraag(self, melding_id: str) -> BronAntwoord: ...


class PostgresBron:
    def __init__(self, pool: asyncpg.Pool, bron: Bron) -> None:
        self._pool, self._bron = pool, bron

    async def vraag(self, melding_id: str) -> BronAntwoord:
        async with self._pool.acquire() as con:
            if not await con.fetchval("SELECT 1 FROM meldingen WHERE melding_id = $1", melding_id):
                raise ApplicationError(
                    f"melding {melding_id} staat niet in het dossier",
                    type=names.FOUT_ONBEKENDE_MELDING,
                    non_retryable=True,
                )
            rijen = await con.fetch(
                "SELECT DISTINCT r.sleutel, r.aantal, r.toelichting FROM bron_registraties r"
                " JOIN betrokkenen b ON r.sleutel IN (b.bsn_hash, b.naam_hash)"
                " WHERE b.melding_id = $1 AND r.bron = $2",
                melding_id,
                self._bron.value,
            )
        return BronAntwoord(
            bron=self._bron,
            bekend=bool(rijen),
            aantal_registraties=sum(r["aantal"] for r in rijen),
            toelichting="; ".join(r["toelichting"] for r in rijen if r["toelichting"]) or None,
        )


def standaard_adapters(pool: asyncpg.Pool) -> dict[Bron, BronAdapter]:
    return {
        Bron.RAAD: PostgresBron(pool, Bron.RAAD),
        Bron.POLITIE: PostgresBron(pool, Bron.POLITIE),
    }


class BronActiviteiten:
    def __init__(self, pool: asyncpg.Pool, adapters: dict[Bron, BronAdapter]) -> None:
        self._pool, self._adapters = pool, adapters

    @activity.defn(name="vraag_bron")
    async def vraag_bron(self, vraag: BronVraag) -> BronAntwoord:
        adapter = self._adapters.get(vraag.bron)
        if adapter is None:
            raise ApplicationError(
                f"bron {vraag.bron.value}: geen adapter",
                type=names.FOUT_ONBEKENDE_BRON,
                non_retryable=True,
            )
        antwoord = await adapter.vraag(vraag.melding_id)
        # Kept in the dossier for the triage; a retry replaces the row, never adds one.
        async with self._pool.acquire() as con:
            await con.execute(
                "INSERT INTO bron_antwoorden (melding_id, bron, antwoord)"
                " VALUES ($1, $2, $3::jsonb) ON CONFLICT (melding_id, bron)"
                " DO UPDATE SET antwoord = EXCLUDED.antwoord, ontvangen_op = now()",
                vraag.melding_id,
                vraag.bron.value,
                antwoord.model_dump_json(),
            )
        return antwoord
