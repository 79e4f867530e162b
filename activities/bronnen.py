"""The activity that asks a ketenpartner source (Raad, politie) through its port
(`domain.poorten.Bronpoort`) and keeps the answer in the dossier (`bron_antwoorden`). The
sources themselves are adapters (`adapters/demobron.py` for the demo), constructed at the
worker's bootstrap.
"""

from __future__ import annotations

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from contract import names
from domain.poorten import Bronpoort
from domain.uitwisseling import Bron, BronAntwoord, BronVraag
from versleuteling.codec import KeyStore
from versleuteling.kolommen import BRON_ANTWOORD, Kolomsleutels, melding_sleutel


class BronActiviteiten:
    def __init__(
        self, pool: asyncpg.Pool, adapters: dict[Bron, Bronpoort], datasleutels: KeyStore
    ) -> None:
        self._pool, self._adapters = pool, adapters
        self._kolommen = Kolomsleutels(datasleutels)

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
        rij = (vraag.melding_id, vraag.bron.value)
        sleutel = await self._kolommen.voor_schrijven(melding_sleutel(vraag.melding_id))
        async with self._pool.acquire() as con:
            await con.execute(
                "INSERT INTO bron_antwoorden (melding_id, bron, antwoord)"
                " VALUES ($1, $2, $3) ON CONFLICT (melding_id, bron)"
                " DO UPDATE SET antwoord = EXCLUDED.antwoord, ontvangen_op = now()",
                *rij,
                sleutel.versleutel(BRON_ANTWOORD, rij, antwoord.model_dump_json().encode()),
            )
        return antwoord
