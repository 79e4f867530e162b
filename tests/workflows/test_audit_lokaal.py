"""v7 (`audit-lokaal`): a decision's audit is a local activity in the update's own workflow
task, keyed on the run and the update ID; the update is accepted and completed in that task,
with the audit written before the caller hears the answer."""

from __future__ import annotations

from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow

_E = EventType


async def test_a_decisions_audit_is_a_local_activity_in_the_updates_own_task(
    env: WorkflowEnvironment, worker_alle_patches: Worker, nep: NepActiviteiten
) -> None:
    """Triage and besluit: each audited once, under the key of its run and update ID, before
    its answer came back; no audit activity is scheduled, and between an update's acceptance
    and its completion no other workflow task starts."""
    handle = await sc.start(env.client, worker_alle_patches, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage(), id="triage-1")
    assert [r.handeling for r in nep.audit] == ["registreer_triage"]
    await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"), id="besluit-1")
    assert [r.handeling for r in nep.audit] == ["registreer_triage", "neem_besluit"]
    await handle.result()

    events = (await handle.fetch_history()).events
    run_id = events[0].workflow_execution_started_event_attributes.original_execution_run_id
    # The client's update ID carries the request's id (starter/client.py: name, id, content).
    [triage, besluit] = nep.audit_sleutels
    assert triage is not None and besluit is not None
    assert triage.startswith(f"{run_id}/update/") and "triage-1" in triage
    assert besluit.startswith(f"{run_id}/update/") and "besluit-1" in besluit
    geplande = [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in events
        if e.event_type == _E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    assert "leg_beslissing_vast" not in geplande
    soorten = [e.event_type for e in events]
    aanvaard = [
        i for i, s in enumerate(soorten) if s == _E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    ]
    klaar = [
        i for i, s in enumerate(soorten) if s == _E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED
    ]
    assert len(aanvaard) == len(klaar) == 2
    for a, k in zip(aanvaard, klaar, strict=True):
        assert a < k
        assert _E.EVENT_TYPE_WORKFLOW_TASK_STARTED not in soorten[a:k]
        assert _E.EVENT_TYPE_MARKER_RECORDED in soorten[a:k]  # the local activity's result
