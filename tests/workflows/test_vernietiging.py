"""VernietigingWorkflow (Q&A 28): granted at once without violence, else a human decides."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.ids import vernietiging_workflow_id
from domain.besluiten import VernietigingsBesluit, VernietigingsResultaat, Weigeringsgrond
from domain.verzoektermijn import termijn
from runtime.assembly import activeer_patch
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import alle_runs, mislukte_taken
from workflows import MeldingWorkflow, VernietigingWorkflow
from workflows.vernietiging import PATCH_VERDER_ALS_NIEUW, POGINGEN_PER_RUN

# The time-skipping test server sometimes overshoots or stalls around these destruction requests
# when the machine is loaded (two pytest workers): a request that never reached its decision's
# timer within 45 s, or a reminder three months out fired during a 31-day skip. Seen in 2 of 5
# fresh-clone runs, never alone; the dev-server tests of the destruction (tests/integration)
# have no such fault. Rerun twice, only on those two symptoms; a third failure fails the suite.
pytestmark = pytest.mark.flaky(
    reruns=2, only_rerun=["het verzoek kwam niet bij het besluit", r"assert \[Signalering"]
)


async def test_a_request_without_violence_found_is_granted_by_a_second_person(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 28: "Een verzoek tot vernietiging wordt in dat geval ingewilligd", by a teamleider
    who did not file it (two people); the record names both."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    await handle.result()
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    besluit = VernietigingsBesluit(medewerker="tl-0007", toegekend=True, reden="Q&A 28.")
    await sc.wacht_op_besluit(verzoek)
    assert nep.vernietigd == []  # nothing destroyed before the second person decided
    await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
    resultaat = await verzoek.result()
    assert resultaat.toegekend and resultaat.uitgevoerd_op is not None
    assert nep.vernietigd == [m.melding_id]
    [verslag] = nep.verslagen
    assert verslag is not None
    assert (verslag.aangevraagd_door, verslag.besloten_door) == ("mw-0001", "tl-0007")


async def test_the_term_is_three_months_and_a_refusal_names_a_legal_ground(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Issue 25 (v7): the Jeugdwet's three months (the organisation's term, read by an
    activity): nothing at 31 days, a reminder two weeks before the end, an escalation at the
    end; a refusal only with one of the legal grounds and a concrete onderbouwing; the requester
    is told by letter, with the ground. (Before: a month, and any reason refused.)"""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies")
    await handle.result()
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    await env.sleep(timedelta(days=31))
    assert nep.signaleringen == []
    herinnering, deadline = termijn(sc.NU, 3)
    await env.sleep(herinnering - sc.NU - timedelta(days=31) + timedelta(hours=1))
    assert [(s.soort.value, s.termijn.value) for s in nep.signaleringen] == [
        ("herinnering", "vernietiging")
    ]
    await env.sleep(timedelta(days=15))
    assert [(s.soort.value, s.deadline) for s in nep.signaleringen] == [
        ("herinnering", deadline),
        ("escalatie", deadline),
    ]
    zonder = VernietigingsBesluit(
        medewerker="tl-0042", toegekend=False, reden="Zorgen bevestigd; dossier blijft bewaard."
    )
    assert "grond: verplicht bij een weigering" in await _weigering(verzoek, zonder)
    vaag = zonder.model_copy(
        update={"grond": Weigeringsgrond.AANMERKELIJK_BELANG_ANDER, "onderbouwing": "Belang."}
    )
    assert "onderbouwing: verplicht bij een weigering, concreet" in await _weigering(verzoek, vaag)
    onderbouwing = "Het jongste kind heeft een lopende procedure waarin dit dossier nodig is."
    besluit = vaag.model_copy(update={"onderbouwing": onderbouwing})
    await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
    resultaat = await verzoek.result()
    assert not resultaat.toegekend and nep.vernietigd == []
    assert resultaat.grond is Weigeringsgrond.AANMERKELIJK_BELANG_ANDER
    assert resultaat.bericht == "verzonden"
    brief = nep.outbox[(m.melding_id, "vernietiging_uitkomst")]
    assert brief.inhoud["grond"] == "aanmerkelijk_belang_ander"
    assert brief.inhoud["onderbouwing"] == onderbouwing and not brief.inhoud["toegekend"]
    assert (m.melding_id, "vernietiging_uitkomst") in nep.bezorgd


async def test_a_grant_is_told_by_letter_before_the_dossier_goes(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """The letter needs the household's address from the dossier: delivered first."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies")
    await handle.result()
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    met_grond = VernietigingsBesluit(
        medewerker="tl-0007",
        toegekend=True,
        reden="Toegekend.",
        grond=Weigeringsgrond.WETTELIJKE_PLICHT,
    )
    einde = time.monotonic() + 30
    while "nog beoordeeld" in (reden := await _weigering(verzoek, met_grond)):
        assert time.monotonic() < einde, reden
        await asyncio.sleep(0.05)
    assert "grond: alleen bij een weigering" in reden
    besluit = met_grond.model_copy(update={"grond": None})
    await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
    resultaat = await verzoek.result()
    assert resultaat.toegekend and resultaat.bericht == "verzonden"
    assert nep.vernietigd == [m.melding_id]
    assert nep.outbox[(m.melding_id, "vernietiging_uitkomst")].inhoud["toegekend"] is True
    activiteiten = [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in (await verzoek.fetch_history()).events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    assert activiteiten.index("bezorg_bericht") < activiteiten.index("vernietig")


async def test_a_request_for_an_unknown_melding_is_refused(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Nothing to destroy: the answer says so."""
    resultaat = await env.client.execute_workflow(
        VernietigingWorkflow.run,
        sc.verzoek("VT-ONBEKEND-1"),
        id=vernietiging_workflow_id("VT-ONBEKEND-1"),
        task_queue=worker.task_queue,
    )
    assert (resultaat.toegekend, resultaat.reden) == (False, "onbekende melding")


async def test_a_grant_while_the_case_still_runs_says_so_and_destroys_after_it_closes(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """v1: 'toegekend' was answered at once, then the destruction failed (melding still open)
    and the workflow failed. Now the decision is audited, the answer says the destruction waits
    for the case to close, and it happens once it has."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    # In the dienst, with the dossier updated after the eerste terugkoppeling.
    await sc.wacht_tot(handle, lambda s: s.tweede_terugkoppeling_deadline is not None)
    nep.lopend.add(m.melding_id)
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    besluit = VernietigingsBesluit(medewerker="mw-0007", toegekend=True, reden="Verzoek terecht.")
    antwoord = await _beslis_zodra_gevraagd(verzoek, besluit)
    assert antwoord.toegekend and antwoord.uitgevoerd_op is None
    assert "loopt nog" in antwoord.reden
    assert [(r.handeling, r.medewerker) for r in nep.audit][-1] == (
        "beslis_vernietiging",
        "mw-0007",
    )
    # A repeat of the same decision answers as the first; another one is refused.
    assert await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit) == (
        antwoord
    )
    anders = besluit.model_copy(update={"toegekend": False})
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, anders)
    assert "al beslist" in str(fout.value.cause)
    nep.lopend.discard(m.melding_id)
    await sc.slaap(env, timedelta(days=2), stap=timedelta(hours=12))
    resultaat = await verzoek.result()
    assert resultaat.toegekend and resultaat.uitgevoerd_op is not None
    assert nep.vernietigd == [m.melding_id]
    await sc.beeindig(handle)


async def test_a_request_is_decided_once_also_while_the_destruction_waits(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """v1: beslis_vernietiging was accepted whatever the request's state. Once decided, a second
    decision is refused with that reason, also while the destruction waits for the case."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    await handle.result()
    nep.lopend.add(m.melding_id)  # the destruction waits, so the request stays open a while
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    await sc.wacht_op_besluit(verzoek)
    toegekend = VernietigingsBesluit(medewerker="tl-0007", toegekend=True, reden="Q&A 28.")
    await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, toegekend)
    besluit = VernietigingsBesluit(
        medewerker="mw-0007",
        toegekend=False,
        reden="Nee.",
        grond=Weigeringsgrond.GOED_HULPVERLENERSCHAP,
        onderbouwing="De hulp aan het gezin loopt nog en het dossier is daarvoor nodig.",
    )
    fout = await _weigering(verzoek, besluit)
    assert "al beslist" in fout
    nep.lopend.discard(m.melding_id)
    await sc.slaap(env, timedelta(days=2), stap=timedelta(hours=12))
    resultaat = await verzoek.result()
    assert resultaat.toegekend and nep.vernietigd == [m.melding_id]
    assert [r.medewerker for r in nep.audit if r.handeling == "beslis_vernietiging"] == ["tl-0007"]


async def _weigering(verzoek: WorkflowHandle[Any, Any], besluit: VernietigingsBesluit) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
    return str(fout.value.cause)


async def _beslis_zodra_gevraagd(
    verzoek: WorkflowHandle[Any, Any], besluit: VernietigingsBesluit, seconden: float = 30
) -> VernietigingsResultaat:
    """Decide once the request waits for a decision (it first reads the dossier). The answer
    comes once the destruction was tried; while it is awaited this test server can lose the
    update ("update … not found", never seen on the dev server): the request's status query
    then gives the same answer (tests/integration checks the update's own answer)."""
    einde = time.monotonic() + seconden
    while True:
        update_id = f"besluit-{uuid.uuid4()}"
        try:
            return await verzoek.execute_update(
                VernietigingWorkflow.beslis_vernietiging, besluit, id=update_id
            )
        except WorkflowUpdateFailedError as fout:
            if "nog beoordeeld" not in str(fout.cause) or time.monotonic() > einde:
                raise
            await asyncio.sleep(0.05)
        except RPCError as fout:
            if "not found" not in fout.message or time.monotonic() > einde:
                raise
            # The decision was taken all the same: its answer is the request's status.
            while (stand := await verzoek.query(VernietigingWorkflow.status)) is None:
                await asyncio.sleep(0.05)
            return stand


async def test_a_destruction_waiting_for_its_case_keeps_every_run_short(
    env: WorkflowEnvironment, worker_alle_patches: Worker, nep: NepActiviteiten
) -> None:
    """Reproduction (issue 18): granted while the case ran, the request tried again daily in one
    run, 35 → 684 events in 60 days (~4,000 a year). Since v6 it continues as new every
    POGINGEN_PER_RUN attempts; each run stays short and the destruction still follows."""
    worker = worker_alle_patches  # `vernietiging-verder-als-nieuw` is voorbereid
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    await handle.result()
    nep.lopend.add(m.melding_id)
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    besluit = VernietigingsBesluit(medewerker="tl-0007", toegekend=True, reden="Q&A 28.")
    antwoord = await _beslis_zodra_gevraagd(verzoek, besluit)
    assert antwoord.uitgevoerd_op is None
    await sc.slaap(env, timedelta(days=60), stap=timedelta(days=2))
    nep.lopend.discard(m.melding_id)
    await sc.slaap(env, timedelta(days=2), stap=timedelta(hours=12))
    resultaat = await verzoek.result()
    assert resultaat.toegekend and resultaat.uitgevoerd_op is not None
    assert nep.vernietigd == [m.melding_id]
    geschiedenissen = await alle_runs(env.client, verzoek.id)
    lengtes = [len(g.events) for g in geschiedenissen]
    assert max(lengtes) < 150, lengtes
    assert len(lengtes) >= 60 // POGINGEN_PER_RUN, lengtes
    assert mislukte_taken(geschiedenissen) == []
    # The one who filed and the one who decided travel with every run to the record.
    assert nep.verslagen[-1] is not None and nep.verslagen[-1].besloten_door == "tl-0007"


async def test_while_the_patch_is_only_prepared_the_production_worker_keeps_the_old_branch(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    """contract/patches.py: `vernietiging-verder-als-nieuw` is voorbereid, so the worker of
    this release (runtime/assembly.py's callback) writes no marker and never continues as new:
    the previous release replays all it writes, and a rollback to it wedges nothing."""
    async with Worker(
        env.client,
        task_queue=f"test-{uuid.uuid4()}",
        workflows=[MeldingWorkflow, VernietigingWorkflow],
        activities=nep.alle(),
        patch_activation_callback=activeer_patch,
    ) as worker:
        m = sc.melding()
        handle = await sc.start(env.client, worker, m)
        await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
        await handle.result()
        nep.lopend.add(m.melding_id)
        verzoek = await env.client.start_workflow(
            VernietigingWorkflow.run,
            sc.verzoek(m.melding_id),
            id=vernietiging_workflow_id(m.melding_id),
            task_queue=worker.task_queue,
        )
        besluit = VernietigingsBesluit(medewerker="tl-0007", toegekend=True, reden="Q&A 28.")
        await _beslis_zodra_gevraagd(verzoek, besluit)
        await sc.slaap(env, timedelta(days=POGINGEN_PER_RUN + 2), stap=timedelta(days=2))
        geschiedenissen = await alle_runs(env.client, verzoek.id)
        assert len(geschiedenissen) == 1
        assert PATCH_VERDER_ALS_NIEUW not in json.dumps(geschiedenissen[0].to_json_dict())
        await sc.beeindig(verzoek)
