"""The ketenpartner sources, Raad voor de Kinderbescherming and politie, behind one interface.

`PostgresBron` is the default adapter: it answers from `bron_registraties`, keyed by the same
hashes as the register, so the demo and the tests have real data to find (`registreer_bron`
writes them, an import's way in: the free text encrypted with the source's data key). A
partner's real interface is another `BronAdapter`, passed to `BronActiviteiten` in worker.py.
"""

from __future__ import annotations

from typing import Protocol

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from contract import names
from domain.uitwisseling import Bron, BronAntwoord, BronVraag
from versleuteling.codec import KeyStore
from versleuteling.kolommen import (
    BRON_ANTWOORD,
    BRON_REGISTRATIE,
    Kolomsleutels,
    bron_sleutel,
    melding_sleutel,
)


class BronAdapter(Protocol):
    async def vraag(self, melding_id: str) -> BronAntwoord: ...


async def registreer_bron(
    pool: asyncpg.Pool,
    datasleutels: KeyStore,
    bron: Bron,
    sleutel: bytes,
    aantal: int,
    toelichting: str | None = None,
    *,
    sleutel_versie: int = 1,
) -> None:
    """What a source knows under one register hash (made with register key `sleutel_versie`)."""
    rij = (bron.value, sleutel)
    versleuteld = None
    if toelichting is not None:
        rijsleutel = await Kolomsleutels(datasleutels).voor_schrijven(bron_sleutel(bron.value))
        versleuteld = rijsleutel.versleutel(BRON_REGISTRATIE, rij, toelichting.encode())
    async with pool.acquire() as con:
        await con.execute(
            "INSERT INTO bron_registraties (bron, sleutel, aantal, toelichting, sleutel_versie)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (bron, sleutel) DO UPDATE"
            " SET aantal = EXCLUDED.aantal, toelichting = EXCLUDED.toelichting,"
            " sleutel_versie = EXCLUDED.sleutel_versie",
            *rij,
            aantal,
            versleuteld,
            sleutel_versie,
        )


class PostgresBron:
    def __init__(self, pool: asyncpg.Pool, bron: Bron, datasleutels: KeyStore) -> None:
        self._pool, self._bron = pool, bron
        self._kolommen = Kolomsleutels(datasleutels)

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
        toelichtingen = []
        for r in rijen:
            tekst = await self._kolommen.ontsleutel(
                bron_sleutel(self._bron.value),
                BRON_REGISTRATIE,
                (self._bron.value, r["sleutel"]),
                r["toelichting"],
            )
            if tekst:
                toelichtingen.append(tekst.decode())
        return BronAntwoord(
            bron=self._bron,
            bekend=bool(rijen),
            aantal_registraties=sum(r["aantal"] for r in rijen),
            toelichting="; ".join(toelichtingen) or None,
        )


def standaard_adapters(pool: asyncpg.Pool, datasleutels: KeyStore) -> dict[Bron, BronAdapter]:
    return {
        Bron.RAAD: PostgresBron(pool, Bron.RAAD, datasleutels),
        Bron.POLITIE: PostgresBron(pool, Bron.POLITIE, datasleutels),
    }


class BronActiviteiten:
    def __init__(
        self, pool: asyncpg.Pool, adapters: dict[Bron, BronAdapter], datasleutels: KeyStore
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
