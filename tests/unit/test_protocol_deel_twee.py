"""Issue 21, part two, as pure rules: spoed (Q&A 25, Werkwijze), the right to destruction after
a dienst (Q&A 28), the postponed informing (Q&A 4), the tweede terugkoppeling's term (Q&A 8)
and monitoring on agreed veiligheidsvoorwaarden at agreed moments (Q&A 14, 22-24)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from contract import names
from domain import berichten, regels, termijnen, voorbeelden
from domain.afsluiting import AFGEROND_DOOR, TERMIJNEN_VAN_DE_MELDING
from domain.besluiten import DienstAfronding, HuishoudenInformeren, MonitoringUitkomst
from domain.melding import Melding
from domain.uitwisseling import (
    BerichtSoort,
    Bron,
    BronAntwoord,
    RegisterResultaat,
    Termijnsoort,
)
from domain.waarden import Fase
from domain.werkdagen import AMSTERDAM

VOORWAARDE = {"wat": "Geen fysiek straffen.", "met_wie": "ouders", "hoe_getoetst": "huisbezoek"}


def melding() -> Melding:
    return Melding.model_validate(
        {
            "melding_id": "VT-UTR-2026-000901",
            "regio": "utrecht",
            "ontvangen_op": "2026-11-02T10:00:00+01:00",
            "melder": {"soort": "burger"},
            "betrokkenen": [{"rol": "kind", "voornaam": "Sam", "achternaam": "Jansen"}],
            "zorgen": {"vormen": ["kindermishandeling"]},
        }
    )


def afronding(**over: Any) -> DienstAfronding:
    return voorbeelden.afronding(**over)


def uitkomst(**over: Any) -> MonitoringUitkomst:
    return voorbeelden.uitkomst(stabiel=False, **over)


@pytest.mark.parametrize(
    ("over", "spoed"),
    [
        ({"urgentie": "spoed"}, True),
        ({"directe_interventie_nodig": True}, True),
        ({"urgentie": "hoog", "acute_onveiligheid": True}, False),
        ({}, False),
    ],
)
def test_q25_spoed_is_urgentie_spoed_or_directe_interventie(
    over: dict[str, Any], spoed: bool
) -> None:
    """Q&A 25: "(crisis)situatie die spoed vereist"; acute_onveiligheid alone is not spoed."""
    triage = voorbeelden.triage(**over)
    assert regels.spoed(triage) is spoed
    reden = regels.weiger_besluit_tijdens_verzamelen(Fase.INFORMATIE_VERZAMELEN, triage)
    assert (reden is None) is spoed


def test_q7_without_a_triage_the_besluit_waits_for_the_sources() -> None:
    assert regels.weiger_besluit_tijdens_verzamelen(Fase.INFORMATIE_VERZAMELEN) is not None
    assert regels.weiger_besluit_tijdens_verzamelen(Fase.WACHT_OP_BESLUIT) is None


def test_q21_q25_a_late_answer_changes_the_picture_when_it_tells_something() -> None:
    assert regels.verandert_beeld(register=RegisterResultaat(aantal=1))
    assert not regels.verandert_beeld(register=RegisterResultaat(aantal=0))
    assert regels.verandert_beeld(antwoord=BronAntwoord(bron=Bron.POLITIE, bekend=True))
    assert not regels.verandert_beeld(antwoord=BronAntwoord(bron=Bron.RAAD, bekend=False))


def test_q28_the_right_after_a_dienst_only_when_it_found_no_violence_and_is_new() -> None:
    onderzoek = voorbeelden.besluit("onderzoek")
    geen = afronding(geweld_vastgesteld=False)
    assert regels.vernietigingsrecht_na_dienst(onderzoek, geen)
    assert not regels.vernietigingsrecht_na_dienst(onderzoek, afronding(geweld_vastgesteld=True))
    assert not regels.vernietigingsrecht_na_dienst(onderzoek, afronding())
    afgesloten = voorbeelden.besluit("afsluiten", geweld_vastgesteld=False)
    assert not regels.vernietigingsrecht_na_dienst(afgesloten, geen)


def test_q28_the_right_has_a_message_of_its_own_and_joins_a_later_household_message() -> None:
    m = melding()
    bericht = berichten.vernietigingsrecht_bericht(m)
    assert bericht.soort is BerichtSoort.HUISHOUDEN_VERNIETIGINGSRECHT
    assert bericht.inhoud["vernietigingsrecht"] is True
    assert "Jansen" not in bericht.model_dump_json()
    besluit = voorbeelden.besluit("onderzoek")
    assert "vernietigingsrecht" not in berichten.huishouden_bericht(m, besluit).inhoud
    later = berichten.huishouden_bericht(m, besluit, afronding(geweld_vastgesteld=False))
    assert later.inhoud["vernietigingsrecht"] is True


def test_q4_informeer_huishouden_only_after_a_postponement_and_once() -> None:
    assert regels.weiger_huishouden_informeren(uitgesteld=False, geinformeerd=False)
    assert regels.weiger_huishouden_informeren(uitgesteld=True, geinformeerd=False) is None
    assert regels.weiger_huishouden_informeren(uitgesteld=True, geinformeerd=True)
    with pytest.raises(ValidationError):
        HuishoudenInformeren.model_validate(
            {"medewerker": "mw-0042", "wijze": "brief", "toelichting": "x"}
        )


def test_q8_a_tweede_terugkoppeling_sent_at_the_deadline_or_that_day_is_on_time() -> None:
    deadline = datetime(2027, 1, 11, 10, 0, tzinfo=AMSTERDAM)
    assert not termijnen.tweede_terugkoppeling_te_laat(deadline, deadline)
    assert not termijnen.tweede_terugkoppeling_te_laat(deadline + timedelta(hours=13), deadline)
    assert termijnen.tweede_terugkoppeling_te_laat(deadline + timedelta(hours=14), deadline)


def test_q23_the_agreed_moments_then_every_three_months() -> None:
    assert [termijnen.monitoring_maanden(n, (1, 6)) for n in (1, 2, 3, 4)] == [1, 6, 9, 12]
    assert [termijnen.monitoring_maanden(n) for n in (1, 2, 3)] == [3, 12, 15]


@pytest.mark.parametrize("maanden", [[6, 3], [3, 3], [0], [25], []])
def test_q23_agreed_moments_ascend_within_two_years(maanden: list[int]) -> None:
    with pytest.raises(ValidationError):
        afronding(veiligheidsvoorwaarden_gesteld=True, monitoring_maanden=maanden)


def test_q24_voorwaarden_need_veiligheidsvoorwaarden_gesteld() -> None:
    with pytest.raises(ValidationError, match="veiligheidsvoorwaarden_gesteld"):
        afronding(veiligheidsvoorwaarden=[VOORWAARDE])
    gesteld = afronding(veiligheidsvoorwaarden_gesteld=True, veiligheidsvoorwaarden=[VOORWAARDE])
    assert gesteld.veiligheidsvoorwaarden[0].hoe_getoetst == "huisbezoek"


def test_an_old_afronding_without_voorwaarden_still_decodes() -> None:
    oud = {
        "medewerker": "mw-0042",
        "veiligheidsvoorwaarden_gesteld": True,
        "vervolg": "afsluiten",
        "samenvatting_voor_melder": "x",
    }
    assert DienstAfronding.model_validate(oud).monitoring_maanden is None


def test_q24_every_agreed_voorwaarde_is_checked_at_monitoring() -> None:
    twee = afronding(veiligheidsvoorwaarden_gesteld=True, veiligheidsvoorwaarden=[VOORWAARDE] * 2)
    beide = [{"voorwaarde": 1, "nagekomen": True}, {"voorwaarde": 2, "nagekomen": False}]
    assert regels.weiger_monitoring(True, twee, uitkomst(voorwaarden=beide)) is None
    assert regels.weiger_monitoring(True, twee, uitkomst(voorwaarden=beide[:1])) is not None
    drie = [*beide, {"voorwaarde": 3, "nagekomen": True}]
    assert regels.weiger_monitoring(True, twee, uitkomst(voorwaarden=drie)) is not None
    assert regels.weiger_monitoring(True, afronding(), uitkomst()) is None
    assert regels.weiger_monitoring(False, twee, uitkomst(voorwaarden=beide)) is not None


def test_q23_stably_safe_is_refused_while_a_voorwaarde_is_not_met() -> None:
    with pytest.raises(ValidationError, match="stabiel_veilig"):
        voorbeelden.uitkomst(stabiel=True, voorwaarden=[{"voorwaarde": 1, "nagekomen": False}])
    with pytest.raises(ValidationError, match="ten hoogste een keer"):
        uitkomst(voorwaarden=[{"voorwaarde": 1, "nagekomen": True}] * 2)


def test_q23_monitoring_ends_only_stably_safe_from_the_last_agreed_moment() -> None:
    veilig = voorbeelden.uitkomst(stabiel=True)
    assert not regels.monitoring_klaar(veilig, 1, 2)
    assert regels.monitoring_klaar(veilig, 2, 2)
    assert regels.monitoring_klaar(veilig, 1, 1)
    assert not regels.monitoring_klaar(uitkomst(nieuwe_melding_nodig=True), 3, 2)


def test_q4_informeer_huishouden_ends_its_reminders_and_late_information_outlives_closing() -> None:
    """The team lead's list: `informeer_huishouden` closes the household's reminders; a
    signalering about information after a spoed besluit stays when the case closes."""
    informeren = AFGEROND_DOOR[names.UPDATE_HUISHOUDEN_INFORMEREN]
    assert informeren is Termijnsoort.HUISHOUDEN_INFORMEREN
    assert Termijnsoort.NAGEKOMEN_INFORMATIE not in TERMIJNEN_VAN_DE_MELDING
    assert Termijnsoort.HUISHOUDEN_INFORMEREN in TERMIJNEN_VAN_DE_MELDING
