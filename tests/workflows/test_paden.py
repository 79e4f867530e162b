"""Every path (docs/architecture.md), from receipt to MeldingAfloop, on the time-skipping server."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.ids import melding_workflow_id
from domain.werkdagen import AMSTERDAM
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow


async def test_afsluiten_without_violence_tells_the_household_of_its_vernietigingsrecht(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 28: no violence found, the betrokkenen are pointed to their right of destruction."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    afloop = await handle.result()
    assert (afloop.einde, afloop.terugkoppelingen, afloop.monitoringen) == ("afgesloten", 1, 0)
    huishouden = nep.outbox[(m.melding_id, "huishouden_informeren")]
    assert "vernietigingsrecht" in huishouden.model_dump_json()
    assert nep.dossier[m.melding_id].afgesloten


async def test_advies_ends_after_the_eerste_terugkoppeling(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """docs/architecture.md: advies and afsluiten end after the eerste terugkoppeling (Q&A 3, 8)."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies")
    afloop = await handle.result()
    assert (afloop.vervolg, afloop.einde, afloop.terugkoppelingen) == ("advies", "advies", 1)
    assert set(nep.outbox) == {
        (m.melding_id, "eerste_terugkoppeling"),
        (m.melding_id, "huishouden_informeren"),
    }


async def test_overdracht_is_not_monitored_by_veilig_thuis(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 24, 26: a case handed over straight after the beoordeling is not monitored."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "overdracht")
    afloop = await handle.result()
    assert (afloop.einde, afloop.monitoringen) == ("overgedragen", 0)
    assert nep.dossier[m.melding_id].ketenpartner is not None
    status = await handle.query(MeldingWorkflow.status)
    assert status.fase == "afgesloten" and status.volgende_deadline is None


async def _dienst_tot_stabiel_veilig(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten, vervolg: str
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    status = await sc.beoordeel(handle, vervolg, t=sc.triage(structurele_onveiligheid=True))
    assert status.fase == vervolg
    await sc.wacht_tot(handle, lambda s: s.tweede_terugkoppeling_deadline is not None)
    await env.sleep(timedelta(weeks=6))
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    status = await sc.wacht_tot(handle, lambda s: s.fase == "monitoring")
    assert [t.soort for t in status.terugkoppelingen] == ["eerste", "tweede"]
    await env.sleep(timedelta(days=95))
    await sc.registreer_monitoring(handle, sc.uitkomst(stabiel=True))
    await env.sleep(timedelta(days=280))
    status = await sc.registreer_monitoring(handle, sc.uitkomst(stabiel=True))
    afloop = await handle.result()
    assert (afloop.vervolg, afloop.einde) == (vervolg, "stabiel_veilig")
    assert (afloop.terugkoppelingen, afloop.monitoringen) == (2, 2)
    assert not status.termijn_overschreden


async def test_voorwaarden_en_vervolg_runs_fifteen_months_through_monitoring_to_stabiel_veilig(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Radarfunctie; Werkwijze: after a dienst, monitoring at 3 and 12 months until stably safe."""
    await _dienst_tot_stabiel_veilig(env, worker, nep, "voorwaarden_en_vervolg")


async def test_onderzoek_runs_through_monitoring_to_stabiel_veilig(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Werkwijze: "monitort ... als er onderzoek is gedaan. In elk geval na 3 en na 12 maanden"."""
    await _dienst_tot_stabiel_veilig(env, worker, nep, "onderzoek")


async def test_monitoring_not_stable_at_twelve_months_checks_again_every_three_months(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 23: not stably safe at 12 months, a further check every 3 months."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "voorwaarden_en_vervolg", t=sc.triage(structurele_onveiligheid=True))
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    await env.sleep(timedelta(days=95))
    await sc.registreer_monitoring(handle, sc.uitkomst(stabiel=False))
    await env.sleep(timedelta(days=280))
    status = await sc.registreer_monitoring(handle, sc.uitkomst(stabiel=False))
    await env.sleep(timedelta(days=95))
    status = await sc.registreer_monitoring(handle, sc.uitkomst(stabiel=True))
    afloop = await handle.result()
    assert (afloop.einde, afloop.monitoringen) == ("stabiel_veilig", 3)
    gepland = [r.gepland_op.astimezone(AMSTERDAM) for r in status.monitoring]
    maanden = [(b.year - a.year) * 12 + b.month - a.month for a, b in pairwise(gepland)]
    assert maanden == [9, 3]


async def test_nieuwe_melding_nodig_starts_a_new_linked_melding_workflow(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Radarfunctie, Q&A 26: renewed unsafety during monitoring leads to a new melding (this
    case keeps monitoring, Q&A 23: tests/workflows/test_protocol_deel_twee.py)."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    await env.sleep(timedelta(days=95))
    await sc.registreer_monitoring(handle, sc.uitkomst(stabiel=False, nieuwe_melding=True))
    await sc.wacht_tot(handle, lambda s: len(s.gekoppelde_meldingen) == 1)
    nieuw = env.client.get_workflow_handle(melding_workflow_id(f"{m.melding_id}-M1"))
    beschrijving = await nieuw.describe()
    assert beschrijving.status == WorkflowExecutionStatus.RUNNING
    nieuwe_status = await sc.wacht_tot(nieuw, lambda s: s.fase == "wacht_op_triage")
    assert nieuwe_status.regio == m.regio
    assert nep.meldingen[f"{m.melding_id}-M1"].melder.meldnorm == 3
    await sc.beeindig(nieuw)
    await sc.beeindig(handle)


async def test_informing_the_household_is_postponed_with_a_reason_and_signalled(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 4: the household is informed unless that would endanger someone; then a reason is
    recorded and the team lead sees it, and no message goes to the household."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    reden = "Informeren brengt het kind nu in gevaar; eerst veiligheidsplan."
    await sc.beoordeel(handle, "advies", huishouden_informeren_uitstellen=reden)
    await sc.wacht_tot(handle, lambda s: len(s.terugkoppelingen) == 1)
    # the terugkoppeling shows in the state before the signalering after it has run
    await sc.wacht_tot(handle, lambda s: len(nep.signaleringen) >= 1)
    assert (m.melding_id, "huishouden_informeren") not in nep.outbox
    assert [(s.soort.value, s.termijn.value) for s in nep.signaleringen] == [
        ("uitstel", "huishouden_informeren")
    ]
    besluit = next(r for r in nep.audit if r.handeling == "neem_besluit")
    assert besluit.gegevens["huishouden_informeren_uitstellen"] == reden
    await sc.beeindig(handle)


async def test_the_household_never_learns_who_reported_when_anonymity_was_promised(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 25, docs/architecture.md: anonimiteit toegezegd keeps the case at Veilig Thuis, and the
    household message names no melder."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", anonimiteit_toegezegd=True)
    await sc.wacht_tot(handle, lambda s: s.tweede_terugkoppeling_deadline is not None)
    huishouden = nep.outbox[(m.melding_id, "huishouden_informeren")].inhoud
    assert huishouden["melder"] == "anoniem" and "melder_beroepsgroep" not in huishouden
    await sc.beeindig(handle)
