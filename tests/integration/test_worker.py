"""`python worker.py` as operators run it: start-up errors, logs, graceful stop, a crash."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import PatchActivationInput

import worker
from adapters.demobron import DemoBron
from contract import names
from contract.ids import melding_workflow_id
from contract.patches import PATCHES, Stand
from domain.poorten import Bronpoort
from domain.uitwisseling import Bron, BronAntwoord
from tests.integration import voorbeelden as vb
from tests.integration.conftest import HOOFDSLEUTEL_HEX, SLEUTEL, datasleutels_op
from tests.poorten import vrije_poort
from workflows import MeldingWorkflow

HIER = Path(__file__).resolve().parents[2]


def _env(**over: str) -> dict[str, str]:
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "VT_"))}
    return {
        **basis,
        "VT_LOG_FORMAT": "json",
        "VT_METRICS_PORT": "0",
        "VT_MASTER_KEY": HOOFDSLEUTEL_HEX,
        "VT_REGISTER_SLEUTEL": SLEUTEL.decode(),
        **over,
    }


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "worker.py"],
        cwd=HIER,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _regels(uitvoer: str) -> list[dict[str, Any]]:
    return [json.loads(r) for r in uitvoer.splitlines() if r.startswith("{")]


def test_without_a_register_key_python_worker_py_refuses_to_start_naming_it() -> None:
    """Issue 8.4: no published development key to fall back on. Without VT_REGISTER_SLEUTEL,
    or with one shorter than 32 bytes, exit code 2 and one line naming the variable, before
    connecting anywhere (the addresses here lead nowhere)."""
    basis = _env(TEMPORAL_ADDRESS="127.0.0.1:1", DATABASE_URL="postgresql://vt@127.0.0.1:1/vt")
    zonder = {k: v for k, v in basis.items() if k != "VT_REGISTER_SLEUTEL"}
    for env, tekst in (
        (zonder, "VT_REGISTER_SLEUTEL ontbreekt"),
        ({**basis, "VT_REGISTER_SLEUTEL": "k" * 31}, "VT_REGISTER_SLEUTEL: minstens 32 bytes"),
    ):
        proces = subprocess.run(
            [sys.executable, "worker.py"],
            cwd=HIER,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert proces.returncode == 2, proces.stderr
        regels = proces.stderr.strip().splitlines()
        assert len(regels) == 1 and tekst in regels[0], proces.stderr


def test_an_unreachable_temporal_is_one_line_naming_the_address() -> None:
    """Exit code 1 and the address, not a stack trace."""
    proces = subprocess.run(
        [sys.executable, "worker.py"],
        cwd=HIER,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(
            TEMPORAL_ADDRESS="127.0.0.1:1",
            DATABASE_URL="postgresql://vt@127.0.0.1:1/vt",
            VT_LOG_FORMAT="console",
        ),
    )
    assert proces.returncode == 1
    assert proces.stderr.strip().splitlines() == [
        "worker: kan Temporal op 127.0.0.1:1 niet bereiken (RuntimeError)"
    ]


def test_an_unreachable_postgresql_is_one_line_naming_the_address(temporal_adres: str) -> None:
    """Temporal is there, PostgreSQL is not: exit code 1 naming host, port and database; with
    JSON logs that line is JSON too."""
    poort = vrije_poort()
    proces = subprocess.run(
        [sys.executable, "worker.py"],
        cwd=HIER,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(
            TEMPORAL_ADDRESS=temporal_adres,
            DATABASE_URL=f"postgresql://vt:geheim@127.0.0.1:{poort}/vt",
        ),
    )
    assert proces.returncode == 1
    regels = proces.stderr.strip().splitlines()
    assert len(regels) == 1, proces.stderr
    regel = json.loads(regels[0])
    assert regel["level"] == "error" and f"PostgreSQL op 127.0.0.1:{poort}/vt" in regel["event"]
    assert "geheim" not in proces.stderr


async def _wacht_op_fase(client: Client, melding_id: str, fase: str, s: float = 30) -> None:
    handle = client.get_workflow_handle_for(MeldingWorkflow.run, melding_workflow_id(melding_id))
    einde = time.monotonic() + s
    while True:
        try:
            if (await handle.query(MeldingWorkflow.status)).fase == fase:
                return
        except Exception:
            pass  # no worker yet to answer the query
        assert time.monotonic() < einde, f"{melding_id} kwam niet in fase {fase}"
        await asyncio.sleep(0.2)


async def test_a_killed_worker_loses_nothing_and_a_stopped_one_exits_cleanly(
    dev_server: WorkflowEnvironment, temporal_adres: str, pg_dsn: str, pool: asyncpg.Pool
) -> None:
    """Kill -9 mid-case, restart: the case goes on and no message is sent twice;
    SIGTERM: the worker finishes its work, logs its stop and exits 0."""
    client = dev_server.client
    env = _env(
        TEMPORAL_ADDRESS=temporal_adres,
        DATABASE_URL=pg_dsn,
        VT_TASK_QUEUE=f"it-worker-{uuid.uuid4()}",
        VT_STOP_TIMEOUT="5",
    )
    m = vb.melding()
    eerste = _worker(env)
    try:
        await client.start_workflow(
            MeldingWorkflow.run,
            m,
            id=melding_workflow_id(m.melding_id),
            task_queue=env["VT_TASK_QUEUE"],
        )
        await _wacht_op_fase(client, m.melding_id, "wacht_op_triage")
    finally:
        eerste.kill()
        eerste.communicate(timeout=30)
    handle = client.get_workflow_handle_for(MeldingWorkflow.run, melding_workflow_id(m.melding_id))
    tweede = _worker(env)
    try:
        await _wacht_op_fase(client, m.melding_id, "wacht_op_triage")
        await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
        await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
        assert (await handle.result()).einde == "advies"
        # Each start planned the reconciliation (issue 18.4): one schedule, on this queue.
        naloop = await client.get_schedule_handle(names.NALOOP_SCHEDULE).describe()
        assert getattr(naloop.schedule.action, "task_queue", None) == env["VT_TASK_QUEUE"]
    finally:
        with contextlib.suppress(RPCError):
            await client.get_schedule_handle(names.NALOOP_SCHEDULE).delete()
        tweede.send_signal(signal.SIGTERM)
        uit, fout = tweede.communicate(timeout=30)
    assert tweede.returncode == 0, fout
    gebeurtenissen = _regels(uit)
    namen = [g["event"] for g in gebeurtenissen]
    assert "worker stopt" in namen and namen[-1] == "worker gestopt"
    async with pool.acquire() as con:
        rijen = await con.fetch("SELECT soort FROM outbox WHERE melding_id = $1", m.melding_id)
        meldingen = await con.fetchval(
            "SELECT count(*) FROM meldingen WHERE melding_id = $1", m.melding_id
        )
    assert sorted(r["soort"] for r in rijen) == ["eerste_terugkoppeling", "huishouden_informeren"]
    assert meldingen == 1


async def test_activity_logs_are_json_bound_to_the_workflow_without_personal_data(
    dev_server: WorkflowEnvironment, temporal_adres: str, pg_dsn: str
) -> None:
    """docs/privacy.md: workflow id, run id and activity on each line; no names, no BSN."""
    client = dev_server.client
    env = _env(
        TEMPORAL_ADDRESS=temporal_adres, DATABASE_URL=pg_dsn, VT_TASK_QUEUE=f"it-log-{uuid.uuid4()}"
    )
    m = vb.melding()
    proces = _worker(env)
    try:
        await client.start_workflow(
            MeldingWorkflow.run,
            m,
            id=melding_workflow_id(m.melding_id),
            task_queue=env["VT_TASK_QUEUE"],
        )
        await _wacht_op_fase(client, m.melding_id, "wacht_op_triage")
    finally:
        proces.send_signal(signal.SIGINT)
        uit, _ = proces.communicate(timeout=30)
    opgeslagen = [g for g in _regels(uit) if g["event"] == "melding opgeslagen"]
    assert len(opgeslagen) == 1
    regel = opgeslagen[0]
    assert regel["workflow_id"] == melding_workflow_id(m.melding_id)
    assert regel["activity"] == "sla_melding_op" and regel["run_id"]
    persoonlijk = [m.betrokkenen[0].bsn, m.betrokkenen[0].achternaam, m.melder.naam]
    assert not [p for p in persoonlijk if p and p in uit]


class _TraagBron:
    """A politie interface that takes its time: the answer is in flight at shutdown."""

    def __init__(self) -> None:
        self.gevraagd = asyncio.Event()
        self.beantwoord = False

    async def vraag(self, melding_id: str) -> BronAntwoord:
        self.gevraagd.set()
        await asyncio.sleep(3)
        self.beantwoord = True
        return BronAntwoord(bron=Bron.POLITIE, bekend=False)


async def test_a_graceful_stop_lets_the_activity_in_flight_finish(
    dev_server: WorkflowEnvironment, temporal_adres: str, pg_dsn: str, pool: asyncpg.Pool
) -> None:
    """Issue 3: a worker shut down while a source is answering lets that activity finish; the
    next worker finds its result recorded (politie ontvangen) and the case goes on."""
    client = dev_server.client
    config = worker.Configuratie.uit_omgeving(
        _env(
            TEMPORAL_ADDRESS=temporal_adres,
            DATABASE_URL=pg_dsn,
            VT_TASK_QUEUE=f"it-stop-{uuid.uuid4()}",
            VT_STOP_TIMEOUT="10",
        )
    )
    traag = _TraagBron()
    adapters: dict[Bron, Bronpoort] = {
        Bron.RAAD: DemoBron(pool, Bron.RAAD, datasleutels_op(pool)),
        Bron.POLITIE: traag,
    }
    eerste = worker.maak_worker(client, pool, config, adapters)
    taak = asyncio.create_task(eerste.run())
    m = vb.melding()
    await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=config.task_queue
    )
    await asyncio.wait_for(traag.gevraagd.wait(), 30)
    await eerste.shutdown()
    await taak
    assert traag.beantwoord
    async with worker.maak_worker(client, pool, config):
        await _wacht_op_fase(client, m.melding_id, "wacht_op_triage")
        handle = client.get_workflow_handle_for(
            MeldingWorkflow.run, melding_workflow_id(m.melding_id)
        )
        status = await handle.query(MeldingWorkflow.status)
        assert status.bronnen.politie == "ontvangen"
        await handle.terminate("test klaar")


async def test_the_production_worker_leaves_a_prepared_patch_inactive(
    dev_server: WorkflowEnvironment, temporal_adres: str, pg_dsn: str, pool: asyncpg.Pool
) -> None:
    """contract/patches.py: the worker of `maak_worker` asks the register before a case takes
    a patch's new branch, so a prepared patch writes no marker the previous release lacks."""
    config = worker.Configuratie.uit_omgeving(
        _env(TEMPORAL_ADDRESS=temporal_adres, DATABASE_URL=pg_dsn, VT_TASK_QUEUE="it-patch")
    )
    terugroep = worker.maak_worker(dev_server.client, pool, config).config()[
        "patch_activation_callback"
    ]
    assert terugroep is not None
    voorbereid = [n for n, p in PATCHES.items() if p.stand is Stand.VOORBEREID]
    assert voorbereid
    for naam in PATCHES:
        # The callback reads the patch id only.
        invoer = PatchActivationInput(workflow_info=None, patch_id=naam)  # type: ignore[arg-type]
        assert terugroep(invoer) == (naam not in voorbereid)
