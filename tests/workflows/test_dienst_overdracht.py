"""Issue 22 on the time-skipping server: an overdracht decided at the end of a dienst
(`rond_dienst_af` with vervolg overdracht) reaches the ketenpartner as a zaak and waits for its
acceptance, exactly as an overdracht besluit does (patch dienst-overdracht-als-zaak). Before
it, the case closed as overgedragen and the ketenpartner received nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.keten import PEILINTERVAL, OverdrachtStand
from tests.workflows import scenario as sc
from tests.workflows.conftest import met, werker, zonder
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow
from workflows.overdragen import PATCH_DIENST_OVERDRACHT_ALS_ZAAK

VOORWAARDE = {
    "wat": "Moeder houdt de afspraken bij het consultatiebureau.",
    "met_wie": "moeder, jeugdverpleegkundige",
    "hoe_getoetst": "navraag bij het consultatiebureau",
}


def _signaleringen(nep: NepActiviteiten) -> list[tuple[str, str]]:
    return [(s.soort.value, s.termijn.value) for s in nep.signaleringen]


async def _dienst_overgedragen(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten, **afronding: Any
) -> Any:
    """A voorwaarden_en_vervolg dienst that ends with an overdracht to Jeugdteam Noord; by
    default without veiligheidsvoorwaarden, so nothing follows the acceptance."""
    nep.aanvaarding_termijn = timedelta(days=7)
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "voorwaarden_en_vervolg")
    await sc.wacht_tot(handle, lambda s: s.fase == "voorwaarden_en_vervolg")
    await env.sleep(timedelta(days=2))
    zonder_voorwaarden = {"veiligheidsvoorwaarden_gesteld": False, "geweld_vastgesteld": None}
    await handle.execute_update(
        MeldingWorkflow.rond_dienst_af, sc.afronding(**(afronding or zonder_voorwaarden))
    )
    return handle


async def test_an_overdracht_at_the_end_of_a_dienst_creates_the_zaak_and_waits_for_acceptance(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle = await _dienst_overgedragen(env, worker, nep)
    status = await sc.wacht_tot(handle, lambda s: s.fase == "warme_overdracht")
    (opdracht,) = nep.overdrachten  # fails before the patch: no zaak at all
    assert opdracht.afronding is not None and opdracht.afronding.ketenpartner is not None
    assert opdracht.afronding.ketenpartner.naam == "Jeugdteam Noord"
    assert opdracht.besluit.vervolg == "voorwaarden_en_vervolg"
    assert status.overdracht is not None and status.overdracht.stand == "wacht_op_aanvaarding"
    assert status.volgende_deadline == status.overdracht.aanvaarden_voor
    await env.sleep(PEILINTERVAL * 3)
    assert nep.gepeild >= 2
    nep.aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(PEILINTERVAL * 2)
    afloop = await handle.result()
    assert (afloop.vervolg, afloop.einde) == ("voorwaarden_en_vervolg", "overgedragen")
    status = await handle.query(MeldingWorkflow.status)
    assert status.overdracht is not None and status.overdracht.stand == "aanvaard"
    assert _signaleringen(nep) == []
    assert len(nep.overdrachten) == 1


async def test_with_veiligheidsvoorwaarden_monitoring_follows_the_acceptance(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle = await _dienst_overgedragen(env, worker, nep, veiligheidsvoorwaarden=[VOORWAARDE])
    await sc.wacht_tot(handle, lambda s: s.fase == "warme_overdracht")
    (opdracht,) = nep.overdrachten
    assert opdracht.afronding is not None
    assert opdracht.afronding.veiligheidsvoorwaarden[0].wat == VOORWAARDE["wat"]
    nep.aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(PEILINTERVAL * 2)
    status = await sc.wacht_tot(handle, lambda s: s.fase == "monitoring")
    assert status.overdracht is not None and status.overdracht.stand == "aanvaard"
    await sc.beeindig(handle)


async def test_a_zaak_handed_back_after_a_dienst_returns_the_case_to_its_dienst(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle = await _dienst_overgedragen(env, worker, nep)
    await sc.wacht_tot(handle, lambda s: s.fase == "warme_overdracht")
    nep.aanvaarding = OverdrachtStand.TERUGGEGEVEN
    await env.sleep(PEILINTERVAL * 2)
    status = await sc.wacht_tot(handle, lambda s: s.fase == "voorwaarden_en_vervolg")
    assert status.overdracht is None
    assert [o.stand for o in status.teruggegeven] == ["teruggegeven"]
    assert _signaleringen(nep) == [("teruggegeven", "overdracht")]
    await handle.execute_update(
        MeldingWorkflow.rond_dienst_af,
        sc.afronding(veiligheidsvoorwaarden_gesteld=False, vervolg="afsluiten", ketenpartner=None),
    )
    afloop = await handle.result()
    assert afloop.einde == "afgesloten"
    assert len(nep.overdrachten) == 1


@pytest.fixture
async def worker(env: WorkflowEnvironment, nep: NepActiviteiten) -> AsyncIterator[Worker]:
    """This file's cases run the patch's new side (voorbereid in v7.2)."""
    async with werker(env, nep, met(PATCH_DIENST_OVERDRACHT_ALS_ZAAK)) as w:
        yield w


async def test_without_the_patch_the_dienst_overdracht_creates_no_zaak(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    """The old side: what main did before (the case closes at once, nothing at the partner)."""
    async with werker(env, nep, zonder(PATCH_DIENST_OVERDRACHT_ALS_ZAAK)) as worker:
        handle = await _dienst_overgedragen(env, worker, nep)
        assert (await handle.result()).einde == "overgedragen"
    assert nep.overdrachten == []
