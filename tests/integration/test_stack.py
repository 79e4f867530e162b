"""`make run` (stack.py) as a newcomer uses it: up, Ctrl-C, up again with the cases intact."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.service import RPCError

from domain.names import melding_workflow_id
from starter.verbinding import data_converter
from tests.integration import voorbeelden as vb
from tests.integration.conftest import vrije_poort
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
        raise AssertionError(f"{tekst!r} niet gezien:\n{''.join(self.uitvoer)}")

    def stop(self) -> int:
        self.proces.send_signal(signal.SIGINT)
        rest, _ = self.proces.communicate(timeout=60)
        self.uitvoer.append(rest)
        return self.proces.returncode


@pytest.fixture
def data() -> Iterator[Path]:
    map_ = Path(tempfile.mkdtemp(prefix="vt-stack-"))
    map_.chmod(0o755)
    yield map_
    shutil.rmtree(map_, ignore_errors=True)


async def _verbind(env: dict[str, str]) -> Client:
    return await Client.connect(
        f"127.0.0.1:{env['VT_TEMPORAL_PORT']}", data_converter=data_converter()
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
        client = await _verbind(env)
        handle = client.get_workflow_handle_for(MeldingWorkflow.run, handle.id)
        await _fase(client, handle.id, "wacht_op_triage")
        await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
        await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
        assert (await handle.result()).einde == "advies"
    finally:
        assert opnieuw.stop() == 0, "".join(opnieuw.uitvoer)
    assert "zoekattributen nieuw: geen" in "".join(opnieuw.uitvoer)


def test_a_port_already_taken_gives_a_clear_message(data: Path) -> None:
    """A second `make run`, or another program on the port: one line saying what to do."""
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
            env=_env(data, VT_TEMPORAL_PORT=str(poort)),
        )
    assert proces.returncode == 1
    assert f"poort {poort} (Temporal) is al in gebruik" in proces.stderr


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
    assert not (data / "temporal.db").exists() and not (data / "postgres").exists()
