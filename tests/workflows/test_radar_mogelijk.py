"""Issue 21 item 7: a household known only by name (no BSN on one side) is linked by the radar
as *mogelijk*: the case lists it for the medewerker (status, current details) and does nothing
else with it (no radar count, no search attribute); only the register may send the link."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.search_attributes import VT_GEKOPPELD
from domain.besluiten import Koppeling
from tests import auteurs
from tests.workflows import scenario as sc
from tests.workflows.test_auteurschap import _als, _client
from tests.workflows.test_casusbeeld import huidige_details
from workflows import MeldingWorkflow


async def test_a_name_only_link_is_listed_as_possible_and_changes_nothing_else(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    mogelijk = Koppeling(melding_id="VT-HGL-2026-000901", regio="haaglanden", ontvangen_op=sc.NU)
    await handle.signal(MeldingWorkflow.melding_mogelijk_gekoppeld, mogelijk)
    await handle.signal(MeldingWorkflow.melding_mogelijk_gekoppeld, mogelijk)  # a retry
    status = await sc.wacht_tot(handle, lambda s: len(s.mogelijk_gekoppeld) == 1)
    assert [k.melding_id for k in status.mogelijk_gekoppeld] == ["VT-HGL-2026-000901"]
    assert status.gekoppelde_meldingen == [] and status.gekoppeld() == 0
    assert "Mogelijk gekoppeld (alleen op naam" in await huidige_details(handle)
    beschrijving = await handle.describe()
    assert beschrijving.typed_search_attributes.get(VT_GEKOPPELD) in (None, 0)
    # A certain link afterwards is counted as before; the possible one stays listed apart.
    zeker = Koppeling(melding_id="VT-HGL-2026-000902", regio="haaglanden", ontvangen_op=sc.NU)
    await handle.signal(MeldingWorkflow.melding_gekoppeld, zeker)
    status = await sc.wacht_tot(handle, lambda s: len(s.gekoppelde_meldingen) == 1)
    assert [k.melding_id for k in status.mogelijk_gekoppeld] == ["VT-HGL-2026-000901"]
    await sc.beoordeel(handle, "advies")
    assert (await handle.result()).einde == "advies"


async def test_only_the_register_may_send_a_possible_link(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    """Without a verklaring, or signed by a person: dropped, as the certain link's signal."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    nep = Koppeling(melding_id="VT-FAKE-2026-000901", regio="utrecht", ontvangen_op=sc.NU)
    zonder: Client = await _client(env)
    await zonder.get_workflow_handle(handle.id).signal(
        MeldingWorkflow.melding_mogelijk_gekoppeld, nep
    )
    persoon = await _client(env, _als(auteurs.persoon("mw-0042")))
    await persoon.get_workflow_handle(handle.id).signal(
        MeldingWorkflow.melding_mogelijk_gekoppeld,
        nep.model_copy(update={"melding_id": "VT-FAKE-2026-000902"}),
    )
    echt = Koppeling(melding_id="VT-HGL-2026-000903", regio="haaglanden", ontvangen_op=sc.NU)
    await handle.signal(MeldingWorkflow.melding_mogelijk_gekoppeld, echt)
    status = await sc.wacht_tot(handle, lambda s: len(s.mogelijk_gekoppeld) >= 1)
    assert [k.melding_id for k in status.mogelijk_gekoppeld] == ["VT-HGL-2026-000903"]
    await sc.beeindig(handle)
