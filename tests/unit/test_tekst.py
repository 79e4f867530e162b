"""docs/contract.md, intake limits: every string storable by PostgreSQL (no NUL, no lone
surrogate), in Unicode NFC; names trimmed and never blank; text bounded. Each error names the
field."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from domain.besluiten import (
    Besluit,
    DienstAfronding,
    MonitoringUitkomst,
    Triage,
    VernietigingsBesluit,
)
from domain.invoer import streng, valideer_streng
from domain.melding import Melding
from domain.tekst import NAAM_MAX, TEKST_MAX
from tests.unit.test_besluit_models import besluit, dienst_afronding, monitoring, triage
from tests.unit.test_melding_model import NU, voorbeeld

CET = timezone(timedelta(hours=1))
NA_VOORBEELDEN = datetime(2027, 6, 1, tzinfo=CET)

# Every string field of the melding, as a path into voorbeeld().
MELDING_TEKSTEN = [
    ("melder", "naam"),
    ("melder", "telefoon"),
    ("melder", "email"),
    ("betrokkenen", 0, "voornaam"),
    ("betrokkenen", 1, "achternaam"),
    ("zorgen", "omschrijving"),
]
MELDING_NAMEN = [p for p in MELDING_TEKSTEN if p[-1] != "omschrijving"]


def vernietigingsbesluit() -> dict[str, Any]:
    return {"medewerker": "mw-0042", "toegekend": False, "reden": "Geweld is vastgesteld."}


# Every free-text and name field of the update payloads: (model, example, path).
UPDATE_TEKSTEN: list[tuple[type[BaseModel], Any, tuple[Any, ...]]] = [
    (Triage, triage, ("onderbouwing",)),
    (Besluit, besluit, ("onderbouwing",)),
    (
        Besluit,
        lambda: besluit(huishouden_informeren_uitstellen="Gevaar."),
        ("huishouden_informeren_uitstellen",),
    ),
    (Besluit, besluit, ("ketenpartner", "naam")),
    (DienstAfronding, dienst_afronding, ("samenvatting_voor_melder",)),
    (DienstAfronding, dienst_afronding, ("ketenpartner", "naam")),
    (MonitoringUitkomst, monitoring, ("toelichting",)),
    (VernietigingsBesluit, vernietigingsbesluit, ("reden",)),
]


def met(data: Any, pad: tuple[Any, ...], waarde: Any) -> Any:
    deel = data
    for stap in pad[:-1]:
        deel = deel[stap]
    deel[pad[-1]] = waarde
    return data


def fout(functie: Any, *args: Any) -> str:
    with pytest.raises(ValidationError) as uitzondering:
        functie(*args)
    return str(uitzondering.value)


# --- NUL and lone surrogates: refused always, also when a worker decodes -----------------------


def test_nul_in_zorgen_omschrijving_is_refused() -> None:
    """Reproduction: a NUL in the omschrijving was accepted and then wedged the case in
    PostgreSQL (UntranslatableCharacterError)."""
    data = met(voorbeeld(), ("zorgen", "omschrijving"), "Blauwe plekken\x00 op de arm")
    assert "zorgen.omschrijving" in fout(Melding.ontvang, data, NU)
    assert "NUL" in fout(Melding.model_validate, data)


def test_nul_in_triage_onderbouwing_is_refused() -> None:
    """Reproduction: a NUL in a triage's onderbouwing was accepted by the update."""
    data = {**triage(), "onderbouwing": "Geen acuut gevaar\x00"}
    assert "onderbouwing: mag geen NUL-teken" in fout(Triage.model_validate, data)


@pytest.mark.parametrize("pad", MELDING_TEKSTEN, ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize("teken", ["\x00", "\ud800", "\udfff"], ids=["nul", "hoog", "laag"])
def test_every_melding_text_refuses_nul_and_lone_surrogates(
    pad: tuple[Any, ...], teken: str
) -> None:
    """Not storable by PostgreSQL: refused in every text of the melding, naming the field."""
    data = met(voorbeeld(), pad, f"a{teken}b")
    assert str(pad[-1]) in fout(Melding.model_validate, data)


@pytest.mark.parametrize(
    ("model", "maak", "pad"), UPDATE_TEKSTEN, ids=lambda w: getattr(w, "__name__", str(w))
)
@pytest.mark.parametrize("teken", ["\x00", "\ud83d"], ids=["nul", "surrogaat"])
def test_every_update_text_refuses_nul_and_lone_surrogates(
    model: type[BaseModel], maak: Any, pad: tuple[Any, ...], teken: str
) -> None:
    """Every text of the human decisions refuses what PostgreSQL cannot store."""
    data = met(maak(), pad, f"x{teken}y")
    assert str(pad[-1]) in fout(model.model_validate, data)


# --- NFC ---------------------------------------------------------------------------------------


def test_text_is_normalised_to_nfc_also_when_decoding() -> None:
    """'Noe\u0308l' (e + combining diaeresis) becomes 'Noël' as one code point, everywhere."""
    data = met(voorbeeld(), ("betrokkenen", 0, "voornaam"), "Noe\u0308l")
    for melding in (Melding.model_validate(data), Melding.ontvang(data, nu=NU)):
        naam = melding.betrokkenen[0].voornaam
        assert naam == "Noël" and unicodedata.is_normalized("NFC", naam or "")


def test_nfc_is_idempotent_so_stored_values_decode_to_themselves() -> None:
    """Decoding a melding that was accepted at intake changes nothing."""
    data = met(voorbeeld(), ("zorgen", "omschrijving"), "A\u0301 \ufb01 \u1e9b\u0323 한국어")
    melding = Melding.ontvang(data, nu=NU)
    assert Melding.model_validate_json(melding.model_dump_json()) == melding


# --- names: trimmed, not blank, one line -------------------------------------------------------


@pytest.mark.parametrize("pad", MELDING_NAMEN, ids=lambda p: ".".join(map(str, p)))
def test_names_are_trimmed_at_intake(pad: tuple[Any, ...]) -> None:
    """Leading and trailing whitespace of a name or contact detail is removed at intake."""
    melding = Melding.ontvang(met(voorbeeld(), pad, "\u00a0 Jansen\t "), nu=NU)
    deel: Any = melding
    for stap in pad:
        deel = deel[stap] if isinstance(stap, int) else getattr(deel, stap)
    assert deel == "Jansen"


@pytest.mark.parametrize("pad", MELDING_NAMEN, ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize("waarde", [" ", "\t\n", "\u3000\u00a0"], ids=["spatie", "tab", "unicode"])
def test_blank_names_are_refused_at_intake(pad: tuple[Any, ...], waarde: str) -> None:
    """A name of only whitespace names nobody."""
    tekst = fout(Melding.ontvang, met(voorbeeld(), pad, waarde), NU)
    assert f"{pad[-1]}: mag niet leeg zijn of alleen uit witruimte bestaan" in tekst


@pytest.mark.parametrize(
    ("model", "maak", "pad"), UPDATE_TEKSTEN, ids=lambda w: getattr(w, "__name__", str(w))
)
def test_blank_update_texts_are_refused_at_intake(
    model: type[BaseModel], maak: Any, pad: tuple[Any, ...]
) -> None:
    """An onderbouwing, toelichting or ketenpartner name of spaces is refused by streng."""
    data = met(maak(), pad, "   ")
    assert model.model_validate(data)  # a history with it still decodes
    assert str(pad[-1]) in fout(valideer_streng, model, data, NA_VOORBEELDEN)


@pytest.mark.parametrize("teken", ["\n", "\x01", "\x1b", "\x7f", "\x85", "\u2028"])
def test_a_name_with_a_line_break_or_control_character_is_refused_at_intake(teken: str) -> None:
    """A name is one line of printable text."""
    data = met(voorbeeld(), ("betrokkenen", 0, "achternaam"), f"Jan{teken}sen")
    assert "achternaam: mag geen regeleinde of stuurteken" in fout(Melding.ontvang, data, NU)


@pytest.mark.parametrize("teken", ["\x01", "\x08", "\x1b", "\x7f", "\x9f"])
def test_free_text_with_a_control_character_is_refused_at_intake(teken: str) -> None:
    """Free text refuses control characters other than tab and line breaks."""
    data = met(voorbeeld(), ("zorgen", "omschrijving"), f"Zorg{teken}en")
    assert "omschrijving: mag geen stuurteken" in fout(Melding.ontvang, data, NU)


def test_free_text_keeps_tabs_and_line_breaks() -> None:
    """An omschrijving of several lines is accepted as it is."""
    tekst = "Eerste regel.\r\n\tTweede regel.\nDerde."
    melding = Melding.ontvang(met(voorbeeld(), ("zorgen", "omschrijving"), tekst), nu=NU)
    assert melding.zorgen.omschrijving == tekst


# --- bounds ------------------------------------------------------------------------------------


def test_free_text_longer_than_tekst_max_is_refused_naming_the_bound() -> None:
    """An omschrijving is at most TEKST_MAX characters."""
    data = met(voorbeeld(), ("zorgen", "omschrijving"), "x" * (TEKST_MAX + 1))
    assert f"omschrijving: ten hoogste {TEKST_MAX} tekens (nu {TEKST_MAX + 1})" in fout(
        Melding.model_validate, data
    )


def test_free_text_of_tekst_max_four_byte_characters_is_accepted() -> None:
    """The bound counts characters, not bytes."""
    data = met(voorbeeld(), ("zorgen", "omschrijving"), "😀" * TEKST_MAX)
    assert len(Melding.ontvang(data, nu=NU).zorgen.omschrijving or "") == TEKST_MAX


def test_a_name_longer_than_naam_max_is_refused_at_intake() -> None:
    """A name is at most NAAM_MAX characters."""
    data = met(voorbeeld(), ("betrokkenen", 0, "voornaam"), "N" * (NAAM_MAX + 1))
    assert f"voornaam: ten hoogste {NAAM_MAX} tekens" in fout(Melding.ontvang, data, NU)


def test_streng_returns_the_normalised_update_payload() -> None:
    """streng gives back what intake makes of a payload: trimmed names, NFC text."""
    data = besluit(ketenpartner={"soort": "wijkteam", "naam": "  Wijkteam Oe\u0308st "})
    data["onderbouwing"] = "Cafe\u0301"
    resultaat = streng(Besluit.model_validate(data), NA_VOORBEELDEN)
    assert resultaat.ketenpartner is not None and resultaat.ketenpartner.naam == "Wijkteam Oëst"
    assert resultaat.onderbouwing == "Café"
