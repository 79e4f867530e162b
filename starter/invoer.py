"""The CLI's input: JSON from a file or stdin, validated into the domain models before anything
is sent. Every problem becomes one line naming the field and the rule (OngeldigeInvoer, exit 2).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contract import ids
from domain.cron import cron_fout
from domain.invoer import foutregels as invoerfouten
from domain.invoer import valideer_streng
from starter.fouten import OngeldigeInvoer

M = TypeVar("M", bound=BaseModel)

# A file or stdin larger than this is refused before parsing (a melding's JSON is at most
# 256 KiB; room for indentation).
MAX_INVOER_BYTES = 1024 * 1024


def lees_json(bron: str) -> Any:
    """The JSON in file `bron`, or on stdin for `-`: at most MAX_INVOER_BYTES, without duplicate
    keys, nested no deeper than the parser can follow."""
    naam = "stdin" if bron == "-" else bron
    try:
        ruw = _lees_begrensd(bron)
    except FileNotFoundError:
        raise OngeldigeInvoer([f"{naam}: bestand niet gevonden"]) from None
    except OSError as fout:
        raise OngeldigeInvoer([f"{naam}: niet leesbaar ({fout})"]) from None
    if len(ruw) > MAX_INVOER_BYTES:
        grens = f"{MAX_INVOER_BYTES} bytes ({MAX_INVOER_BYTES // 1024} KiB)"
        raise OngeldigeInvoer([f"{naam}: groter dan {grens}, niet gelezen"])
    try:
        tekst = ruw.decode("utf-8")
    except UnicodeDecodeError as fout:
        raise OngeldigeInvoer([f"{naam}: niet leesbaar ({fout})"]) from None
    try:
        return json.loads(tekst, object_pairs_hook=_zonder_dubbele_sleutels)
    except json.JSONDecodeError as fout:
        raise OngeldigeInvoer(
            [f"{naam}: geen geldige JSON op regel {fout.lineno}, kolom {fout.colno}: {fout.msg}"]
        ) from None
    except ValueError as fout:  # e.g. an integer of more than 4300 digits
        raise OngeldigeInvoer([f"{naam}: geen geldige JSON: {str(fout)[:120]}"]) from None
    except _DubbeleSleutel as fout:
        raise OngeldigeInvoer([f"{naam}: sleutel {fout.sleutel!r} komt twee keer voor"]) from None
    except RecursionError:
        raise OngeldigeInvoer(
            [f"{naam}: JSON te diep genest (geen bericht van het contract is dat)"]
        ) from None


class _DubbeleSleutel(Exception):
    def __init__(self, sleutel: str) -> None:
        super().__init__(sleutel)
        self.sleutel = sleutel if len(sleutel) <= 80 else sleutel[:80] + "…"


def _zonder_dubbele_sleutels(paren: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object with a key twice is refused: which of the two would count is ambiguous."""
    uitkomst: dict[str, Any] = {}
    for sleutel, waarde in paren:
        if sleutel in uitkomst:
            raise _DubbeleSleutel(sleutel)
        uitkomst[sleutel] = waarde
    return uitkomst


def _lees_begrensd(bron: str) -> bytes:
    """At most MAX_INVOER_BYTES + 1 bytes: enough to see that input is too large."""
    if bron != "-":
        with Path(bron).open("rb") as bestand:
            return bestand.read(MAX_INVOER_BYTES + 1)
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return bytes(buffer.read(MAX_INVOER_BYTES + 1))
    return sys.stdin.read(MAX_INVOER_BYTES + 1).encode("utf-8", "surrogatepass")


def lees(bron: str, model: type[M], aanvulling: Callable[[Any], Any] | None = None) -> M:
    """Read and validate one message with every intake rule (domain.invoer: the clock, the
    region list, the size limit …), as the workflow's validators will."""
    gegevens = lees_json(bron)
    if aanvulling is not None:
        gegevens = aanvulling(gegevens)
    try:
        return valideer_streng(model, gegevens)
    except ValidationError as fout:
        raise OngeldigeInvoer(invoerfouten(fout, model)) from None


def verzoek_aanvulling(melding_id: str) -> Callable[[Any], Any]:
    """The ID argument names the melding; the file may leave melding_id and ontvangen_op out."""

    def vul_aan(gegevens: Any) -> Any:
        if not isinstance(gegevens, dict):
            return gegevens
        gegevens = dict(gegevens)
        eigen = gegevens.setdefault("melding_id", melding_id)
        if eigen != melding_id:
            raise OngeldigeInvoer(
                [f"melding_id: {str(eigen)[:80]!r} in het bestand verschilt van ID {melding_id!r}"]
            )
        gegevens.setdefault("ontvangen_op", datetime.now(UTC).isoformat())
        return gegevens

    return vul_aan


def controleer_id(melding_id: str, *, lijst: bool = False) -> None:
    """An ID argument that cannot name a melding (or, `lijst`, a destruction list) is invalid
    input."""
    try:
        if lijst:
            ids.lijst_id(melding_id)
        else:
            ids.melding_workflow_id(melding_id)
    except ValueError as fout:
        raise OngeldigeInvoer([str(fout)]) from None


def positief_getal(waarde: str) -> int:
    """An argparse type (`lijst --limiet`): a whole number of at least 1, in ASCII digits."""
    if not re.fullmatch(r"-?[0-9]{1,9}", waarde):
        raise argparse.ArgumentTypeError(f"{waarde[:20]!r} is geen geheel getal (0-9)")
    getal = int(waarde)
    if getal < 1:
        raise argparse.ArgumentTypeError(f"moet 1 of meer zijn, niet {getal}")
    return getal


def cron(waarde: str) -> str:
    """An argparse type (`lijst-plannen --cron`): five valid cron fields (domain/cron.py)."""
    fout = cron_fout(waarde)
    if fout is not None:
        raise argparse.ArgumentTypeError(fout)
    return waarde


def foutmelding(fout: OngeldigeInvoer) -> str:
    """What the CLI prints on stderr for invalid input: a heading, then one line per problem."""
    return "\n".join(["ongeldige invoer, niets verstuurd:", *(f"  {r}" for r in fout.regels)])
