"""The werkvoorraad views (starter/werkvoorraad.py): their names, what every query contains,
the Amsterdam days written as UTC moments, and the Web UI link."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from starter import werkvoorraad as wv
from starter.acties import werkvoorraad_vraag

# Thursday 3 December 2026, 10:00 in Amsterdam.
NU = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_there_are_exactly_the_six_documented_views() -> None:
    assert list(wv.weergaven(NU)) == [
        "wacht_op_triage",
        "te_laat",
        "beoordeling_vandaag",
        "beoordeling_morgen",
        "terugkoppeling_deze_week",
        "monitoring_deze_maand",
    ]
    assert tuple(wv.weergaven(NU)) == wv.WEERGAVEN


def test_every_view_lists_running_meldingen_only_and_never_sorts() -> None:
    for zoekvraag in [*wv.weergaven(NU).values(), wv.per_regio("utrecht")]:
        assert zoekvraag.startswith(
            'WorkflowType = "MeldingWorkflow" AND ExecutionStatus = "Running"'
        )
        assert "ORDER BY" not in zoekvraag.upper()


def test_today_and_tomorrow_are_amsterdam_days_in_utc() -> None:
    v = wv.weergaven(NU)
    # 3 December 00:00 CET is 2 December 23:00 UTC.
    assert v["beoordeling_vandaag"].endswith(
        'VtVolgendeDeadline >= "2026-12-02T23:00:00Z" AND '
        'VtVolgendeDeadline < "2026-12-03T23:00:00Z"'
    )
    assert (
        'VtFase IN ("informatie_verzamelen", "wacht_op_triage", "wacht_op_besluit")'
        in (v["beoordeling_vandaag"])
    )
    assert v["beoordeling_morgen"].endswith(
        'VtVolgendeDeadline >= "2026-12-03T23:00:00Z" AND '
        'VtVolgendeDeadline < "2026-12-04T23:00:00Z"'
    )
    # Monday 30 November up to Monday 7 December.
    assert v["terugkoppeling_deze_week"].endswith(
        'VtVolgendeDeadline >= "2026-11-29T23:00:00Z" AND '
        'VtVolgendeDeadline < "2026-12-06T23:00:00Z"'
    )
    assert v["monitoring_deze_maand"].endswith(
        'VtFase = "monitoring" AND VtVolgendeDeadline < "2026-12-31T23:00:00Z"'
    )
    assert v["te_laat"].endswith("VtTermijnOverschreden = true")


def test_a_summer_day_starts_two_hours_before_midnight_utc() -> None:
    zomer = wv.weergaven(datetime(2026, 7, 1, 21, 30, tzinfo=UTC))  # 23:30 CEST
    assert 'VtVolgendeDeadline >= "2026-06-30T22:00:00Z"' in zomer["beoordeling_vandaag"]


def test_a_region_is_checked_before_it_goes_into_a_query() -> None:
    assert wv.per_regio("utrecht").endswith('VtRegio = "utrecht"')
    with pytest.raises(ValueError):
        wv.per_regio('utrecht" OR VtRegio != "x')
    with pytest.raises(ValueError):
        wv.met_regio(wv.weergaven(NU)["te_laat"], "atlantis")


def test_the_ui_link_carries_the_query_url_encoded() -> None:
    zoekvraag = wv.weergaven(NU)["te_laat"]
    link = wv.ui_link("http://localhost:8233/", "default", zoekvraag)
    delen = urlsplit(link)
    assert f"{delen.scheme}://{delen.netloc}{delen.path}" == (
        "http://localhost:8233/namespaces/default/workflows"
    )
    assert parse_qs(delen.query)["query"] == [zoekvraag]
    assert " " not in link and '"' not in link


def test_the_ui_address_follows_the_environment_of_make_run() -> None:
    """`lijst --ui` links to the running UI: VT_UI_ADRES, else VT_UI_PORT (client.env of make
    run, a moved port too), else localhost:8233."""
    assert wv.ui_adres({}) == "http://localhost:8233"
    assert wv.ui_adres({"VT_UI_PORT": "18233"}) == "http://localhost:18233"
    adres = {"VT_UI_ADRES": "https://temporal.vt.example.nl/", "VT_UI_PORT": "18233"}
    assert wv.ui_adres(adres) == "https://temporal.vt.example.nl"
    for fout in ({"VT_UI_PORT": "acht"}, {"VT_UI_PORT": "70000"}, {"VT_UI_ADRES": "host:1"}):
        with pytest.raises(ValueError, match="VT_UI_"):
            wv.ui_adres(fout)


def test_lijst_ui_prints_the_link_of_the_running_ui(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 23: the link said localhost:8233 when make run had moved the UI."""
    from starter.cli import main

    monkeypatch.delenv("VT_UI_ADRES", raising=False)
    monkeypatch.setenv("VT_UI_PORT", "18233")
    assert main(["lijst", "--weergave", "te_laat", "--ui"]) == 0
    assert capsys.readouterr().out.startswith("http://localhost:18233/namespaces/default/")
    assert main(["lijst", "--weergave", "te_laat", "--ui", "--ui-adres", "http://ui:9/"]) == 0
    assert capsys.readouterr().out.startswith("http://ui:9/namespaces/default/")
    monkeypatch.setenv("VT_UI_PORT", "geen")
    assert main(["lijst", "--weergave", "te_laat", "--ui"]) == 2
    assert "VT_UI_PORT: een poortnummer" in capsys.readouterr().err


def test_the_mislukt_view_lists_stopped_meldingen_that_did_not_close() -> None:
    """Issue 18.4: the views listed Running cases only, so a Failed or Terminated case was in
    none. `mislukt` lists those (and timed-out ones) whose phase is not afgesloten: a refused
    second case (MeldingBestaatAl, phase afgesloten) is an answer, not a failure."""
    zoekvraag = werkvoorraad_vraag("mislukt", None, NU)
    assert zoekvraag == wv.MISLUKT
    assert zoekvraag.startswith(
        'WorkflowType = "MeldingWorkflow"'
        ' AND ExecutionStatus IN ("Failed", "Terminated", "TimedOut")'
    )
    assert '"afgesloten"' not in zoekvraag and '"wacht_op_besluit"' in zoekvraag
    assert "ORDER BY" not in zoekvraag.upper()
    assert werkvoorraad_vraag("mislukt", "utrecht", NU).endswith('VtRegio = "utrecht"')
