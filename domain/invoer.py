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

import json
import re
from datetime import UTC, date, datetime
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError, ValidationInfo
from pydantic_core import to_json

# Told by domain/foutregels.py; given here too, where the validation's callers look for them.
from domain.foutregels import ONBEKEND_VELD as ONBEKEND_VELD
from domain.foutregels import foutregels as foutregels

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
    if isinstance(gegevens, BaseModel):
        gegevens = gegevens.model_dump(mode="json")
    _controleer_omvang(soort, gegevens)
    _controleer_soorten(soort, gegevens)
    if isinstance(gegevens, str | bytes | bytearray):
        tekst = gegevens
    else:
        # First as Python: a text no JSON can carry (a lone surrogate) is refused by its field
        # and rule, as the text rules word it; then as the JSON text it stands for.
        soort.model_validate(gegevens, context=context)
        tekst = _als_json(gegevens)
    return soort.model_validate_json(tekst, context=context)


def omvang_in_bytes(gegevens: Any) -> int:
    """The size of `gegevens` as compact UTF-8 JSON (a model, or what validation receives)."""
    if isinstance(gegevens, BaseModel):
        gegevens = gegevens.model_dump(mode="json")
    try:
        tekst = json.dumps(gegevens, ensure_ascii=False, separators=(",", ":"), default=str)
    except (RecursionError, TypeError, ValueError) as fout:
        raise ValueError(f"melding: niet als JSON te schrijven ({type(fout).__name__})") from None
    return len(tekst.encode("utf-8", "surrogatepass"))


# Strict as JSON (issue 21 item 10): a moment or a date only as an ISO 8601 text (pydantic
# also reads a number, or a text of digits, as seconds since 1970: "ontvangen_op": "1765094400"
# was a moment), a boolean only true or false (not "true" or 1), an integer only a JSON integer
# (not "1" or 1.0). Checked on the raw input against the model's field types, because pydantic's
# strict mode turns Python-strict behind a `before` validator (the models have one) and then
# refuses an ISO text for a moment. A worker decoding a history stays lenient.
_ISO_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}")


def _controleer_soorten(soort: type[BaseModel], gegevens: Any) -> None:
    if isinstance(gegevens, str | bytes | bytearray):
        try:
            gegevens = json.loads(gegevens)
        except (ValueError, RecursionError):
            return  # not JSON: validation itself says where
    fouten = [
        {"type": soort_fout, "loc": pad, "input": None}
        for pad, soort_fout in _velden_in(soort, gegevens, ())
    ]
    if fouten:
        raise ValidationError.from_exception_data(soort.__name__, fouten)  # type: ignore[arg-type]


def _velden_in(model: type[BaseModel], gegevens: Any, pad: tuple[Any, ...]) -> list[Any]:
    if not isinstance(gegevens, dict):
        return []
    gevonden = []
    for naam, veld in model.model_fields.items():
        if naam in gegevens:
            gevonden += _waarde_in(veld.annotation, gegevens[naam], (*pad, naam))
    return gevonden


def _waarde_in(soort: Any, waarde: Any, pad: tuple[Any, ...]) -> list[Any]:
    oorsprong = get_origin(soort)
    if oorsprong is Annotated:
        return _waarde_in(get_args(soort)[0], waarde, pad)
    if oorsprong in (Union, UnionType):
        if waarde is None:
            return []
        per_soort = [_waarde_in(a, waarde, pad) for a in get_args(soort) if a is not type(None)]
        return [] if any(not f for f in per_soort) else per_soort[0]
    if oorsprong in (list, tuple, set, frozenset) and isinstance(waarde, list):
        [element, *_] = get_args(soort) or (Any,)
        return [f for i, w in enumerate(waarde) for f in _waarde_in(element, w, (*pad, i))]
    if isinstance(soort, type) and issubclass(soort, BaseModel):
        return _velden_in(soort, waarde, pad)
    if soort in (datetime, date):
        # From Python (not JSON) a datetime or date object is itself the moment.
        iso = isinstance(waarde, date) or (isinstance(waarde, str) and _ISO_DATUM.match(waarde))
        return [] if iso else [(pad, "datetime_type" if soort is datetime else "date_type")]
    if soort is bool and not isinstance(waarde, bool):
        return [(pad, "bool_type")]
    if soort is int and (isinstance(waarde, bool) or not isinstance(waarde, int)):
        return [(pad, "int_type")]
    return []


def _als_json(gegevens: Any) -> str:
    """Python input as the JSON text it stands for (moments ISO 8601); a lone surrogate stays
    escaped, so the text rules refuse it by name instead of the encoder failing."""
    try:
        return json.dumps(gegevens, default=_iso)
    except (TypeError, ValueError, RecursionError):
        return str(to_json(gegevens, fallback=str), "utf-8")


def _iso(waarde: Any) -> Any:
    if isinstance(waarde, datetime | date):
        return waarde.isoformat()
    if isinstance(waarde, BaseModel):
        return waarde.model_dump(mode="json")
    raise TypeError(type(waarde).__name__)


def _controleer_omvang(soort: type[BaseModel], gegevens: Any) -> None:
    """A model with a size bound (`MAX_BYTES`, a Melding's) is refused above it at intake, as
    compact UTF-8 JSON. Here and not in a `before` validator of the model: after one, pydantic
    validates as Python, where strict mode would refuse an ISO 8601 text for a moment."""
    grens = getattr(soort, "MAX_BYTES", None)
    if not grens:
        return
    if isinstance(gegevens, str | bytes | bytearray):
        try:
            gegevens = json.loads(gegevens)
        except (ValueError, RecursionError):
            return  # not JSON: validation itself says where
    try:
        omvang = omvang_in_bytes(gegevens)
        if omvang > grens:
            raise ValueError(
                f"melding: JSON is {omvang} bytes ({omvang / 1024:.1f} KiB), ten hoogste "
                f"{grens} bytes ({grens // 1024} KiB)"
            )
    except ValueError as fout:
        raise ValidationError.from_exception_data(
            soort.__name__,
            [{"type": "value_error", "loc": (), "input": None, "ctx": {"error": fout}}],
        ) from None
