"""Identifiers that are stored or shown in clear: they must not carry personal data.

A `melding_id` is part of workflow IDs, temporal.db, PostgreSQL keys and log lines; a
`verzoek_id` is the Temporal update ID (readable without the codec); a `medewerker` id is in
the audit's clear column. None of them is encrypted, so each must look like what it is: a
number with at most a short letter code, never a name or a BSN.

The rules (ASCII only: `str.isdigit` also takes Arabic-Indic and fullwidth digits; a regular
expression's `\\d` and `\\w` would too):

- `melding_id`: 1-64 characters of `A-Z a-z 0-9 - _`. Split at `-` and `_`, every part
  either holds no run of more than 4 letters (a code such as `VT`, `UTR`, `M1`, and digits:
  `VT-UTR-2026-000123`), or is a hexadecimal number: only `0-9 a-f` (or only `0-9 A-F`) with
  at least one digit (`9e5decef49cd`, from a uuid or hash). `Tjitske` and `Zwartkopvlinder`
  are neither. No nine consecutive digits that pass the elfproef.
- `verzoek_id`: either a UUID (32 hex digits of any case, bare or as 8-4-4-4-12 with dashes),
  optionally after a prefix of 1-8 letters and `-` or `_` (`verzoek-<uuid>`, as the CLI makes
  one); or 1-64 characters of which only a prefix of at most 8 letters is a letter, the rest
  digits, `-` and `_` (`ticket-81`, `req-0001`, `X-1`); in both no nine consecutive digits that
  pass the elfproef.
- `medewerker`: 1-4 letters, `-`, 1-8 digits (`mw-0042`, `tl-0007`).

Not detected (on purpose): a BSN split by separators or letters (`628-194-821`). The canonical
`VT-UTR-2026-000123` joins to ten digits; checking across separators would refuse 17 % of such
registration numbers (measured over every sequence number of a year). Consecutive digits only.

These rules may change, so they run at intake only (`domain.invoer`: the client, the CLI, a
workflow's update validator), never when a history is decoded: `bij_intake` makes the
validator. Each `…_fout` function returns the refusal (Dutch, naming the field and the rule,
never the value) or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import AfterValidator, ValidationInfo

from domain.bsn import bevat_bsn
from domain.invoer import intake_moment

MAX_LETTERS_MELDING_ID = 4
MAX_PREFIX_VERZOEK_ID = 8

_MELDING_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LETTERREEKS = re.compile(rf"[A-Za-z]{{{MAX_LETTERS_MELDING_ID + 1},}}")
_HEXGETAL = re.compile(r"[0-9a-f]*[0-9][0-9a-f]*|[0-9A-F]*[0-9][0-9A-F]*")
_UUID = r"(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12})"
_VERZOEK_UUID = re.compile(rf"(?:[A-Za-z]{{1,{MAX_PREFIX_VERZOEK_ID}}}[-_])?{_UUID}")
_VERZOEK_TOKEN = re.compile(rf"(?=.{{1,64}}\Z)[A-Za-z]{{0,{MAX_PREFIX_VERZOEK_ID}}}[0-9_-]*")
_MEDEWERKER = re.compile(r"[A-Za-z]{1,4}-[0-9]{1,8}")

_GEEN_BSN = "mag geen BSN bevatten (negen cijfers die de elfproef doorstaan)"


def melding_id_fout(waarde: str) -> str | None:
    """Why `waarde` is no melding_id under the intake rule, or None."""
    if not _MELDING_ID.fullmatch(waarde):
        return "melding_id: 1-64 tekens A-Z a-z 0-9 - _"
    if any(
        _LETTERREEKS.search(deel) and not _HEXGETAL.fullmatch(deel)
        for deel in re.split(r"[-_]", waarde)
    ):
        return (
            f"melding_id: ten hoogste {MAX_LETTERS_MELDING_ID} letters achter elkaar per deel"
            " (tussen - en _), tenzij het deel een hexadecimaal getal is; het is een"
            " registratienummer (zoals VT-UTR-2026-000123) dat leesbaar in Temporal, PostgreSQL"
            " en logs staat, geen naam"
        )
    if bevat_bsn(waarde):
        return (
            f"melding_id: {_GEEN_BSN}; het is een registratienummer dat leesbaar in Temporal staat"
        )
    return None


def verzoek_id_fout(waarde: str) -> str | None:
    """Why `waarde` is no verzoek_id (a request's update ID), or None."""
    if not (_VERZOEK_UUID.fullmatch(waarde) or _VERZOEK_TOKEN.fullmatch(waarde)):
        return (
            "verzoek_id: een UUID (eventueel na 1-8 letters en - of _), of 1-64 tekens:"
            f" ten hoogste {MAX_PREFIX_VERZOEK_ID} letters vooraan, verder alleen 0-9 - _"
            " (zoals ticket-81); het is leesbaar in Temporal"
        )
    if bevat_bsn(waarde):
        return f"verzoek_id: {_GEEN_BSN}; het is leesbaar in Temporal"
    return None


def medewerker_fout(waarde: str) -> str | None:
    """Why `waarde` is no medewerker id, or None."""
    if not _MEDEWERKER.fullmatch(waarde):
        return (
            "medewerker: 1-4 letters, een streepje en 1-8 cijfers (zoals mw-0042); het staat"
            " leesbaar in de audit en in Temporal, geen naam of BSN"
        )
    return None


def bij_intake(regel: Callable[[str], str | None]) -> Any:
    """A pydantic validator (for `Annotated[str, …]`) applying `regel` at intake only: a value
    from a history decodes under whatever rule held when it was recorded."""

    def valideer(waarde: str, info: ValidationInfo) -> str:
        if intake_moment(info) is not None:
            fout = regel(waarde)
            if fout is not None:
                raise ValueError(fout)
        return waarde

    return AfterValidator(valideer)
