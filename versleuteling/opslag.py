"""Data keys in PostgreSQL (table `data_sleutels`), wrapped by the master key; rotation of the
master key (`herverpak`; its command is versleuteling/herverpak.py); destruction of a melding's
key (crypto-shredding)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import time
from collections.abc import AsyncIterator

import asyncpg
import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from versleuteling.codec import (
    CACHE_TTL,
    Cache,
    SleutelFout,
    SleutelOnbekend,
    SleutelopslagOnbereikbaar,
    SleutelVernietigd,
    melding_van,
)

log = structlog.get_logger(__name__)
_NONCE = 12
REGIO_TTL = 60.0  # seconds a key's region stays cached


def vingerafdruk(hoofdsleutel: bytes) -> str:
    """Which master key wrapped a row (not the key itself)."""
    return hashlib.sha256(b"vt-hoofdsleutel:" + hoofdsleutel).hexdigest()[:16]


def verpak(hoofdsleutel: bytes, sleutel_id: str, sleutel: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(hoofdsleutel).encrypt(nonce, sleutel, _aad(sleutel_id))


def pak_uit(hoofdsleutel: bytes, sleutel_id: str, verpakt: bytes) -> bytes:
    try:
        return AESGCM(hoofdsleutel).decrypt(verpakt[:_NONCE], verpakt[_NONCE:], _aad(sleutel_id))
    except InvalidTag:
        raise SleutelFout(
            f"sleutel {sleutel_id}: VT_MASTER_KEY past niet (andere hoofdsleutel, of geroteerd?)"
        ) from None


def _aad(sleutel_id: str) -> bytes:
    return b"vt-data-sleutel:" + sleutel_id.encode()


async def vernietig_sleutel(con: asyncpg.Connection, sleutel_id: str) -> None:
    """Crypto-shredding: the wrapped key is gone; the row stays so it is never made again."""
    await con.execute(
        "INSERT INTO data_sleutels (sleutel_id, verpakt, hoofdsleutel, vernietigd_op)"
        " VALUES ($1, NULL, NULL, now())"
        " ON CONFLICT (sleutel_id) DO UPDATE SET verpakt = NULL, hoofdsleutel = NULL,"
        " vernietigd_op = COALESCE(data_sleutels.vernietigd_op, now())",
        sleutel_id,
    )


class PostgresKeyStore:
    """The worker's, the codec server's and an operator's key store: PostgreSQL, an in-process
    cache. The pool is given (`pool`, or `koppel(pool)` before the first payload: the worker
    builds its client before its pool) or opened on first use from `dsn` (a client: connecting
    to Temporal touches no database). PostgreSQL unreachable is SleutelopslagOnbereikbaar, one
    line, never a socket traceback."""

    def __init__(
        self,
        hoofdsleutel: bytes,
        pool: asyncpg.Pool | None = None,
        ttl: float = CACHE_TTL,
        *,
        dsn: str | None = None,
    ):
        self._hoofdsleutel = hoofdsleutel
        self._pool = pool
        self._dsn = dsn
        self._eigen_pool = False
        self._openen = asyncio.Lock()
        self.cache = Cache(ttl)
        self._regios: dict[str, tuple[str, float]] = {}

    def koppel(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def sluit(self) -> None:
        """Close the pool this store opened itself (not one it was given)."""
        if self._eigen_pool and self._pool is not None:
            await self._pool.close()
            self._pool, self._eigen_pool = None, False

    @contextlib.asynccontextmanager
    async def _verbinding(self) -> AsyncIterator[asyncpg.Connection]:
        try:
            async with (await self._geef_pool()).acquire() as con:
                yield con
        except (
            OSError,
            asyncpg.PostgresConnectionError,
            asyncpg.InterfaceError,
            asyncpg.exceptions.OperatorInterventionError,  # shutting down, not yet accepting
        ) as fout:
            raise SleutelopslagOnbereikbaar(type(fout).__name__) from None

    async def _geef_pool(self) -> asyncpg.Pool:
        if self._pool is not None:
            return self._pool
        if self._dsn is None:
            raise RuntimeError("PostgresKeyStore: nog geen pool gekoppeld")
        async with self._openen:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(self._dsn, min_size=0, max_size=2)
                self._eigen_pool = True
        return self._pool

    async def sleutel_voor_versleutelen(self, sleutel_id: str) -> bytes:
        if (sleutel := self.cache.haal(sleutel_id)) is not None:
            return sleutel
        nieuw = AESGCM.generate_key(bit_length=256)
        async with self._verbinding() as con:
            opgeslagen = await con.fetchval(
                "INSERT INTO data_sleutels (sleutel_id, verpakt, hoofdsleutel) VALUES ($1, $2, $3)"
                " ON CONFLICT (sleutel_id) DO NOTHING RETURNING true",
                sleutel_id,
                verpak(self._hoofdsleutel, sleutel_id, nieuw),
                vingerafdruk(self._hoofdsleutel),
            )
        if opgeslagen:  # ours is the key: no second round trip to read it back
            self.cache.zet(sleutel_id, nieuw)
            return nieuw
        # A concurrent first payload of the same melding elsewhere, or a key made (or destroyed)
        # before this cache: the stored one wins.
        return await self.sleutel_voor_ontsleutelen(sleutel_id)

    async def sleutel_voor_ontsleutelen(self, sleutel_id: str) -> bytes:
        if (sleutel := self.cache.haal(sleutel_id)) is not None:
            return sleutel
        async with self._verbinding() as con:
            rij = await con.fetchrow(
                "SELECT verpakt, vernietigd_op FROM data_sleutels WHERE sleutel_id = $1", sleutel_id
            )
        if rij is None:
            raise SleutelOnbekend(sleutel_id)
        if rij["vernietigd_op"] is not None:
            raise SleutelVernietigd(sleutel_id)
        sleutel = pak_uit(self._hoofdsleutel, sleutel_id, rij["verpakt"])
        self.cache.zet(sleutel_id, sleutel)
        return sleutel

    async def regio_van(self, sleutel_id: str) -> str | None:
        """The region of the key's case (migration 025: from its dossier row; before that row,
        the organisation of the login that started it). Cached for a minute: the dossier row
        may still correct a provisional region."""
        gevonden = self._regios.get(sleutel_id)
        if gevonden is not None and time.monotonic() - gevonden[1] < REGIO_TTL:
            return gevonden[0]
        async with self._verbinding() as con:
            regio = await con.fetchval(
                "SELECT regio FROM data_sleutels WHERE sleutel_id = $1", sleutel_id
            )
        if not isinstance(regio, str):
            return None
        self._regios[sleutel_id] = (regio, time.monotonic())
        return regio

    async def zet_regio(self, sleutel_id: str, regio: str) -> None:
        async with self._verbinding() as con:
            await con.execute(
                "UPDATE data_sleutels SET regio = $2 WHERE sleutel_id = $1 AND regio IS NULL",
                sleutel_id,
                regio,
            )

    async def vernietig(self, sleutel_id: str) -> None:
        async with self._verbinding() as con:
            await vernietig_sleutel(con, sleutel_id)
        Cache.vergeet_overal(sleutel_id)
        log.info("sleutel vernietigd", melding_id=melding_van(sleutel_id))


async def herverpak(pool: asyncpg.Pool, oud: bytes, nieuw: bytes) -> int:
    """Master-key rotation: every live data key unwrapped with `oud`, wrapped with `nieuw`, in one
    transaction (rows already under `nieuw` are skipped, so a rerun is harmless). Returns the
    number of keys re-wrapped. The data keys, and so every payload, stay as they are."""
    oud_id, nieuw_id = vingerafdruk(oud), vingerafdruk(nieuw)
    aantal = 0
    async with pool.acquire() as con, con.transaction():
        rijen = await con.fetch(
            "SELECT sleutel_id, verpakt FROM data_sleutels"
            " WHERE verpakt IS NOT NULL AND hoofdsleutel IS DISTINCT FROM $1 FOR UPDATE",
            nieuw_id,
        )
        for rij in rijen:
            sleutel = pak_uit(oud, rij["sleutel_id"], rij["verpakt"])
            await con.execute(
                "UPDATE data_sleutels SET verpakt = $2, hoofdsleutel = $3 WHERE sleutel_id = $1",
                rij["sleutel_id"],
                verpak(nieuw, rij["sleutel_id"], sleutel),
                nieuw_id,
            )
            aantal += 1
    log.info("hoofdsleutel geroteerd", van=oud_id, naar=nieuw_id, sleutels=aantal)
    return aantal
