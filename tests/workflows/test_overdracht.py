"""Issue 22 on the time-skipping server: an overdracht besluit reaches the ketenpartner as a
zaak after the eerste terugkoppeling; one that does not arrive is a case for a human (one
signalering) while the case still closes as overgedragen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import PatchActivationInput, Worker

from domain.keten import PEILINTERVAL, OverdrachtStand, OverdrachtUitkomst
from runtime.assembly import activeer_patch
from tests.workflows import scenario as sc
from tests.workflows.conftest import werker
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow
from workflows.meldingbasis import PATCH_DOSSIER_OPEN_TIJDENS_OVERDRACHT


def _signaleringen(nep: NepActiviteiten) -> list[tuple[str, str]]:
    return [(s.soort.value, s.termijn.value) for s in nep.signaleringen]


async def test_an_overdracht_besluit_creates_one_zaak_after_the_eerste_terugkoppeling(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "overdracht")
    assert (await handle.result()).einde == "overgedragen"
    (opdracht,) = nep.overdrachten
    assert opdracht.melding_id == m.melding_id
    assert opdracht.besluit.ketenpartner is not None
    assert opdracht.besluit.ketenpartner.naam == "Wijkteam Oost"
    assert (m.melding_id, "eerste_terugkoppeling") in nep.outbox
    status = await handle.query(MeldingWorkflow.status)
    assert status.overdracht is not None
    assert (status.overdracht.uitkomst, status.overdracht.zaak_identificatie) == (
        "aangemaakt",
        f"VT-{m.melding_id}",
    )
    assert _signaleringen(nep) == []


async def test_advies_creates_no_zaak(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "advies")
    await handle.result()
    assert nep.overdrachten == []
    assert (await handle.query(MeldingWorkflow.status)).overdracht is None


async def test_a_refused_overdracht_is_signalled_once_and_the_case_still_closes(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    nep.overdracht = OverdrachtUitkomst.GEWEIGERD
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "overdracht")
    assert (await handle.result()).einde == "overgedragen"
    assert _signaleringen(nep) == [("niet_overgedragen", "overdracht")]
    status = await handle.query(MeldingWorkflow.status)
    assert status.overdracht is not None and status.overdracht.uitkomst == "geweigerd"


async def test_an_overdracht_activity_that_fails_for_good_is_mislukt_and_signalled(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    nep.kapot.add("draag_zaak_over")
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "overdracht")
    assert (await handle.result()).einde == "overgedragen"
    assert _signaleringen(nep) == [("niet_overgedragen", "overdracht")]
    status = await handle.query(MeldingWorkflow.status)
    assert status.overdracht is not None and status.overdracht.uitkomst == "mislukt"


# -- the warme overdracht (item 2) ---------------------------------------------------------


async def _in_warme_overdracht(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> tuple[Any, Any]:
    nep.aanvaarding_termijn = timedelta(days=7)
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "overdracht")
    status = await sc.wacht_tot(handle, lambda s: s.fase == "warme_overdracht")
    return handle, status


async def test_the_case_waits_for_acceptance_and_closes_once_the_partner_accepts(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle, status = await _in_warme_overdracht(env, worker, nep)
    assert status.overdracht is not None and status.overdracht.stand == "wacht_op_aanvaarding"
    assert status.volgende_deadline == status.overdracht.aanvaarden_voor
    await env.sleep(PEILINTERVAL * 3)
    assert nep.gepeild >= 2  # read the zaak again and again
    nep.aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(PEILINTERVAL * 2)
    assert (await handle.result()).einde == "overgedragen"
    status = await handle.query(MeldingWorkflow.status)
    assert status.overdracht is not None and status.overdracht.stand == "aanvaard"
    assert status.overdracht.beantwoord_op is not None
    assert _signaleringen(nep) == []


async def test_a_silent_partner_is_reminded_and_escalated_and_the_case_keeps_waiting(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle, _ = await _in_warme_overdracht(env, worker, nep)
    await env.sleep(timedelta(days=9))
    status = await sc.wacht_tot(handle, lambda s: len(nep.signaleringen) >= 2)
    assert _signaleringen(nep) == [("herinnering", "overdracht"), ("escalatie", "overdracht")]
    assert status.fase == "warme_overdracht"  # Q&A 25: still in Veilig Thuis' sight
    nep.aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(PEILINTERVAL * 2)
    assert (await handle.result()).einde == "overgedragen"
    assert len(nep.signaleringen) == 2


async def test_a_zaak_handed_back_puts_the_case_back_for_a_new_besluit(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle, _ = await _in_warme_overdracht(env, worker, nep)
    nep.aanvaarding = OverdrachtStand.TERUGGEGEVEN
    await env.sleep(PEILINTERVAL * 2)
    status = await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_besluit")
    assert status.besluit is None and status.overdracht is None
    assert [o.stand for o in status.teruggegeven] == ["teruggegeven"]
    assert _signaleringen(nep) == [("teruggegeven", "overdracht")]
    await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    afloop = await handle.result()
    assert (afloop.vervolg, afloop.einde) == ("advies", "advies")
    assert len(nep.overdrachten) == 1


async def test_after_a_zaak_handed_back_a_new_overdracht_creates_a_new_zaak(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle, _ = await _in_warme_overdracht(env, worker, nep)
    nep.aanvaarding = OverdrachtStand.TERUGGEGEVEN
    await env.sleep(PEILINTERVAL * 2)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_besluit")
    nep.aanvaarding = OverdrachtStand.WACHT
    ander = {"soort": "betrokken_hulpverlening", "naam": "Jeugdzorg Midden"}
    await handle.execute_update(
        MeldingWorkflow.neem_besluit, sc.besluit("overdracht", ketenpartner=ander)
    )
    status = await sc.wacht_tot(
        handle, lambda s: s.fase == "warme_overdracht" and s.overdracht is not None
    )
    assert [o.besluit.ketenpartner.naam for o in nep.overdrachten] == [  # type: ignore[union-attr]
        "Wijkteam Oost",
        "Jeugdzorg Midden",
    ]
    assert status.overdracht is not None and status.overdracht.stand == "wacht_op_aanvaarding"
    nep.aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(PEILINTERVAL * 2)
    assert (await handle.result()).einde == "overgedragen"
    assert _signaleringen(nep) == [("teruggegeven", "overdracht")]


def _met_dossier_open(invoer: PatchActivationInput) -> bool:
    return invoer.patch_id == PATCH_DOSSIER_OPEN_TIJDENS_OVERDRACHT or activeer_patch(invoer)


async def test_the_dossier_stays_open_until_the_partner_accepts_and_its_term_starts_then(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    """Patch dossier-open-tijdens-overdracht (v7.2, voorbereid). Was: the dossier closed at the
    eerste terugkoppeling, so during the warme overdracht the radar linked no new melding to
    the case and its bewaartermijn began before the case ended."""
    async with werker(env, nep, _met_dossier_open) as worker:
        handle, _ = await _in_warme_overdracht(env, worker, nep)
        melding_id = handle.id.removeprefix("melding-")
        assert nep.dossier[melding_id].afgesloten is False
        assert melding_id not in nep.termijnen
        await env.sleep(timedelta(days=3))
        nep.aanvaarding = OverdrachtStand.AANVAARD
        await env.sleep(PEILINTERVAL * 2)
        assert (await handle.result()).einde == "overgedragen"
        stand = nep.dossier[melding_id]
        assert stand.afgesloten is True and stand.afgesloten_op is not None
        status = await handle.query(MeldingWorkflow.status)
        assert status.overdracht is not None and status.overdracht.beantwoord_op is not None
        # The bewaartermijn starts when the case ended: at the acceptance, not at the besluit.
        assert stand.afgesloten_op >= status.overdracht.beantwoord_op
        assert status.bewaartermijn is not None


async def test_a_gemeente_that_asks_for_it_is_read_more_often_and_the_case_goes_on_at_once(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """make run's demo koppeling reads the zaak every few seconds (peilinterval_seconden), so
    the README tour sees the wijkteam's acceptance; without it every PEILINTERVAL (4 hours)."""
    nep.peilinterval_seconden = 60
    handle, status = await _in_warme_overdracht(env, worker, nep)
    assert status.overdracht is not None and status.overdracht.peilinterval_seconden == 60
    await env.sleep(timedelta(minutes=10))
    assert nep.gepeild >= 5  # every minute, not once in 4 hours
    nep.aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(timedelta(minutes=2))
    assert (await handle.result()).einde == "overgedragen"
