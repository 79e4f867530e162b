"""Deadlines passing and silent sources: the case is escalated, never abandoned (Q&A 3)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

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
