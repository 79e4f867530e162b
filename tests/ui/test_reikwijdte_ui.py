"""Issue 19 in a real browser, the real Web UI: staff of two regions on one platform.

- An ops login of region A sees every region A case's state (summary, current details with the
  phase, what it waits for, since/until in Europe/Amsterdam, the overdue banner, the sources;
  timers and activities by name; the update names) and no personal data anywhere on the page:
  with the codec server running (the content is withheld by name) and with it stopped.
- A medewerker of region A sees the content of a region A case, audited under its login.
- A medewerker of region B is refused region A's content (403): the page says why and whom to
  contact; the refusal is audited.

Its own stack (conftest.py); the codec server is stopped by the last test. Screenshots land in
tests/ui/artefacten/, the runbook's also in docs/img/ (VT_RUNBOOK_SCHERMAFDRUKKEN=1).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import asyncpg
import pytest
from playwright.async_api import Page, expect

from domain import casusbeeld, tijdlijn
from domain.waarden import Fase
from starter.demo import voorbeeld
from tests.ui.browser import (
    casus_url,
    huidige_details,
    invoer,
    open_tab,
    schermafdruk,
    tekst_van_frames,
    verstuur_update,
)
from tests.ui.casussen import REGIO
from tests.ui.conftest import ContextVan, Stapel

pytestmark = pytest.mark.ui

# The running cases of region A (casussen.py) and the example each was made from.
CASUSSEN_A = {
    "nieuw": "melding_spoed",
    "triage": "melding_ex_partner",
    "vandaag": "melding_onderzoek",
    "te-laat": "melding_advies",
    "voorwaarden": "melding_voorwaarden",
}


def persoonsgegevens(voorbeeldnaam: str) -> set[str]:
    """Names, BSNs, contact details and free text of an example melding."""
    m = voorbeeld(voorbeeldnaam)
    uit = {m["melder"].get(k) for k in ("naam", "telefoon", "email")}
    for b in m["betrokkenen"]:
        uit |= {b.get("voornaam"), b.get("achternaam"), b.get("bsn")}
        uit |= {(b.get("adres") or {}).get("straat")}
    uit.add(m["zorgen"]["omschrijving"][:40])
    return {t for t in uit if isinstance(t, str) and len(t) >= 4}


ALLE_PERSOONSGEGEVENS = set().union(*(persoonsgegevens(v) for v in CASUSSEN_A.values()))


async def _url(stapel: Stapel, naam: str, tab: str = "") -> str:
    handle = stapel.client.get_workflow_handle(stapel.casussen.workflow_id(naam))
    return casus_url(
        stapel.ui,
        stapel.namespace,
        stapel.casussen.workflow_id(naam),
        (await handle.describe()).run_id,
        tab,
    )


async def _alles_op_de_pagina(page: Page) -> str:
    """The page's whole DOM and that of every frame (the markdown panels)."""
    delen = [await page.content()]
    for frame in page.frames[1:]:
        delen.append(await frame.content())
    return "\n".join(delen)


async def _geen_persoonsgegevens(page: Page) -> None:
    tekst = await _alles_op_de_pagina(page)
    gevonden = sorted(p for p in ALLE_PERSOONSGEGEVENS if p in tekst)
    assert gevonden == [], f"persoonsgegevens op de pagina: {len(gevonden)}"


async def _stand_van(page: Page, stapel: Stapel, naam: str) -> None:
    """The User Metadata tab: summary and current details, the phase, the zone, what it waits
    for; the overdue banner on the first line of the late case."""
    melding_id = stapel.casussen.ids[naam]
    await open_tab(page, await _url(stapel, naam), "User Metadata")
    details = huidige_details(page).locator("body")
    fase: Fase = stapel.casussen.status[naam].fase
    await expect(details).to_contain_text(casusbeeld.FASE_IN_WOORDEN[fase])
    tekst = await details.inner_text()
    assert "Wacht op:" in tekst and "Europe/Amsterdam" in tekst and f"{melding_id}" in tekst
    assert (casusbeeld.BANNER in tekst.strip().splitlines()[0]) == (naam == "te-laat")
    assert f"Melding {melding_id}, regio {REGIO}" in await tekst_van_frames(page)


@pytest.fixture
async def ops(context_van: ContextVan) -> Page:
    return await (await context_van("ops-a")).new_page()


async def _audit(stapel: Stapel, melding_id: str, handeling: str) -> list[str]:
    con = await asyncpg.connect(stapel.dsn)
    try:
        rijen = await con.fetch(
            "SELECT medewerker FROM audit WHERE melding_id = $1 AND handeling = $2",
            melding_id,
            handeling,
        )
    finally:
        await con.close()
    return [r["medewerker"] for r in rijen]


@pytest.mark.parametrize("naam", list(CASUSSEN_A))
async def test_ops_of_region_a_sees_the_state_and_no_personal_data(
    stapel: Stapel, ops: Page, naam: str, artefacten: Path
) -> None:
    """With the codec server running: the state as above; the Input holds the withheld text
    (the codec server answered, and gave ops no content); nothing audited as decoded."""
    await _stand_van(ops, stapel, naam)
    await _geen_persoonsgegevens(ops)
    await ops.goto(await _url(stapel, naam))
    await expect(invoer(ops)).to_contain_text("[afgeschermd: inhoud van melding")
    await _geen_persoonsgegevens(ops)
    if naam == "te-laat":
        await schermafdruk(ops, artefacten, "ops-casus-met-codec", runbook=True)
    assert await _audit(stapel, stapel.casussen.ids[naam], "payload_ontsleuteld") == []


async def test_a_medewerker_of_region_a_sees_the_content_audited(
    stapel: Stapel, context_van: ContextVan
) -> None:
    melding_id = stapel.casussen.ids["vandaag"]
    page = await (await context_van("mw-a")).new_page()
    await page.goto(await _url(stapel, "vandaag"))
    await expect(invoer(page)).to_contain_text(f'"melding_id": "{melding_id}"')
    achternaam = voorbeeld(CASUSSEN_A["vandaag"])["betrokkenen"][0]["achternaam"]
    await expect(invoer(page)).to_contain_text(achternaam)
    assert "mw-a" in await _audit(stapel, melding_id, "payload_ontsleuteld")


async def test_a_medewerker_of_region_b_is_refused_and_the_page_says_why(
    stapel: Stapel, context_van: ContextVan, artefacten: Path
) -> None:
    melding_id = stapel.casussen.ids["triage"]
    page = await (await context_van("mw-b")).new_page()
    await page.goto(await _url(stapel, "triage"))
    veld = invoer(page)
    await expect(veld).to_contain_text("[geweigerd: inhoud van melding")
    await expect(veld).to_contain_text(f"Neem contact op met Veilig Thuis {REGIO}")
    await _geen_persoonsgegevens(page)
    await schermafdruk(page, artefacten, "andere-regio-geweigerd", runbook=True)
    assert "mw-b" in await _audit(stapel, melding_id, "inhoud_geweigerd")
    assert "mw-b" not in await _audit(stapel, melding_id, "payload_ontsleuteld")


async def test_a_value_error_in_the_update_dialog_shows_its_field_path(
    stapel: Stapel, context_van: ContextVan, artefacten: Path
) -> None:
    """Item 4: the dialog's payload reaches the worker (the codec server encodes the UI's
    dialogs with the key `invoer`); a value the contract refuses reads as its field and rule,
    as the CLI says it, never "Encoded failure", never the value. The case does not move."""
    page = await (await context_van("mw-a")).new_page()
    await page.goto(await _url(stapel, "nieuw"))
    triage = {**voorbeeld("triage"), "onderbouwing": ""}
    dialoog = await verstuur_update(page, "registreer_triage", json.dumps(triage, indent=2))
    await expect(dialoog).to_contain_text("onderbouwing: mag niet leeg zijn")
    assert "Encoded failure" not in await dialoog.inner_text()
    await schermafdruk(page, artefacten, "update-waardefout", runbook=True)
    status = await stapel.meldingen.status(stapel.casussen.ids["nieuw"])
    assert status.fase is Fase.WACHT_OP_TRIAGE and status.triage is None


async def test_with_the_codec_server_stopped_ops_still_sees_every_state(
    stapel: Stapel, ops: Page, artefacten: Path
) -> None:
    """Last in this module: the codec server is stopped. Every region A case still shows its
    state, timers by name and the updates it takes, and no personal data."""
    assert stapel.codec_server is not None
    stapel.codec_server.terminate()
    stapel.codec_server.wait(10)
    for naam in CASUSSEN_A:
        await _stand_van(ops, stapel, naam)
        await _geen_persoonsgegevens(ops)
        if naam == "te-laat":
            await schermafdruk(ops, artefacten, "ops-casus-zonder-codec", runbook=True)
    await ops.goto(await _url(stapel, "nieuw"))
    herinnering = tijdlijn.herinnering(
        "beoordeling", stapel.casussen.status["nieuw"].beoordeling_deadline or datetime.min
    )
    await expect(ops.get_by_text(herinnering).first).to_be_visible()
    await expect(ops.get_by_text(tijdlijn.BRON_BEVRAGEN["politie"]).first).to_be_visible()
    await _geen_persoonsgegevens(ops)
    await schermafdruk(ops, artefacten, "ops-tijdlijn-zonder-codec", runbook=True)
    await ops.get_by_role("button", name="More Actions").click()
    await ops.get_by_role("menuitem", name="Send an Update").click()
    dialoog = ops.get_by_role("dialog")
    await dialoog.get_by_test_id("update-select-button").click()
    await expect(dialoog.get_by_role("option").filter(has_text="registreer_triage")).to_have_count(
        1
    )
    assert re.search(r"Encoded", await dialoog.inner_text()) is None
