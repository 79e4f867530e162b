"""Fuzzing the contract's input with Hypothesis, through the real models and through the CLI's
input path (starter.invoer): every valid message is accepted unchanged but for normalisation,
and survives its own wire form; every invalid one is refused with an error naming its field;
nothing else is ever raised. Bounded and derandomised, so it is quick and repeatable."""

from __future__ import annotations

import json
import typing
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from domain.besluiten import (
    Triage,
)
from domain.invoer import ONBEKEND_VELD, streng, valideer_streng
from domain.melding import Melding
from starter.fouten import OngeldigeInvoer
from starter.invoer import invoerfouten, lees, lees_json
from tests.unit.fuzz_mutaties import (
    ALLEEN_INTAKE,
    MELDING_MUTATIES,
    STRUCTUREEL,
    Mutatie,
    ongeldige_meldingen,
    ongeldige_updates,
)
from tests.unit.fuzz_strategieen import (
    JSON,
    NU,
    UPDATE_MODELLEN,
    UPDATES,
    geldige_meldingen,
    naam_na_intake,
)

MODELLEN = UPDATE_MODELLEN
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
GROOTSTE = {
    "melding_id": ("AAAA-" * 13)[:63] + "A",
    "regio": "zuid-limburg",
    "ontvangen_op": "2015-01-01T00:00:00+01:00",
    "melder": {"soort": "burger", "naam": "𝔑" * 200, "telefoon": "0" * 40, "email": "e" * 254},
    "betrokkenen": [{"rol": "kind", "voornaam": "é" * 200, "achternaam": "😀" * 200}] * 50,
    "zorgen": {"vormen": ["overig"], "omschrijving": "😀\n" * 5_000},
}


@pytest.fixture(scope="module")
def map_(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def als_bestand(map_: Path, gegevens: Any) -> str:
    """The JSON as the CLI reads it (ASCII escapes, so lone surrogates survive)."""
    pad = map_ / "invoer.json"
    pad.write_text(json.dumps(gegevens), encoding="utf-8")
    return str(pad)


def naam_in(fout: ValidationError, veld: str) -> bool:
    """Some error names `veld` in its location or, for the whole message, in its text."""
    return any(
        veld in [str(d) for d in e["loc"]]
        or str(e["msg"]).removeprefix("Value error, ").startswith(f"{veld}:")
        for e in fout.errors()
    )


def veldnamen(soort: Any) -> set[str]:
    """The names of the fields of a model and of the models inside it (lists, unions)."""
    if isinstance(soort, type) and issubclass(soort, BaseModel):
        return {n for n, v in soort.model_fields.items() for n in {n, *veldnamen(v.annotation)}}
    return {n for binnen in typing.get_args(soort) for n in veldnamen(binnen)}


def getoond_veld(model: type[BaseModel], veld: str) -> str:
    """What the CLI shows for the field `veld`: a key that is no field is never echoed."""
    return veld if veld in veldnamen(model) or veld == "melding" else ONBEKEND_VELD


def regels_noemen_een_veld(regels: list[str]) -> bool:
    """Every line the CLI prints starts with a field (never the bare 'invoer')."""
    return all(r.split(":", 1)[0] and not r.startswith("invoer:") for r in regels)


def teksten_van(melding: dict[str, Any]) -> list[tuple[str | None, bool]]:
    """(text, is a one-line value) of every text in a melding dict, in a fixed order."""
    melder = melding["melder"]
    uit: list[tuple[str | None, bool]] = [
        (melder.get(v), True) for v in ("naam", "telefoon", "email")
    ]
    for b in melding["betrokkenen"]:
        uit += [(b.get("voornaam"), True), (b.get("achternaam"), True)]
    return [*uit, (melding["zorgen"].get("omschrijving"), False)]


# -- meldingen ---------------------------------------------------------------------------------


@FUZZ
@given(geldige_meldingen())
@example(GROOTSTE)
def test_every_valid_melding_is_accepted_normalised_and_decodes_to_itself(
    gegevens: dict[str, Any],
) -> None:
    """Accepted at intake; texts only normalised (NFC, names trimmed); the stored form decodes
    to the same melding, and intake of it again changes nothing."""
    melding = Melding.ontvang(gegevens, nu=NU)
    verwacht = [
        None if t is None else naam_na_intake(t) if regel else unicodedata.normalize("NFC", t)
        for t, regel in teksten_van(gegevens)
    ]
    assert [t for t, _ in teksten_van(melding.model_dump(mode="json"))] == verwacht
    assert Melding.model_validate_json(melding.model_dump_json()) == melding
    assert streng(melding, NU) == melding


@pytest.mark.parametrize("mutatie", MELDING_MUTATIES, ids=lambda m: m.__name__.strip("_"))
@settings(FUZZ, max_examples=25)
@given(data=st.data())
def test_every_invalid_melding_is_refused_naming_its_field(
    mutatie: Mutatie, data: st.DataObject
) -> None:
    """One broken rule: a ValidationError (nothing else) whose errors name the field."""
    gegevens, veld = data.draw(ongeldige_meldingen(geldige_meldingen(), mutatie))
    with pytest.raises(ValidationError) as fout:
        Melding.ontvang(gegevens, nu=NU)
    assert naam_in(fout.value, veld), (veld, fout.value.errors(include_url=False))
    assert regels_noemen_een_veld(invoerfouten(fout.value, Melding))
    if mutatie in STRUCTUREEL:
        with pytest.raises(ValidationError) as bij_decode:
            Melding.model_validate(gegevens)
        assert naam_in(bij_decode.value, veld)
    if mutatie in ALLEEN_INTAKE:
        Melding.model_validate(gegevens)


@settings(FUZZ, max_examples=40)
@given(geldige_meldingen())
def test_the_cli_input_path_accepts_every_valid_melding(map_: Path, gegevens: Any) -> None:
    """starter.invoer.lees on the JSON file gives the melding the model gives."""
    assert lees(als_bestand(map_, gegevens), Melding) == Melding.ontvang(gegevens, nu=NU)


@pytest.mark.parametrize("mutatie", MELDING_MUTATIES, ids=lambda m: m.__name__.strip("_"))
@settings(FUZZ, max_examples=8)
@given(data=st.data())
def test_the_cli_input_path_refuses_every_invalid_melding_naming_its_field(
    map_: Path, mutatie: Mutatie, data: st.DataObject
) -> None:
    """starter.invoer.lees on the JSON file: exit-2 lines, one of them naming the field."""
    gegevens, veld = data.draw(ongeldige_meldingen(geldige_meldingen(), mutatie))
    with pytest.raises(OngeldigeInvoer) as fout:
        lees(als_bestand(map_, gegevens), Melding)
    getoond = getoond_veld(Melding, veld)
    # A melding too large may already be too large a file for the CLI to read.
    te_groot = veld == "melding" and "groter dan" in fout.value.regels[0]
    assert te_groot or any(getoond in r for r in fout.value.regels), (veld, fout.value.regels)
    assert regels_noemen_een_veld(fout.value.regels)


# -- update payloads ------------------------------------------------------------------------


@pytest.mark.parametrize("soort", sorted(UPDATES))
@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_every_valid_update_payload_passes_streng_and_decodes_to_itself(
    soort: str, data: st.DataObject
) -> None:
    """Valid payloads pass every intake rule, idempotently, and survive their wire form."""
    model = MODELLEN[soort]
    payload = valideer_streng(model, data.draw(UPDATES[soort]()), NU)
    assert streng(payload, NU) == payload
    assert model.model_validate_json(payload.model_dump_json()) == payload


@pytest.mark.parametrize("soort", sorted(UPDATES))
@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_every_invalid_update_payload_is_refused_naming_its_field(
    map_: Path, soort: str, data: st.DataObject
) -> None:
    """One broken rule: streng and the CLI path both refuse it, naming the field."""
    model = MODELLEN[soort]
    payload, veld = data.draw(ongeldige_updates(model, UPDATES[soort]()))
    with pytest.raises(ValidationError) as fout:
        valideer_streng(model, payload, NU)
    assert naam_in(fout.value, veld), (veld, fout.value.errors(include_url=False))
    with pytest.raises(OngeldigeInvoer) as cli:
        lees(als_bestand(map_, payload), model)
    getoond = getoond_veld(model, veld)
    assert any(getoond in r for r in cli.value.regels) and regels_noemen_een_veld(cli.value.regels)


# -- anything at all ------------------------------------------------------------------------


@settings(FUZZ, max_examples=100, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(JSON, st.binary(max_size=200).map(lambda b: b"\x00" + b)),
    st.sampled_from([Melding, *MODELLEN.values()]),
)
@example(b'{"melding_id": ' + b"1" * 5000 + b"}", Melding)
@example(b"[" * 100_000, Triage)
def test_arbitrary_input_is_a_model_or_ongeldige_invoer_never_a_crash(
    map_: Path, invoer: Any, model: type[BaseModel]
) -> None:
    """Any JSON value, or bytes that are no JSON, through the CLI path: exit 2 or a model."""
    pad = map_ / "willekeurig.json"
    if isinstance(invoer, bytes):
        pad.write_bytes(invoer)
    else:
        pad.write_text(json.dumps(invoer), encoding="utf-8")
    try:
        lees(str(pad), model)
    except OngeldigeInvoer as fout:
        assert fout.regels and all(": " in r for r in fout.regels)


@settings(FUZZ, max_examples=40)
@given(st.integers(1, 50_000), st.sampled_from("[{"))
def test_nesting_of_any_depth_is_ongeldige_invoer(map_: Path, diepte: int, haakje: str) -> None:
    """Deep nesting (arrays or objects) is refused by name or parsed, never a RecursionError."""
    pad = map_ / "genest.json"
    binnen = "[" * diepte + "]" * diepte if haakje == "[" else '{"a":' * diepte + "1" + "}" * diepte
    pad.write_text(binnen, encoding="utf-8")
    try:
        gegevens = lees_json(str(pad))
    except OngeldigeInvoer as fout:
        assert "te diep genest" in fout.regels[0]
        return
    with pytest.raises(OngeldigeInvoer):
        lees(str(pad), Melding)
    assert gegevens is not None
