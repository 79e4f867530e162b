"""Decode is lenient, intake is strict.

A contract model is validated in two situations. At intake (the client, the CLI, a workflow's
update validator) every rule of the contract applies, including the rules that may change: the
region list, the time bounds, the size limit, the melding_id-BSN rule. When a worker decodes a
model from a Temporal history (plain `model_validate`, no context: the pydantic data converter)
only the structural rules apply, so a history recorded under yesterday's rules always replays.

Validators tell the two apart by the validation context: `intake_moment(info)` is the intake
clock at intake and None when decoding.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError, ValidationInfo

M = TypeVar("M", bound=BaseModel)

_NU = "nu"


def intake_context(nu: datetime | None = None) -> dict[str, Any]:
    """The validation context of intake: its clock (now, unless given)."""
    if nu is not None and (nu.tzinfo is None or nu.utcoffset() is None):
        raise ValueError("nu: moet een tijdzone hebben")
    return {_NU: nu or datetime.now(UTC)}


def intake_moment(info: ValidationInfo) -> datetime | None:
    """The intake clock when validating at intake; None when decoding from a history."""
    context = info.context
    if not isinstance(context, dict):
        return None
    nu = context.get(_NU)
    return nu if isinstance(nu, datetime) else None


def streng(model: M, nu: datetime | None = None) -> M:
    """Re-validate a contract model (a Melding or an update payload) with every intake rule.

    Returns the model as intake makes it (names trimmed, text in NFC): send that one. Raises
    pydantic's ValidationError, each error naming the field and the rule. Inside a workflow
    pass `nu=workflow.now()`: a workflow may not read the clock itself.
    """
    return valideer_streng(type(model), model.model_dump(mode="json"), nu)


def valideer_streng(soort: type[M], gegevens: Any, nu: datetime | None = None) -> M:
    """Validate raw input (a dict, or JSON text or bytes) as `soort` with every intake rule."""
    context = intake_context(nu)
    if isinstance(gegevens, str | bytes | bytearray):
        return soort.model_validate_json(gegevens, context=context)
    if isinstance(gegevens, BaseModel):
        gegevens = gegevens.model_dump(mode="json")
    return soort.model_validate(gegevens, context=context)


def foutregels(fout: ValidationError) -> list[str]:
    """One line per problem: the field (pydantic's loc) and the rule (msg)."""
    return [_foutregel(e["loc"], str(e["msg"])) for e in fout.errors(include_url=False)]


def _foutregel(loc: tuple[int | str, ...], bericht: str) -> str:
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
