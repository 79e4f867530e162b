"""The burgerservicenummer and its elfproef."""

from __future__ import annotations

import re

# ASCII digits only: str.isdigit and int() also take fullwidth and Arabic-Indic digits.
_NEGEN_CIJFERS = re.compile(r"[0-9]{9}")
_CIJFERREEKS = re.compile(r"[0-9]{9,}")
_GEWICHTEN = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_geldig_bsn(bsn: str) -> bool:
    """True when `bsn` is 9 ASCII digits passing the elfproef (weights 9..2 and -1, sum % 11
    == 0, sum not 0)."""
    if not _NEGEN_CIJFERS.fullmatch(bsn):
        return False
    totaal = sum(int(c) * g for c, g in zip(bsn, _GEWICHTEN, strict=True))
    return totaal % 11 == 0 and totaal != 0


def bevat_bsn(tekst: str) -> bool:
    """True when any nine consecutive ASCII digits in `tekst` pass the elfproef."""
    for reeks in _CIJFERREEKS.findall(tekst):
        if any(is_geldig_bsn(reeks[i : i + 9]) for i in range(len(reeks) - 8)):
            return True
    return False


def controleer_bsn(bsn: str) -> str:
    """Return the BSN when valid, else raise ValueError naming the rule (never the value)."""
    if not is_geldig_bsn(bsn):
        raise ValueError(
            "bsn: moet 9 cijfers zijn en de elfproef doorstaan (alleen de cijfers 0-9)"
        )
    return bsn
