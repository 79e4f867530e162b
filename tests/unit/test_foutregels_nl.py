"""Every validation error a user reads is Dutch (issue 23, point 7): pydantic's own errors are
told from their kind and the schema's context (domain/invoer.py `foutregels`), the project's
own rules keep their text, and no input value is ever repeated."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.besluiten import Besluit
from domain.invoer import ONBEKEND_VELD, foutregels, valideer_streng
from domain.melding import Melding
from starter.demo import voorbeeld

NU = datetime.now(UTC)


class Kleur(Enum):
    ROOD = "rood"
    GROEN = "groen"


class Proef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tekst: str = Field(default="ab", min_length=2, max_length=3)
    code: str = Field(default="x1", pattern=r"^x\d$")
    lijst: list[int] = Field(default=[1], min_length=1, max_length=2)
    soort: Literal["a", "b", "c"] = "a"
    kleur: Kleur = Kleur.ROOD
    groot: int = Field(default=1, gt=0, lt=10)
    klein: int = Field(default=1, ge=0, le=5)
    ja: bool = True
    dag: date = date(2026, 1, 1)
    moment: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    eigen: str = "goed"
    verplicht: int

    @field_validator("eigen")
    @classmethod
    def _eigen(cls, waarde: str) -> str:
        if waarde != "goed":
            raise ValueError("eigen: mag niet leeg zijn")
        return waarde


def regels(gegevens: Any) -> list[str]:
    try:
        if isinstance(gegevens, str):
            Proef.model_validate_json(gegevens)
        else:
            Proef.model_validate({"verplicht": 1, **gegevens})
    except ValidationError as fout:
        return foutregels(fout, Proef)
    raise AssertionError("geaccepteerd")


@pytest.mark.parametrize(
    ("gegevens", "regel"),
    [
        ({"verplicht": None, "tekst": 5}, "tekst: moet tekst zijn"),
        ({"tekst": "a"}, "tekst: moet minstens 2 tekens lang zijn"),
        ({"tekst": "abcd"}, "tekst: mag hoogstens 3 tekens lang zijn"),
        ({"code": "y9"}, r"code: heeft niet de vorm ^x\d$"),
        ({"lijst": []}, "lijst: moet minstens 1 element bevatten"),
        ({"lijst": [1, 2, 3]}, "lijst: mag hoogstens 2 elementen bevatten"),
        ({"lijst": 7}, "lijst: moet een lijst zijn"),
        ({"soort": "z"}, "soort: moet een van deze waarden zijn: 'a', 'b' of 'c'"),
        ({"kleur": "blauw"}, "kleur: moet een van deze waarden zijn: 'rood' of 'groen'"),
        ({"groot": 0}, "groot: moet groter zijn dan 0"),
        ({"groot": 10}, "groot: moet kleiner zijn dan 10"),
        ({"klein": -1}, "klein: moet groter dan of gelijk aan 0 zijn"),
        ({"klein": 6}, "klein: moet kleiner dan of gelijk aan 5 zijn"),
        ({"klein": "veel"}, "klein: moet een geheel getal zijn"),
        ({"klein": [3]}, "klein: moet een geheel getal zijn"),
        ({"klein": 1.5}, "klein: moet een geheel getal zijn (zonder decimalen)"),
        ({"ja": "misschien"}, "ja: moet true of false zijn"),
        ({"ja": [True]}, "ja: moet true of false zijn"),
        ({"dag": "gisteren"}, "dag: geen geldige datum (verwacht JJJJ-MM-DD)"),
        ({"dag": [1]}, "dag: geen geldige datum (verwacht JJJJ-MM-DD)"),
        ({"moment": "straks"}, "moment: geen geldig tijdstip"),
        ({"moment": [1]}, "moment: geen geldig tijdstip"),
        ({"moment": 1e30}, "moment: geen geldig tijdstip"),
        ({"eigen": "fout"}, "eigen: mag niet leeg zijn"),
        ({"Jan Jansen": 1}, f"{ONBEKEND_VELD}: niet toegestaan (geen bekend veld)"),
    ],
)
def test_each_pydantic_error_kind_is_told_in_dutch(gegevens: dict[str, Any], regel: str) -> None:
    gevonden = regels(gegevens)
    assert any(r.startswith(regel) for r in gevonden), gevonden


def test_a_missing_field_is_told_in_dutch() -> None:
    try:
        Proef.model_validate({})
    except ValidationError as fout:
        assert foutregels(fout, Proef) == ["verplicht: verplicht veld ontbreekt"]


def test_broken_json_names_line_and_column_in_dutch() -> None:
    assert regels('{\n  "tekst": ') == ["invoer: geen geldige JSON (regel 2, kolom 11)"]


def test_an_unknown_kind_is_named_by_its_kind_only() -> None:
    class Veelvoud(BaseModel):
        n: int = Field(multiple_of=3)

    try:
        Veelvoud.model_validate({"n": 4})
    except ValidationError as fout:
        assert foutregels(fout, Veelvoud) == ["n: ongeldige waarde (multiple_of)"]


# pydantic's English, as its messages start or contain it.
ENGELS = re.compile(
    r"Field required|Extra inputs|Input should|String should|List should|Value should|"
    r"Invalid JSON|valid (integer|string|boolean|date|datetime)|not permitted|"
    r"at least|at most|greater than|less than| or "
)


def _weigering(soort: type[BaseModel], gegevens: Any) -> list[str]:
    try:
        valideer_streng(soort, gegevens, NU)
    except ValidationError as fout:
        return foutregels(fout, soort)
    raise AssertionError("geaccepteerd")


def _melding(**anders: Any) -> dict[str, Any]:
    gegevens = voorbeeld("melding_voorwaarden")
    for pad, waarde in anders.items():
        *ouders, laatste = pad.split("__")
        doel: Any = gegevens
        for deel in ouders:
            doel = doel[int(deel)] if deel.isdigit() else doel[deel]
        if waarde is None:
            del doel[laatste]
        else:
            doel[laatste] = waarde
    return gegevens


@pytest.mark.parametrize(
    "gegevens",
    [
        _melding(regio=None),
        _melding(melder__meldnorm=9),
        _melding(melder__meldnorm="Jan Jansen"),
        _melding(betrokkenen__1__rol="buurman"),
        _melding(zorgen__kleur="rood"),
        _melding(ontvangen_op="vorige week dinsdag"),
        _melding(betrokkenen=[]),
        _melding(melding_id=12345),
    ],
)
def test_no_english_remains_for_invalid_meldingen(gegevens: dict[str, Any]) -> None:
    gevonden = _weigering(Melding, gegevens)
    assert gevonden and not any(ENGELS.search(r) for r in gevonden), gevonden
    assert not any("Jan Jansen" in r or "vorige week" in r for r in gevonden)


@pytest.mark.parametrize(
    "anders",
    [
        {"vervolg": "misschien"},
        {"contact_huishouden": None},
        {"anonimiteit_toegezegd": "Jan Jansen"},
        {"onderbouwing": ""},
        {"medewerker": "mw 1"},
        {"extra": 1},
        {"vervolg": "overdracht", "ketenpartner": None},
    ],
)
def test_no_english_remains_for_invalid_besluiten(anders: dict[str, Any]) -> None:
    gegevens = voorbeeld("besluit_overdracht")
    for veld, waarde in anders.items():
        if waarde is None:
            gegevens.pop(veld, None)
        else:
            gegevens[veld] = waarde
    gevonden = _weigering(Besluit, gegevens)
    assert gevonden and not any(ENGELS.search(r) for r in gevonden), gevonden
    assert not any("Jan Jansen" in r for r in gevonden)
