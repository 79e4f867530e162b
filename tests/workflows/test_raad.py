"""Issue 22 on the time-skipping server: a besluit with `raad_verzoek_tot_onderzoek` sends the
VTO once, beside the dienst; the Raad's acknowledgement and decision are recorded, each awaited
with a term, a reminder and an escalation; the case does not close before the decision."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import PatchActivationInput, Worker

from domain.keten import PEILINTERVAL
from domain.raad import RaadAntwoord, RaadBeslissing
from runtime.assembly import activeer_patch
from tests.workflows import scenario as sc
from tests.workflows.conftest import werker
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow
from workflows.melding import PATCH_TAKEN_STOPPEN


@pytest.fixture
async def worker_taken_stoppen(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> AsyncIterator[Worker]:
    """Production's patches plus `taken-stoppen-voor-verder-als-nieuw` (prepared in v7.2). Without
    it a run continues as new while the Raad's 4-hourly reading has a timer pending, and the
    time-skipping test server then stops skipping (this test failed 6 of 6 times under load; a
    bare workflow that does the same, 8 of 8). Fifteen days of readings continue as new often."""

    async with werker(env, nep, functools.partial(_activeer, taken_stoppen=True)) as w:
        yield w


def _activeer(invoer: PatchActivationInput, *, taken_stoppen: bool) -> bool:
    return (taken_stoppen and invoer.patch_id == PATCH_TAKEN_STOPPEN) or activeer_patch(invoer)


def _signaleringen(nep: NepActiviteiten) -> list[tuple[str, str]]:
    return [(s.soort.value, s.termijn.value) for s in nep.signaleringen]


def _afronding() -> object:
    return sc.afronding(
        veiligheidsvoorwaarden_gesteld=False,
        geweld_vastgesteld=False,
        vervolg="afsluiten",
        ketenpartner=None,
    )


async def test_the_vto_is_sent_once_and_its_acknowledgement_and_decision_are_recorded(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", raad_verzoek_tot_onderzoek=True)
    status = await sc.wacht_tot(handle, lambda s: s.raad is not None)
    assert status.raad is not None and status.raad.uitkomst == "verstuurd"
    assert status.raad.kenmerk == f"VTO-{m.melding_id}" and status.fase == "onderzoek"
    nu = await env.get_current_time()
    nep.raad_antwoord = RaadAntwoord(ontvangen_op=nu)
    await env.sleep(PEILINTERVAL * 2)
    status = await sc.wacht_tot(
        handle, lambda s: s.raad is not None and s.raad.ontvangen_op is not None
    )
    # The dienst ends before the Raad decided: the case waits for the decision.
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, _afronding())
    await env.sleep(PEILINTERVAL * 2)
    assert (await handle.query(MeldingWorkflow.status)).raad.beslissing is None  # type: ignore[union-attr]
    nep.raad_antwoord = RaadAntwoord(
        ontvangen_op=nu, beslissing=RaadBeslissing.ONDERZOEK, beslist_op=nu + timedelta(days=1)
    )
    await env.sleep(PEILINTERVAL * 2)
    assert (await handle.result()).einde is not None
    status = await handle.query(MeldingWorkflow.status)
    assert status.raad is not None and status.raad.beslissing == "onderzoek"
    assert [o.melding_id for o in nep.vto] == [m.melding_id]
    assert _signaleringen(nep) == []


async def test_a_silent_raad_is_reminded_and_escalated_for_each_answer(
    env: WorkflowEnvironment, worker_taken_stoppen: Worker, nep: NepActiviteiten
) -> None:
    handle = await sc.start(env.client, worker_taken_stoppen, sc.melding())
    await sc.beoordeel(handle, "onderzoek", raad_verzoek_tot_onderzoek=True)
    await sc.wacht_tot(handle, lambda s: s.raad is not None)
    await sc.slaap(env, timedelta(days=3), stap=timedelta(days=1))
    await sc.wacht_tot(handle, lambda s: len(nep.signaleringen) >= 2)
    assert _signaleringen(nep) == [("herinnering", "raad"), ("escalatie", "raad")]
    nu = await env.get_current_time()
    nep.raad_antwoord = RaadAntwoord(ontvangen_op=nu)
    await sc.slaap(env, timedelta(days=12), stap=timedelta(days=1))
    await sc.wacht_tot(handle, lambda s: len(nep.signaleringen) >= 4)
    assert _signaleringen(nep)[2:] == [("herinnering", "raad"), ("escalatie", "raad")]
    nep.raad_antwoord = RaadAntwoord(ontvangen_op=nu, beslissing=RaadBeslissing.GEEN_ONDERZOEK)
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, _afronding())
    assert (await handle.result()).einde is not None
    assert len(nep.vto) == 1


async def test_a_besluit_without_a_vto_sends_none(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "onderzoek")
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, _afronding())
    await handle.result()
    assert nep.vto == [] and (await handle.query(MeldingWorkflow.status)).raad is None


@pytest.mark.parametrize("taken_stoppen", [False, True], ids=["v7.1", "taken-stoppen"])
async def test_a_dienst_ended_before_the_raad_was_first_read_still_closes_at_its_decision(
    env: WorkflowEnvironment, nep: NepActiviteiten, taken_stoppen: bool
) -> None:
    """Issue 22's open problem: `rond_dienst_af` straight after a besluit with a VTO, before the
    Raad's answer was read once; the case waits for the decision, then closes."""

    async with werker(
        env, nep, functools.partial(_activeer, taken_stoppen=taken_stoppen)
    ) as worker:
        handle = await sc.start(env.client, worker, sc.melding())
        await sc.beoordeel(handle, "onderzoek", raad_verzoek_tot_onderzoek=True)
        await sc.wacht_tot(handle, lambda s: s.raad is not None)
        await handle.execute_update(MeldingWorkflow.rond_dienst_af, _afronding())
        nu = await env.get_current_time()
        nep.raad_antwoord = RaadAntwoord(ontvangen_op=nu, beslissing=RaadBeslissing.ONDERZOEK)
        assert (await handle.result()).einde is not None
        status = await handle.query(MeldingWorkflow.status)
        assert status.raad is not None and status.raad.beslissing == "onderzoek"
