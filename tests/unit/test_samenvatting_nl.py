"""The `status` summary reads as Dutch (issue 23, point 7): a count agrees with its noun
(`1 eerdere melding`, `2 eerdere meldingen`, `1 werkdag`) and a triage without findings says so
(starter.weergave.samenvatting; the Web UI's details in domain/casusbeeld.py likewise)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain import casusbeeld as cb
from domain import wachtpunten
from domain.besluiten import Triage
from domain.status import MeldingStatus
from domain.waarden import Fase
from starter.demo import voorbeeld
from starter.weergave import aantal, samenvatting

NU = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # a Thursday


def status(**velden: Any) -> MeldingStatus:
    return MeldingStatus(
        melding_id="VT-1", regio="utrecht", fase=Fase.WACHT_OP_BESLUIT, ontvangen_op=NU, **velden
    )


def rij(tekst: str, naam: str) -> str:
    return next(r for r in tekst.splitlines() if r.strip().startswith(naam))[24:].strip()


@pytest.mark.parametrize(
    ("n", "tekst"),
    [(0, "0 eerdere meldingen"), (1, "1 eerdere melding"), (2, "2 eerdere meldingen")],
)
def test_earlier_meldingen_agree_with_their_count(n: int, tekst: str) -> None:
    assert rij(samenvatting(status(eerdere_meldingen=n), NU), "eerdere meldingen") == tekst


@pytest.mark.parametrize(("n", "tekst"), [(0, "0 werkdagen"), (1, "1 werkdag"), (5, "5 werkdagen")])
def test_aantal_agrees_with_its_count(n: int, tekst: str) -> None:
    assert aantal(n, "werkdag", "werkdagen") == tekst


@pytest.mark.parametrize("dagen", [-10, -3, -1, 0, 1, 2, 7])
def test_working_days_agree_with_their_count(dagen: int) -> None:
    tekst = rij(samenvatting(status(beoordeling_deadline=NU + timedelta(days=dagen)), NU), "beo")
    assert "(en)" not in tekst
    gevonden = re.search(r"(-?\d+) werkdag(en)?\b", tekst)
    assert gevonden is not None, tekst
    assert (gevonden[1] == "1") == (gevonden[2] is None), tekst


def test_a_triage_without_findings_says_geen_bevindingen() -> None:
    triage = Triage.model_validate(
        {
            **voorbeeld("triage"),
            "acute_onveiligheid": False,
            "directe_interventie_nodig": False,
            "structurele_onveiligheid": False,
            "schadelijke_leefsituatie": False,
            "informatie_toereikend": True,
            "nader_onderzoek_nodig": False,
        }
    )
    tekst = rij(samenvatting(status(triage=triage), NU), "triage")
    assert tekst == f"{triage.medewerker}, urgentie {triage.urgentie.value}, geen bevindingen"
    assert ": geen" not in tekst


def test_a_triage_names_its_findings() -> None:
    triage = Triage.model_validate({**voorbeeld("triage"), "structurele_onveiligheid": True})
    tekst = rij(samenvatting(status(triage=triage), NU), "triage")
    assert f"urgentie {triage.urgentie.value}; bevindingen: " in tekst
    assert "B structurele onveiligheid" in tekst


@pytest.mark.parametrize(
    ("n", "tekst"),
    [(0, "(0 eerdere meldingen)"), (1, "(1 eerdere melding)"), (3, "(3 eerdere meldingen)")],
)
def test_the_web_ui_counts_earlier_meldingen_in_dutch(n: int, tekst: str) -> None:
    casus = wachtpunten.Casus(
        melding_id="VT-1",
        regio="utrecht",
        melder_soort="professional",
        fase=Fase.WACHT_OP_TRIAGE,
        ontvangen_op=NU,
        nu=NU,
        eerdere_meldingen=n,
    )
    assert tekst in cb.huidige_details(casus)
