"""Keyed hashes (HMAC-SHA256) for register matching: the BSN, or first name + surname + date of
birth.

The plaintext stays inside the dossier; the register and the sources compare hashes only. A BSN
identifies a person; a name and birth date only suggest one (a common surname shares its birth
dates with other households), so the register calls such a match *mogelijk*.

Values are normalised before hashing, so the same person written differently hashes alike: a BSN
as ASCII digits; a name in Unicode NFC, case-folded, trimmed, inner whitespace collapsed, and
diacritics on Latin letters dropped (Çelik = Celik = CELIK); letters of other scripts are kept.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date

from domain.melding import Betrokkene


def normaliseer_naam(tekst: str) -> str:
    gevouwen = unicodedata.normalize("NFD", unicodedata.normalize("NFC", tekst).casefold())
    tekens: list[str] = []
    for teken in gevouwen:
        if unicodedata.combining(teken) and tekens and tekens[-1].isascii():
            continue  # a diacritic on a Latin letter
        tekens.append(teken)
    return " ".join(unicodedata.normalize("NFC", "".join(tekens)).split())


def normaliseer_bsn(bsn: str) -> str:
    """ASCII digits: a BSN typed with other Unicode digits hashes as the same number."""
    return "".join(str(unicodedata.decimal(c)) for c in bsn.strip())


def bsn_hash(sleutel: bytes, bsn: str) -> bytes:
    return hmac.new(sleutel, b"bsn:" + normaliseer_bsn(bsn).encode(), hashlib.sha256).digest()


def naam_hash(sleutel: bytes, achternaam: str, geboortedatum: date, voornaam: str = "") -> bytes:
    """First name, surname and date of birth; `hashes` gives none without a first name."""
    waarde = (
        f"persoon:{normaliseer_naam(voornaam)}|{normaliseer_naam(achternaam)}"
        f"|{geboortedatum.isoformat()}"
    )
    return hmac.new(sleutel, waarde.encode(), hashlib.sha256).digest()


def hashes(sleutel: bytes, b: Betrokkene) -> tuple[bytes | None, bytes | None]:
    """(bsn_hash, naam_hash) of a betrokkene; None where the data is missing."""
    bsn = bsn_hash(sleutel, b.bsn) if b.bsn else None
    naam = (
        naam_hash(sleutel, b.achternaam, b.geboortedatum, b.voornaam)
        if b.voornaam
        and normaliseer_naam(b.voornaam)
        and b.achternaam
        and normaliseer_naam(b.achternaam)
        and b.geboortedatum
        else None
    )
    return bsn, naam
