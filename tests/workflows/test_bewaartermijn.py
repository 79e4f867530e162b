"""Issue 25: a closed case's bewaartermijn, recorded by the dossier and shown in `status`."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.bewaartermijn import dag
from domain.bewaartermijn import Grond, plus_jaren
from starter.weergave import samenvatting
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow


async def test_a_closed_case_shows_its_bewaartermijn_20_years_after_closing(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    await handle.result()
    status = await handle.query(MeldingWorkflow.status)
    stand = nep.dossier[m.melding_id]
    assert stand.afgesloten and stand.afgesloten_op is not None
    assert status.bewaartermijn is not None
    assert status.bewaartermijn.tot == plus_jaren(dag(stand.afgesloten_op), 20)
    assert status.bewaartermijn.grond is Grond.NA_AFSLUITING
    assert f"tot en met {status.bewaartermijn.tot.isoformat()} (na_afsluiting)" in samenvatting(
        status, sc.NU
    )
