"""Application data in PostgreSQL, encrypted with the data key of its melding (docs/privacy.md).

The columns that hold personal data (`KOLOMMEN`) are `bytea`: AES-256-GCM with the same data
key the payload codec uses for that melding (`melding/<id>`, so destroying the key for the
dossier makes every copy of these columns unreadable too, in WAL and backups included). The
associated data binds a ciphertext to its key, table, column and row: moved to another row or
column it fails to decrypt.

Form of a value: `VERSLEUTELD` (5 bytes, starting with NUL: PostgreSQL text and JSON never hold
NUL, so no plaintext starts like this), the 12-byte nonce, the ciphertext with its tag. A value
without that prefix is plaintext from before migration 008 (009 for `meldingen.ketenpartner`);
readers accept it as it is, and `python -m versleuteling.versleutel_bestaand` encrypts it in
place.

One key lookup per activity: the writer gets the key once (`sleutel_voor`) and encrypts every
column with it; the key store's cache (CACHE_TTL) serves the rest of the case.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from contract import ids
from versleuteling.codec import KeyStore, SleutelFout, sleutel_id

VERSLEUTELD = b"\x00vtk1"
_NONCE = 12


@dataclass(frozen=True)
class Kolom:
    """An encrypted column; `rij` names the columns that identify its row (after the key)."""

    tabel: str
    kolom: str
    rij: tuple[str, ...]
    # How the row's data key is found: from its melding_id, or (source registrations, which
    # belong to no melding) from its `bron`.
    sleutel_uit: str = "melding_id"


MELDING = Kolom("meldingen", "gegevens", ("melding_id",))
# The ketenpartner of a decision (migration 009): read by the register for a later melding.
KETENPARTNER = Kolom("meldingen", "ketenpartner", ("melding_id",))
AUDIT = Kolom("audit", "gegevens", ("melding_id", "sleutel"))
OUTBOX = Kolom("outbox", "inhoud", ("melding_id", "soort"))
BRON_ANTWOORD = Kolom("bron_antwoorden", "antwoord", ("melding_id", "bron"))
BRON_REGISTRATIE = Kolom("bron_registraties", "toelichting", ("bron", "sleutel"), "bron")

KOLOMMEN: tuple[Kolom, ...] = (
    MELDING,
    KETENPARTNER,
    AUDIT,
    OUTBOX,
    BRON_ANTWOORD,
    BRON_REGISTRATIE,
)


class KolomFout(SleutelFout):
    """A ciphertext that does not belong where it was read (moved, or tampered with)."""


def melding_sleutel(melding_id: str) -> str:
    """The data key of a melding: the one its workflow's payloads use (`melding/<id>`)."""
    return sleutel_id(ids.melding_workflow_id(melding_id))


def bron_sleutel(bron: str) -> str:
    """A source's registrations belong to no melding: one key per source (`bron/<bron>`)."""
    return f"bron/{bron}"


def versleuteld(waarde: bytes) -> bool:
    return waarde.startswith(VERSLEUTELD)


def _rijdeel(waarde: object) -> bytes:
    return waarde.hex().encode() if isinstance(waarde, bytes) else str(waarde).encode()


def _aad(sleutel_id_: str, kolom: Kolom, rij: tuple[object, ...]) -> bytes:
    if len(rij) != len(kolom.rij):
        raise ValueError(f"{kolom.tabel}.{kolom.kolom}: rij {kolom.rij}, kreeg {len(rij)} delen")
    delen = [b"vt-kolom", sleutel_id_.encode(), kolom.tabel.encode(), kolom.kolom.encode()]
    return b"\x00".join([*delen, *(_rijdeel(d) for d in rij)])


@dataclass(frozen=True)
class Rijsleutel:
    """A data key with its id, fetched once for the rows of one statement."""

    sleutel_id: str
    sleutel: bytes

    def versleutel(self, kolom: Kolom, rij: tuple[object, ...], data: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        versleuteld_ = AESGCM(self.sleutel).encrypt(nonce, data, _aad(self.sleutel_id, kolom, rij))
        return VERSLEUTELD + nonce + versleuteld_

    def ontsleutel(self, kolom: Kolom, rij: tuple[object, ...], waarde: bytes) -> bytes:
        if not versleuteld(waarde):
            return waarde  # plaintext from before migration 008
        data = waarde[len(VERSLEUTELD) :]
        try:
            return AESGCM(self.sleutel).decrypt(
                data[:_NONCE], data[_NONCE:], _aad(self.sleutel_id, kolom, rij)
            )
        except InvalidTag:
            raise KolomFout(
                f"{kolom.tabel}.{kolom.kolom} {rij}: versleutelde waarde hoort niet bij deze rij"
                f" en sleutel {self.sleutel_id} (verplaatst of beschadigd)"
            ) from None


class Kolomsleutels:
    """The columns' side of the key store: the same store (and cache) as the payload codec."""

    def __init__(self, sleutels: KeyStore) -> None:
        self.sleutels = sleutels

    async def voor_schrijven(self, sleutel_id_: str) -> Rijsleutel:
        """The key to encrypt with, made on first use (as the codec does)."""
        return Rijsleutel(sleutel_id_, await self.sleutels.sleutel_voor_versleutelen(sleutel_id_))

    async def voor_lezen(self, sleutel_id_: str) -> Rijsleutel:
        """SleutelVernietigd once the dossier was destroyed; SleutelOnbekend if never made."""
        return Rijsleutel(sleutel_id_, await self.sleutels.sleutel_voor_ontsleutelen(sleutel_id_))

    async def ontsleutel(
        self, sleutel_id_: str, kolom: Kolom, rij: tuple[object, ...], waarde: bytes | None
    ) -> bytes | None:
        """One value; plaintext from before migration 008 comes back without a key lookup."""
        if waarde is None or not versleuteld(waarde):
            return waarde
        return (await self.voor_lezen(sleutel_id_)).ontsleutel(kolom, rij, waarde)
