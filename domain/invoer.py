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
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

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


# A key of the input that is no field of the model: a person may have typed anything there.
ONBEKEND_VELD = "(onbekend veld)"

# pydantic's own messages that say only what the schema says (a bound, a pattern, the allowed
# values, the kind of value expected), never the input. Any other kind of pydantic error is
# told by its kind alone.
_SCHEMABERICHTEN = frozenset(
    {
        "missing",
        "extra_forbidden",
        "model_type",
        "model_attributes_type",
        "dict_type",
        "json_invalid",
        "json_type",
        "recursion_loop",
        "none_required",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "finite_number",
        "too_short",
        "too_long",
        "list_type",
        "iterable_type",
        "string_type",
        "string_unicode",
        "string_too_short",
        "string_too_long",
        "string_pattern_mismatch",
        "enum",
        "literal_error",
        "bool_type",
        "bool_parsing",
        "int_type",
        "int_parsing",
        "int_parsing_size",
        "int_from_float",
        "float_type",
        "float_parsing",
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "datetime_type",
        "datetime_parsing",
        "datetime_from_date_parsing",
        "timezone_naive",
        "timezone_aware",
        "timezone_offset",
        "frozen_instance",
        "frozen_field",
    }
)


def foutregels(fout: ValidationError, soort: type[BaseModel]) -> list[str]:
    """One line per problem: the field (pydantic's loc, as a path in `soort`) and the rule.

    Never a value: a protocol refusal carries these lines in plain text (contract/client.py,
    FoutenVersleuteld), so a path element that is no field of the model becomes ONBEKEND_VELD
    (a key someone typed may be a name), and a message is the domain's own rule text or one of
    pydantic's schema messages (tests/unit/test_weigering_zonder_persoonsgegevens.py).
    """
    return [
        _foutregel(_pad(e["loc"], soort), _bericht(e["type"], str(e["msg"])))
        for e in fout.errors(include_url=False, include_input=False, include_context=False)
    ]


def _bericht(soort: str, bericht: str) -> str:
    # value_error and assertion_error: the domain's validators, whose texts name a rule only.
    if soort in _SCHEMABERICHTEN or soort in ("value_error", "assertion_error"):
        return bericht
    return f"ongeldige waarde ({soort})"


def _pad(loc: tuple[int | str, ...], soort: type[BaseModel]) -> str:
    """The dotted path of `loc` through the fields of `soort`; list indexes kept."""
    delen: list[str] = []
    typen: list[Any] = [soort]
    for deel in loc:
        if isinstance(deel, int):
            delen.append(str(deel))
            typen = [e for t in typen for e in _elementtypen(t)]
            continue
        velden = {n: v.annotation for t in typen for n, v in _velden(t).items()}
        if deel in velden:
            delen.append(deel)
            typen = [velden[deel]]
        else:
            delen.append(ONBEKEND_VELD)
            typen = []
    return ".".join(delen)


def _ontvouw(type_: Any) -> list[Any]:
    """The types an annotation may hold: Annotated and unions unwrapped."""
    oorsprong = get_origin(type_)
    if oorsprong is Annotated:
        return _ontvouw(get_args(type_)[0])
    if oorsprong is Union or oorsprong is UnionType:
        return [t for a in get_args(type_) for t in _ontvouw(a)]
    return [type_]


def _velden(type_: Any) -> dict[str, Any]:
    return {
        naam: veld
        for t in _ontvouw(type_)
        if isinstance(t, type) and issubclass(t, BaseModel)
        for naam, veld in t.model_fields.items()
    }


def _elementtypen(type_: Any) -> list[Any]:
    return [
        e
        for t in _ontvouw(type_)
        if get_origin(t) in (list, tuple, set, frozenset)
        for e in get_args(t)[:1]
    ]


def _foutregel(veld: str, bericht: str) -> str:
    bericht = bericht.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    kop, scheiding, rest = bericht.partition(": ")
    if not scheiding or " " in kop:
        return f"{veld or 'invoer'}: {bericht}"
    # The domain's own messages start with the field they name ("bsn: moet …").
    if not veld or kop == veld or kop.startswith(veld + "."):
        return bericht
    if veld.endswith("." + kop):
        return f"{veld}: {rest}"
    return f"{veld}: {bericht}"
