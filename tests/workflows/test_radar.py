"""Radar (Radarfunctie, Q&A 10, 21, 27): a new melding about a household with an open case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.besluiten import Ketenpartner, Koppeling
from domain.uitwisseling import EerdereMelding, RegisterResultaat
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import aantal, mislukte_taken, patch_markers, runs
from workflows import MeldingWorkflow


def _koppeling(n: int) -> Koppeling:
    return Koppeling(
        melding_id=f"VT-HGL-2027-{n:06d}",
        regio="haaglanden",
        ontvangen_op=datetime(2027, 1, 4, 9, tzinfo=UTC),
    )


async def test_the_radar_signal_links_a_new_melding_to_the_open_case(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 21: information from meldingen is combined; the open case records and shows it."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.signal(MeldingWorkflow.melding_gekoppeld, _koppeling(777))
    await handle.signal(MeldingWorkflow.melding_gekoppeld, _koppeling(777))
    status = await sc.wacht_tot(handle, lambda s: len(s.gekoppelde_meldingen) == 1)
    assert status.gekoppelde_meldingen[0].regio == "haaglanden"
    await sc.beeindig(handle)


async def test_the_beoordeling_sees_earlier_meldingen_and_proposes_their_ketenpartner(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 10: earlier meldingen counted; a household handed over before goes to that partner."""
    partner = Ketenpartner(soort="wijkteam", naam="Wijkteam West")
    nep.register = RegisterResultaat(
        aantal=1,
        regios=["haaglanden"],
        eerdere=[
            EerdereMelding(
                melding_id="VT-HGL-1",
                regio="haaglanden",
                ontvangen_op=datetime(2025, 5, 1, tzinfo=UTC),
                vervolg="overdracht",
                ketenpartner=partner,
                open=False,
            )
        ],
    )
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    status = await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    assert status.eerdere_meldingen == 1
    assert status.voorgestelde_ketenpartner == partner
    await sc.beoordeel(handle, "overdracht")
    await handle.result()
    eerste = nep.outbox[(m.melding_id, "eerste_terugkoppeling")].model_dump_json()
    assert "haaglanden" in eerste


async def test_without_an_earlier_overdracht_no_ketenpartner_is_proposed(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 10: only an earlier overdracht has a ketenpartner to propose again."""
    handle = await sc.start(env.client, worker, sc.melding())
    status = await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    assert status.eerdere_meldingen == 0 and status.voorgestelde_ketenpartner is None
    await sc.beeindig(handle)


async def test_a_case_receiving_hundreds_of_signals_continues_as_new_with_its_state(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """28.5 % of meldingen hit an open case (docs/architecture.md); the history stays bounded."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage(urgentie="hoog"))
    eerste_run = (await handle.describe()).run_id
    for n in range(350):
        await handle.signal(MeldingWorkflow.melding_gekoppeld, _koppeling(n))
    status = await sc.wacht_tot(handle, lambda s: len(s.gekoppelde_meldingen) == 350, 30)
    assert status.triage is not None and status.triage.urgentie == "hoog"
    assert status.fase == "wacht_op_besluit"
    nu = env.client.get_workflow_handle_for(MeldingWorkflow.run, handle.id)
    # Every signal landed once and no task failed. How they spread over the runs is the
    # server's: this test server turns a continue-as-new down while signals keep arriving (a
    # stream lands in one run); the dev server carries them into the next run (the bound per
    # run is checked there, in tests/integration/test_nooit_vast.py).
    geschiedenissen = await runs(env.client, handle.id, eerste_run)
    assert len(geschiedenissen) >= 2
    assert mislukte_taken(geschiedenissen) == []
    assert aantal(geschiedenissen, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) == 350
    upserts = aantal(geschiedenissen, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
    taken = aantal(geschiedenissen, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    # A patch's first use in a run upserts TemporalChangeVersion: not one of ours; a batch of
    # signals checked by its activity resumes in a task of its own (one upsert each).
    patches = patch_markers(geschiedenissen)
    controles = sum(
        1
        for g in geschiedenissen
        for e in g.events
        if e.activity_task_scheduled_event_attributes.activity_type.name
        == "controleer_verklaringen"
    )
    assert upserts - patches <= taken + controles < 350, (upserts, patches, controles, taken)
    await env.sleep(timedelta(days=12))
    # The term is marked overdue before the escalation's signalering runs.
    status = await sc.wacht_tot(nu, lambda s: s.termijn_overschreden and len(nep.signaleringen) > 1)
    assert [s.soort.value for s in nep.signaleringen] == ["herinnering", "escalatie"]
    await nu.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    afloop = await nu.result()
    assert afloop.einde == "advies" and afloop.terugkoppelingen == 1
    assert nep.aanroepen["sla_melding_op"] == 1
