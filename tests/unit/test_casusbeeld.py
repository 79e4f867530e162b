"""What an operator reads of a case in the Web UI (domain/casusbeeld.py): moments with their
zone, the overdue banner, what the case waits for, and the names of activities and timers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain import casusbeeld as cb
from domain import tijdlijn
from domain import wachtpunten as wp
from domain.status import Bronnen
from domain.uitwisseling import BerichtSoort, SignaleringSoort, Termijnsoort
from domain.waarden import BronStatus, Fase

# Thursday 3 December 2026, 23:59:59 in Amsterdam (CET, UTC+1).
DEADLINE = datetime(2026, 12, 3, 22, 59, 59, tzinfo=UTC)
ONTVANGEN = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def casus(**over: object) -> wp.Casus:
    basis = wp.Casus(
        melding_id="VT-UTR-2026-000123",
        regio="utrecht",
        melder_soort="professional",
        fase=Fase.WACHT_OP_TRIAGE,
        ontvangen_op=ONTVANGEN,
        nu=ONTVANGEN + timedelta(hours=1),
        geregistreerd=True,
        beoordeling_deadline=DEADLINE,
        beoordeling_herinnering=DEADLINE - timedelta(hours=23, minutes=59, seconds=59),
        bronnen=Bronnen(
            register=BronStatus.ONTVANGEN,
            raad=BronStatus.NIET_VAN_TOEPASSING,
            politie=BronStatus.NIET_ONTVANGEN,
        ),
        bronnen_klaar=True,
        sinds=ONTVANGEN + timedelta(minutes=2),
    )
    return replace(basis, **over)  # type: ignore[arg-type]


def test_a_moment_reads_as_the_amsterdam_day_and_time_with_the_zone_named() -> None:
    assert tijdlijn.tijdstip(DEADLINE) == "do 3 dec 2026 23:59 (Europe/Amsterdam)"
    zomer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)  # CEST, UTC+2
    assert tijdlijn.tijdstip(zomer) == "wo 1 jul 2026 12:00 (Europe/Amsterdam)"
    assert tijdlijn.tijdstip(None) == "-"


def test_the_timers_and_activities_are_named_in_dutch_and_repeats_can_be_told_apart() -> None:
    assert tijdlijn.herinnering("beoordeling", DEADLINE) == "Herinnering beoordeling do 3 dec"
    assert tijdlijn.termijn("beoordeling", DEADLINE) == "Termijn beoordeling do 3 dec"
    assert tijdlijn.monitoringsmoment(1) == "Monitoring 1 (3 maanden)"
    assert tijdlijn.monitoringsmoment(2) == "Monitoring 2 (12 maanden)"
    assert tijdlijn.monitoringsmoment(3) == "Monitoring 3 (15 maanden)"
    assert tijdlijn.BRON_BEVRAGEN == {
        "politie": "Politie bevragen",
        "raad": "Raad voor de Kinderbescherming bevragen",
    }
    assert tijdlijn.REGISTER_RAADPLEGEN == "Landelijk register raadplegen"
    herinnering = tijdlijn.signalering(SignaleringSoort.HERINNERING, Termijnsoort.BEOORDELING)
    escalatie = tijdlijn.signalering(SignaleringSoort.ESCALATIE, Termijnsoort.BEOORDELING)
    assert (herinnering, escalatie) == (
        "Herinnering beoordeling signaleren",
        "Escalatie beoordeling signaleren",
    )
    assert (
        len(set(tijdlijn.BERICHT_VERSTUREN.values()))
        == len(tijdlijn.BERICHT_VERSTUREN)
        == len(BerichtSoort)
    )


def test_a_case_on_time_shows_its_phase_first_and_no_banner() -> None:
    tekst = cb.huidige_details(casus())
    eerste = tekst.splitlines()[0]
    assert eerste == "### Wacht op triage (`wacht_op_triage`)"
    assert cb.BANNER not in tekst
    assert "**Wacht op:** de triage van een medewerker (update `registreer_triage`)" in tekst
    assert "**Uiterlijk:** do 3 dec 2026 23:59 (Europe/Amsterdam)" in tekst
    assert "**Herinnering:** do 3 dec 2026 00:00 (Europe/Amsterdam)" in tekst
    assert "**Sinds:** do 26 nov 2026 10:32 (Europe/Amsterdam)" in tekst
    assert "geëscaleerd naar de teamleider" in tekst
    assert "politie niet_ontvangen" in tekst
    assert "`python -m starter status VT-UTR-2026-000123`" in tekst


def test_the_banner_is_the_first_line_from_the_moment_a_legal_term_passed() -> None:
    te_laat = casus(termijn_overschreden=True, verstreken=("beoordeling",), nu=DEADLINE)
    eerste = cb.huidige_details(te_laat).splitlines()[0]
    assert "TERMIJN VERSTREKEN" in eerste
    assert "beoordeling uiterlijk do 3 dec 2026 23:59 (Europe/Amsterdam)" in eerste
    assert "besluit nog niet genomen" in eerste
    # Marked by a version before the list of passed terms: the banner all the same.
    oud = cb.huidige_details(casus(termijn_overschreden=True)).splitlines()[0]
    assert "TERMIJN VERSTREKEN" in oud


def test_the_banner_stays_while_the_case_runs_and_goes_when_it_closes() -> None:
    later = casus(
        fase=Fase.ONDERZOEK,
        termijn_overschreden=True,
        verstreken=("beoordeling", "tweede_terugkoppeling"),
        vervolg="onderzoek",
        triage_urgentie="hoog",
        eerste_verstuurd_op=DEADLINE + timedelta(days=1),
        tweede_deadline=DEADLINE + timedelta(weeks=10, days=1),
        tweede_verstuurd=True,
    )
    eerste = cb.huidige_details(later).splitlines()[0]
    assert "TERMIJN VERSTREKEN" in eerste and "besluit genomen" in eerste
    assert "tweede terugkoppeling uiterlijk" in eerste
    dicht = cb.huidige_details(replace(later, fase=Fase.AFGESLOTEN, einde="afgesloten"))
    assert cb.BANNER not in dicht


@pytest.mark.parametrize(
    ("over", "wacht_op"),
    [
        ({"geregistreerd": False}, "de registratie"),
        (
            {"fase": Fase.INFORMATIE_VERZAMELEN, "bronnen_klaar": False},
            "de bronnen: landelijk register, politie",
        ),
        ({"fase": Fase.WACHT_OP_BESLUIT, "triage_urgentie": "hoog"}, "update `neem_besluit`"),
        (
            {
                "fase": Fase.VOORWAARDEN_EN_VERVOLG,
                "vervolg": "voorwaarden_en_vervolg",
                "eerste_verstuurd_op": DEADLINE,
                "tweede_deadline": DEADLINE + timedelta(weeks=10),
            },
            "update `rond_dienst_af`",
        ),
        ({"fase": Fase.AFGESLOTEN, "einde": "advies"}, "de casus is afgesloten (einde: advies)"),
    ],
)
def test_each_step_says_what_the_case_waits_for(over: dict[str, object], wacht_op: str) -> None:
    tekst = cb.huidige_details(casus(**over))
    [regel] = [r for r in tekst.splitlines() if r.startswith("**Wacht op:**")]
    assert wacht_op in regel


def test_a_planned_monitoring_check_reads_planned_and_an_open_one_open() -> None:
    moment = DEADLINE + timedelta(days=90)
    basis = {
        "fase": Fase.MONITORING,
        "vervolg": "voorwaarden_en_vervolg",
        "eerste_verstuurd_op": DEADLINE,
        "dienst_afgerond": True,
        "tweede_verstuurd": True,
    }
    gepland = cb.huidige_details(casus(monitoring=(wp.Monitoringmoment(1, moment),), **basis))
    assert "gepland: nog niet open" in gepland
    assert "**Monitoring 1** (3 maanden): " in gepland and ", gepland" in gepland
    assert wp.wachtpunt(casus(monitoring=(wp.Monitoringmoment(1, moment),), **basis)).sleutel == (
        "monitoring-1-gepland"
    )
    open_ = cb.huidige_details(
        casus(monitoring=(wp.Monitoringmoment(1, moment, open=True),), **basis)
    )
    assert "update `registreer_monitoring`" in open_ and ", open" in open_
    assert "gepland: nog niet open" not in open_


def test_the_static_details_name_the_case_and_its_cli_commands_without_personal_data() -> None:
    tekst = cb.statische_details(
        "VT-UTR-2026-000123", "utrecht", "burger", ONTVANGEN, DEADLINE, vervolg_op="VT-UTR-1"
    )
    assert "**Ontvangen:** do 26 nov 2026 10:30 (Europe/Amsterdam)" in tekst
    assert "do 3 dec 2026 23:59 (Europe/Amsterdam)" in tekst
    assert "`python -m starter status VT-UTR-2026-000123`" in tekst
    assert "`VT-UTR-1`" in tekst
    assert cb.statische_samenvatting("VT-UTR-2026-000123", "utrecht") == (
        "Melding VT-UTR-2026-000123, regio utrecht"
    )


def test_a_request_to_destroy_shows_its_own_banner_once_its_term_passed() -> None:
    tekst = cb.vernietiging_details("VT-1", "wacht op het besluit", deadline=DEADLINE)
    assert cb.BANNER not in tekst and "AVG" in tekst
    laat = cb.vernietiging_details(
        "VT-1", "wacht op het besluit", deadline=DEADLINE, verstreken=True
    )
    assert "TERMIJN VERSTREKEN" in laat.splitlines()[0]


def test_the_static_details_offer_no_decision_commands() -> None:
    """Static details stay as long as the run, closed or not: only `status`, no relative file
    names (issue 23.7)."""
    tekst = cb.statische_details("VT-UTR-2026-000123", "utrecht", "burger", ONTVANGEN, DEADLINE)
    assert "`python -m starter status VT-UTR-2026-000123`" in tekst
    for opdracht in ("triage", "besluit", "dienst-afronden", "monitoring"):
        assert f"starter {opdracht} " not in tekst
    assert ".json" not in tekst


EERSTE = ONTVANGEN + timedelta(days=2)


@pytest.mark.parametrize(
    ("over", "opdracht"),
    [
        ({"fase": Fase.WACHT_OP_TRIAGE, "bronnen_klaar": True}, "triage"),
        ({"fase": Fase.WACHT_OP_BESLUIT, "triage_urgentie": "hoog"}, "besluit"),
        (
            {
                "fase": Fase.ONDERZOEK,
                "vervolg": "onderzoek",
                "eerste_verstuurd_op": EERSTE,
                "tweede_deadline": EERSTE + timedelta(days=70),
            },
            "dienst-afronden",
        ),
        (
            {
                "fase": Fase.MONITORING,
                "vervolg": "onderzoek",
                "eerste_verstuurd_op": EERSTE,
                "monitoring": (wp.Monitoringmoment(1, EERSTE, open=True),),
            },
            "monitoring",
        ),
    ],
)
def test_an_open_case_offers_the_decision_it_waits_for(
    over: dict[str, object], opdracht: str
) -> None:
    tekst = cb.huidige_details(casus(**over))
    regel = next(r for r in tekst.splitlines() if r.startswith("**Volgende beslissing (CLI):**"))
    assert f"`python -m starter {opdracht} VT-UTR-2026-000123 <bestand.json>`" in regel
    assert "starter/examples/" in regel


@pytest.mark.parametrize(
    "over",
    [
        {"fase": Fase.AFGESLOTEN, "vervolg": "advies", "einde": "advies"},
        {"fase": Fase.AFGESLOTEN, "triage_urgentie": "hoog", "einde": "geannuleerd"},
        {"fase": Fase.AFGESLOTEN, "einde": "geannuleerd"},
        {"fase": Fase.INFORMATIE_VERZAMELEN, "bronnen_klaar": False},
    ],
)
def test_a_closed_case_or_one_asking_its_sources_offers_no_decision(
    over: dict[str, object],
) -> None:
    tekst = cb.huidige_details(casus(**over))
    assert "Volgende beslissing" not in tekst and ".json" not in tekst
    for opdracht in ("triage", "besluit", "dienst-afronden", "monitoring"):
        assert f"starter {opdracht} " not in tekst
    assert "`python -m starter status VT-UTR-2026-000123`" in tekst
