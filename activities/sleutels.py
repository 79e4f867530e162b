"""Keyed hashes (HMAC-SHA256) for register matching: the BSN, or first name + surname + date of
birth.

The plaintext stays inside the dossier; the register and the sources compare hashes only. A BSN
identifies a person; a name and birth date only suggest one (a common surname shares its birth
dates with other households), so the register calls such a match *mogelijk*.

Values are normalised before hashing, so the same person written differently hashes alike: a BSN
as ASCII digits; a name without invisible format characters (Unicode Cf), in NFC, case-folded,
trimmed, inner whitespace collapsed, and diacritics on Latin letters dropped (Çelik = Celik =
CELIK); letters of other scripts are kept.

The HMAC key has a version, stored with every hash (`betrokkenen.sleutel_versie`), so it can be
rotated (docs/privacy.md): `Registersleutels` holds the current version and every older one
still active; a new melding is hashed under each, so entries hashed under an older version are
still found until `python -m activities.herhash` has re-hashed them under the current one and
the old version is retired.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from domain.melding import Betrokkene


def normaliseer_naam(tekst: str) -> str:
    # Invisible format characters (Cf: soft hyphen, zero-width space, direction marks) out
    # first: intake refuses them now, but a name stored before must still meet its household.
    zichtbaar = "".join(c for c in tekst if unicodedata.category(c) != "Cf")
    gevouwen = unicodedata.normalize("NFD", unicodedata.normalize("NFC", zichtbaar).casefold())
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


# The current key: at least 32 bytes (deploy/secrets.sh and `make run` make 64 hex characters).
# A BSN has ~10^8 valid values, so a weak key makes every hash reversible by trying them all.
MIN_LENGTE = 32
# An older key (VT_REGISTER_SLEUTELS_OUD) may be shorter (16): the earlier minimum, so an
# installation whose key is too short for today can rotate it out (docs/privacy.md).
MIN_LENGTE_OUD = 16
_VERSIE = re.compile(r"^[1-9][0-9]{0,3}$")


@dataclass(frozen=True)
class Registersleutels:
    """The register's HMAC keys by version; `huidige` is the one new hashes are made with."""

    huidige: int
    sleutels: Mapping[int, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.huidige not in self.sleutels:
            raise ValueError(f"registersleutel: versie {self.huidige} heeft geen sleutel")

    @classmethod
    def van(cls, sleutel: bytes | Registersleutels, versie: int = 1) -> Registersleutels:
        """A single key (version `versie`) as a set of one; a set as it is."""
        if isinstance(sleutel, Registersleutels):
            return sleutel
        return cls(versie, {versie: sleutel})

    @property
    def actief(self) -> tuple[int, ...]:
        return tuple(sorted(self.sleutels))

    def zonder(self, versie: int) -> Registersleutels:
        """Without an older version (retired)."""
        if versie == self.huidige:
            raise ValueError(f"registersleutel: versie {versie} is de huidige")
        return Registersleutels(
            self.huidige, {v: s for v, s in self.sleutels.items() if v != versie}
        )


def lees_versie(tekst: str) -> int:
    """`VT_REGISTER_SLEUTEL_VERSIE`: 1-9999, 1 if empty."""
    tekst = tekst.strip() or "1"
    if not _VERSIE.fullmatch(tekst):
        raise ValueError("VT_REGISTER_SLEUTEL_VERSIE: een versienummer 1-9999")
    return int(tekst)


def lees_registersleutels(sleutel: str, versie: str = "", oud: str = "") -> Registersleutels:
    """`VT_REGISTER_SLEUTEL` (the current key), `VT_REGISTER_SLEUTEL_VERSIE` (its version, 1 if
    empty) and `VT_REGISTER_SLEUTELS_OUD` (older versions still active while re-hashing:
    `versie:sleutel`, comma-separated; empty once retired). ValueError names the variable."""
    huidige = lees_versie(versie)
    if not sleutel:
        raise ValueError(
            "VT_REGISTER_SLEUTEL ontbreekt: de HMAC-sleutel van het register, minstens "
            f"{MIN_LENGTE} bytes (deploy/secrets.sh maakt hem; `make run` maakt er zelf een)"
        )
    if len(sleutel.encode()) < MIN_LENGTE:
        raise ValueError(
            f"VT_REGISTER_SLEUTEL: minstens {MIN_LENGTE} bytes (een kortere sleutel van een "
            "bestaande installatie: roteer hem, docs/privacy.md)"
        )
    sleutels = {huidige: sleutel.encode()}
    for deel in (d.strip() for d in oud.split(",")):
        if not deel:
            continue
        nummer, _, oude = deel.partition(":")
        if not _VERSIE.fullmatch(nummer.strip()) or len(oude.strip().encode()) < MIN_LENGTE_OUD:
            raise ValueError(
                "VT_REGISTER_SLEUTELS_OUD: versie:sleutel (sleutel minstens "
                f"{MIN_LENGTE_OUD} bytes), gescheiden door komma's"
            )
        if int(nummer) in sleutels:
            raise ValueError(f"VT_REGISTER_SLEUTELS_OUD: versie {int(nummer)} staat er twee keer")
        sleutels[int(nummer)] = oude.strip().encode()
    return Registersleutels(huidige, sleutels)


def hashes_per_versie(
    sleutels: Registersleutels, b: Betrokkene
) -> list[tuple[int, bytes | None, bytes | None]]:
    """(version, bsn_hash, naam_hash) under every active version, the current one first."""
    volgorde = [sleutels.huidige, *(v for v in sleutels.actief if v != sleutels.huidige)]
    return [(v, *hashes(sleutels.sleutels[v], b)) for v in volgorde]
