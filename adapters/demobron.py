"""The demo source for the Raad and the politie (port `domain.poorten.Bronpoort`).

It owns the table `bron_registraties`: `registreer_demobron` writes what a source knows under
a register hash, `DemoBron` answers from it. A partner's real interface is another
`Bronpoort`, passed to the worker's bootstrap (runtime/assembly.py, `maak_worker`).
"""

from __future__ import annotations

import asyncpg
from temporalio.exceptions import ApplicationError

from activities import meldingen
from contract import names
from domain.poorten import Bronpoort
from domain.uitwisseling import Bron, BronAntwoord
from versleuteling.codec import KeyStore
from versleuteling.kolommen import BRON_REGISTRATIE, Kolomsleutels, bron_sleutel


async def registreer_demobron(
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


async def registraties_onder(con: asyncpg.Connection, versie: int) -> int:
    """The registrations still under register key version `versie` (the key rotation asks)."""
    return int(
        await con.fetchval(
            "SELECT count(*) FROM bron_registraties WHERE sleutel_versie = $1", versie
        )
    )


class DemoBron:
    """The demo source: answers from `bron_registraties`, which `registreer_demobron` fills
    (an import's way in: the free text encrypted with the source's data key), keyed by the
    same hashes as the register. Not a partner's interface: the demo, the tests and an
    organisation that has none yet use it."""

    def __init__(self, pool: asyncpg.Pool, bron: Bron, datasleutels: KeyStore) -> None:
        self._pool, self._bron = pool, bron
        self._kolommen = Kolomsleutels(datasleutels)

    async def vraag(self, melding_id: str) -> BronAntwoord:
        async with self._pool.acquire() as con:
            if not await meldingen.bestaat(con, melding_id):
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


def demo_bronnen(pool: asyncpg.Pool, datasleutels: KeyStore) -> dict[Bron, Bronpoort]:
    """The Raad and the politie as the demo source (the default of `make run`)."""
    return {
        Bron.RAAD: DemoBron(pool, Bron.RAAD, datasleutels),
        Bron.POLITIE: DemoBron(pool, Bron.POLITIE, datasleutels),
    }
