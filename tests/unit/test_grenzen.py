"""docs/contract.md, intake limits: BSN of ASCII digits, moments and dates in sane ranges (the
range in the error), a melding's JSON at most 256 KiB, no BSN in a melding_id."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from domain.besluiten import VernietigingsVerzoek
from domain.bsn import bevat_bsn, is_geldig_bsn
from domain.grenzen import MELDING_MAX_BYTES, omvang_in_bytes
from domain.invoer import valideer_streng
from domain.melding import Melding
from domain.tekst import NAAM_MAX, TEKST_MAX
from tests.unit.test_melding_model import NU, voorbeeld

CET = timezone(timedelta(hours=1))


def fout(data: Any, nu: datetime = NU) -> str:
    with pytest.raises(ValidationError) as uitzondering:
        Melding.ontvang(data, nu=nu)
    return str(uitzondering.value)


def met(**wijziging: Any) -> dict[str, Any]:
    data = voorbeeld()
    for pad, waarde in wijziging.items():
        deel: Any = data
        *weg, laatste = pad.split("__")
        for stap in weg:
            deel = deel[int(stap)] if stap.isdigit() else deel[stap]
        deel[laatste] = waarde
    return data


# --- BSN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bsn",
    ["１１１２２２３３３", "١١١٢٢٢٣٣٣", "۱۱۱۲۲۲۳۳۳", "１11222333", "𝟏𝟏𝟏𝟐𝟐𝟐𝟑𝟑𝟑"],
    ids=["fullwidth", "arabic-indic", "persian", "mixed", "math-bold"],
)
def test_bsn_of_non_ascii_digits_is_refused_even_when_it_passes_the_elfproef(bsn: str) -> None:
    """Reproduction: str.isdigit and int() took fullwidth and Arabic-Indic digits, so these
    passed the elfproef as 111222333 does."""
    assert not is_geldig_bsn(bsn)
    with pytest.raises(ValidationError) as uitzondering:
        Melding.model_validate(met(betrokkenen__0__bsn=bsn))
    assert "betrokkenen.0.bsn" in str(uitzondering.value)
    assert "alleen de cijfers 0-9" in str(uitzondering.value)


@pytest.mark.parametrize(
    "bsn", ["111222333\n", " 111222333", "+11222333", "11122233.", "-111222333"]
)
def test_bsn_with_anything_but_nine_digits_is_refused(bsn: str) -> None:
    """Exactly nine characters 0-9: no sign, space or trailing newline."""
    assert not is_geldig_bsn(bsn)


# --- melding_id --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "melding_id",
    ["111222333", "VT-111222333", "VT-UTR-123456782-x", "VT1112223334", "X0111222333"],
    ids=["alone", "suffix", "middle", "in-a-longer-run", "after-a-digit"],
)
def test_melding_id_containing_a_bsn_is_refused_at_intake(melding_id: str) -> None:
    """Reproduction: the melding_id is in clear in workflow IDs, logs and the Web UI; nine digits
    that pass the elfproef are refused, without repeating them."""
    tekst = fout(met(melding_id=melding_id))
    assert "melding_id: mag geen BSN bevatten" in tekst


def test_melding_id_containing_a_bsn_still_decodes() -> None:
    """The rule is new: a history recorded before it still decodes."""
    assert Melding.model_validate(met(melding_id="VT-111222333")).melding_id == "VT-111222333"


@pytest.mark.parametrize(
    "melding_id", ["VT-UTR-2026-000123", "VT-111222334", "VT-000000000", "VT-11122233-3"]
)
def test_melding_id_without_a_bsn_is_accepted(melding_id: str) -> None:
    """A registration number whose digit runs are short or fail the elfproef is accepted."""
    assert not bevat_bsn(melding_id)
    assert Melding.ontvang(met(melding_id=melding_id), nu=NU).melding_id == melding_id


# --- ontvangen_op ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ontvangen_op",
    [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+01:00",
        "1900-01-01T00:00:00+01:00",
        "2014-12-31T23:59:59+01:00",
    ],
    ids=["0001-utc", "0001-cet", "1900", "last-second-2014"],
)
def test_ontvangen_op_before_2015_is_refused_at_intake_naming_the_range(ontvangen_op: str) -> None:
    """Reproduction: 0001-01-01 was accepted (PostgreSQL -infinity, a naive datetime in the
    radar); Veilig Thuis began on 2015-01-01."""
    tekst = fout(met(ontvangen_op=ontvangen_op))
    assert "ontvangen_op: mag niet voor 2015-01-01 liggen" in tekst
    assert "toegestaan: 2015-01-01 tot nu" in tekst


def test_ontvangen_op_at_the_start_of_2015_is_accepted() -> None:
    """The first moment of 2015 in Amsterdam is in range."""
    melding = Melding.ontvang(met(ontvangen_op="2015-01-01T00:00:00+01:00"), nu=NU)
    assert melding.ontvangen_op == datetime(2015, 1, 1, tzinfo=CET)


@pytest.mark.parametrize(
    "ontvangen_op", ["9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59+14:00", "2999-01-01T00:00Z"]
)
def test_ontvangen_op_far_in_the_future_is_refused_without_overflow(ontvangen_op: str) -> None:
    """The year 9999 with an offset overflows when shifted to UTC: refused all the same."""
    assert "ontvangen_op: mag niet in de toekomst liggen (toegestaan" in fout(
        met(ontvangen_op=ontvangen_op)
    )


def test_ontvangen_op_out_of_range_still_decodes() -> None:
    """The bounds are intake rules: a history with such a moment decodes."""
    assert Melding.model_validate(met(ontvangen_op="0001-01-01T00:00:00Z")).ontvangen_op.year == 1


def test_vernietigingsverzoek_ontvangen_op_before_2015_is_refused_at_intake() -> None:
    """The destruction request's moment has the same bounds."""
    verzoek = {"melding_id": "VT-1", "verzoeker_rol": "kind", "ontvangen_op": "2014-06-01T10:00Z"}
    assert VernietigingsVerzoek.model_validate(verzoek)
    with pytest.raises(ValidationError, match="ontvangen_op: mag niet voor 2015-01-01"):
        valideer_streng(VernietigingsVerzoek, verzoek, NU)


# --- geboortedatum -----------------------------------------------------------------------------


def test_geboortedatum_in_the_future_is_refused_at_intake() -> None:
    """Reproduction: a birth date in 2999 was accepted and counted as a minor."""
    tekst = fout(met(betrokkenen__1__geboortedatum="2999-01-01"))
    assert "betrokkenen.1.geboortedatum" in tekst
    assert (
        "geboortedatum: mag niet in de toekomst liggen (toegestaan: 1900-01-01 tot vandaag)"
        in tekst
    )


def test_geboortedatum_before_1900_is_refused_at_intake() -> None:
    """A birth date before 1900-01-01 is refused, naming the range."""
    tekst = fout(met(betrokkenen__0__geboortedatum="1899-12-31"))
    assert "geboortedatum: mag niet voor 1900-01-01 liggen (toegestaan: 1900-01-01" in tekst


@pytest.mark.parametrize("dag", [date(1900, 1, 1), NU.date()], ids=["1900", "today"])
def test_geboortedatum_on_the_bounds_is_accepted(dag: date) -> None:
    """1900-01-01 and the day of intake itself are in range."""
    melding = Melding.ontvang(met(betrokkenen__0__geboortedatum=dag.isoformat()), nu=NU)
    assert melding.betrokkenen[0].geboortedatum == dag


def test_geboortedatum_tomorrow_is_refused_at_intake() -> None:
    """The day after the intake clock's day is in the future."""
    morgen = (NU + timedelta(days=1)).date().isoformat()
    assert "geboortedatum: mag niet in de toekomst" in fout(
        met(betrokkenen__0__geboortedatum=morgen)
    )


# --- size --------------------------------------------------------------------------------------


def test_a_melding_of_4_mb_is_refused_naming_the_limit_and_its_size() -> None:
    """Reproduction: a 4 MB melding was accepted by the model (size limit 256 KiB)."""
    data = met(zorgen__omschrijving="x" * 4_000_000)
    omvang = len(json.dumps(data, separators=(",", ":")).encode())
    tekst = fout(data)
    assert f"melding: JSON is {omvang} bytes" in tekst
    assert f"ten hoogste {MELDING_MAX_BYTES} bytes (256 KiB)" in tekst


def test_a_melding_of_4_mb_as_json_text_is_refused_too() -> None:
    """The wire form, as the client or a file gives it, is measured the same way."""
    tekst = fout(json.dumps(met(zorgen__omschrijving="é" * 2_000_000)))
    assert "melding: JSON is" in tekst and "256 KiB" in tekst


def test_the_largest_melding_the_fields_allow_is_within_the_limit() -> None:
    """50 betrokkenen with the longest names and the longest omschrijving, all of 4-byte
    characters: every field within its own bound, so the melding is accepted."""
    naam = "𝔑" * NAAM_MAX
    data = met(
        betrokkenen=[
            {"rol": "overig", "voornaam": naam, "achternaam": naam, "bsn": "111222333"}
            for _ in range(50)
        ],
        zorgen__omschrijving="😀" * TEKST_MAX,
    )
    melding = Melding.ontvang(data, nu=NU)
    assert omvang_in_bytes(melding) <= MELDING_MAX_BYTES


def test_the_size_limit_is_an_intake_rule() -> None:
    """A large melding recorded in a history decodes (its fields are within their bounds)."""
    data = met(betrokkenen=[{"rol": "kind", "achternaam": "x" * TEKST_MAX}] * 30)
    assert "256 KiB" in fout(data)
    assert len(Melding.model_validate(data).betrokkenen) == 30
