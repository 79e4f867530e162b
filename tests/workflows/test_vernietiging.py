"""VernietigingWorkflow (Q&A 28): granted at once without violence, else a human decides."""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.besluiten import VernietigingsBesluit, VernietigingsVerzoek
from domain.names import vernietiging_workflow_id
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import VernietigingWorkflow


def _verzoek(melding_id: str) -> VernietigingsVerzoek:
    return VernietigingsVerzoek(
        melding_id=melding_id, verzoeker_rol="ouder_verzorger", ontvangen_op=sc.NU
    )


async def test_a_request_is_granted_at_once_when_no_violence_was_found(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 28: "Een verzoek tot vernietiging wordt in dat geval ingewilligd"."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    await handle.result()
    resultaat = await env.client.execute_workflow(
        VernietigingWorkflow.run,
        _verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    assert resultaat.toegekend and resultaat.uitgevoerd_op is not None
    assert nep.vernietigd == [m.melding_id]


async def test_otherwise_a_medewerker_decides_reminded_and_escalated_on_the_way(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """AVG art. 12: an answer within a month; a refusal keeps the dossier."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies")
    await handle.result()
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        _verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    await env.sleep(timedelta(days=31))
    assert [(s.soort.value, s.termijn.value) for s in nep.signaleringen] == [
        ("herinnering", "vernietiging"),
        ("escalatie", "vernietiging"),
    ]
    besluit = VernietigingsBesluit(
        medewerker="mw-0042", toegekend=False, reden="Zorgen bevestigd; dossier blijft bewaard."
    )
    await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
    resultaat = await verzoek.result()
    assert not resultaat.toegekend and nep.vernietigd == []


async def test_a_request_for_an_unknown_melding_is_refused(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Nothing to destroy: the answer says so."""
    resultaat = await env.client.execute_workflow(
        VernietigingWorkflow.run,
        _verzoek("VT-ONBEKEND-1"),
        id=vernietiging_workflow_id("VT-ONBEKEND-1"),
        task_queue=worker.task_queue,
    )
    assert (resultaat.toegekend, resultaat.reden) == (False, "onbekende melding")
