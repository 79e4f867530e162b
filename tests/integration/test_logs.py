"""The worker's logs as an operator reads them: every line JSON, failures named by workflow ID,
no personal data, the metrics endpoint on loopback."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from typing import Any

import psutil  # type: ignore[import-untyped]
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from contract.ids import melding_workflow_id
from contract.names import MELDING_WORKFLOW, SIGNAL_GEKOPPELD
from tests.integration import voorbeelden as vb
from tests.integration.test_worker import _env, _wacht_op_fase, _worker
from tests.poorten import vrije_poort
from workflows import MeldingWorkflow

GEHEIM = "Geheimenaam-Vanderbeek"


async def _wacht_op_gebeurtenis(
    client: Client, workflow_id: str, soort: int, s: float = 30
) -> None:
    handle = client.get_workflow_handle(workflow_id)
    einde = time.monotonic() + s
    while True:
        if any([e.event_type == soort async for e in handle.fetch_history_events()]):
            return
        assert time.monotonic() < einde, f"{workflow_id}: geen {EventType.Name(soort)}"
        await asyncio.sleep(0.3)


def _json_regels(uit: str, fout: str) -> list[dict[str, Any]]:
    """Every non-empty line of stdout and stderr, parsed; the first that is not JSON fails."""
    regels = []
    for bron, tekst in (("stdout", uit), ("stderr", fout)):
        for regel in filter(str.strip, tekst.splitlines()):
            try:
                regels.append(json.loads(regel))
            except ValueError:
                raise AssertionError(
                    f"geen JSON op {bron}: {regel!r}\n--- stdout\n{uit}\n--- stderr\n{fout}"
                ) from None
    return regels


async def test_a_failing_workflow_task_and_a_dropped_signal_are_single_json_lines(
    dev_server: WorkflowEnvironment, temporal_adres: str, pg_dsn: str
) -> None:
    """Issue 7.10: with VT_LOG_FORMAT=json every line on stdout and stderr is JSON (also the
    SDK core's warnings); a failed workflow task and a dropped signal are one line each naming
    the workflow ID, without the payload's personal data."""
    client = dev_server.client
    env = _env(
        TEMPORAL_ADDRESS=temporal_adres,
        DATABASE_URL=pg_dsn,
        VT_TASK_QUEUE=f"it-logs-{uuid.uuid4()}",
        VT_METRICS_PORT=str(vrije_poort()),
    )
    proces = _worker(env)
    kapot_id = f"melding-KAPOT-{uuid.uuid4().hex[:8]}"
    m = vb.melding()
    try:
        # A melding the workflow cannot decode: its first workflow task fails (and retries).
        await client.start_workflow(
            MELDING_WORKFLOW,
            {"melding_id": "KAPOT", "melder": {"naam": GEHEIM}},
            id=kapot_id,
            task_queue=env["VT_TASK_QUEUE"],
        )
        await _wacht_op_gebeurtenis(client, kapot_id, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
        await client.start_workflow(
            MeldingWorkflow.run,
            m,
            id=melding_workflow_id(m.melding_id),
            task_queue=env["VT_TASK_QUEUE"],
        )
        await _wacht_op_fase(client, m.melding_id, "wacht_op_triage")
        handle = client.get_workflow_handle(melding_workflow_id(m.melding_id))
        await handle.signal(SIGNAL_GEKOPPELD, {"melding_id": 5, "naam": GEHEIM})
        await _wacht_op_gebeurtenis(
            client,
            handle.id,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        )
        await asyncio.sleep(2)  # the signal's workflow task
        await client.get_workflow_handle(kapot_id).terminate("test klaar")
        await handle.terminate("test klaar")
    finally:
        proces.send_signal(signal.SIGTERM)
        uit, fout = proces.communicate(timeout=60)
    regels = _json_regels(uit, fout)
    mislukt = [r for r in regels if r.get("workflow_id") == kapot_id]
    assert mislukt, uit + fout
    assert all(r["event"] == "workflow-taak mislukt" for r in mislukt), mislukt
    assert mislukt[0]["level"] == "error" and mislukt[0]["fout"] == "ValidationError"
    laten_vallen = [r for r in regels if r["event"] == "signaal genegeerd"]
    assert len(laten_vallen) == 1, uit + fout
    assert laten_vallen[0]["workflow_id"] == handle.id
    assert laten_vallen[0]["signaal"] == SIGNAL_GEKOPPELD
    assert GEHEIM not in uit + fout
    assert "Logging error" not in uit + fout


def test_the_metrics_endpoint_listens_on_loopback_only(temporal_adres: str, pg_dsn: str) -> None:
    """Issue 7.10: Prometheus metrics on 127.0.0.1 unless VT_METRICS_HOST opens them up."""
    poort = vrije_poort()
    env = _env(
        TEMPORAL_ADDRESS=temporal_adres,
        DATABASE_URL=pg_dsn,
        VT_TASK_QUEUE=f"it-metrics-{uuid.uuid4()}",
        VT_METRICS_PORT=str(poort),
    )
    proces = _worker(env)
    try:
        assert proces.stdout is not None
        for regel in proces.stdout:
            if '"worker gestart"' in regel:
                break
        luisteraars = [
            c.laddr.ip
            for c in psutil.net_connections(kind="tcp")
            if c.laddr.port == poort and c.status == psutil.CONN_LISTEN
        ]
        assert luisteraars == ["127.0.0.1"]
    finally:
        proces.send_signal(signal.SIGTERM)
        proces.communicate(timeout=60)
