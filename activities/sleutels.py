"""Keyed hashes (HMAC-SHA256) for register matching: the BSN, or surname + date of birth.

The plaintext stays inside the dossier; the register and the sources compare hashes only.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date

from domain.melding import Betrokkene


def _normaal(tekst: str) -> str:
    zonder_accenten = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode()
    return " ".join(zonder_accenten.lower().split())


def bsn_hash(sleutel: bytes, bsn: str) -> bytes:
    return hmac.new(sleutel, b"bsn:" + bsn.encode(), hashlib.sha256).digest()


def naam_hash(sleutel: bytes, achternaam: str, geboortedatum: date) -> bytes:
    waarde = f"naam:{_normaal(achternaam)}|{geboortedatum.isoformat()}"
    return hmac.new(sleutel, waarde.encode(), hashlib.sha256).digest()


def hashes(sleutel: bytes, b: Betrokkene) -> tuple[bytes | None, bytes | None]:
    """(bsn_hash, naam_hash) of a betrokkene; None where the data is missing."""
    bsn = bsn_hash(sleutel, b.bsn) if b.bsn else None
    naam = (
        naam_hash(sleutel, b.achternaam, b.geboortedatum)
        if b.achternaam and b.geboortedatum
        else None
    )
    return bsn, naam
