"""Text in the contract: every string storable by PostgreSQL, in Unicode NFC.

Always, also when a worker decodes a history: no NUL (PostgreSQL refuses it in text and jsonb),
no lone surrogates (not UTF-8), at most TEKST_MAX characters, normalised to NFC (idempotent, so a
value stored before decodes to itself). At intake (domain.invoer) also: a name or another
one-line value is trimmed and refused when blank, control characters are refused (free text
keeps tab and newline), invisible format characters are refused (all in a one-line value, those
that reverse the reading direction in free text), and each kind of text has its own, smaller
bound.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo

from domain.invoer import intake_moment

TEKST_MAX = 10_000
NAAM_MAX = 200

# Control characters (Unicode category Cc): in free text all but tab, newline and carriage
# return; in a one-line value all, and the line and paragraph separators too.
_STUURTEKEN_TEKST = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_STUURTEKEN_REGEL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# Unicode format characters (category Cf: a soft hyphen, a zero-width space, direction marks):
# invisible, so a surname with one looks like another and is not found by the register's name
# match (issue 21 item 7). One-line values refuse them all; free text only those that turn the
# reading direction around (a Trojan-source trick), since a joiner belongs in some scripts.
_RICHTING = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _opmaakteken(waarde: str, *, alle: bool) -> str | None:
    for teken in waarde:
        if teken in _RICHTING or (alle and unicodedata.category(teken) == "Cf"):
            return teken
    return None


def _veld(info: ValidationInfo) -> str:
    return info.field_name or "tekst"


def structureel(waarde: str, veld: str) -> str:
    """The rules that always hold: storable by PostgreSQL, bounded, NFC."""
    if len(waarde) > TEKST_MAX:
        raise ValueError(f"{veld}: ten hoogste {TEKST_MAX} tekens (nu {len(waarde)})")
    if "\x00" in waarde:
        raise ValueError(f"{veld}: mag geen NUL-teken (\\x00) bevatten")
    try:
        waarde.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"{veld}: mag geen losse surrogaat (U+D800 tot U+DFFF) bevatten: geen geldige Unicode"
        ) from None
    return unicodedata.normalize("NFC", waarde)


def _tekstsoort(max_lengte: int, *, eenregelig: bool, leeg_bij_decode: bool = False) -> Any:
    def valideer(waarde: str, info: ValidationInfo) -> str:
        veld = _veld(info)
        waarde = structureel(waarde, veld)
        if not waarde and not leeg_bij_decode:
            raise ValueError(f"{veld}: mag niet leeg zijn")
        if intake_moment(info) is None:
            return waarde
        if eenregelig:
            waarde = unicodedata.normalize("NFC", waarde.strip())
        if not waarde.strip():
            raise ValueError(f"{veld}: mag niet leeg zijn of alleen uit witruimte bestaan")
        teken = (_STUURTEKEN_REGEL if eenregelig else _STUURTEKEN_TEKST).search(waarde)
        if teken is not None:
            soort = "regeleinde of stuurteken" if eenregelig else "stuurteken"
            raise ValueError(f"{veld}: mag geen {soort} bevatten (U+{ord(teken[0]):04X})")
        onzichtbaar = _opmaakteken(waarde, alle=eenregelig)
        if onzichtbaar is not None:
            raise ValueError(
                f"{veld}: mag geen onzichtbaar opmaakteken bevatten (U+{ord(onzichtbaar):04X}): "
                "het verbergt de tekst voor wie ernaar zoekt of hem leest"
            )
        if len(waarde) > max_lengte:
            raise ValueError(f"{veld}: ten hoogste {max_lengte} tekens (nu {len(waarde)})")
        return waarde

    return AfterValidator(valideer)


# Free text (omschrijving, onderbouwing, toelichting …): tab and newline allowed.
Tekst = Annotated[str, _tekstsoort(TEKST_MAX, eenregelig=False)]
# A person's or an organisation's name: one line, trimmed, not blank.
Naam = Annotated[str, _tekstsoort(NAAM_MAX, eenregelig=True)]
# Contact details of the melder: one line, trimmed; v1 accepted an empty one.
Telefoon = Annotated[str, _tekstsoort(40, eenregelig=True, leeg_bij_decode=True)]
Email = Annotated[str, _tekstsoort(254, eenregelig=True, leeg_bij_decode=True)]
