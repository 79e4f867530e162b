"""What the Web UI shows of a case, read as the UI reads it: the current details (the
`__temporal_workflow_metadata` query), the search attributes, and the summaries of activities
and timers in the history; kept true at every step, and again in a continued run."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import ids, names
from domain import casusbeeld, tijdlijn
from domain.besluiten import Koppeling, VernietigingsVerzoek
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import runs
from workflows import MeldingWorkflow, VernietigingWorkflow

METADATA = "__temporal_workflow_metadata"


async def huidige_details(handle: WorkflowHandle[Any, Any]) -> str:
    """The Current Details the Web UI shows: the workflow's own metadata query."""
    metadata = await handle.query(METADATA, result_type=WorkflowMetadata)
    return str(metadata.current_details)


async def _tekst(client: Client, payload: Payload) -> str:
    [gedecodeerd] = await client.data_converter.decode([payload], [str])
    return str(gedecodeerd)


async def samenvattingen(client: Client, handle: WorkflowHandle[Any, Any]) -> list[str]:
    """The summaries of the activities (a local one's on its marker) and timers of every run,
    in history order."""
    uit = []
    for geschiedenis in await runs(client, handle.id, handle.first_execution_run_id or ""):
        for e in geschiedenis.events:
            if e.event_type in (
                EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
                EventType.EVENT_TYPE_MARKER_RECORDED,
                EventType.EVENT_TYPE_TIMER_STARTED,
            ) and e.user_metadata.HasField("summary"):
                uit.append(await _tekst(client, e.user_metadata.summary))
    return uit


async def overschreden(handle: WorkflowHandle[Any, Any]) -> bool:
    """VtTermijnOverschreden as the server holds it (raw describe: this server's Datetime
    attributes trip the SDK's describe())."""
    beschrijving = await handle._client.workflow_service.describe_workflow_execution(
        sc.beschrijf_verzoek(handle)
    )
    velden = beschrijving.workflow_execution_info.search_attributes.indexed_fields
    if names.SA_TERMIJN_OVERSCHREDEN not in velden:
        return False
    return bool(
        handle._client.data_converter.payload_converter.from_payload(
            velden[names.SA_TERMIJN_OVERSCHREDEN], bool
        )
    )


async def test_the_current_details_follow_the_case_and_the_banner_comes_with_the_overdue_mark(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Issue 9: a case page said nothing of what it waits for, and an overdue case showed no
    sign of it; fails when the details or VtTermijnOverschreden are not kept up."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    status = await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    details = await huidige_details(handle)
    assert details.splitlines()[0] == "### Wacht op triage (`wacht_op_triage`)"
    assert "update `registreer_triage`" in details
    assert f"**Uiterlijk:** {tijdlijn.tijdstip(status.beoordeling_deadline)}" in details
    assert "(Europe/Amsterdam)" in details
    assert casusbeeld.BANNER not in details and not await overschreden(handle)
    for persoonlijk in ("Jansen", "Sam", "111222333", "Leerkracht"):
        assert persoonlijk not in details

    await env.sleep(timedelta(days=12))
    await sc.wacht_tot(handle, lambda s: s.termijn_overschreden)
    details = await huidige_details(handle)
    assert "TERMIJN VERSTREKEN" in details.splitlines()[0]
    assert "besluit nog niet genomen" in details.splitlines()[0]
    assert await overschreden(handle)

    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage())
    details = await huidige_details(handle)
    assert "TERMIJN VERSTREKEN" in details.splitlines()[0]
    assert "update `neem_besluit`" in details

    await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    await handle.result()
    stappen = await samenvattingen(env.client, handle)
    dag = tijdlijn.datum_kort(status.beoordeling_deadline)  # type: ignore[arg-type]
    for verwacht in (
        "Termijnen berekenen (werkdagenkalender)",
        "Melding vastleggen in het dossier",
        "Landelijk register raadplegen",
        "Politie bevragen",
        "Raad voor de Kinderbescherming bevragen",
        f"Herinnering beoordeling {dag}",
        f"Termijn beoordeling {dag}",
        "Herinnering beoordeling signaleren",
        "Escalatie beoordeling signaleren",
        "Beslissing vastleggen in de audit: registreer_triage",
        "Eerste terugkoppeling aan de melder",
    ):
        assert verwacht in stappen, (verwacht, stappen)


async def test_a_planned_monitoring_check_is_shown_planned_until_it_opens(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    """Issue 9: status said "open" while the update answered "er staat geen monitoringsmoment
    open"; the status, the current details and the timer's name agree now."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "voorwaarden_en_vervolg", t=sc.triage(structurele_onveiligheid=True))
    await sc.wacht_tot(handle, lambda s: len(s.terugkoppelingen) == 1)
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    status = await sc.wacht_tot(handle, lambda s: bool(s.monitoring))
    assert not status.monitoring[0].open
    details = await huidige_details(handle)
    assert "monitoringsmoment 1 (3 maanden), gepland: nog niet open" in details
    await sc.slaap(env, timedelta(days=95), stap=timedelta(days=30))
    status = await sc.wacht_tot(handle, lambda s: s.monitoring[0].open)
    details = await huidige_details(handle)
    assert "de uitkomst van monitoringsmoment 1" in details
    assert "Monitoring 1 (3 maanden)" in await samenvattingen(env.client, handle)
    await sc.beeindig(handle)


async def test_a_continued_run_shows_its_current_details_from_its_first_task(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    """continue_as_new carries no static summary or details (temporalio 1.35): the new run
    sets its current details at once, with everything the static details said."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    for n in range(110):
        await handle.signal(
            MeldingWorkflow.melding_gekoppeld,
            Koppeling(melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=sc.NU),
        )
    nu = env.client.get_workflow_handle_for(MeldingWorkflow.run, handle.id)
    await sc.wacht_tot(nu, lambda s: len(s.gekoppelde_meldingen) == 110)
    assert len(await runs(env.client, handle.id, handle.first_execution_run_id or "")) >= 2
    details = await huidige_details(nu)
    assert f"**Melding** `{m.melding_id}` · **regio** utrecht · **melder** professional" in details
    assert f"`python -m starter status {m.melding_id}`" in details
    assert "**Gekoppelde meldingen (radar):** 110" in details
    await sc.beeindig(nu)


async def test_a_follow_up_melding_starts_with_its_own_summary_and_details(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    """Issue 9: the summary was absent on a follow-up melding's child workflow."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    await env.sleep(timedelta(days=95))
    await sc.registreer_monitoring(handle, sc.uitkomst(stabiel=False, nieuwe_melding=True))
    await sc.wacht_tot(handle, lambda s: len(s.gekoppelde_meldingen) == 1)  # monitoring goes on
    kind_id = f"{m.melding_id}-M1"
    kind = env.client.get_workflow_handle(ids.melding_workflow_id(kind_id))
    await sc.wacht_tot(kind, lambda s: s.fase == "wacht_op_triage")
    beschrijving = await kind._client.workflow_service.describe_workflow_execution(
        sc.beschrijf_verzoek(kind)
    )
    metadata = beschrijving.execution_config.user_metadata
    samenvatting = await _tekst(env.client, metadata.summary)
    details = await _tekst(env.client, metadata.details)
    assert samenvatting == f"Melding {kind_id}, regio utrecht"
    assert "**melder** professional" in details and f"`{m.melding_id}`" in details
    assert f"`python -m starter status {kind_id}`" in details
    assert "(Europe/Amsterdam)" in details
    for persoonlijk in ("Jansen", "Sam", "111222333", "Huisbezoek"):
        assert persoonlijk not in samenvatting + details
    await sc.beeindig(kind)
    await sc.beeindig(handle)


async def test_a_request_to_destroy_shows_what_it_waits_for_and_its_overdue_banner(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies")
    await handle.result()
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        VernietigingsVerzoek(
            melding_id=m.melding_id, verzoeker_rol="ouder_verzorger", ontvangen_op=sc.NU
        ),
        id=ids.vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    einde = time.monotonic() + 30
    while "beslis_vernietiging" not in (details := await huidige_details(verzoek)):
        assert time.monotonic() < einde, details
        await asyncio.sleep(0.05)
    # (Not asserted here: no banner before the term, as this server may skip time meanwhile.)
    # Since v7 the term is three months (tests/workflows/test_vernietiging.py).
    await env.sleep(timedelta(days=93))
    einde = time.monotonic() + 30
    while "TERMIJN VERSTREKEN" not in (details := await huidige_details(verzoek)).splitlines()[0]:
        assert time.monotonic() < einde, details
        await asyncio.sleep(0.05)
    assert "antwoord op het verzoek uiterlijk" in details.splitlines()[0]
    await sc.beeindig(verzoek)
