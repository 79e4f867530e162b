"""PostgreSQL is the authority for "this melding exists", and a data error is never retried
silently: the registration and the activity interceptor on embedded PostgreSQL."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import asyncpg
import pytest
import structlog
from temporalio import workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.testing import ActivityEnvironment
from temporalio.worker import Worker

from activities.audit import AuditActiviteiten
from activities.dossier import DossierActiviteiten
from activities.fouten import GegevensfoutInterceptor
from activities.vernietiging import VernietigingActiviteiten
from contract import names
from domain.uitwisseling import AuditRegel
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op


def _omgeving(run_id: str) -> ActivityEnvironment:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, workflow_run_id=run_id)
    return env


async def test_a_retry_of_the_registering_run_is_accepted(pool: asyncpg.Pool) -> None:
    """The same run storing again (an activity retry) changes nothing and is not refused."""
    m = vb.melding()
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    env = _omgeving("run-1")
    await env.run(dossier.sla_melding_op, m)
    await env.run(dossier.sla_melding_op, m)


@pytest.mark.parametrize("zelfde", [True, False], ids=["identical", "different"])
async def test_another_run_for_a_registered_melding_id_is_refused(
    pool: asyncpg.Pool, zelfde: bool
) -> None:
    """v1: after Temporal's retention the same melding_id started a second case against the
    old dossier and outbox. Whatever Temporal remembers, the dossier refuses a second run."""
    m = vb.melding()
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    await _omgeving("run-1").run(dossier.sla_melding_op, m)
    tweede = m if zelfde else m.model_copy(update={"regio": "haaglanden"})
    with pytest.raises(ApplicationError) as fout:
        await _omgeving("run-2").run(dossier.sla_melding_op, tweede)
    assert fout.value.type == names.FOUT_BESTAAT_AL and fout.value.non_retryable
    assert ("dezelfde" if zelfde else "een andere") in fout.value.message


async def test_a_destroyed_melding_id_is_never_registered_again(pool: asyncpg.Pool) -> None:
    """v1: after a destruction the same melding_id could start a new case."""
    m = vb.melding()
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    await _omgeving("run-1").run(dossier.sla_melding_op, m)
    await VernietigingActiviteiten(pool, None).vernietig(m.melding_id)
    with pytest.raises(ApplicationError, match="vernietigd") as fout:
        await _omgeving("run-2").run(dossier.sla_melding_op, m)
    assert fout.value.type == names.FOUT_BESTAAT_AL


@workflow.defn(sandboxed=False)
class AuditProef:
    """Calls the audit activity with the workflows' own retry policy (retry without end)."""

    @workflow.run
    async def run(self, regel: AuditRegel) -> str:
        try:
            await workflow.execute_activity_method(
                AuditActiviteiten.leg_beslissing_vast,
                regel,
                start_to_close_timeout=timedelta(seconds=10),
                retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=1)),
            )
        except ActivityError as fout:
            assert isinstance(fout.cause, ApplicationError)
            return f"{fout.cause.type}: {fout.cause.message}"
        return "opgeslagen"


async def test_a_data_error_fails_at_once_with_a_clear_message_a_log_line_and_no_content(
    client: Client, pool: asyncpg.Pool
) -> None:
    """v1: a value PostgreSQL cannot store made the activity retry forever, silently. (The
    reasoning is encrypted since migration 008, so any text fits there; a NUL in a clear text
    column still does not.)"""
    regel = AuditRegel(
        melding_id=vb.melding().melding_id,
        handeling="registreer_triage",
        medewerker="mw-00\x0042",
        op=vb.melding().ontvangen_op,
        gegevens={"onderbouwing": "geheim\x00tekst"},
    )
    async with Worker(
        client,
        task_queue=f"it-{uuid.uuid4()}",
        workflows=[AuditProef],
        activities=[AuditActiviteiten(pool, datasleutels_op(pool)).leg_beslissing_vast],
        interceptors=[GegevensfoutInterceptor()],
    ) as worker:
        with structlog.testing.capture_logs() as logs:
            uitkomst = await client.execute_workflow(
                AuditProef.run,
                regel,
                id=f"proef-{uuid.uuid4()}",
                task_queue=worker.task_queue,
                execution_timeout=timedelta(seconds=60),
            )
    assert uitkomst.startswith(f"{names.FOUT_GEGEVENS}: leg_beslissing_vast: PostgreSQL weigert")
    assert "geheim" not in uitkomst
    fouten = [e for e in logs if e["event"] == "gegevensfout"]
    assert len(fouten) == 1 and fouten[0]["activity"] == "leg_beslissing_vast"
    assert "geheim" not in repr(logs)


async def test_destruction_heartbeats_while_it_works(pool: asyncpg.Pool) -> None:
    """v1: `vernietig` (5 minutes' bound) sent no heartbeat: a hung attempt was noticed only
    after the whole bound. Now it reports progress, and the workflow sets a heartbeat timeout."""
    m = vb.melding()
    await _omgeving("run-1").run(
        DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op, m
    )
    env = ActivityEnvironment()
    slagen: list[object] = []
    env.on_heartbeat = lambda *details: slagen.append(details)
    await env.run(VernietigingActiviteiten(pool, None).vernietig, m.melding_id)
    assert slagen
