"""Never wedge a case: messages at any moment, decisions that cannot race, retries that are
idempotent, and state that survives continue-as-new. Each test reproduces what a hostile
tester saw wedge or mislead on the v1 engine."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import (
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import ids, names
from domain.besluiten import Koppeling
from starter.client import MeldingClient
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import aantal, mislukte_taken, patch_markers, runs
from workflows import ALLE_WORKFLOWS, MeldingWorkflow


def koppeling(n: int) -> Koppeling:
    return Koppeling(
        melding_id=f"VT-HGL-2027-{n:06d}",
        regio="haaglanden",
        ontvangen_op=datetime(2027, 1, 4, 9, tzinfo=UTC),
    )


def worker_voor(env: WorkflowEnvironment, nep: NepActiviteiten, task_queue: str) -> Worker:
    return Worker(
        env.client, task_queue=task_queue, workflows=ALLE_WORKFLOWS, activities=nep.alle()
    )


async def start_zonder_worker(
    env: WorkflowEnvironment,
) -> tuple[WorkflowHandle[Any, Any], str]:
    """A melding whose first workflow task waits: no worker polls its queue yet."""
    task_queue = f"test-{uuid.uuid4()}"
    m = sc.melding()
    handle = await env.client.start_workflow(
        MeldingWorkflow.run, m, id=ids.melding_workflow_id(m.melding_id), task_queue=task_queue
    )
    return handle, task_queue


async def test_an_update_sent_before_the_first_workflow_task_is_handled(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    """v1: 'MeldingWorkflow' object has no attribute 't' (state was set in run())."""
    handle, task_queue = await start_zonder_worker(env)
    triage = asyncio.create_task(
        handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage(urgentie="spoed"))
    )
    await asyncio.sleep(0.3)
    async with worker_voor(env, nep, task_queue):
        status = await triage
        assert status.triage is not None and status.triage.urgentie == "spoed"
        await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_besluit")
        assert mislukte_taken(await runs(env.client, handle.id, handle.result_run_id or "")) == []
        await sc.beeindig(handle)


async def test_a_signal_sent_before_the_first_workflow_task_is_handled(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    """v1: the radar signal before the first task failed that task on every attempt: no
    timers, no deadline watch, the case stuck for good."""
    handle, task_queue = await start_zonder_worker(env)
    await handle.signal(MeldingWorkflow.melding_gekoppeld, koppeling(1))
    async with worker_voor(env, nep, task_queue):
        status = await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
        assert [k.melding_id for k in status.gekoppelde_meldingen] == ["VT-HGL-2027-000001"]
        assert status.beoordeling_deadline is not None
        assert mislukte_taken(await runs(env.client, handle.id, handle.result_run_id or "")) == []
        await sc.beeindig(handle)


async def test_decisions_racing_an_audit_in_flight_never_contradict_each_other(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """v1: while the triage's audit was in flight, advies and then overdracht were both
    accepted (the terugkoppeling said advies, status and result overdracht, two besluit audit
    rows), and a triage got in after the besluit through the same validator/lock gap."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    nep.audit_vertraging = 0.5
    triage = asyncio.create_task(
        handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage())
    )
    await asyncio.sleep(0.2)
    uitkomsten = await asyncio.gather(
        handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies")),
        handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("overdracht")),
        handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage(urgentie="spoed")),
        return_exceptions=True,
    )
    await triage
    besluiten = [u for u in uitkomsten[:2] if not isinstance(u, BaseException)]
    assert len(besluiten) <= 1, uitkomsten
    for u in uitkomsten:
        if isinstance(u, BaseException):
            assert isinstance(u, WorkflowUpdateFailedError) and str(u.cause), u
    nep.audit_vertraging = 0
    if not besluiten:
        await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    afloop = await handle.result()
    handelingen = [r.handeling for r in nep.audit]
    assert handelingen.count(names.UPDATE_BESLUIT) == 1
    assert handelingen[-1] == names.UPDATE_BESLUIT, "a triage was recorded after the besluit"
    besluit_audit = nep.audit[-1].gegevens["vervolg"]
    eerste = nep.outbox[(m.melding_id, "eerste_terugkoppeling")]
    assert afloop.vervolg == besluit_audit == eerste.inhoud["vervolg"]


async def test_a_retried_besluit_and_triage_answer_as_the_first_and_are_audited_once(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """v1: a client's retry after a timeout was a new update: a retried besluit was refused
    ("al een besluit genomen") and a retried triage recorded and audited twice."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    t = sc.triage(structurele_onveiligheid=True)
    eerste = await handle.execute_update(MeldingWorkflow.registreer_triage, t)
    assert await handle.execute_update(MeldingWorkflow.registreer_triage, t) == eerste
    b = sc.besluit("voorwaarden_en_vervolg")
    genomen = await handle.execute_update(MeldingWorkflow.neem_besluit, b)
    opnieuw = await handle.execute_update(MeldingWorkflow.neem_besluit, b)
    assert opnieuw.besluit == genomen.besluit
    assert [r.handeling for r in nep.audit] == [names.UPDATE_TRIAGE, names.UPDATE_BESLUIT]
    await sc.beeindig(handle)


async def test_an_update_id_is_remembered_across_continue_as_new(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """The server forgets update IDs at continue-as-new; the workflow's state does not."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    eerste_run = (await handle.describe()).run_id
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage(), id="verzoek-1")
    for n in range(110):
        await handle.signal(MeldingWorkflow.melding_gekoppeld, koppeling(n))
    await sc.wacht_tot(handle, lambda s: len(s.gekoppelde_meldingen) == 110)
    nu = env.client.get_workflow_handle_for(MeldingWorkflow.run, handle.id)
    assert len(await runs(env.client, handle.id, eerste_run)) >= 2
    # The same request again after continue-as-new: answered as the first, recorded once.
    status = await nu.execute_update(MeldingWorkflow.registreer_triage, sc.triage(), id="verzoek-1")
    assert status.triage is not None and status.triage.urgentie == "normaal"
    # The same request ID with a payload it never carried: refused with the reason (issue 17;
    # before, the first answer was returned and the new payload silently dropped).
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await nu.execute_update(
            MeldingWorkflow.registreer_triage, sc.triage(urgentie="spoed"), id="verzoek-1"
        )
    assert "al gebruikt met een andere inhoud" in str(fout.value.cause)
    assert [r.handeling for r in nep.audit] == [names.UPDATE_TRIAGE]
    await sc.beeindig(nu)


async def test_bursts_of_signals_and_updates_during_continue_as_new_lose_nothing(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Signals and updates faster than a workflow task round trip, while the case continues
    as new: every signal lands once, the update is applied once (MeldingClient sends it again
    while a run closes), no task fails, and every run stays bounded."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    eerste_run = (await handle.describe()).run_id
    for golf in range(3):
        berichten = [
            handle.signal(MeldingWorkflow.melding_gekoppeld, koppeling(golf * 100 + n))
            for n in range(100)
        ]
        if golf == 1:
            # As integrators send it (MeldingClient): refused with NieuweRun while the run
            # closes, it is sent again and the next run takes it.
            berichten.append(
                MeldingClient(env.client, worker.task_queue).registreer_triage(
                    handle.id.removeprefix("melding-"), sc.triage(urgentie="hoog")
                )
            )
        await asyncio.gather(*berichten)
    nu = env.client.get_workflow_handle_for(MeldingWorkflow.run, handle.id)
    status = await sc.wacht_tot(nu, lambda s: len(s.gekoppelde_meldingen) == 300)
    assert status.triage is not None and status.triage.urgentie == "hoog"
    assert len({k.melding_id for k in status.gekoppelde_meldingen}) == 300
    geschiedenissen = await runs(env.client, handle.id, eerste_run)
    assert mislukte_taken(geschiedenissen) == []
    assert aantal(geschiedenissen, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) == 300
    assert len(geschiedenissen) >= 2
    # One upsert per workflow task at most (v1: one per signal, doubling every run).
    for g in geschiedenissen:
        taken = sum(
            1 for e in g.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
        )
        upserts = sum(
            1
            for e in g.events
            if e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
        )
        # A patch's first use upserts TemporalChangeVersion: not one of ours.
        patches = patch_markers([g])
        assert upserts - patches <= taken + 1 and len(g.events) < 400, (
            len(g.events),
            upserts,
            patches,
            taken,
        )
    assert [r.handeling for r in nep.audit] == [names.UPDATE_TRIAGE]
    await sc.beeindig(nu)


async def test_a_cancelled_case_closes_its_dossier_and_raises_nothing_more(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """v1: a cancel from the Web UI left the dossier open and the search attributes frozen.
    Now the case closes deliberately: dossier closed, phase afgesloten, no deadline left, the
    cancellation audited, and no reminder or escalation afterwards."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.cancel()
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    assert (await _beschrijf(handle)).workflow_execution_info.status == (
        WorkflowExecutionStatus.CANCELED.value
    )
    assert nep.dossier[m.melding_id].afgesloten
    assert [r.handeling for r in nep.audit] == ["annulering"]
    velden = (await _beschrijf(handle)).workflow_execution_info.search_attributes.indexed_fields
    assert velden[names.SA_FASE].data == b'"afgesloten"'
    assert not _gezet(velden, names.SA_VOLGENDE_DEADLINE)
    await env.sleep(timedelta(days=12))
    assert nep.signaleringen == []


async def test_an_inherited_deadline_is_cleared_after_continue_as_new(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """v1: the unset depended on a per-run cache, so VtVolgendeDeadline stayed after the
    tweede terugkoppeling when the case had continued as new in between."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await sc.wacht_tot(handle, lambda s: s.tweede_terugkoppeling_deadline is not None)
    eerste_run = (await handle.describe()).run_id
    for n in range(110):
        await handle.signal(MeldingWorkflow.melding_gekoppeld, koppeling(n))
    nu = env.client.get_workflow_handle_for(MeldingWorkflow.run, handle.id)
    await sc.wacht_tot(nu, lambda s: len(s.gekoppelde_meldingen) == 110)
    assert len(await runs(env.client, handle.id, eerste_run)) >= 2
    await sc.slaap(env, timedelta(weeks=11), stap=timedelta(weeks=1))
    await sc.wacht_tot(nu, lambda s: len(s.terugkoppelingen) == 2)
    status = await nu.query(MeldingWorkflow.status)
    assert status.volgende_deadline is None
    velden = (await _beschrijf(nu)).workflow_execution_info.search_attributes.indexed_fields
    assert not _gezet(velden, names.SA_VOLGENDE_DEADLINE)
    await sc.beeindig(nu)


async def _beschrijf(handle: WorkflowHandle[Any, Any]) -> Any:
    return await handle._client.workflow_service.describe_workflow_execution(
        sc.beschrijf_verzoek(handle)
    )


def _gezet(velden: Any, naam: str) -> bool:
    """A search attribute with a value (an unset one is absent, or kept as binary/null)."""
    return naam in velden and velden[naam].metadata.get("encoding") != b"binary/null"
