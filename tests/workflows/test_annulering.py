"""A cancel finishes what it started (issue 18.3): the decisions in flight are applied and
audited before the cancel is, new ones are refused with a reason, and a cancel during
registration still closes the dossier and audits the cancel."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import (
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateStage,
)
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import names
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import ALLE_WORKFLOWS, MeldingWorkflow
from workflows.beslissen import PATCH_AUDIT_LOKAAL


async def _annulering_verwerkt(handle: WorkflowHandle[Any, Any], seconden: float = 10) -> None:
    """The worker has handled the cancel request: a workflow task completed after it."""
    einde = time.monotonic() + seconden
    while True:
        soorten = [e.event_type for e in (await handle.fetch_history()).events]
        if EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED in soorten:
            na = soorten[soorten.index(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED) :]
            if EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED in na:
                return
        assert time.monotonic() < einde, "de annulering werd niet verwerkt"
        await asyncio.sleep(0.05)


async def test_a_cancel_waits_for_the_triage_in_flight_and_audits_itself_after_it(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """v5: the triage's audit in flight, a cancel closed the case at once: the client got
    Geweigerd, and the audit read `annulering, registreer_triage` (a decision recorded after the
    close and never applied)."""
    nep.audit_vertraging_voor[names.UPDATE_TRIAGE] = 1.5
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    triage = await handle.start_update(
        MeldingWorkflow.registreer_triage,
        sc.triage(),
        wait_for_stage=WorkflowUpdateStage.ACCEPTED,
    )
    await handle.cancel()
    status = await triage.result()
    assert status.triage is not None
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    assert [r.handeling for r in nep.audit] == [names.UPDATE_TRIAGE, "annulering"]
    assert nep.audit[-1].gegevens == {"fase": "wacht_op_besluit"}
    assert nep.dossier[m.melding_id].afgesloten


async def test_a_decision_sent_after_the_cancel_is_refused_as_cancelled(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    """While the cancel finishes the triage in flight, a besluit is not taken: the refusal
    says the melding is cancelled (v5: it named a protocol rule, or was accepted and lost).
    A decision is in flight across tasks when its audit is an activity: on the old side of
    `audit-lokaal` (since v7 the audit is in the update's own task, see the next test)."""
    nep.audit_vertraging_voor[names.UPDATE_TRIAGE] = 2.0
    async with Worker(
        env.client,
        task_queue=f"test-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=nep.alle(),
        patch_activation_callback=lambda i: i.patch_id != PATCH_AUDIT_LOKAAL,
    ) as worker:
        handle = await sc.start(env.client, worker, sc.melding())
        await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
        triage = await handle.start_update(
            MeldingWorkflow.registreer_triage,
            sc.triage(),
            wait_for_stage=WorkflowUpdateStage.ACCEPTED,
        )
        await handle.cancel()
        await _annulering_verwerkt(handle)
        with pytest.raises(WorkflowUpdateFailedError) as fout:
            await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
        assert "geannuleerd" in str(fout.value.cause)
        await triage.result()
        with pytest.raises(WorkflowFailureError):
            await handle.result()
    assert [r.handeling for r in nep.audit] == [names.UPDATE_TRIAGE, "annulering"]


async def test_since_v7_a_decision_accepted_before_the_cancel_is_complete_and_audited(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    """v7, `audit-lokaal` on (kept voorbereid in this release): the triage's audit (2 s) runs
    in the update's own workflow task, so the caller hears it accepted only once it is audited
    and applied; the cancel then finds nothing in flight, audits itself and closes, and a
    besluit sent after it is not taken."""
    nep.audit_vertraging_voor[names.UPDATE_TRIAGE] = 2.0
    async with Worker(
        env.client,
        task_queue=f"test-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=nep.alle(),
        patch_activation_callback=lambda _: True,
    ) as worker:
        await _met_lokale_audit(env, worker, nep)


async def _met_lokale_audit(env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten) -> None:
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    triage = await handle.start_update(
        MeldingWorkflow.registreer_triage,
        sc.triage(),
        wait_for_stage=WorkflowUpdateStage.ACCEPTED,
    )
    assert [r.handeling for r in nep.audit] == [names.UPDATE_TRIAGE]
    assert (await triage.result()).triage is not None
    await handle.cancel()
    await _annulering_verwerkt(handle)
    with pytest.raises((WorkflowUpdateFailedError, RPCError)):
        await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    assert [r.handeling for r in nep.audit] == [names.UPDATE_TRIAGE, "annulering"]


async def test_a_cancel_during_registration_stores_closes_and_audits_the_melding(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """v5: cancelled while the melding was being stored, the melding was stored all the same,
    its dossier never closed and nothing audited."""
    nep.opslag_vertraging = 1.0
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    einde = time.monotonic() + 10
    while nep.aanroepen["sla_melding_op"] == 0:
        assert time.monotonic() < einde, "de registratie begon niet"
        await asyncio.sleep(0.02)
    await handle.cancel()
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    assert m.melding_id in nep.meldingen
    assert nep.dossier[m.melding_id].afgesloten
    assert [(r.handeling, r.gegevens) for r in nep.audit] == [
        ("annulering", {"fase": "informatie_verzamelen"})
    ]
