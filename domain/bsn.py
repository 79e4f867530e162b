"""The burgerservicenummer and its elfproef."""

from __future__ import annotations


def is_geldig_bsn(bsn: str) -> bool:
    """True when `bsn` is 9 digits passing the elfproef (weights 9..2 and -1, sum % 11 == 0)."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    gewichten = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    totaal = sum(int(c) * g for c, g in zip(bsn, gewichten, strict=True))
    return totaal % 11 == 0 and totaal != 0


def controleer_bsn(bsn: str) -> str:
    """Return the BSN when valid, else raise ValueError naming the rule (never the value)."""
    if not is_geldig_bsn(bsn):
        raise ValueError("bsn: moet 9 cijfers zijn en de elfproef doorstaan")
    return bsn
