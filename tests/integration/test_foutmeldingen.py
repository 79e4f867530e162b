"""Errors that name their real cause: a task queue no worker polls (issue 7, item 7)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain.names import melding_workflow_id
from tests.integration.test_cli import melding_bestand, starter

pytestmark = pytest.mark.integration


async def test_indienen_on_a_task_queue_no_worker_polls_is_refused_naming_vt_task_queue(
    cli_env: dict[str, str], client: Client, tmp_path: Path
) -> None:
    """Item 7: a wrong VT_TASK_QUEUE used to exit 0 with a melding nobody would process; now
    nothing is submitted and the message names the variable and the queue."""
    queue = f"verkeerd-{uuid.uuid4().hex[:8]}"
    melding_id, pad = melding_bestand(tmp_path, "melding_advies")
    r = await starter("indienen", str(pad), env={**cli_env, "VT_TASK_QUEUE": queue})
    assert r.code == 1, r.uit + r.fout
    assert f"geen worker op task queue '{queue}'" in r.fout and "VT_TASK_QUEUE" in r.fout
    assert "niet ingediend" in r.fout
    with pytest.raises(RPCError) as fout:
        await client.get_workflow_handle(melding_workflow_id(melding_id)).describe()
    assert fout.value.status is RPCStatusCode.NOT_FOUND
    r = await starter("indienen", str(pad), env=cli_env)  # the right queue: it goes
    assert r.code == 0, r.fout
