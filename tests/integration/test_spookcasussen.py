"""Failed and terminated cases never vanish (issue 18.4), on the dev server with PostgreSQL: a
Reset registers as its original did, the radar links nothing to a dead case, and the
reconciliation on its Schedule raises every open dossier without a running case, once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.workflowservice.v1 import ResetWorkflowExecutionRequest
from temporalio.client import Client, WorkflowHandle
from temporalio.runtime import MetricBuffer, Runtime, TelemetryConfig
from temporalio.worker import Worker

from activities.dossier import DossierActiviteiten
from activities.naloop import NALOOP_METRIC, NaloopActiviteiten
from contract import names
from contract.ids import melding_workflow_id
from domain.status import MeldingStatus
from runtime.naloop import NALOOP_INTERVAL, plan_naloop
from starter.acties import werkvoorraad_vraag
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op
from workflows import MeldingWorkflow, NaloopWorkflow


async def _start(client: Client, worker: Worker, m: Any) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=worker.task_queue
    )


async def _wacht_tot(
    handle: WorkflowHandle[Any, Any], voorwaarde: Callable[[MeldingStatus], bool], s: float = 20
) -> MeldingStatus:
    einde = time.monotonic() + s
    while True:
        status: MeldingStatus = await handle.query(MeldingWorkflow.status)
        if voorwaarde(status):
            return status
        assert time.monotonic() < einde, status.model_dump_json()
        await asyncio.sleep(0.1)


async def _waarde(pool: asyncpg.Pool, sql: str, *args: object) -> Any:
    async with pool.acquire() as con:
        return await con.fetchval(sql, *args)


async def _naloop(client: Client, worker: Worker) -> Any:
    return await client.execute_workflow(
        NaloopWorkflow.run, id=f"naloop-test-{uuid.uuid4()}", task_queue=worker.task_queue
    )


async def test_a_reset_to_the_first_workflow_task_registers_as_its_original_did(
    client: Client, worker: Worker, pool: asyncpg.Pool
) -> None:
    """v5: registration was keyed on the run ID, so the reset run failed with MeldingBestaatAl."""
    m = vb.melding()
    handle = await _start(client, worker, m)
    await _wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    eerste_taak = next(
        e.event_id
        for e in (await handle.fetch_history()).events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
    )
    antwoord = await client.workflow_service.reset_workflow_execution(
        ResetWorkflowExecutionRequest(
            namespace=client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=handle.id),
            reason="test: reset naar de eerste workflowtaak",
            workflow_task_finish_event_id=eerste_taak,
            request_id=str(uuid.uuid4()),
        )
    )
    nieuw = client.get_workflow_handle_for(MeldingWorkflow.run, handle.id, run_id=antwoord.run_id)
    await _wacht_tot(nieuw, lambda s: s.fase == "wacht_op_triage")
    await nieuw.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await nieuw.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("overdracht"))
    assert (await nieuw.result()).einde == "overgedragen"
    assert await _waarde(pool, "SELECT afgesloten FROM meldingen WHERE melding_id=$1", m.melding_id)


async def test_the_radar_links_nothing_to_a_terminated_case(
    client: Client, worker: Worker, pool: asyncpg.Pool
) -> None:
    """v5: a terminated case kept its open dossier, and every new melding of the household was
    linked to it (a signal nobody received)."""
    bsn = vb.nieuw_bsn()
    dood = await _start(client, worker, vb.melding(bsn=bsn))
    await _wacht_tot(dood, lambda s: s.fase == "wacht_op_triage")
    await dood.terminate("test: een casus die niet meer loopt")
    nieuw_m = vb.melding(bsn=bsn)
    nieuw = await _start(client, worker, nieuw_m)
    status = await _wacht_tot(nieuw, lambda s: s.fase == "wacht_op_triage")
    assert status.eerdere_meldingen == 1  # the register still knows the earlier melding
    gekoppeld = await _waarde(
        pool, "SELECT count(*) FROM koppelingen WHERE melding_id=$1", nieuw_m.melding_id
    )
    assert gekoppeld == 0
    await nieuw.terminate("test klaar")


async def test_the_reconciliation_raises_every_ghost_once(
    client: Client, worker: Worker, pool: asyncpg.Pool
) -> None:
    """v5: a terminated case and a dossier without any workflow stayed open, out of every list,
    and nobody was told. Now each is a signalering `mislukt`, and a second run adds none."""
    beeindigd_m, ontbreekt_m, loopt_m = vb.melding(), vb.melding(), vb.melding()
    beeindigd = await _start(client, worker, beeindigd_m)
    loopt = await _start(client, worker, loopt_m)
    for h in (beeindigd, loopt):
        await _wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    await beeindigd.terminate("test: beeindigd")
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(ontbreekt_m)
    ids = [beeindigd_m.melding_id, ontbreekt_m.melding_id, loopt_m.melding_id]
    async with pool.acquire() as con:  # older than the grace period
        await con.execute(
            "UPDATE meldingen SET geregistreerd_op = now() - interval '1 hour'"
            " WHERE melding_id = ANY($1)",
            ids,
        )
    eerste = await _naloop(client, worker)
    spoken = {s.melding_id: s.toestand for s in eerste.spoken if s.melding_id in ids}
    assert spoken == {beeindigd_m.melding_id: "beeindigd", ontbreekt_m.melding_id: "ontbreekt"}
    tweede = await _naloop(client, worker)
    assert {s.melding_id for s in tweede.spoken} >= set(spoken)
    rijen = await _waarde(
        pool,
        "SELECT array_agg(melding_id ORDER BY melding_id) FROM signaleringen"
        " WHERE melding_id = ANY($1) AND soort = 'mislukt' AND termijn = 'casus'",
        ids,
    )
    assert rijen == sorted(spoken)
    await loopt.terminate("test klaar")


async def test_the_worker_plans_the_reconciliation_once_however_often_it_starts(
    client: Client, worker: Worker
) -> None:
    """The Schedule is created by every worker's start, idempotently."""
    try:
        assert await plan_naloop(client, "een-oude-rij")
        assert await plan_naloop(client, worker.task_queue)  # exists: brought up to date
        beschrijving = await client.get_schedule_handle(names.NALOOP_SCHEDULE).describe()
        actie = beschrijving.schedule.action
        assert getattr(actie, "workflow", None) == names.NALOOP_WORKFLOW
        assert getattr(actie, "task_queue", None) == worker.task_queue
        assert [i.every for i in beschrijving.schedule.spec.intervals] == [NALOOP_INTERVAL]
        schedules = [s.id async for s in await client.list_schedules()]
        assert schedules.count(names.NALOOP_SCHEDULE) == 1
    finally:
        await client.get_schedule_handle(names.NALOOP_SCHEDULE).delete()


async def test_the_mislukt_view_lists_a_terminated_case_and_no_running_one(
    client: Client, worker: Worker
) -> None:
    """v5: every werkvoorraad view listed Running cases only: a terminated case was in none."""
    beeindigd, loopt = vb.melding(), vb.melding()
    handles = [await _start(client, worker, m) for m in (beeindigd, loopt)]
    for h in handles:
        await _wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    await handles[0].terminate("test: beeindigd")
    zoekvraag = werkvoorraad_vraag("mislukt", None, datetime.now(UTC))
    verwacht = {melding_workflow_id(beeindigd.melding_id)}
    einde = time.monotonic() + 15
    while True:
        gevonden = {
            wf.id
            async for wf in client.list_workflows(zoekvraag)
            if wf.id in {h.id for h in handles}
        }
        if gevonden == verwacht or time.monotonic() > einde:
            break
        await asyncio.sleep(0.3)
    assert gevonden == verwacht
    await handles[1].terminate("test klaar")


async def test_the_reconciliation_counts_every_ghost_in_its_metric(
    client: Client, pool: asyncpg.Pool
) -> None:
    """Each ghost of a pass is counted in vt_spookcasussen by its state, on a worker whose
    runtime keeps its metrics in a buffer."""
    buffer = MetricBuffer(10_000)
    meten = await Client.connect(
        client.service_client.config.target_host,
        namespace=client.namespace,
        data_converter=client.data_converter,
        runtime=Runtime(telemetry=TelemetryConfig(metrics=buffer)),
    )
    ontbreekt = vb.melding()
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(ontbreekt)
    async with pool.acquire() as con:
        await con.execute(
            "UPDATE meldingen SET geregistreerd_op = now() - interval '1 hour'"
            " WHERE melding_id = $1",
            ontbreekt.melding_id,
        )
    async with Worker(
        meten,
        task_queue=f"it-naloop-{uuid.uuid4()}",
        workflows=[NaloopWorkflow],
        activities=[NaloopActiviteiten(pool, meten).loop_dossiers_na],
    ) as w:
        naloop = await _naloop(meten, w)
    geteld: dict[str, int] = {}
    for u in buffer.retrieve_updates():
        if u.metric.name == NALOOP_METRIC:
            toestand = str(u.attributes["toestand"])
            geteld[toestand] = geteld.get(toestand, 0) + int(u.value)
    verwacht: dict[str, int] = {}
    for spook in naloop.spoken:
        verwacht[spook.toestand] = verwacht.get(spook.toestand, 0) + 1
    assert ontbreekt.melding_id in {s.melding_id for s in naloop.spoken}
    assert geteld == verwacht and geteld["ontbreekt"] >= 1
