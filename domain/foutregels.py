"""Validation errors told in Dutch, one line per problem, each naming the field's full path
and the rule: never pydantic's English text, never the input itself (a person may have typed
anything, personal data included). domain/invoer.py validates; this module tells why not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

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
