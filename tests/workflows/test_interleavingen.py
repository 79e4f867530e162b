"""Property: whatever the order and timing of the four decisions, radar links, timers and
continue-as-new, a melding never wedges and never holds two besluiten.

Hypothesis draws a sequence of steps (decisions, repeats, two decisions at once, bursts of
radar links that force continue-as-new, time skipped in days) and drives one MeldingWorkflow
on the time-skipping server. After every step it checks, against what the steps did:
- no workflow task failed (other than the server turning down a continue-as-new because new
  messages arrived, which it delivers to the next task);
- a besluit, once taken, never changes, and at most one is audited;
- every refused decision carries a reason;
- a triage is accepted only while no besluit was taken (or as an identical repeat);
- every radar link lands exactly once.
Bounded by example count (VT_INTERLEAVINGEN, default 30) so `make test` stays predictable.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import names
from contract.client import data_converter
from contract.search_attributes import registreer_zoekattributen
from domain.besluiten import Koppeling
from runtime.devserver import programma
from tests import auteurs
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import aantal, mislukte_taken, runs
from workflows import ALLE_WORKFLOWS, MeldingWorkflow

# The server's words for a case that closed before (or while) a message reached it.
GESLOTEN = re.compile(r"completed|update \S+ not found", re.IGNORECASE)
VOORBEELDEN = int(os.environ.get("VT_INTERLEAVINGEN", "30"))

TRIAGES = [
    {},
    {"structurele_onveiligheid": True},
    {"nader_onderzoek_nodig": True, "urgentie": "hoog"},
]
VERVOLGEN = ["advies", "overdracht", "afsluiten", "voorwaarden_en_vervolg", "onderzoek"]

beslissing = st.one_of(
    st.tuples(st.just("triage"), st.integers(0, len(TRIAGES) - 1)),
    st.tuples(st.just("besluit"), st.sampled_from(VERVOLGEN)),
    st.tuples(st.just("afronding"), st.sampled_from(["overdracht", "afsluiten"])),
    st.tuples(st.just("monitoring"), st.booleans()),
)
stap = st.one_of(
    beslissing,
    st.tuples(st.just("herhaal"), st.just(0)),
    st.tuples(st.just("tegelijk"), st.tuples(beslissing, beslissing)),
    st.tuples(st.just("radar"), st.integers(1, 130)),
    st.tuples(st.just("slaap"), st.sampled_from([1, 3, 12, 40, 100])),
)


@dataclass
class Verloop:
    """What the steps did, to check the workflow against."""

    besluit: str | None = None
    laatste: tuple[str, Any] | None = None
    links: int = 0
    weigeringen: list[str] = field(default_factory=list)
    aanvaard: list[str] = field(default_factory=list)


def _bericht(soort: str, waarde: Any) -> tuple[Any, Any]:
    if soort == "triage":
        return MeldingWorkflow.registreer_triage, sc.triage(**TRIAGES[waarde])
    if soort == "besluit":
        return MeldingWorkflow.neem_besluit, sc.besluit(waarde)
    if soort == "afronding":
        over = {} if waarde == "overdracht" else {"vervolg": "afsluiten", "ketenpartner": None}
        return MeldingWorkflow.rond_dienst_af, sc.afronding(**over)
    return MeldingWorkflow.registreer_monitoring, sc.uitkomst(stabiel=waarde)


async def _stuur(
    handle: WorkflowHandle[Any, Any], verloop: Verloop, soort: str, waarde: Any
) -> None:
    update, invoer = _bericht(soort, waarde)
    besluit_voor = verloop.besluit
    try:
        status = await handle.execute_update(update, invoer)
    except WorkflowUpdateFailedError as fout:
        reden = str(fout.cause)
        assert reden.strip(), f"{soort}: refused without a reason"
        verloop.weigeringen.append(f"{soort}: {reden}")
        return
    except RPCError as fout:  # the case closed (also while the update was under way)
        assert GESLOTEN.search(fout.message), fout.message
        verloop.weigeringen.append(f"{soort}: afgesloten")
        return
    verloop.aanvaard.append(soort)
    verloop.laatste = (soort, waarde)
    if soort == "triage":
        assert besluit_voor is None or status.triage == invoer, "a triage after the besluit"
    if soort == "besluit":
        assert besluit_voor in (None, waarde), f"second besluit {waarde} after {besluit_voor}"
        verloop.besluit = waarde
    if status.besluit is not None:
        assert verloop.besluit == status.besluit.vervolg.value


async def _doe(
    env: WorkflowEnvironment, handle: WorkflowHandle[Any, Any], verloop: Verloop, s: Any
) -> None:
    soort, waarde = s
    if soort == "herhaal":
        if verloop.laatste is not None:
            await _stuur(handle, verloop, *verloop.laatste)
    elif soort == "tegelijk":
        await asyncio.gather(*(_stuur(handle, verloop, *b) for b in waarde))
    elif soort == "radar":
        nu = datetime(2027, 1, 4, 9, tzinfo=UTC)
        signalen = [
            handle.signal(
                MeldingWorkflow.melding_gekoppeld,
                Koppeling(
                    melding_id=f"VT-HGL-{verloop.links + n}", regio="haaglanden", ontvangen_op=nu
                ),
            )
            for n in range(waarde)
        ]
        try:
            await asyncio.gather(*signalen)
            verloop.links += waarde
        except RPCError as fout:
            assert GESLOTEN.search(fout.message), fout.message
    elif soort == "slaap":
        await sc.slaap(env, timedelta(days=waarde), stap=timedelta(days=10))
    else:
        await _stuur(handle, verloop, soort, waarde)


@settings(
    max_examples=VOORBEELDEN,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stappen=st.lists(stap, min_size=1, max_size=10))
async def test_no_interleaving_wedges_a_case_or_takes_two_besluiten(stappen: list[Any]) -> None:
    # A server of its own per example (0.1 s): a case one example leaves behind must not hold
    # up the time skipping of the next, nor a shrunk example inherit another's state.
    env = await WorkflowEnvironment.start_time_skipping(
        plugins=[auteurs.plugin()],
        data_converter=data_converter(),
        test_server_existing_path=programma("temporal-test-server"),
    )
    try:
        await registreer_zoekattributen(env.client)
        nep = NepActiviteiten()
        sc.NU = await env.get_current_time()
        async with Worker(
            env.client,
            task_queue=f"prop-{uuid.uuid4()}",
            workflows=ALLE_WORKFLOWS,
            activities=nep.alle(),
        ) as worker:
            handle = await sc.start(env.client, worker, sc.melding())
            await _controleer(env, handle, stappen, nep)
    finally:
        await env.shutdown()


async def _controleer(
    env: WorkflowEnvironment,
    handle: WorkflowHandle[Any, Any],
    stappen: list[Any],
    nep: NepActiviteiten,
) -> None:
    eerste_run = handle.result_run_id or ""
    await sc.wacht_tot(handle, lambda s: s.fase != "informatie_verzamelen")
    verloop = Verloop()
    for s in stappen:
        await _doe(env, handle, verloop, s)
    nu = env.client.get_workflow_handle_for(MeldingWorkflow.run, handle.id)
    beschrijving = await env.client.workflow_service.describe_workflow_execution(
        sc.beschrijf_verzoek(nu)
    )
    if beschrijving.workflow_execution_info.status == 1:  # no query on a closed one here
        status = await sc.wacht_tot(nu, lambda s: len(s.gekoppelde_meldingen) >= verloop.links)
        assert len({k.melding_id for k in status.gekoppelde_meldingen}) == verloop.links
    geschiedenissen = await runs(env.client, handle.id, eerste_run)
    gesignaleerd = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
    assert aantal(geschiedenissen, gesignaleerd) == verloop.links
    assert mislukte_taken(geschiedenissen) == []
    besluiten = [r for r in nep.audit if r.handeling == names.UPDATE_BESLUIT]
    assert len(besluiten) <= 1
    if besluiten:
        assert besluiten[0].gegevens["vervolg"] == verloop.besluit
