"""Beleidsinformatie (issue 24): the classification and category rules of
domain/beleidsinformatie.py, the delivery definition (statistiek/definitie/) against the
domain's value sets, the record format and the CBS rounding."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from domain.advies import AdviesDuur, AdviesvragerRol
from domain.beleidsinformatie import (
    DienstUitkomst,
    Eerdere,
    EerdereCasus,
    deel_in,
    dienst_uitkomst,
    melder_categorie,
)
from domain.melding import Melder
from domain.waarden import (
    BURGER_CATEGORIEEN,
    DienstVervolg,
    Duur,
    Geweldsvorm,
    HulpSoort,
    KetenpartnerSoort,
    MelderCategorie,
    MelderRol,
    MelderSoort,
    Urgentie,
    Vervolg,
)
from statistiek import levering
from statistiek.gegevens import Casus, periode
from statistiek.indeling import MAP, DefinitieFout, laad
from statistiek.tabellen import afgerond

OPEN = EerdereCasus("c1", open=True, beoordeeld=False, in_monitoring=False)
DICHT = EerdereCasus("c0", open=False, beoordeeld=True, in_monitoring=False)


def test_a_melding_without_history_is_a_first_one_unless_only_a_name_matched() -> None:
    assert deel_in([], 0, alleen_op_naam=False) == (Eerdere.EERSTE, None)
    assert deel_in([], 0, alleen_op_naam=True) == (Eerdere.NIET_INGEDEELD, None)


def test_closed_earlier_cases_make_a_hermelding_by_the_number_of_known_betrokkenen() -> None:
    assert deel_in([DICHT], 1, False) == (Eerdere.HERMELDING_EEN, None)
    assert deel_in([DICHT], 2, False) == (Eerdere.HERMELDING_MEERDERE, None)


def test_an_open_case_makes_a_vervolgmelding_of_the_latest_by_its_phase() -> None:
    """The vervolgmelding joins the casus of the most recent open case."""
    na = dataclasses.replace(OPEN, casus="c2", beoordeeld=True)
    monitoring = dataclasses.replace(na, casus="c3", in_monitoring=True)
    assert deel_in([DICHT, OPEN], 1, False) == (Eerdere.VERVOLG_TIJDENS_BEOORDELING, "c1")
    assert deel_in([OPEN, na], 1, False) == (Eerdere.VERVOLG_NA_BEOORDELING, "c2")
    assert deel_in([na, monitoring], 2, False) == (Eerdere.VERVOLG_TIJDENS_MONITORING, "c3")


def test_a_dienst_outcome_is_confirmed_refuted_or_neither() -> None:
    assert dienst_uitkomst(True) is DienstUitkomst.BEVESTIGD
    assert dienst_uitkomst(False) is DienstUitkomst.WEERLEGD
    assert dienst_uitkomst(None) is DienstUitkomst.NIET_BEVESTIGD


def test_the_melder_category_is_given_or_derived_from_the_beroepsgroep() -> None:
    """Old payloads have no `categorie`: they still decode, and get one from the beroepsgroep."""
    oud = Melder.model_validate({"soort": "professional", "beroepsgroep": "politie", "meldnorm": 1})
    assert oud.categorie is None and melder_categorie(oud) is MelderCategorie.POLITIE
    burger = Melder.model_validate({"soort": "burger"})
    assert melder_categorie(burger) is MelderCategorie.BURGER_OVERIG
    huisarts = Melder.model_validate(
        {
            "soort": "professional",
            "beroepsgroep": "gezondheidszorg",
            "meldnorm": 1,
            "categorie": "huisarts",
        }
    )
    assert melder_categorie(huisarts) is MelderCategorie.HUISARTS


@pytest.mark.parametrize(
    ("soort", "categorie"),
    [("burger", "huisarts"), ("professional", "familie")],
)
def test_a_category_of_the_other_kind_of_melder_is_refused(soort: str, categorie: str) -> None:
    gegevens = {"soort": soort, "categorie": categorie}
    if soort == "professional":
        gegevens |= {"beroepsgroep": "overig", "meldnorm": 1}
    with pytest.raises(ValidationError, match=r"melder\.categorie"):
        Melder.model_validate(gegevens)


def test_every_value_the_domain_records_has_a_cbs_code_in_one_list() -> None:
    """statistiek/definitie/codelijsten.toml covers the domain's value sets exactly; each list's
    CBS codes are unique (a file parses back)."""
    d = laad()
    codes = {naam: set(lijst.codes) for naam, lijst in d.lijsten.items()}
    assert codes["melder_categorie"] == {c.value for c in MelderCategorie}
    assert codes["melder_soort"] == {s.value for s in MelderSoort}
    assert codes["aard"] | codes["aanvullend"] == {v.value for v in Geweldsvorm}
    assert not codes["aard"] & codes["aanvullend"]
    assert codes["duur"] == {v.value for v in Duur}
    assert codes["urgentie"] == {v.value for v in Urgentie}
    assert codes["beoordeling"] == {v.value for v in Vervolg}
    assert codes["dienst_vervolg"] == {v.value for v in DienstVervolg}
    assert codes["overdracht"] == {v.value for v in KetenpartnerSoort}
    assert codes["eerdere"] == {v.value for v in Eerdere}
    assert codes["dienst_uitkomst"] == {v.value for v in DienstUitkomst}
    assert codes["rol"] == {v.value for v in MelderRol} >= {v.value for v in AdviesvragerRol}
    assert codes["hulp"] == {v.value for v in HulpSoort}
    assert codes["advies_duur"] == {v.value for v in AdviesDuur}
    for lijst in d.lijsten.values():
        cbs = [c for c, _ in lijst.codes.values()]
        assert len(cbs) == len(set(cbs)), lijst.naam
    assert {c.value for c in BURGER_CATEGORIEEN} == {
        c for c, (code, _) in d.lijsten["melder_categorie"].codes.items() if code.startswith("8")
    }


def test_a_layout_with_a_gap_is_refused(tmp_path: Path) -> None:
    for naam in ("codelijsten.toml", "recordindeling.toml"):
        shutil.copy(MAP / naam, tmp_path / naam)
    indeling = tmp_path / "recordindeling.toml"
    indeling.write_text(
        indeling.read_text().replace("positie = 21, lengte = 8", "positie = 22, lengte = 8")
    )
    with pytest.raises(DefinitieFout, match="positie 22, verwacht 21"):
        laad.__wrapped__(tmp_path)


def _casus(**over: object) -> Casus:
    moment = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
    waarden: dict[str, object] = {
        "sleutel": "m0123456789abcdef",
        "melding_id": "VT-1",
        "casus": "c0123456789abcdef",
        "regio": "zeeland",
        "ontvangen_op": moment,
        "melder_soort": "professional",
        "melder_categorie": "huisarts",
        "aard": ("kindermishandeling", "mensenhandel"),
        "duur": "jaar",
        "aantal_betrokkenen": 3,
        "aantal_minderjarigen": 1,
        "beoordeling_deadline": datetime(2026, 9, 8, 21, 59, 59, tzinfo=UTC),
        "eerdere": "hermelding_een",
        "acute_onveiligheid": False,
        "structurele_onveiligheid": True,
        "urgentie": "hoog",
        "vervolg": "onderzoek",
        "beoordeeld_op": datetime(2026, 9, 4, 13, 0, tzinfo=UTC),
        "beoordeling_werkdagen": 3,
        "overdracht_soort": None,
        "beoordeling_geescaleerd": False,
        "dienst_einde": None,
        "dienst_uitkomst": None,
        "dienst_vervolg": None,
        "dienst_overdracht_soort": None,
        "dienst_voortijdig": False,
        "tweede_geescaleerd": True,
        "monitoring_aantal": 0,
        "afgesloten_op": None,
        "vernietigd": False,
        "melder_rol": "professional",
        "overdracht_hulp": None,
        "dienst_overdracht_hulp": None,
    }
    waarden.update(over)
    return Casus(**waarden)  # type: ignore[arg-type]


def test_a_melding_and_its_dienst_are_fixed_width_records_that_parse_back() -> None:
    d = laad()
    c = _casus()
    regels = levering.records([c], periode("2026-2", "halfjaar"), d)
    assert [len(r) for r in regels] == [d.records["M"].lengte, d.records["D"].lengte]
    soort, m = levering.lees_record(regels[0], d)
    assert soort == "M"
    assert m["meldingsleutel"] == c.sleutel and m["regio"] == "zeeland"
    assert m["datum_melding"] == date(2026, 9, 1)
    assert m["aard"] == ("kindermishandeling",) and m["aanvullend"] == ("mensenhandel",)
    assert m["beoordeling_binnen_termijn"] is True and m["datum_afsluiting"] is None
    assert regels[0][1:3] == "20"  # zeeland: the 20th region of domain/regio.py
    soort, dienst = levering.lees_record(regels[1], d)
    assert soort == "D" and dienst["tweede_terugkoppeling_binnen_10_weken"] is False
    assert "VT-1" not in "".join(regels)


def test_a_value_too_wide_for_its_field_is_refused() -> None:
    with pytest.raises(levering.LeveringFout, match="duur_beoordeling_werkdagen"):
        levering.records(
            [_casus(beoordeling_werkdagen=1000)], periode("2026-2", "halfjaar"), laad()
        )


@pytest.mark.parametrize(
    ("aantal", "gepubliceerd"),
    [(0, 0), (1, 0), (2, 0), (3, 5), (7, 5), (8, 10), (12, 10), (13, 15)],
)
def test_counts_are_published_in_multiples_of_five(aantal: int, gepubliceerd: int) -> None:
    assert afgerond(aantal) == gepubliceerd


def test_periods_are_half_years_quarters_and_years() -> None:
    assert periode("2026-2", "halfjaar").van == date(2026, 7, 1)
    assert periode("2026-2", "halfjaar").tot == date(2027, 1, 1)
    assert periode("2026-4", "kwartaal").van == date(2026, 10, 1)
    assert periode("2026", "jaar").tot == date(2027, 1, 1)
    with pytest.raises(ValueError, match="halfjaar"):
        periode("2026-3", "halfjaar")
