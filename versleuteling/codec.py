"""Payload encryption (docs/privacy.md): every payload AES-256-GCM with the data key of its melding.

The key is chosen from the serialization context: a payload of workflow `melding-<id>`, or of an
activity that workflow runs, is encrypted with the key of melding `<id>`; a request to destroy
that melding (`vernietiging-<id>`) has a key of its own, so its history (the record that the
dossier was destroyed) still replays once the melding's key is gone; an adviesvraag
(`advies-<id>`) has its own key `advies/<id>`. Payloads without a workflow
in their context get the `algemeen` key.

The key's id travels in the payload metadata, so decoding needs no context. A payload without
our encoding passes through as it is (the recorded histories under tests/ are plaintext).
A payload the data converter marked readable (`vt-leesbaar`: a text free of personal data by
construction, domain/leesbaar.py, or the workflow's definition and current details) is not
encrypted: ops read the state without the codec (docs/architecture.md).
"""

from __future__ import annotations

import functools
import os
import secrets
import time
import weakref
from collections.abc import Sequence
from typing import ClassVar, Protocol, Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    ActivitySerializationContext,
    PayloadCodec,
    SerializationContext,
    WithSerializationContext,
    WorkflowSerializationContext,
)

from contract import ids

ENCODING = b"binary/encrypted"
META_SLEUTEL = "encryption-key-id"
META_LEESBAAR = "vt-leesbaar"
ALGEMEEN = "algemeen"
_NONCE = 12
SLEUTEL_BYTES = 32


class SleutelFout(Exception):
    """A payload cannot be encrypted or decrypted with its data key."""


class SleutelVernietigd(SleutelFout):
    """The data key was destroyed with the dossier: what it encrypted is gone for good."""

    def __init__(self, sleutel_id: str) -> None:
        super().__init__(f"sleutel {sleutel_id} is vernietigd: deze gegevens zijn onleesbaar")
        self.sleutel_id = sleutel_id


class SleutelopslagOnbereikbaar(SleutelFout):
    """The data keys cannot be read: PostgreSQL (their store) does not answer."""

    def __init__(self, oorzaak: str) -> None:
        super().__init__(f"sleutelopslag (PostgreSQL) niet bereikbaar ({oorzaak})")
        self.oorzaak = oorzaak


class SleutelOnbekend(SleutelFout):
    def __init__(self, sleutel_id: str) -> None:
        super().__init__(f"sleutel {sleutel_id} is onbekend in deze sleutelopslag")
        self.sleutel_id = sleutel_id


@functools.lru_cache(maxsize=4096)
def sleutel_id(workflow_id: str | None) -> str:
    """`melding/<id>` for a melding's workflow, `vernietiging/<id>` for a request to destroy it,
    `advies/<id>` for an adviesvraag,
    `algemeen` for anything else. Cached: the worker asks it for every payload it converts (about
    1 % of its CPU in bench.doorvoer's intake), for a few workflow IDs at a time."""
    gevonden = ids.melding_id_uit_workflow_id(workflow_id or "")
    if gevonden is None:
        return ALGEMEEN
    soort, melding_id = gevonden
    return f"{soort}/{melding_id}"


def melding_van(sleutel: str) -> str | None:
    """The melding a key id belongs to (`melding/<id>` and `vernietiging/<id>`), for logs."""
    soort, _, melding_id = sleutel.partition("/")
    return melding_id if soort in (ids.MELDING, ids.VERNIETIGING) and melding_id else None


def casus_van(sleutel: str) -> str | None:
    """The case a key id belongs to, as the codec server's audit and logs name it: a melding by
    its melding_id, an advies as `advies/<advies_id>` (never mistaken for a melding's number)."""
    soort, _, advies_id = sleutel.partition("/")
    if soort == ids.ADVIES and advies_id:
        return sleutel
    return melding_van(sleutel)


def lees_hoofdsleutel(tekst: str, naam: str = "VT_MASTER_KEY") -> bytes:
    """A master key as configured: 64 hexadecimal characters (32 bytes)."""
    try:
        sleutel = bytes.fromhex(tekst.strip())
    except ValueError:
        sleutel = b""
    if len(sleutel) != SLEUTEL_BYTES:
        raise ValueError(f"{naam}: 64 hexadecimale tekens (32 bytes), als van deploy/secrets.sh")
    return sleutel


class KeyStore(Protocol):
    """Where data keys live. `sleutel_voor_versleutelen` creates a melding's key on first use;
    `sleutel_voor_ontsleutelen` raises SleutelVernietigd or SleutelOnbekend."""

    async def sleutel_voor_versleutelen(self, sleutel_id: str) -> bytes: ...

    async def sleutel_voor_ontsleutelen(self, sleutel_id: str) -> bytes: ...

    async def vernietig(self, sleutel_id: str) -> None: ...

    async def regio_van(self, sleutel_id: str) -> str | None:
        """The organisation (regio) that owns the key's case; None when not (yet) known."""
        ...

    async def zet_regio(self, sleutel_id: str, regio: str) -> None:
        """The region of a case whose region is not known yet (its dossier row, when written,
        says the last word: migration 025)."""
        ...


class InMemoryKeyStore:
    """Keys in this process only: for tests and the replayer, never for data that must last.
    `regios`: the owning region per key id, as the dossier would tell PostgreSQL's store."""

    def __init__(self) -> None:
        self._sleutels: dict[str, bytes | None] = {}
        self.regios: dict[str, str] = {}

    async def regio_van(self, sleutel_id: str) -> str | None:
        return self.regios.get(sleutel_id)

    async def zet_regio(self, sleutel_id: str, regio: str) -> None:
        self.regios.setdefault(sleutel_id, regio)

    async def sleutel_voor_versleutelen(self, sleutel_id: str) -> bytes:
        if sleutel_id not in self._sleutels:
            self._sleutels[sleutel_id] = AESGCM.generate_key(bit_length=256)
        return await self.sleutel_voor_ontsleutelen(sleutel_id)

    async def sleutel_voor_ontsleutelen(self, sleutel_id: str) -> bytes:
        if sleutel_id not in self._sleutels:
            raise SleutelOnbekend(sleutel_id)
        sleutel = self._sleutels[sleutel_id]
        if sleutel is None:
            raise SleutelVernietigd(sleutel_id)
        return sleutel

    async def vernietig(self, sleutel_id: str) -> None:
        self._sleutels[sleutel_id] = None


CACHE_TTL = 300.0
"""Seconds an unwrapped data key stays in a process's cache: the bound on how long a key
destroyed by another process can still be used here (docs/privacy.md)."""


class Cache:
    """Unwrapped keys for a while (`ttl` seconds). A key destroyed in this process is evicted
    from every cache of the process at once (`vergeet_overal`); one destroyed by another process
    stops working here at the latest after `ttl`."""

    _alle: ClassVar[weakref.WeakSet[Cache]] = weakref.WeakSet()

    def __init__(self, ttl: float = CACHE_TTL) -> None:
        self.ttl = ttl
        self._sleutels: dict[str, tuple[bytes, float]] = {}
        Cache._alle.add(self)

    def haal(self, sleutel_id: str) -> bytes | None:
        gevonden = self._sleutels.get(sleutel_id)
        if gevonden is None or time.monotonic() - gevonden[1] > self.ttl:
            self._sleutels.pop(sleutel_id, None)
            return None
        return gevonden[0]

    def zet(self, sleutel_id: str, sleutel: bytes) -> None:
        self._sleutels[sleutel_id] = (sleutel, time.monotonic())

    def vergeet(self, sleutel_id: str) -> None:
        self._sleutels.pop(sleutel_id, None)

    @classmethod
    def vergeet_overal(cls, sleutel_id: str) -> None:
        """Out of every cache in this process (the worker's and, under `make run`, the codec
        server's, which keep a store each)."""
        for cache in list(cls._alle):
            cache.vergeet(sleutel_id)


def versleutel(sleutel: bytes, sleutel_id: str, data: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(sleutel).encrypt(nonce, data, sleutel_id.encode())


def ontsleutel(sleutel: bytes, sleutel_id: str, data: bytes) -> bytes:
    try:
        return AESGCM(sleutel).decrypt(data[:_NONCE], data[_NONCE:], sleutel_id.encode())
    except InvalidTag:
        raise SleutelFout(f"payload met sleutel {sleutel_id} is beschadigd of vervalst") from None


def leesbaar(payload: Payload) -> bool:
    """Marked readable by our data converter: stays plaintext (never holds personal data)."""
    return payload.metadata.get(META_LEESBAAR) == b"1"


def versleuteld(payload: Payload) -> bool:
    return payload.metadata.get("encoding") == ENCODING and META_SLEUTEL in payload.metadata


class VersleutelCodec(PayloadCodec, WithSerializationContext):
    """AES-256-GCM per melding; the key id (authenticated as associated data) in the metadata."""

    def __init__(self, sleutels: KeyStore, sleutel_id: str = ALGEMEEN) -> None:
        self.sleutels = sleutels
        self.sleutel_id = sleutel_id

    def with_context(self, context: SerializationContext) -> Self:
        workflow_id = None
        if isinstance(context, WorkflowSerializationContext | ActivitySerializationContext):
            workflow_id = context.workflow_id
        return type(self)(self.sleutels, sleutel_id(workflow_id))

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        if not payloads:
            return []
        if all(leesbaar(p) for p in payloads):
            return list(payloads)  # no key needed (nor a database)
        sleutel = await self.sleutels.sleutel_voor_versleutelen(self.sleutel_id)
        return [
            p
            if leesbaar(p)
            else Payload(
                metadata={"encoding": ENCODING, META_SLEUTEL: self.sleutel_id.encode()},
                data=versleutel(sleutel, self.sleutel_id, p.SerializeToString()),
            )
            for p in payloads
        ]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        uit: list[Payload] = []
        for p in payloads:
            if not versleuteld(p):
                uit.append(p)
                continue
            sleutel_id_ = p.metadata[META_SLEUTEL].decode()
            sleutel = await self.sleutels.sleutel_voor_ontsleutelen(sleutel_id_)
            uit.append(Payload.FromString(ontsleutel(sleutel, sleutel_id_, p.data)))
        return uit


def nieuwe_hoofdsleutel() -> str:
    """64 hex characters, as deploy/secrets.sh writes them."""
    return secrets.token_hex(SLEUTEL_BYTES)
