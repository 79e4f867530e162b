"""Lax input refused at intake (issue 21 item 10): a moment is an ISO 8601 text with its zone,
a boolean is true or false, a meldnorm an integer. Each of these was accepted before, as a JSON
text and as parsed JSON: `"ontvangen_op": 1765094400` (and the digits as a text) as a moment,
`"true"` and `1` as booleans, `"1"` and `1.0` as meldnorm."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from domain.besluiten import Besluit, Triage, VernietigingsVerzoek
from domain.invoer import foutregels, valideer_streng
from domain.melding import Melding

VOORBEELDEN = Path(__file__).resolve().parents[2] / "starter" / "examples"


def _voorbeeld(naam: str) -> dict[str, Any]:
    return dict(json.loads((VOORBEELDEN / f"{naam}.json").read_text("utf-8")))


def _zet(gegevens: dict[str, Any], pad: tuple[str | int, ...], waarde: object) -> dict[str, Any]:
    kopie = json.loads(json.dumps(gegevens))
    plek = kopie
    for stap in pad[:-1]:
        plek = plek[stap]
    plek[pad[-1]] = waarde
    return dict(kopie)


GEVALLEN: list[tuple[type[BaseModel], str, tuple[str | int, ...], object, str]] = [
    (Melding, "melding_advies", ("ontvangen_op",), 1765094400, "geen geldig tijdstip"),
    (Melding, "melding_advies", ("ontvangen_op",), "1765094400", "geen geldig tijdstip"),
    (Melding, "melding_advies", ("ontvangen_op",), 1765094400.5, "geen geldig tijdstip"),
    (Melding, "melding_advies", ("betrokkenen", 0, "geboortedatum"), "20190301", "datum"),
    (Melding, "melding_advies", ("melder", "anonimiteit_gevraagd"), "true", "true of false"),
    (Melding, "melding_advies", ("melder", "anonimiteit_gevraagd"), 1, "true of false"),
    (Melding, "melding_voorwaarden", ("melder", "meldnorm"), "1", "geheel getal"),
    (Melding, "melding_voorwaarden", ("melder", "meldnorm"), 1.0, "geheel getal"),
    (Triage, "triage", ("acute_onveiligheid",), "false", "true of false"),
    (Triage, "triage", ("informatie_toereikend",), 1, "true of false"),
    (Besluit, "besluit_advies", ("anonimiteit_toegezegd",), 0, "true of false"),
    (VernietigingsVerzoek, "vernietiging", ("ontvangen_op",), "1765094400", "tijdstip"),
]


@pytest.mark.parametrize("als_tekst", [False, True], ids=["json", "tekst"])
@pytest.mark.parametrize(("model", "voorbeeld", "pad", "waarde", "regel"), GEVALLEN)
def test_lax_input_is_refused_naming_the_field(
    model: type[BaseModel],
    voorbeeld: str,
    pad: tuple[str | int, ...],
    waarde: object,
    regel: str,
    als_tekst: bool,
) -> None:
    gegevens: Any = _zet(_voorbeeld(voorbeeld), pad, waarde)
    if als_tekst:
        gegevens = json.dumps(gegevens)
    with pytest.raises(ValidationError) as fout:
        valideer_streng(model, gegevens)
    regels = foutregels(fout.value, model)
    veld = ".".join(str(p) for p in pad)
    assert any(r.startswith(f"{veld}: ") and regel in r for r in regels), regels


@pytest.mark.parametrize(
    ("model", "voorbeeld"),
    [
        (Melding, "melding_advies"),
        (Melding, "melding_voorwaarden"),
        (Triage, "triage"),
        (Besluit, "besluit_advies"),
        (VernietigingsVerzoek, "vernietiging"),
    ],
)
def test_the_examples_as_they_are_still_pass(model: type[BaseModel], voorbeeld: str) -> None:
    gegevens = _voorbeeld(voorbeeld)
    assert valideer_streng(model, gegevens) == valideer_streng(model, json.dumps(gegevens))


# Issue 21 item 7: invisible format characters hid a household from the register's name match.
ONZICHTBAAR = ["\u00ad", "\u200b", "\u200e", "\u202e", "\u2066"]


@pytest.mark.parametrize("teken", ONZICHTBAAR, ids=lambda t: f"U+{ord(t):04X}")
def test_a_format_character_in_a_name_is_refused_naming_the_field(teken: str) -> None:
    gegevens = _zet(
        _voorbeeld("melding_advies"), ("betrokkenen", 0, "achternaam"), f"Jan{teken}sen"
    )
    with pytest.raises(ValidationError) as fout:
        valideer_streng(Melding, gegevens)
    [regel] = foutregels(fout.value, Melding)
    assert regel.startswith("betrokkenen.0.achternaam: mag geen onzichtbaar opmaakteken")
    assert f"U+{ord(teken):04X}" in regel and teken not in regel


def test_free_text_refuses_only_what_turns_the_reading_direction() -> None:
    omschrijving = ("zorgen", "omschrijving")
    goed = _zet(_voorbeeld("melding_advies"), omschrijving, "emoji met joiner: 👩\u200d👧 ok")
    valideer_streng(Melding, goed)
    fout_ = _zet(_voorbeeld("melding_advies"), omschrijving, "tekst \u202egnitirw")
    with pytest.raises(ValidationError):
        valideer_streng(Melding, fout_)


@pytest.mark.parametrize("teken", ONZICHTBAAR, ids=lambda t: f"U+{ord(t):04X}")
def test_a_name_stored_with_a_format_character_hashes_as_without(teken: str) -> None:
    from datetime import date

    from activities.sleutels import naam_hash

    sleutel = b"k" * 32
    geboren = date(2019, 3, 1)
    assert naam_hash(sleutel, f"Jan{teken}sen", geboren, "Sam") == naam_hash(
        sleutel, "Jansen", geboren, "Sam"
    )
