"""docs/contract.md: the human decisions, the radar signal, the destruction request and the ids."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from contract.ids import melding_workflow_id, vernietiging_workflow_id
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    Koppeling,
    MonitoringUitkomst,
    Triage,
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.invoer import valideer_streng
from domain.melding import MELDING_ID_PATTERN, Melding
from domain.monitoring import vervolgmelding, vervolgmelding_id
from domain.waarden import Vervolg

CET = timezone(timedelta(hours=1))
NA_KOPPELING = datetime(2027, 1, 5, 9, 0, tzinfo=CET)  # an intake clock after the examples


def triage() -> dict[str, Any]:
    return {
        "medewerker": "mw-0042",
        "acute_onveiligheid": False,
        "directe_interventie_nodig": False,
        "structurele_onveiligheid": True,
        "schadelijke_leefsituatie": False,
        "informatie_toereikend": True,
        "nader_onderzoek_nodig": False,
        "urgentie": "normaal",
        "onderbouwing": "Herhaald geweld gemeld door huisarts, geen acuut gevaar.",
    }


def besluit(**wijziging: Any) -> dict[str, Any]:
    data = {
        "medewerker": "mw-0042",
        "vervolg": "overdracht",
        "ketenpartner": {"soort": "wijkteam", "naam": "Wijkteam Oost"},
        "contact_huishouden": "wijkteam",
        "anonimiteit_toegezegd": False,
        "raad_verzoek_tot_onderzoek": False,
        "politie_informeren": False,
        "geweld_vastgesteld": None,
        "advies_aan_melder": "voortzetten",
        "huishouden_informeren_uitstellen": None,
        "onderbouwing": "Wijkteam is al betrokken en kan de veiligheid borgen.",
    }
    data.update(wijziging)
    return data


def dienst_afronding(**wijziging: Any) -> dict[str, Any]:
    data = {
        "medewerker": "mw-0042",
        "veiligheidsvoorwaarden_gesteld": True,
        "geweld_vastgesteld": True,
        "vervolg": "overdracht",
        "ketenpartner": {"soort": "lokaal_veld", "naam": "Sociaal team Utrecht-Oost"},
        "samenvatting_voor_melder": "Voorwaarden gesteld, hulp loopt via het lokale veld.",
    }
    data.update(wijziging)
    return data


def monitoring(**wijziging: Any) -> dict[str, Any]:
    data = {
        "medewerker": "mw-0042",
        "stabiel_veilig": False,
        "herstel_gaande": True,
        "nieuwe_melding_nodig": False,
        "toelichting": "Ouders volgen opvoedondersteuning, geen nieuwe incidenten.",
    }
    data.update(wijziging)
    return data


def koppeling(**wijziging: Any) -> dict[str, Any]:
    data = {
        "melding_id": "VT-HGL-2026-000777",
        "regio": "haaglanden",
        "ontvangen_op": "2027-01-04T09:00:00+01:00",
    }
    data.update(wijziging)
    return data


def vernietigingsverzoek(**wijziging: Any) -> dict[str, Any]:
    data = {
        "melding_id": "VT-UTR-2026-000123",
        "verzoeker_rol": "ouder_verzorger",
        "ontvangen_op": "2027-02-01T11:00:00+01:00",
    }
    data.update(wijziging)
    return data


def melding() -> Melding:
    return Melding.model_validate(
        {
            "melding_id": "VT-UTR-2026-000123",
            "regio": "utrecht",
            "ontvangen_op": "2026-11-23T10:15:00+01:00",
            "melder": {
                "soort": "burger",
                "naam": "Buurman",
                "anonimiteit_gevraagd": True,
            },
            "betrokkenen": [
                {"rol": "kind", "voornaam": "Noor", "geboortedatum": "2019-03-01"},
                {"rol": "ouder_verzorger", "achternaam": "Jansen", "bsn": "111222333"},
            ],
            "zorgen": {"vormen": ["kindermishandeling", "partnergeweld"], "duur": "jaar"},
        }
    )


def geweigerd(model: type[BaseModel], data: dict[str, Any], veld: str) -> None:
    """Assert `model` refuses `data` with `veld` in the message."""
    with pytest.raises(ValidationError) as fout:
        model.model_validate(data)
    assert veld in str(fout.value)


# --- examples of docs/contract.md -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (Triage, triage()),
        (Besluit, besluit()),
        (DienstAfronding, dienst_afronding()),
        (MonitoringUitkomst, monitoring()),
        (Koppeling, koppeling()),
        (VernietigingsVerzoek, vernietigingsverzoek()),
        (
            VernietigingsBesluit,
            {"medewerker": "mw-0042", "toegekend": False, "reden": "Geweld is vastgesteld."},
        ),
    ],
    ids=lambda w: w.__name__ if isinstance(w, type) else "",
)
def test_contract_example_is_accepted(model: type[BaseModel], data: dict[str, Any]) -> None:
    """The JSON example of docs/contract.md validates and round-trips through JSON."""
    gevalideerd = model.model_validate(data)
    assert model.model_validate_json(gevalideerd.model_dump_json()) == gevalideerd


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (Triage, triage()),
        (Besluit, besluit()),
        (DienstAfronding, dienst_afronding()),
        (MonitoringUitkomst, monitoring()),
        (Koppeling, koppeling()),
        (VernietigingsVerzoek, vernietigingsverzoek()),
        (VernietigingsBesluit, {"medewerker": "mw-0042", "toegekend": True, "reden": "Q&A 28"}),
    ],
    ids=lambda w: w.__name__ if isinstance(w, type) else "",
)
def test_unknown_field_is_refused(model: type[BaseModel], data: dict[str, Any]) -> None:
    """extra="forbid": every decision model refuses an unknown field by name."""
    geweigerd(model, {**data, "opmerking": "x"}, "opmerking")


def test_unknown_field_in_ketenpartner_is_refused() -> None:
    """extra="forbid" holds in the nested ketenpartner too."""
    data = besluit(ketenpartner={"soort": "wijkteam", "naam": "Wijkteam Oost", "adres": "x"})
    geweigerd(Besluit, data, "adres")


@pytest.mark.parametrize(
    ("model", "data", "veld", "waarde"),
    [
        (Triage, triage(), "urgentie", "spoed"),
        (Besluit, besluit(), "vervolg", "advies"),
        (MonitoringUitkomst, monitoring(), "stabiel_veilig", True),
        (Koppeling, koppeling(), "regio", "utrecht"),
    ],
    ids=lambda w: w.__name__ if isinstance(w, type) else "",
)
def test_decision_models_are_frozen(
    model: type[BaseModel], data: dict[str, Any], veld: str, waarde: Any
) -> None:
    """A decision cannot be changed after validation."""
    with pytest.raises(ValidationError) as fout:
        setattr(model.model_validate(data), veld, waarde)
    assert veld in str(fout.value)


# --- Triage -----------------------------------------------------------------------------------


@pytest.mark.parametrize("urgentie", ["spoed", "hoog", "normaal"])
def test_triage_urgentie_values_are_accepted(urgentie: str) -> None:
    """urgentie is spoed, hoog or normaal."""
    assert Triage.model_validate({**triage(), "urgentie": urgentie}).urgentie == urgentie


def test_triage_with_unknown_urgentie_is_refused() -> None:
    """urgentie outside spoed, hoog, normaal is refused."""
    geweigerd(Triage, {**triage(), "urgentie": "laag"}, "urgentie")


@pytest.mark.parametrize("veld", ["acute_onveiligheid", "structurele_onveiligheid", "onderbouwing"])
def test_triage_without_a_required_field_is_refused(veld: str) -> None:
    """Screening parts and onderbouwing are required."""
    data = triage()
    del data[veld]
    geweigerd(Triage, data, veld)


def test_triage_with_empty_onderbouwing_is_refused() -> None:
    """onderbouwing is a non-empty text."""
    geweigerd(Triage, {**triage(), "onderbouwing": ""}, "onderbouwing")


# --- medewerker -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "medewerker",
    ["", "mw 0042", "mw/0042", "m" * 65, "mw-0042\n"],
    ids=["empty", "space", "slash", "65-chars", "trailing-newline"],
)
def test_besluit_with_bad_medewerker_is_refused(medewerker: str) -> None:
    """medewerker is 1-64 characters of A-Z a-z 0-9 _ . -."""
    geweigerd(Besluit, besluit(medewerker=medewerker), "medewerker")


@pytest.mark.parametrize("medewerker", ["mw-0042", "j.de_vries", "m" * 64])
def test_besluit_with_good_medewerker_is_accepted(medewerker: str) -> None:
    """A medewerker code of letters, digits, dot, dash and underscore is accepted."""
    assert Besluit.model_validate(besluit(medewerker=medewerker)).medewerker == medewerker


@pytest.mark.parametrize("model", [Triage, MonitoringUitkomst, VernietigingsBesluit])
def test_other_decisions_refuse_a_bad_medewerker(model: type[BaseModel]) -> None:
    """The medewerker pattern holds for every human decision."""
    data = {
        Triage: triage(),
        MonitoringUitkomst: monitoring(),
        VernietigingsBesluit: {"medewerker": "x", "toegekend": True, "reden": "Q&A 28"},
    }[model]
    geweigerd(model, {**data, "medewerker": "mw 42"}, "medewerker")


# --- Besluit ----------------------------------------------------------------------------------


def test_overdracht_without_ketenpartner_is_refused() -> None:
    """ketenpartner is required for vervolg overdracht (Q&A 10)."""
    geweigerd(Besluit, besluit(ketenpartner=None), "ketenpartner")


@pytest.mark.parametrize("vervolg", ["afsluiten", "advies", "voorwaarden_en_vervolg", "onderzoek"])
def test_other_vervolg_without_ketenpartner_is_accepted(vervolg: str) -> None:
    """Only overdracht needs a ketenpartner."""
    data = besluit(vervolg=vervolg, ketenpartner=None, contact_huishouden="veilig_thuis")
    assert Besluit.model_validate(data).ketenpartner is None


def test_unknown_vervolg_is_refused() -> None:
    """vervolg is one of the five follow-ups."""
    geweigerd(Besluit, besluit(vervolg="doorverwijzen"), "vervolg")


def test_unknown_ketenpartner_soort_is_refused() -> None:
    """ketenpartner.soort is wijkteam, lokaal_veld, betrokken_hulpverlening or overig."""
    data = besluit(ketenpartner={"soort": "gemeente", "naam": "Gemeente Utrecht"})
    geweigerd(Besluit, data, "soort")


def test_ketenpartner_without_naam_is_refused() -> None:
    """A ketenpartner is named."""
    geweigerd(Besluit, besluit(ketenpartner={"soort": "wijkteam", "naam": ""}), "naam")


def test_unknown_contact_huishouden_is_refused() -> None:
    """contact_huishouden is veilig_thuis, wijkteam or betrokken_professional."""
    geweigerd(Besluit, besluit(contact_huishouden="huisarts"), "contact_huishouden")


def test_unknown_advies_aan_melder_is_refused() -> None:
    """advies_aan_melder is voortzetten, aanpassen or uitbreiden."""
    geweigerd(Besluit, besluit(advies_aan_melder="stoppen"), "advies_aan_melder")


@pytest.mark.parametrize("vervolg", ["advies", "overdracht", "voorwaarden_en_vervolg", "onderzoek"])
def test_geweld_niet_vastgesteld_without_afsluiten_is_refused(vervolg: str) -> None:
    """geweld_vastgesteld false is allowed only with vervolg afsluiten."""
    geweigerd(Besluit, besluit(vervolg=vervolg, geweld_vastgesteld=False), "geweld_vastgesteld")


def test_geweld_niet_vastgesteld_with_afsluiten_is_accepted() -> None:
    """Closing with no violence found is allowed (and grants the right to destruction)."""
    data = besluit(vervolg="afsluiten", ketenpartner=None, geweld_vastgesteld=False)
    assert Besluit.model_validate(data).geweld_vastgesteld is False


@pytest.mark.parametrize("vervolg", [v.value for v in Vervolg])
@pytest.mark.parametrize("geweld_vastgesteld", [True, None])
def test_geweld_vastgesteld_true_or_unknown_is_accepted_with_any_vervolg(
    vervolg: str, geweld_vastgesteld: bool | None
) -> None:
    """Only false restricts the vervolg."""
    data = besluit(vervolg=vervolg, geweld_vastgesteld=geweld_vastgesteld)
    assert Besluit.model_validate(data).vervolg == vervolg


# --- DienstAfronding --------------------------------------------------------------------------


def test_dienst_afronding_overdracht_without_ketenpartner_is_refused() -> None:
    """Handing over after a dienst needs a ketenpartner."""
    geweigerd(DienstAfronding, dienst_afronding(ketenpartner=None), "ketenpartner")


def test_dienst_afronding_afsluiten_without_ketenpartner_is_accepted() -> None:
    """Closing after a dienst needs no ketenpartner."""
    data = dienst_afronding(vervolg="afsluiten", ketenpartner=None)
    assert DienstAfronding.model_validate(data).ketenpartner is None


@pytest.mark.parametrize("vervolg", ["advies", "onderzoek", "voorwaarden_en_vervolg", "x"])
def test_dienst_afronding_with_other_vervolg_is_refused(vervolg: str) -> None:
    """A dienst ends in overdracht or afsluiten only."""
    geweigerd(DienstAfronding, dienst_afronding(vervolg=vervolg), "vervolg")


# --- MonitoringUitkomst -----------------------------------------------------------------------


def test_stabiel_veilig_together_with_nieuwe_melding_nodig_is_refused() -> None:
    """A stable, safe household cannot need a new melding."""
    data = monitoring(stabiel_veilig=True, nieuwe_melding_nodig=True)
    geweigerd(MonitoringUitkomst, data, "nieuwe_melding_nodig")


def test_nieuwe_melding_nodig_without_stabiel_veilig_is_accepted() -> None:
    """Renewed unsafety may ask for a new melding."""
    data = monitoring(stabiel_veilig=False, herstel_gaande=False, nieuwe_melding_nodig=True)
    assert MonitoringUitkomst.model_validate(data).nieuwe_melding_nodig is True


def test_stabiel_veilig_alone_is_accepted() -> None:
    """A stable, safe household without a new melding is accepted."""
    data = monitoring(stabiel_veilig=True, nieuwe_melding_nodig=False)
    assert MonitoringUitkomst.model_validate(data).stabiel_veilig is True


def test_nieuwe_melding_nodig_defaults_to_false() -> None:
    """nieuwe_melding_nodig is optional and false by default."""
    data = monitoring()
    del data["nieuwe_melding_nodig"]
    assert MonitoringUitkomst.model_validate(data).nieuwe_melding_nodig is False


# --- Koppeling and VernietigingsVerzoek -------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "data"),
    [(Koppeling, koppeling()), (VernietigingsVerzoek, vernietigingsverzoek())],
    ids=["Koppeling", "VernietigingsVerzoek"],
)
def test_ontvangen_op_without_timezone_is_refused(
    model: type[BaseModel], data: dict[str, Any]
) -> None:
    """ontvangen_op must be timezone-aware."""
    geweigerd(model, {**data, "ontvangen_op": "2027-01-04T09:00:00"}, "ontvangen_op")


@pytest.mark.parametrize(
    ("model", "data"),
    [(Koppeling, koppeling()), (VernietigingsVerzoek, vernietigingsverzoek())],
    ids=["Koppeling", "VernietigingsVerzoek"],
)
def test_naive_datetime_object_is_refused(model: type[BaseModel], data: dict[str, Any]) -> None:
    """A naive datetime object is refused like a naive string."""
    naief = datetime(2027, 1, 4, 9, 0)
    geweigerd(model, {**data, "ontvangen_op": naief}, "ontvangen_op")


@pytest.mark.parametrize(
    ("model", "data"),
    [(Koppeling, koppeling()), (VernietigingsVerzoek, vernietigingsverzoek())],
    ids=["Koppeling", "VernietigingsVerzoek"],
)
@pytest.mark.parametrize("melding_id", ["", "A" * 65, "VT HGL", "VT/HGL"])
def test_bad_melding_id_is_refused(
    model: type[BaseModel], data: dict[str, Any], melding_id: str
) -> None:
    """melding_id follows the contract's pattern."""
    geweigerd(model, {**data, "melding_id": melding_id}, "melding_id")


def test_koppeling_with_unknown_regio_is_refused_at_intake() -> None:
    """The linked melding's regio is one of the region slugs when checked strictly."""
    with pytest.raises(ValidationError) as fout:
        valideer_streng(Koppeling, koppeling(regio="den-haag"), NA_KOPPELING)
    assert "regio" in str(fout.value)


def test_koppeling_with_unlisted_regio_decodes() -> None:
    """A signal recorded in a history decodes whatever the region list says now."""
    assert Koppeling.model_validate(koppeling(regio="den-haag")).regio == "den-haag"


def test_koppeling_keeps_its_aware_moment() -> None:
    """A Koppeling's ontvangen_op keeps its offset."""
    assert Koppeling.model_validate(koppeling()).ontvangen_op == datetime(2027, 1, 4, 9, tzinfo=CET)


def test_vernietigingsverzoek_with_unknown_verzoeker_rol_is_refused() -> None:
    """verzoeker_rol is a betrokkene rol."""
    geweigerd(VernietigingsVerzoek, vernietigingsverzoek(verzoeker_rol="advocaat"), "verzoeker_rol")


def test_vernietigingsverzoek_has_no_regio() -> None:
    """The request names the melding, not a region: a regio field is unknown."""
    geweigerd(VernietigingsVerzoek, vernietigingsverzoek(regio="utrecht"), "regio")


def test_vernietigingsbesluit_without_reden_is_refused() -> None:
    """A decision on destruction is explained."""
    data = {"medewerker": "mw-0042", "toegekend": False, "reden": ""}
    geweigerd(VernietigingsBesluit, data, "reden")


# --- workflow ids -----------------------------------------------------------------------------


def test_melding_workflow_id_has_the_melding_prefix() -> None:
    """The workflow ID is melding-<melding_id>."""
    assert melding_workflow_id("VT-UTR-2026-000123") == "melding-VT-UTR-2026-000123"


def test_vernietiging_workflow_id_has_the_vernietiging_prefix() -> None:
    """The destruction workflow ID is vernietiging-<melding_id>."""
    assert vernietiging_workflow_id("VT-UTR-2026-000123") == "vernietiging-VT-UTR-2026-000123"


def test_melding_workflow_id_accepts_64_characters() -> None:
    """The longest valid melding_id still makes a workflow ID."""
    assert melding_workflow_id("A" * 64) == "melding-" + "A" * 64


@pytest.mark.parametrize(
    "melding_id",
    ["", "A" * 65, "VT UTR", "VT/UTR", "VT.UTR", "é"],
    ids=["empty", "65-chars", "space", "slash", "dot", "non-ascii"],
)
def test_melding_workflow_id_refuses_a_bad_melding_id(melding_id: str) -> None:
    """melding_workflow_id refuses ids outside the pattern, naming melding_id."""
    with pytest.raises(ValueError, match="melding_id"):
        melding_workflow_id(melding_id)


@pytest.mark.parametrize("melding_id", ["", "VT/UTR"])
def test_vernietiging_workflow_id_refuses_a_bad_melding_id(melding_id: str) -> None:
    """vernietiging_workflow_id refuses ids outside the pattern too."""
    with pytest.raises(ValueError, match="melding_id"):
        vernietiging_workflow_id(melding_id)


# --- vervolgmelding_id ------------------------------------------------------------------------


def test_vervolgmelding_id_appends_m_and_the_number() -> None:
    """A short id gets the suffix -M<n>."""
    assert vervolgmelding_id("VT-UTR-2026-000123", 2) == "VT-UTR-2026-000123-M2"


@pytest.mark.parametrize("lengte", [1, 30, 60, 61, 62, 63, 64])
@pytest.mark.parametrize("nummer", [1, 9, 12, 999])
def test_vervolgmelding_id_is_a_valid_melding_id_of_at_most_64_characters(
    lengte: int, nummer: int
) -> None:
    """Whatever the length of the original, the new id fits the pattern and ends in -M<n>."""
    nieuw = vervolgmelding_id("A" * lengte, nummer)
    assert len(nieuw) <= 64
    assert re.fullmatch(MELDING_ID_PATTERN.strip("^$"), nieuw)
    assert nieuw.endswith(f"-M{nummer}")


def test_vervolgmelding_id_of_a_64_character_id_is_exactly_64_characters() -> None:
    """A shortened id uses the whole 64 characters."""
    assert len(vervolgmelding_id("A" * 64, 1)) == 64


def test_vervolgmelding_id_is_stable() -> None:
    """The same melding and number always give the same id (workflow replay)."""
    lang = "VT-UTR-" + "0" * 57
    assert vervolgmelding_id(lang, 3) == vervolgmelding_id(lang, 3)
    assert vervolgmelding_id("VT-UTR-1", 3) == "VT-UTR-1-M3"


def test_vervolgmelding_id_of_long_ids_sharing_a_prefix_differ() -> None:
    """Shortening hashes the whole id, so long ids with a common prefix stay distinct."""
    a = vervolgmelding_id("X" * 63 + "a", 1)
    b = vervolgmelding_id("X" * 63 + "b", 1)
    assert a != b


def test_vervolgmelding_id_differs_per_number() -> None:
    """Each monitoring check's new melding has its own id."""
    assert vervolgmelding_id("A" * 64, 1) != vervolgmelding_id("A" * 64, 2)


def test_vervolgmelding_id_makes_a_valid_workflow_id() -> None:
    """The new id is accepted by melding_workflow_id."""
    assert melding_workflow_id(vervolgmelding_id("A" * 64, 7)).startswith("melding-A")


# --- vervolgmelding ---------------------------------------------------------------------------


NU = datetime(2027, 5, 23, 9, 0, tzinfo=CET)


def nieuwe() -> Melding:
    uitkomst = MonitoringUitkomst.model_validate(
        monitoring(herstel_gaande=False, nieuwe_melding_nodig=True, toelichting="Opnieuw geweld.")
    )
    return vervolgmelding(melding(), uitkomst, NU, 1)


def test_vervolgmelding_has_veilig_thuis_as_professional_melder() -> None:
    """Veilig Thuis reports itself as a professional."""
    melder = nieuwe().melder
    assert melder.soort == "professional"
    assert melder.naam is not None and "Veilig Thuis" in melder.naam
    assert melder.blijft_betrokken is False


def test_vervolgmelding_uses_meldnorm_3() -> None:
    """Renewed unsafety is meldnorm 3: it does not stop or repeats itself."""
    assert nieuwe().melder.meldnorm == 3


def test_vervolgmelding_keeps_the_betrokkenen() -> None:
    """The new melding is about the same household."""
    assert nieuwe().betrokkenen == melding().betrokkenen


def test_vervolgmelding_keeps_the_regio() -> None:
    """The same Veilig Thuis region handles the new melding."""
    assert nieuwe().regio == "utrecht"


def test_vervolgmelding_keeps_the_vormen_and_uses_the_toelichting() -> None:
    """The concerns keep their kinds and describe the monitoring finding."""
    zorgen = nieuwe().zorgen
    assert zorgen.vormen == melding().zorgen.vormen
    assert zorgen.omschrijving == "Opnieuw geweld."
    assert zorgen.structureel_vermoeden is True


def test_vervolgmelding_has_the_derived_id_and_the_check_moment() -> None:
    """Its id is vervolgmelding_id(melding_id, n) and it is received at the check."""
    nieuw = nieuwe()
    assert nieuw.melding_id == "VT-UTR-2026-000123-M1"
    assert nieuw.ontvangen_op == NU


def test_vervolgmelding_is_a_valid_melding() -> None:
    """The new melding passes every intake rule, including 'not in the future'."""
    nieuw = nieuwe()
    assert Melding.ontvang(nieuw.model_dump(mode="json"), nu=NU) == nieuw
