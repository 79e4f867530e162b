"""The CLI's input: JSON from a file or stdin, validated into the domain models before anything
is sent. Every problem becomes one line naming the field and the rule (OngeldigeInvoer, exit 2).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from domain import names
from domain.melding import Melding
from starter.fouten import OngeldigeInvoer

M = TypeVar("M", bound=BaseModel)


def lees_json(bron: str) -> Any:
    """The JSON in file `bron`, or on stdin for `-`."""
    naam = "stdin" if bron == "-" else bron
    try:
        tekst = sys.stdin.read() if bron == "-" else Path(bron).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OngeldigeInvoer([f"{naam}: bestand niet gevonden"]) from None
    except (OSError, UnicodeDecodeError) as fout:
        raise OngeldigeInvoer([f"{naam}: niet leesbaar ({fout})"]) from None
    try:
        return json.loads(tekst)
    except json.JSONDecodeError as fout:
        raise OngeldigeInvoer(
            [f"{naam}: geen geldige JSON op regel {fout.lineno}, kolom {fout.colno}: {fout.msg}"]
        ) from None


def lees(bron: str, model: type[M], aanvulling: Callable[[Any], Any] | None = None) -> M:
    """Read and validate one message; a Melding also against the clock (not in the future)."""
    gegevens = lees_json(bron)
    if aanvulling is not None:
        gegevens = aanvulling(gegevens)
    try:
        if model is Melding:
            return Melding.ontvang(gegevens)  # type: ignore[return-value]
        return model.model_validate(gegevens)
    except ValidationError as fout:
        raise OngeldigeInvoer(invoerfouten(fout)) from None


def verzoek_aanvulling(melding_id: str) -> Callable[[Any], Any]:
    """The ID argument names the melding; the file may leave melding_id and ontvangen_op out."""

    def vul_aan(gegevens: Any) -> Any:
        if not isinstance(gegevens, dict):
            return gegevens
        gegevens = dict(gegevens)
        eigen = gegevens.setdefault("melding_id", melding_id)
        if eigen != melding_id:
            raise OngeldigeInvoer(
                [f"melding_id: {eigen!r} in het bestand verschilt van ID {melding_id!r}"]
            )
        gegevens.setdefault("ontvangen_op", datetime.now(UTC).isoformat())
        return gegevens

    return vul_aan


def controleer_id(melding_id: str) -> None:
    """An ID argument that cannot name a melding is invalid input."""
    try:
        names.melding_workflow_id(melding_id)
    except ValueError as fout:
        raise OngeldigeInvoer([str(fout)]) from None


def invoerfouten(fout: ValidationError) -> list[str]:
    """One line per problem: the field (pydantic's loc) and the rule (msg)."""
    return [_invoerfout(e["loc"], str(e["msg"])) for e in fout.errors(include_url=False)]


def foutmelding(fout: OngeldigeInvoer) -> str:
    """What the CLI prints on stderr for invalid input: a heading, then one line per problem."""
    return "\n".join(["ongeldige invoer, niets verstuurd:", *(f"  {r}" for r in fout.regels)])


def _invoerfout(loc: tuple[int | str, ...], bericht: str) -> str:
    veld = ".".join(str(d) for d in loc)
    bericht = bericht.removeprefix("Value error, ")
    kop, scheiding, rest = bericht.partition(": ")
    if not scheiding or " " in kop:
        return f"{veld or 'invoer'}: {bericht}"
    # The domain's own messages start with the field they name ("bsn: moet …").
    if not veld or kop == veld or kop.startswith(veld + "."):
        return bericht
    if veld.endswith("." + kop):
        return f"{veld}: {rest}"
    return f"{veld}: {bericht}"
