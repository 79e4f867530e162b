"""docs/contract.md, Melding: each validation of the workflow input, each error naming its field."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from domain.melding import KLOKMARGE, Betrokkene, Melding
from domain.regio import REGIOS
from domain.waarden import Duur, Geweldsvorm

ONTVANGEN_OP = datetime(2026, 11, 23, 10, 15, tzinfo=timezone(timedelta(hours=1)))
NU = ONTVANGEN_OP + timedelta(minutes=20)


def voorbeeld() -> dict[str, Any]:
    """The JSON of docs/contract.md with synthetic values; a fresh copy on every call."""
    return {
        "melding_id": "VT-UTR-2026-000123",
        "regio": "utrecht",
        "ontvangen_op": "2026-11-23T10:15:00+01:00",
        "melder": {
            "soort": "professional",
            "beroepsgroep": "gezondheidszorg",
            "meldnorm": 1,
            "naam": "Dr. Anouk Verbeek (huisarts)",
            "telefoon": "030-0000000",
            "email": "a.verbeek@huisartsenpraktijk.example",
            "blijft_betrokken": True,
            "anonimiteit_gevraagd": False,
            "eenmalig_contact": False,
        },
        "betrokkenen": [
            {
                "rol": "kind",
                "voornaam": "Noor",
                "achternaam": "Jansen",
                "geboortedatum": "2019-03-01",
                "bsn": "111222333",
            },
            {
                "rol": "ouder_verzorger",
                "voornaam": "Mark",
                "achternaam": "Jansen",
                "geboortedatum": "1990-06-12",
            },
        ],
        "zorgen": {
            "vormen": ["kindermishandeling"],
            "duur": "half_jaar",
            "omschrijving": "Blauwe plekken op armen en rug, kind is angstig bij ophalen.",
            "acuut_vermoeden": False,
            "structureel_vermoeden": True,
            "disclosure": False,
        },
    }


def burger() -> dict[str, Any]:
    """The example melding, made by a burger."""
    data = voorbeeld()
    data["melder"] = {"soort": "burger", "naam": "Buurvrouw", "anonimiteit_gevraagd": True}
    return data


def geweigerd(data: Any, veld: str) -> ValidationError:
    """Validate like a history decode; assert it is refused with `veld` in the message."""
    with pytest.raises(ValidationError) as fout:
        Melding.model_validate(data)
    assert veld in str(fout.value)
    return fout.value


def elfproef_som(bsn: str) -> int:
    """9*d1 + 8*d2 + ... + 2*d8 - 1*d9."""
    return sum(int(c) * g for c, g in zip(bsn, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))


# --- the example ------------------------------------------------------------------------------


def test_contract_example_is_accepted() -> None:
    """The melding of docs/contract.md passes every intake rule."""
    melding = Melding.ontvang(voorbeeld(), nu=NU)
    assert melding.melding_id == "VT-UTR-2026-000123"
    assert melding.regio == "utrecht"
    assert melding.ontvangen_op == ONTVANGEN_OP
    assert melding.melder.meldnorm == 1
    assert [b.rol for b in melding.betrokkenen] == ["kind", "ouder_verzorger"]
    assert melding.zorgen.vormen == [Geweldsvorm.KINDERMISHANDELING]


def test_contract_example_is_accepted_as_json_text() -> None:
    """Melding.ontvang also takes the wire form as JSON text."""
    melding = Melding.ontvang(json.dumps(voorbeeld()), nu=NU)
    assert melding == Melding.model_validate(voorbeeld())


def test_melding_survives_a_json_round_trip() -> None:
    """The wire form of a melding decodes to the same melding."""
    melding = Melding.model_validate(voorbeeld())
    assert Melding.model_validate_json(melding.model_dump_json()) == melding


def test_burger_example_is_accepted() -> None:
    """A burger without beroepsgroep, meldnorm or blijft_betrokken is a valid melder."""
    assert Melding.ontvang(burger(), nu=NU).melder.soort == "burger"


# --- unknown fields ---------------------------------------------------------------------------


def test_unknown_top_level_field_is_refused() -> None:
    """extra="forbid": an unknown field of the melding is refused by name."""
    data = voorbeeld()
    data["prioriteit"] = "hoog"
    geweigerd(data, "prioriteit")


@pytest.mark.parametrize(
    ("pad", "veld"),
    [
        (("melder",), "functie"),
        (("betrokkenen", 0), "school"),
        (("zorgen",), "ernst"),
    ],
)
def test_unknown_nested_field_is_refused(pad: tuple[Any, ...], veld: str) -> None:
    """extra="forbid" holds in melder, betrokkene and zorgen too."""
    data = voorbeeld()
    deel: Any = data
    for stap in pad:
        deel = deel[stap]
    deel[veld] = "x"
    geweigerd(data, veld)


# --- melding_id -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "melding_id",
    ["", "A" * 65, "VT UTR 2026", "VT/UTR/2026", "VT-UTR-2026-000123\n", "VT.UTR"],
    ids=["empty", "65-chars", "space", "slash", "trailing-newline", "dot"],
)
def test_melding_id_outside_the_pattern_is_refused(melding_id: str) -> None:
    """melding_id: 1-64 characters of A-Z a-z 0-9 - _."""
    data = voorbeeld()
    data["melding_id"] = melding_id
    geweigerd(data, "melding_id")


@pytest.mark.parametrize("melding_id", ["A" * 64, "x", "vt_utr-2026-000123"])
def test_melding_id_inside_the_pattern_is_accepted(melding_id: str) -> None:
    """An id of 64 characters, one character, or with underscores is accepted."""
    data = voorbeeld()
    data["melding_id"] = melding_id
    assert Melding.model_validate(data).melding_id == melding_id


# --- regio ------------------------------------------------------------------------------------


@pytest.mark.parametrize("regio", ["atlantis", "Utrecht", "", "noord-holland"])
def test_unknown_regio_is_refused_at_intake(regio: str) -> None:
    """regio must be one of the slugs of domain.regio when a melding is received."""
    data = voorbeeld()
    data["regio"] = regio
    with pytest.raises(ValidationError) as fout:
        Melding.ontvang(data, nu=NU)
    assert "regio" in str(fout.value)


@pytest.mark.parametrize("regio", ["Utrecht", "", "den haag", "a" * 65])
def test_regio_that_is_no_slug_is_refused_even_when_decoding(regio: str) -> None:
    """Structurally a regio is a slug of a-z, 0-9 and -, whatever the region list says."""
    data = voorbeeld()
    data["regio"] = regio
    geweigerd(data, "regio")


def test_unlisted_regio_slug_is_accepted_when_decoding() -> None:
    """The region list may change: a history naming a region no longer listed still decodes."""
    data = voorbeeld()
    data["regio"] = "noord-holland"
    assert Melding.model_validate(data).regio == "noord-holland"


@pytest.mark.parametrize("regio", REGIOS)
def test_every_regio_of_the_list_is_accepted(regio: str) -> None:
    """Each slug of the region list is a valid regio."""
    data = voorbeeld()
    data["regio"] = regio
    assert Melding.model_validate(data).regio == regio


# --- ontvangen_op -----------------------------------------------------------------------------


def test_ontvangen_op_without_timezone_is_refused() -> None:
    """ontvangen_op must be timezone-aware."""
    data = voorbeeld()
    data["ontvangen_op"] = "2026-11-23T10:15:00"
    geweigerd(data, "ontvangen_op")


def test_ontvangen_op_in_utc_is_accepted() -> None:
    """A Z suffix is a timezone."""
    data = voorbeeld()
    data["ontvangen_op"] = "2026-11-23T09:15:00Z"
    assert Melding.model_validate(data).ontvangen_op == ONTVANGEN_OP


def test_ontvangen_op_beyond_the_clock_margin_in_the_future_is_refused_at_intake() -> None:
    """Melding.ontvang refuses a receipt more than KLOKMARGE ahead of its clock."""
    nu = ONTVANGEN_OP - KLOKMARGE - timedelta(seconds=1)
    with pytest.raises(ValidationError) as fout:
        Melding.ontvang(voorbeeld(), nu=nu)
    assert "ontvangen_op" in str(fout.value)


def test_ontvangen_op_within_the_clock_margin_is_accepted_at_intake() -> None:
    """A receipt up to KLOKMARGE ahead of the intake clock is accepted."""
    assert Melding.ontvang(voorbeeld(), nu=ONTVANGEN_OP - KLOKMARGE).ontvangen_op == ONTVANGEN_OP


def test_ontvangen_op_slightly_ahead_is_accepted_at_intake() -> None:
    """A receipt one minute ahead of the intake clock is accepted."""
    nu = ONTVANGEN_OP - timedelta(minutes=1)
    assert Melding.ontvang(voorbeeld(), nu=nu).ontvangen_op == ONTVANGEN_OP


def test_future_ontvangen_op_is_refused_by_ontvang_with_the_real_clock() -> None:
    """Without an explicit `nu`, Melding.ontvang checks against the current time."""
    data = voorbeeld()
    data["ontvangen_op"] = "2999-01-01T00:00:00+01:00"
    with pytest.raises(ValidationError) as fout:
        Melding.ontvang(data)
    assert "ontvangen_op" in str(fout.value)


def test_future_ontvangen_op_is_refused_for_a_melding_instance_at_intake() -> None:
    """Melding.ontvang re-checks a Melding built without the clock."""
    data = voorbeeld()
    data["ontvangen_op"] = "2999-01-01T00:00:00+01:00"
    melding = Melding.model_validate(data)
    with pytest.raises(ValidationError) as fout:
        Melding.ontvang(melding)
    assert "ontvangen_op" in str(fout.value)


def test_future_ontvangen_op_is_not_refused_by_plain_model_validate() -> None:
    """Histories always decode: plain validation has no clock and no future check."""
    data = voorbeeld()
    data["ontvangen_op"] = "2999-01-01T00:00:00+01:00"
    assert Melding.model_validate(data).ontvangen_op.year == 2999


def test_future_ontvangen_op_is_not_refused_when_decoding_json() -> None:
    """A worker decoding JSON from a history has no clock either."""
    data = voorbeeld()
    data["ontvangen_op"] = "2999-01-01T00:00:00+01:00"
    assert Melding.model_validate_json(json.dumps(data)).ontvangen_op.year == 2999


# --- melder -----------------------------------------------------------------------------------


@pytest.mark.parametrize("veld", ["beroepsgroep", "meldnorm"])
def test_professional_without_beroepsgroep_or_meldnorm_is_refused(veld: str) -> None:
    """A professional melder names a beroepsgroep and a meldnorm."""
    data = voorbeeld()
    del data["melder"][veld]
    geweigerd(data, veld)


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [("beroepsgroep", "onderwijs"), ("meldnorm", 2), ("blijft_betrokken", True)],
)
def test_burger_with_a_professional_field_is_refused(veld: str, waarde: Any) -> None:
    """beroepsgroep, meldnorm and blijft_betrokken are refused for a burger."""
    data = burger()
    data["melder"][veld] = waarde
    geweigerd(data, veld)


@pytest.mark.parametrize("meldnorm", [0, 4, -1])
def test_meldnorm_outside_one_to_three_is_refused(meldnorm: int) -> None:
    """meldnorm is 1, 2 or 3 (Stappenplan)."""
    data = voorbeeld()
    data["melder"]["meldnorm"] = meldnorm
    geweigerd(data, "meldnorm")


@pytest.mark.parametrize("meldnorm", [1, 2, 3])
def test_meldnorm_one_to_three_is_accepted(meldnorm: int) -> None:
    """Each of the three meldnormen is accepted for a professional."""
    data = voorbeeld()
    data["melder"]["meldnorm"] = meldnorm
    assert Melding.model_validate(data).melder.meldnorm == meldnorm


def test_unknown_beroepsgroep_is_refused() -> None:
    """beroepsgroep follows the CBS sectors."""
    data = voorbeeld()
    data["melder"]["beroepsgroep"] = "bakker"
    geweigerd(data, "beroepsgroep")


def test_unknown_melder_soort_is_refused() -> None:
    """melder.soort is professional or burger."""
    data = voorbeeld()
    data["melder"]["soort"] = "anoniem"
    geweigerd(data, "soort")


# --- betrokkenen ------------------------------------------------------------------------------


def test_empty_betrokkenen_is_refused() -> None:
    """A melding is about at least one betrokkene."""
    data = voorbeeld()
    data["betrokkenen"] = []
    geweigerd(data, "betrokkenen")


def test_betrokkene_without_bsn_and_name_is_refused() -> None:
    """A betrokkene is identified by a bsn or a name."""
    data = voorbeeld()
    data["betrokkenen"] = [{"rol": "kind", "geboortedatum": "2019-03-01"}]
    geweigerd(data, "bsn")


@pytest.mark.parametrize(
    "betrokkene",
    [
        {"rol": "kind", "bsn": "123456782"},
        {"rol": "partner", "achternaam": "de Boer"},
        {"rol": "huisgenoot", "voornaam": "Sam"},
    ],
    ids=["bsn-only", "achternaam-only", "voornaam-only"],
)
def test_betrokkene_with_bsn_or_a_name_is_accepted(betrokkene: dict[str, Any]) -> None:
    """A bsn alone, or a first or last name alone, identifies a betrokkene."""
    data = voorbeeld()
    data["betrokkenen"] = [betrokkene]
    assert len(Melding.model_validate(data).betrokkenen) == 1


def test_unknown_betrokkene_rol_is_refused() -> None:
    """rol is one of kind, ouder_verzorger, partner, ex_partner, huisgenoot, overig."""
    data = voorbeeld()
    data["betrokkenen"][1]["rol"] = "buurman"
    geweigerd(data, "rol")


@pytest.mark.parametrize(
    "bsn",
    ["111222334", "123456789", "000000000", "12345678", "1234567820", "12345678a", ""],
    ids=["elfproef-1", "elfproef-2", "all-zero", "8-digits", "10-digits", "letter", "empty"],
)
def test_bsn_failing_the_elfproef_is_refused(bsn: str) -> None:
    """bsn is 9 digits passing the elfproef."""
    data = voorbeeld()
    data["betrokkenen"][0]["bsn"] = bsn
    geweigerd(data, "bsn")


def test_bsn_error_message_does_not_repeat_the_number() -> None:
    """The rule's message names the field, never the personal number."""
    data = voorbeeld()
    data["betrokkenen"][0]["bsn"] = "111222334"
    fout = geweigerd(data, "bsn")
    assert all("111222334" not in e["msg"] for e in fout.errors())


@pytest.mark.parametrize("bsn", ["111222333", "123456782"])
def test_bsn_passing_the_elfproef_is_accepted(bsn: str) -> None:
    """A bsn whose weighted digit sum divides by 11 is accepted."""
    assert elfproef_som(bsn) % 11 == 0
    data = voorbeeld()
    data["betrokkenen"][0]["bsn"] = bsn
    assert Melding.model_validate(data).betrokkenen[0].bsn == bsn


# --- zorgen -----------------------------------------------------------------------------------


def test_empty_zorgen_vormen_is_refused() -> None:
    """zorgen.vormen holds one or more kinds of violence."""
    data = voorbeeld()
    data["zorgen"]["vormen"] = []
    geweigerd(data, "vormen")


def test_unknown_zorgen_vorm_is_refused() -> None:
    """zorgen.vormen holds only the CBS kinds."""
    data = voorbeeld()
    data["zorgen"]["vormen"] = ["kindermishandeling", "pesten"]
    geweigerd(data, "vormen")


def test_all_cbs_vormen_together_are_accepted() -> None:
    """Every CBS kind of violence is a valid vorm."""
    data = voorbeeld()
    data["zorgen"]["vormen"] = [v.value for v in Geweldsvorm]
    assert Melding.model_validate(data).zorgen.vormen == list(Geweldsvorm)


@pytest.mark.parametrize("duur", [d.value for d in Duur])
def test_every_cbs_duur_is_accepted(duur: str) -> None:
    """zorgen.duur takes each CBS duration class."""
    data = voorbeeld()
    data["zorgen"]["duur"] = duur
    assert Melding.model_validate(data).zorgen.duur == duur


def test_zorgen_duur_is_optional() -> None:
    """A melding without duur is accepted and has no duur."""
    data = voorbeeld()
    del data["zorgen"]["duur"]
    assert Melding.model_validate(data).zorgen.duur is None


@pytest.mark.parametrize("duur", ["dag", "twee_jaar", "Jaar"])
def test_unknown_zorgen_duur_is_refused(duur: str) -> None:
    """zorgen.duur is one of the CBS duration classes."""
    data = voorbeeld()
    data["zorgen"]["duur"] = duur
    geweigerd(data, "duur")


# --- heeft_minderjarige -----------------------------------------------------------------------


def met_betrokkene(
    betrokkene: dict[str, Any], ontvangen_op: str = "2026-11-23T10:15:00+01:00"
) -> Melding:
    """The example melding with a single betrokkene."""
    data = voorbeeld()
    data["ontvangen_op"] = ontvangen_op
    data["betrokkenen"] = [betrokkene]
    return Melding.model_validate(data)


def test_betrokkene_turning_18_on_the_day_of_receipt_is_not_a_minor() -> None:
    """Someone whose 18th birthday is the day of receipt is an adult."""
    melding = met_betrokkene({"rol": "kind", "voornaam": "Lisa", "geboortedatum": "2008-11-23"})
    assert melding.heeft_minderjarige() is False


def test_betrokkene_turning_18_the_day_after_receipt_is_a_minor() -> None:
    """One day before the 18th birthday a betrokkene is still a minor."""
    melding = met_betrokkene({"rol": "kind", "voornaam": "Lisa", "geboortedatum": "2008-11-24"})
    assert melding.heeft_minderjarige() is True


def test_kind_without_date_of_birth_counts_as_a_minor() -> None:
    """A kind of unknown age is treated as a minor."""
    assert met_betrokkene({"rol": "kind", "voornaam": "Lisa"}).heeft_minderjarige() is True


def test_adult_without_date_of_birth_is_not_a_minor() -> None:
    """An ouder_verzorger of unknown age is not treated as a minor."""
    melding = met_betrokkene({"rol": "ouder_verzorger", "achternaam": "Jansen"})
    assert melding.heeft_minderjarige() is False


def test_minority_uses_the_local_day_of_receipt() -> None:
    """Received 00:30 local time on the 18th birthday (still the day before in UTC): an adult."""
    melding = met_betrokkene(
        {"rol": "kind", "voornaam": "Lisa", "geboortedatum": "2008-11-23"},
        ontvangen_op="2026-11-23T00:30:00+01:00",
    )
    assert melding.heeft_minderjarige() is False


def test_contract_example_has_a_minor() -> None:
    """The child born in 2019 of the example is a minor in 2026."""
    assert Melding.model_validate(voorbeeld()).heeft_minderjarige() is True


def test_is_minderjarig_op_compares_with_the_given_day() -> None:
    """Betrokkene.is_minderjarig_op is a pure function of the day."""
    b = Betrokkene(rol="kind", voornaam="Lisa", geboortedatum=date(2008, 11, 23))
    assert b.is_minderjarig_op(date(2026, 11, 22)) is True
    assert b.is_minderjarig_op(date(2026, 11, 23)) is False


# --- frozen -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deel", "veld", "waarde"),
    [
        (lambda m: m, "regio", "haaglanden"),
        (lambda m: m.melder, "meldnorm", 3),
        (lambda m: m.betrokkenen[0], "bsn", "123456782"),
        (lambda m: m.zorgen, "duur", "jaar"),
    ],
    ids=["melding", "melder", "betrokkene", "zorgen"],
)
def test_models_are_frozen(deel: Any, veld: str, waarde: Any) -> None:
    """Melding and its parts cannot be changed after validation."""
    melding = Melding.model_validate(voorbeeld())
    with pytest.raises(ValidationError) as fout:
        setattr(deel(melding), veld, waarde)
    assert veld in str(fout.value)
