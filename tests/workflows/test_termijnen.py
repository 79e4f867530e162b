"""Deadlines passing and silent sources: the case is escalated, never abandoned (Q&A 3)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.termijnen import bron_deadline
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow


async def test_deadline_passing_without_triage_reminds_escalates_and_keeps_waiting(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 3: 5 werkdagen; at the deadline the case is marked overdue and escalated."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await env.sleep(timedelta(days=12))
    status = await sc.wacht_tot(handle, lambda s: s.termijn_overschreden)
    assert status.fase == "wacht_op_triage"
    soorten = [(s.soort.value, s.termijn.value) for s in nep.signaleringen]
    assert soorten == [("herinnering", "beoordeling"), ("escalatie", "beoordeling")]
    beschrijving = await handle.describe()
    assert beschrijving.typed_search_attributes is not None
    await sc.beoordeel(handle, "advies")
    afloop = await handle.result()
    assert afloop.einde == "advies"
    assert (await handle.query(MeldingWorkflow.status)).termijn_overschreden


async def test_a_source_that_never_answers_is_recorded_niet_ontvangen_and_the_beoordeling_goes_on(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 3: the politie does not answer within its bound; triage and besluit go on."""
    nep.stil.add("politie")
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.slaap(env, timedelta(days=4))
    status = await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    assert status.bronnen.politie == "niet_ontvangen"
    assert status.bronnen.register == "ontvangen" and status.bronnen.raad == "ontvangen"
    assert nep.aanroepen["vraag_bron:politie"] > 1
    await sc.beoordeel(handle, "advies")
    assert (await handle.result()).einde == "advies"


async def test_raad_is_not_asked_when_no_betrokkene_is_a_minor(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 3: information of the Raad voor de Kinderbescherming concerns children."""
    handle = await sc.start(env.client, worker, sc.melding(minderjarige=False))
    status = await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    assert status.bronnen.raad == "niet_van_toepassing"
    assert nep.aanroepen["vraag_bron:raad"] == 0
    await sc.beeindig(handle)


async def test_tweede_terugkoppeling_is_sent_at_ten_weeks_while_the_dienst_still_runs(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 8: the tweede terugkoppeling within 10 weeks of the first: at the deadline it is
    sent with the state of that moment, which is on time (not marked overdue)."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await sc.wacht_tot(handle, lambda s: s.tweede_terugkoppeling_deadline is not None)
    await env.sleep(timedelta(weeks=11))
    status = await sc.wacht_tot(handle, lambda s: len(s.terugkoppelingen) == 2)
    assert not status.termijn_overschreden and status.fase == "onderzoek"
    tweede = nep.outbox[(m.melding_id, "tweede_terugkoppeling")]
    assert "loopt_nog" in tweede.model_dump_json()
    await handle.execute_update(
        MeldingWorkflow.rond_dienst_af,
        sc.afronding(
            veiligheidsvoorwaarden_gesteld=False,
            geweld_vastgesteld=False,
            vervolg="afsluiten",
            ketenpartner=None,
        ),
    )
    afloop = await handle.result()
    assert (afloop.einde, afloop.terugkoppelingen) == ("afgesloten", 2)
    soorten = [(s.soort.value, s.termijn.value) for s in nep.signaleringen]
    assert ("herinnering", "tweede_terugkoppeling") in soorten
    assert ("escalatie", "tweede_terugkoppeling") not in soorten


async def test_a_melding_entered_days_after_receipt_gives_its_sources_a_full_werkdag(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Issue 18.5: received 6 days before intake, v5 gave the sources the one-minute minimum
    (their bound ran from receipt). Now it runs to the end of the next werkdag after intake."""
    nep.stil.add("politie")
    m = sc.melding(ontvangen_op=sc.NU - timedelta(days=6))
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.bronnen.register == "ontvangen")
    await env.sleep(timedelta(hours=1))
    status = await handle.query(MeldingWorkflow.status)
    assert status.bronnen.politie == "bezig" and status.fase == "informatie_verzamelen"
    grenzen = [
        e.activity_task_scheduled_event_attributes.schedule_to_close_timeout.ToTimedelta()
        for e in (await handle.fetch_history()).events
        if e.activity_task_scheduled_event_attributes.activity_type.name == "vraag_bron"
    ]
    assert len(grenzen) == 2  # the politie and the Raad, with one bound
    assert min(grenzen) >= bron_deadline(sc.NU) - sc.NU - timedelta(minutes=1)
    await sc.slaap(env, timedelta(days=4), stap=timedelta(hours=12))
    await sc.wacht_tot(handle, lambda s: s.bronnen.politie == "niet_ontvangen")
    await sc.beoordeel(handle, "advies")
    assert (await handle.result()).einde == "advies"


async def test_the_radar_runs_when_the_register_lookup_fails(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Issue 18.5: v5 skipped the radar after a failed register lookup, so the household's open
    case was never linked."""
    nep.stil.add("register")
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.slaap(env, timedelta(days=4), stap=timedelta(hours=12))
    status = await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    assert status.bronnen.register == "niet_ontvangen"
    assert nep.aanroepen["koppel_aan_open_meldingen"] == 1
    await sc.beoordeel(handle, "advies")
    assert (await handle.result()).einde == "advies"
