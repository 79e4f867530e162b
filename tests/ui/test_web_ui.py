"""Ops staff in the Temporal Web UI, in a real browser: the werkvoorraad views list exactly their
cases, a case page says what the case waits for and that it is overdue, the timeline names its
steps in Dutch, a refused update reads as its rule, and the input is shown decoded only through
the codec server with the staff's token.

One stack for the module (conftest.py); the cases and the moments of the date views are in
casussen.py. Screenshots land in tests/ui/artefacten/; two of them are the runbook's
(docs/img/, see docs/operations.md).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, time
from pathlib import Path

import asyncpg
import pytest
from playwright.async_api import Browser, Page, expect

from domain import casusbeeld, tijdlijn
from domain.waarden import Fase
from domain.werkdagen import AMSTERDAM
from starter.demo import voorbeeld
from starter.werkvoorraad import LOPEND, WEERGAVEN, per_regio, ui_link, weergaven
from tests.ui.browser import (
    casus_url,
    huidige_details,
    invoer,
    kolommen_script,
    open_tab,
    schermafdruk,
    tekst_van_frames,
    verstuur_update,
    workflow_ids_in_lijst,
)
from tests.ui.casussen import ANDERE_REGIO, REGIO, Casussen
from tests.ui.conftest import Stapel

pytestmark = pytest.mark.ui


def _verwacht(c: Casussen) -> dict[str, tuple[datetime, set[str]]]:
    """Each view: the moment it is made for, and exactly the cases it must list."""
    nu = datetime.now(AMSTERDAM)
    dag_d = datetime.combine(c.dag, time(12, 0), tzinfo=AMSTERDAM)
    tweede = c.status["voorwaarden"].tweede_terugkoppeling_deadline
    monitoring = c.status["monitoring"].monitoring[0].gepland_op
    assert tweede is not None
    return {
        "wacht_op_triage": (nu, c.workflow_ids("nieuw", "vandaag", "morgen", "te-laat")),
        "te_laat": (nu, c.workflow_ids("te-laat")),
        "beoordeling_vandaag": (dag_d, c.workflow_ids("vandaag")),
        "beoordeling_morgen": (dag_d, c.workflow_ids("morgen")),
        "terugkoppeling_deze_week": (tweede, c.workflow_ids("voorwaarden")),
        "monitoring_deze_maand": (monitoring, c.workflow_ids("monitoring")),
    }


@pytest.mark.parametrize("weergave", WEERGAVEN)
async def test_each_werkvoorraad_view_lists_exactly_its_cases(
    stapel: Stapel, page: Page, weergave: str
) -> None:
    moment, verwacht = _verwacht(stapel.casussen)[weergave]
    url = ui_link(stapel.ui, stapel.namespace, weergaven(moment)[weergave])
    assert await workflow_ids_in_lijst(page, url) == verwacht


@pytest.mark.parametrize(
    ("regio", "namen"),
    [
        (REGIO, ("nieuw", "triage", "vandaag", "te-laat", "voorwaarden")),
        (ANDERE_REGIO, ("morgen", "monitoring")),
    ],
)
async def test_the_view_per_region_lists_its_running_cases_only(
    stapel: Stapel, page: Page, regio: str, namen: tuple[str, ...]
) -> None:
    url = ui_link(stapel.ui, stapel.namespace, per_regio(regio))
    assert await workflow_ids_in_lijst(page, url) == stapel.casussen.workflow_ids(*namen)


async def test_the_overdue_view_with_the_team_leads_columns_flags_the_late_case(
    stapel: Stapel, page: Page, artefacten: Path
) -> None:
    """The runbook's first screenshot: every running case with phase, overdue flag and next
    deadline as columns; the overdue one reads TRUE."""
    await page.add_init_script(kolommen_script(stapel.namespace))
    await page.set_viewport_size({"width": 1500, "height": 700})
    c = stapel.casussen
    url = ui_link(stapel.ui, stapel.namespace, LOPEND)
    assert await workflow_ids_in_lijst(page, url) == c.alle - c.workflow_ids("afgesloten")
    # Where the runbook tells a team lead to set these columns.
    await expect(page.get_by_role("button", name="Configure Columns")).to_be_visible()
    rij = page.locator("table tbody tr").filter(has_text=c.workflow_id("te-laat"))
    await expect(rij.get_by_role("cell", name="true", exact=True)).to_have_count(1)
    await expect(rij).to_contain_text(Fase.WACHT_OP_TRIAGE.value)
    rij = page.locator("table tbody tr").filter(has_text=c.workflow_id("nieuw"))
    await expect(rij.get_by_role("cell", name="false", exact=True)).to_have_count(1)
    await schermafdruk(page, artefacten, "werkvoorraad", runbook=True)


async def _run_id(stapel: Stapel, naam: str) -> str:
    beschrijving = await stapel.client.get_workflow_handle(
        stapel.casussen.workflow_id(naam)
    ).describe()
    return beschrijving.run_id


async def _casus(stapel: Stapel, naam: str, tab: str = "") -> str:
    return casus_url(
        stapel.ui,
        stapel.namespace,
        stapel.casussen.workflow_id(naam),
        await _run_id(stapel, naam),
        tab,
    )


async def test_the_overdue_case_page_opens_with_the_banner_and_says_what_it_waits_for(
    stapel: Stapel, page: Page, artefacten: Path
) -> None:
    """The runbook's second screenshot: summary, details and current details of the case."""
    await open_tab(page, await _casus(stapel, "te-laat"), "User Metadata")
    details = huidige_details(page)
    await expect(details.locator("body")).to_contain_text(casusbeeld.BANNER)
    tekst = await details.locator("body").inner_text()
    eerste_regel = tekst.strip().splitlines()[0]
    assert casusbeeld.BANNER in eerste_regel
    assert "beoordeling" in eerste_regel
    assert "Wacht op triage" in tekst
    assert "registreer_triage" in tekst
    assert "Europe/Amsterdam" in tekst
    melding_id = stapel.casussen.ids["te-laat"]
    assert f"Melding {melding_id}, regio {REGIO}" in await tekst_van_frames(page)
    await schermafdruk(page, artefacten, "casus-te-laat", runbook=True)


async def test_a_case_within_its_term_shows_its_phase_and_no_banner(
    stapel: Stapel, page: Page
) -> None:
    await open_tab(page, await _casus(stapel, "triage"), "User Metadata")
    details = huidige_details(page).locator("body")
    await expect(details).to_contain_text("Wacht op besluit")
    assert casusbeeld.BANNER not in await details.inner_text()


async def test_the_timeline_names_each_source_and_each_timer_in_dutch(
    stapel: Stapel, page: Page, artefacten: Path
) -> None:
    c = stapel.casussen
    herinnering = tijdlijn.herinnering(
        "beoordeling", c.status["nieuw"].beoordeling_deadline or datetime.min
    )
    await page.goto(await _casus(stapel, "nieuw"))
    hoofd = page.locator("main")
    await expect(hoofd.get_by_text(tijdlijn.BRON_BEVRAGEN["politie"]).first).to_be_visible()
    await expect(hoofd.get_by_text(herinnering).first).to_be_visible()
    await schermafdruk(page, artefacten, "tijdlijn-nieuw")
    await page.goto(await _casus(stapel, "monitoring"))
    await expect(page.get_by_text(tijdlijn.monitoringsmoment(1)).first).to_be_visible()
    await schermafdruk(page, artefacten, "tijdlijn-monitoring")


async def test_a_decision_sent_from_the_ui_changes_nothing(
    stapel: Stapel, page: Page, artefacten: Path
) -> None:
    """Since v5 a decision carries a verklaring of its author, which the Web UI's "Send an
    Update" cannot send: a valid triage from the dialog is refused and the case does not move
    (before: applied, audited under whatever `medewerker` the payload named)."""
    await page.goto(await _casus(stapel, "nieuw"))
    triage = json.dumps(voorbeeld("triage"), indent=2)
    dialoog = await verstuur_update(page, "registreer_triage", triage)
    await schermafdruk(page, artefacten, "update-geweigerd")
    # Issue 19: the codec server encodes the UI's dialogs (no workflow ID) with the key
    # `invoer`; the worker's validator refuses the decision: it has no verklaring.
    await expect(dialoog).to_contain_text("verklaring")
    status = await stapel.meldingen.status(stapel.casussen.ids["nieuw"])
    assert status.fase is Fase.WACHT_OP_TRIAGE and status.triage is None


async def test_the_update_dialog_describes_each_decision(stapel: Stapel, page: Page) -> None:
    await page.goto(await _casus(stapel, "nieuw"))
    await page.get_by_role("button", name="More Actions").click()
    await page.get_by_role("menuitem", name="Send an Update").click()
    dialoog = page.get_by_role("dialog")
    await dialoog.get_by_test_id("update-select-button").click()
    opties = dialoog.get_by_role("option")
    for naam in ("registreer_triage", "neem_besluit", "rond_dienst_af", "registreer_monitoring"):
        optie = opties.filter(has_text=naam)
        await expect(optie).to_have_count(1)
        # The description under the name: more than the name alone.
        assert len((await optie.inner_text()).strip()) > len(naam) + 10


async def test_the_input_is_shown_decoded_through_the_codec_server_and_audited(
    stapel: Stapel, page: Page, artefacten: Path
) -> None:
    melding_id = stapel.casussen.ids["vandaag"]
    await page.goto(await _casus(stapel, "vandaag"))
    await expect(invoer(page)).to_contain_text(f'"melding_id": "{melding_id}"')
    await schermafdruk(page, artefacten, "invoer-ontsleuteld")
    pool = await asyncpg.connect(stapel.dsn)
    try:
        wie = await pool.fetchval(
            "SELECT medewerker FROM audit WHERE handeling = 'payload_ontsleuteld'"
            " AND melding_id = $1 LIMIT 1",
            melding_id,
        )
    finally:
        await pool.close()
    assert wie == "svc-integratie"  # the login the token names, never a header the browser sets


async def test_without_the_codec_token_the_input_stays_ciphertext(
    stapel: Stapel, browser: Browser
) -> None:
    """A browser that reaches the UI but has no token sees no personal data."""
    ctx = await browser.new_context(timezone_id="Europe/Amsterdam")
    ctx.set_default_timeout(30_000)
    try:
        page = await ctx.new_page()
        await page.goto(await _casus(stapel, "vandaag"))
        veld = invoer(page)
        await expect(veld).to_have_text(re.compile(r"[A-Za-z0-9+/=]{200,}"))
        tekst = await veld.inner_text()
        assert stapel.casussen.ids["vandaag"] not in tekst
        assert "melding_id" not in tekst
    finally:
        await ctx.close()
