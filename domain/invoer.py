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
from collections.abc import Callable
from datetime import UTC, date, datetime
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError, ValidationInfo
from pydantic_core import to_json

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
    _controleer_tijden(soort, gegevens)
    if isinstance(gegevens, str | bytes | bytearray):
        tekst = gegevens
    else:
        # First as Python: a text no JSON can carry (a lone surrogate) is refused by its field
        # and rule, as the text rules word it; then as the JSON text it stands for.
        soort.model_validate(gegevens, context=context)
        tekst = _als_json(gegevens)
    # Strict, as JSON: a moment is an ISO 8601 text (not a number, nor digits in a text), a
    # boolean true or false (not "true" or 1), a number no text and an integer not 1.0 (issue
    # 21 item 10). A worker decoding a history stays lenient (contract.client).
    return soort.model_validate_json(tekst, strict=True, context=context)


def omvang_in_bytes(gegevens: Any) -> int:
    """The size of `gegevens` as compact UTF-8 JSON (a model, or what validation receives)."""
    if isinstance(gegevens, BaseModel):
        gegevens = gegevens.model_dump(mode="json")
    try:
        tekst = json.dumps(gegevens, ensure_ascii=False, separators=(",", ":"), default=str)
    except (RecursionError, TypeError, ValueError) as fout:
        raise ValueError(f"melding: niet als JSON te schrijven ({type(fout).__name__})") from None
    return len(tekst.encode("utf-8", "surrogatepass"))


# A moment or a date as a text in ISO 8601: pydantic, even strict, also reads a number, or a
# text of digits, as seconds since 1970 ("ontvangen_op": "1765094400" was a moment).
_ISO_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}")


def _controleer_tijden(soort: type[BaseModel], gegevens: Any) -> None:
    """Every moment and date of the input is an ISO 8601 text (issue 21 item 10)."""
    if isinstance(gegevens, str | bytes | bytearray):
        try:
            gegevens = json.loads(gegevens)
        except (ValueError, RecursionError):
            return
    fouten = [
        {"type": soort_fout, "loc": pad, "input": None}
        for pad, soort_fout in _tijden_in(soort, gegevens, ())
    ]
    if fouten:
        raise ValidationError.from_exception_data(soort.__name__, fouten)  # type: ignore[arg-type]


def _tijden_in(model: type[BaseModel], gegevens: Any, pad: tuple[Any, ...]) -> list[Any]:
    if not isinstance(gegevens, dict):
        return []
    gevonden = []
    for naam, veld in model.model_fields.items():
        if naam in gegevens:
            gevonden += _tijd_in(veld.annotation, gegevens[naam], (*pad, naam))
    return gevonden


def _tijd_in(soort: Any, waarde: Any, pad: tuple[Any, ...]) -> list[Any]:
    oorsprong = get_origin(soort)
    if oorsprong is Annotated:
        return _tijd_in(get_args(soort)[0], waarde, pad)
    if oorsprong in (Union, UnionType):
        if waarde is None:
            return []
        return next((f for a in get_args(soort) if (f := _tijd_in(a, waarde, pad))), [])
    if oorsprong in (list, tuple, set, frozenset) and isinstance(waarde, list):
        [element, *_] = get_args(soort) or (Any,)
        return [f for i, w in enumerate(waarde) for f in _tijd_in(element, w, (*pad, i))]
    if isinstance(soort, type) and issubclass(soort, BaseModel):
        return _tijden_in(soort, waarde, pad)
    # From Python (not JSON) a datetime or date object is itself the moment.
    iso = isinstance(waarde, date) or (isinstance(waarde, str) and _ISO_DATUM.match(waarde))
    if soort in (datetime, date) and not iso:
        return [(pad, "datetime_type" if soort is datetime else "date_type")]
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


# A key of the input that is no field of the model: a person may have typed anything there.
ONBEKEND_VELD = "(onbekend veld)"


# pydantic's own errors, told in Dutch by their kind and the schema's context (a bound, a
# length, a pattern, the allowed values): never pydantic's English text, never the input.
# Any other kind of pydantic error is told by its kind alone.
def _waarden(ctx: dict[str, Any]) -> str:
    """pydantic's `'a', 'b' or 'c'` (the schema's allowed values) as `'a', 'b' of 'c'`."""
    verwacht = str(ctx.get("expected", ""))
    begin, of, laatste = verwacht.rpartition(" or ")
    return f"{begin} of {laatste}" if of else verwacht


def _json(ctx: dict[str, Any]) -> str:
    plaats = re.search(r"line (\d+) column (\d+)", str(ctx.get("error", "")))
    if plaats is None:
        return "geen geldige JSON"
    return f"geen geldige JSON (regel {plaats[1]}, kolom {plaats[2]})"


def _aantal(n: Any, enkelvoud: str, meervoud: str) -> str:
    return f"{n} {enkelvoud if n == 1 else meervoud}"


_DATUM = "geen geldige datum (verwacht JJJJ-MM-DD)"
_MOMENT = "geen geldig tijdstip (verwacht ISO 8601 met tijdzone, bv. 2026-03-02T09:30:00+01:00)"

_BERICHTEN: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda c: "verplicht veld ontbreekt",
    "extra_forbidden": lambda c: "niet toegestaan (geen bekend veld)",
    "model_type": lambda c: "moet een object zijn",
    "model_attributes_type": lambda c: "moet een object zijn",
    "dict_type": lambda c: "moet een object zijn",
    "json_invalid": _json,
    "json_type": lambda c: "moet JSON-tekst zijn",
    "recursion_loop": lambda c: "invoer verwijst naar zichzelf",
    "none_required": lambda c: "moet leeg zijn (null)",
    "greater_than": lambda c: f"moet groter zijn dan {c.get('gt')}",
    "greater_than_equal": lambda c: f"moet groter dan of gelijk aan {c.get('ge')} zijn",
    "less_than": lambda c: f"moet kleiner zijn dan {c.get('lt')}",
    "less_than_equal": lambda c: f"moet kleiner dan of gelijk aan {c.get('le')} zijn",
    "finite_number": lambda c: "moet een eindig getal zijn",
    "too_short": lambda c: (
        f"moet minstens {_aantal(c.get('min_length'), 'element', 'elementen')} bevatten"
    ),
    "too_long": lambda c: (
        f"mag hoogstens {_aantal(c.get('max_length'), 'element', 'elementen')} bevatten"
    ),
    "list_type": lambda c: "moet een lijst zijn",
    "iterable_type": lambda c: "moet een lijst zijn",
    "string_type": lambda c: "moet tekst zijn",
    "string_unicode": lambda c: "moet geldige unicode-tekst zijn",
    "string_too_short": lambda c: (
        f"moet minstens {_aantal(c.get('min_length'), 'teken', 'tekens')} lang zijn"
    ),
    "string_too_long": lambda c: (
        f"mag hoogstens {_aantal(c.get('max_length'), 'teken', 'tekens')} lang zijn"
    ),
    "string_pattern_mismatch": lambda c: f"heeft niet de vorm {c.get('pattern')}",
    "enum": lambda c: f"moet een van deze waarden zijn: {_waarden(c)}",
    "literal_error": lambda c: f"moet een van deze waarden zijn: {_waarden(c)}",
    "bool_type": lambda c: "moet true of false zijn",
    "bool_parsing": lambda c: "moet true of false zijn",
    "int_type": lambda c: "moet een geheel getal zijn",
    "int_parsing": lambda c: "moet een geheel getal zijn",
    "int_parsing_size": lambda c: "getal is te groot",
    "int_from_float": lambda c: "moet een geheel getal zijn (zonder decimalen)",
    "float_type": lambda c: "moet een getal zijn",
    "float_parsing": lambda c: "moet een getal zijn",
    "date_type": lambda c: _DATUM,
    "date_parsing": lambda c: _DATUM,
    "date_from_datetime_parsing": lambda c: _DATUM,
    "date_from_datetime_inexact": lambda c: "moet een datum zijn zonder tijd",
    "date_future": lambda c: "moet in de toekomst liggen",
    "date_past": lambda c: "moet in het verleden liggen",
    "datetime_type": lambda c: _MOMENT,
    "datetime_parsing": lambda c: _MOMENT,
    "datetime_from_date_parsing": lambda c: _MOMENT,
    "datetime_object_invalid": lambda c: _MOMENT,
    "datetime_future": lambda c: "moet in de toekomst liggen",
    "datetime_past": lambda c: "moet in het verleden liggen",
    "timezone_naive": lambda c: "mag geen tijdzone hebben",
    "timezone_aware": lambda c: "moet een tijdzone hebben",
    "timezone_offset": lambda c: "heeft niet de verwachte tijdzone",
    "frozen_instance": lambda c: "mag niet gewijzigd worden",
    "frozen_field": lambda c: "mag niet gewijzigd worden",
}


def foutregels(fout: ValidationError, soort: type[BaseModel]) -> list[str]:
    """One line per problem: the field (pydantic's loc, as a path in `soort`) and the rule.

    Never a value: a protocol refusal carries these lines in plain text (contract/client.py,
    FoutenVersleuteld), so a path element that is no field of the model becomes ONBEKEND_VELD
    (a key someone typed may be a name), and a message is the domain's own rule text or one of
    pydantic's errors told in Dutch from its kind and the schema's context
    (tests/unit/test_weigering_zonder_persoonsgegevens.py, tests/unit/test_foutregels_nl.py).
    """
    return [
        _foutregel(_pad(e["loc"], soort), _bericht(e["type"], str(e["msg"]), e.get("ctx")))
        for e in fout.errors(include_url=False, include_input=False)
    ]


def _bericht(soort: str, bericht: str, ctx: dict[str, Any] | None) -> str:
    # value_error and assertion_error: the domain's validators, whose texts name a rule only.
    if soort in ("value_error", "assertion_error"):
        return bericht
    vertaling = _BERICHTEN.get(soort)
    if vertaling is not None:
        return vertaling(ctx or {})
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
