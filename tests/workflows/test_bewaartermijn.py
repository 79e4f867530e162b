"""Issue 25: a closed case's bewaartermijn, recorded by the dossier and shown in `status`."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.bewaartermijn import dag
from contract import names
from domain.bewaartermijn import Grond, plus_jaren
from domain.vernietigingslijst import (
    Behouden,
    LijstAnnulering,
    LijstBeoordeling,
    LijstFase,
    LijstGoedkeuring,
    LijstStatus,
)
from starter.weergave import samenvatting
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.test_advies import zoekattribuut
from workflows import MeldingWorkflow, VernietigingslijstWorkflow


async def test_a_closed_case_shows_its_bewaartermijn_20_years_after_closing(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    await handle.result()
    status = await handle.query(MeldingWorkflow.status)
    stand = nep.dossier[m.melding_id]
    assert stand.afgesloten and stand.afgesloten_op is not None
    assert status.bewaartermijn is not None
    assert status.bewaartermijn.tot == plus_jaren(dag(stand.afgesloten_op), 20)
    assert status.bewaartermijn.grond is Grond.NA_AFSLUITING
    assert f"tot en met {status.bewaartermijn.tot.isoformat()} (na_afsluiting)" in samenvatting(
        status, sc.NU
    )


async def _fase(
    handle: WorkflowHandle[Any, Any], fase: LijstFase, ronde: int, seconden: float = 30
) -> LijstStatus:
    """Poll the list's status (queries do not skip time) until it reaches `fase` in `ronde`."""
    einde = time.monotonic() + seconden
    while True:
        s: LijstStatus = await handle.query(VernietigingslijstWorkflow.status)
        if s.fase is fase and s.ronde == ronde:
            return s
        assert time.monotonic() < einde, f"lijst bleef in {s.fase} (ronde {s.ronde})"
        await asyncio.sleep(0.05)


@contextmanager
def _geweigerd(reden: str) -> Iterator[None]:
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        yield
    assert reden in str(fout.value.cause)


async def _gesloten_dossier(env: WorkflowEnvironment, worker: Worker) -> str:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    await handle.result()
    return m.melding_id


async def test_a_dossier_through_20_years_to_its_verklaring_van_vernietiging(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Closing, the term, the list, a review that keeps one, approval, a cancel in the seven
    days, a second round, the destruction and the verklaring."""
    a, b, c = [await _gesloten_dossier(env, worker) for _ in range(3)]
    await env.sleep(timedelta(days=20 * 366 + 2))
    lijst = await env.client.start_workflow(
        VernietigingslijstWorkflow.run,
        id=f"vernietigingslijst-{uuid.uuid4()}",
        task_queue=worker.task_queue,
    )
    s = await _fase(lijst, LijstFase.BEOORDELEN, 1)
    assert sorted(i.melding_id for i in s.items) == sorted([a, b, c])
    with _geweigerd("keur_lijst_goed: de lijst wacht niet"):
        await lijst.execute_update(
            VernietigingslijstWorkflow.keur_lijst_goed, LijstGoedkeuring(medewerker="ar-0003")
        )
    tot = s.peildatum + timedelta(days=5 * 365)
    beoordeling = LijstBeoordeling(
        medewerker="tl-0007",
        behouden=[Behouden(melding_id=b, tot=tot, reden="Lopende procedure bij de rechtbank.")],
    )
    s = await lijst.execute_update(VernietigingslijstWorkflow.beoordeel_lijst, beoordeling)
    assert s.behouden == [b] and s.fase is LijstFase.GOEDKEUREN
    # An identical repeat (a client's retry) answers as the first did.
    s = await lijst.execute_update(VernietigingslijstWorkflow.beoordeel_lijst, beoordeling)
    assert s.behouden == [b]
    assert nep.termijnen[b].tot == tot and nep.termijnen[b].grond is Grond.VERLENGD
    [audit] = [r for r in nep.audit if r.handeling == "bewaartermijn_verlengd"]
    assert (audit.melding_id, audit.medewerker) == (b, "tl-0007")
    with _geweigerd("een tweede persoon keurt goed"):
        await lijst.execute_update(
            VernietigingslijstWorkflow.keur_lijst_goed, LijstGoedkeuring(medewerker="tl-0007")
        )
    await lijst.execute_update(
        VernietigingslijstWorkflow.keur_lijst_goed, LijstGoedkeuring(medewerker="ar-0003")
    )
    s = await _fase(lijst, LijstFase.WACHTTIJD, 1)
    assert s.wacht_tot is not None and s.goedgekeurd_door == "ar-0003"
    assert await zoekattribuut(lijst, names.SA_FASE) == LijstFase.WACHTTIJD.value
    assert await zoekattribuut(lijst, names.SA_VOLGENDE_DEADLINE) is not None
    await env.sleep(timedelta(days=3))
    assert nep.vernietigd == []
    await lijst.execute_update(
        VernietigingslijstWorkflow.annuleer_vernietiging,
        LijstAnnulering(medewerker="ar-0003", reden="Nieuwe informatie over een dossier."),
    )
    # The second round: the list drawn up again, without the dossier kept longer.
    s = await _fase(lijst, LijstFase.BEOORDELEN, 2)
    assert sorted(i.melding_id for i in s.items) == sorted([a, c]) and s.geannuleerd == 1
    await lijst.execute_update(
        VernietigingslijstWorkflow.beoordeel_lijst, LijstBeoordeling(medewerker="tl-0008")
    )
    await lijst.execute_update(
        VernietigingslijstWorkflow.keur_lijst_goed, LijstGoedkeuring(medewerker="ar-0003")
    )
    await _fase(lijst, LijstFase.WACHTTIJD, 2)
    with _geweigerd("beoordeel_lijst: de lijst wacht niet"):
        await lijst.execute_update(
            VernietigingslijstWorkflow.beoordeel_lijst, LijstBeoordeling(medewerker="tl-0007")
        )
    await env.sleep(timedelta(days=8))
    s = await lijst.result()
    assert s.fase is LijstFase.AFGEROND
    assert sorted(nep.vernietigd) == sorted([a, c]) and b in nep.meldingen
    assert sorted(s.vernietigd) == sorted([a, c])
    [verklaring] = nep.verklaringen
    assert verklaring == s.verklaring
    assert (verklaring.aantal_op_lijst, verklaring.aantal_vernietigd, verklaring.ronden) == (
        2,
        2,
        2,
    )
    assert (verklaring.beoordeeld_door, verklaring.goedgekeurd_door) == ("tl-0008", "ar-0003")
    assert len(verklaring.kenmerken) == 2 and a not in str(verklaring.kenmerken)
    for verslag in nep.verslagen:
        assert verslag is not None
        assert (verslag.aangevraagd_door, verslag.besloten_door) == ("tl-0008", "ar-0003")
    assert await zoekattribuut(lijst, names.SA_FASE) == LijstFase.AFGEROND.value


async def test_an_empty_list_ends_at_once(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    await _gesloten_dossier(env, worker)  # kept 20 years: not on today's list
    s = await env.client.execute_workflow(
        VernietigingslijstWorkflow.run,
        id=f"vernietigingslijst-{uuid.uuid4()}",
        task_queue=worker.task_queue,
    )
    assert s.fase is LijstFase.LEEG and s.items == [] and nep.vernietigd == []


async def test_a_list_decision_without_a_verklaring_is_refused(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """As `temporal workflow update execute` would send it: no verklaring in its header, so the
    review is refused and the list keeps waiting for a teamleider."""
    from tests.workflows.test_auteurschap import _client

    await _gesloten_dossier(env, worker)
    await env.sleep(timedelta(days=20 * 366 + 2))
    lijst = await env.client.start_workflow(
        VernietigingslijstWorkflow.run,
        id=f"vernietigingslijst-{uuid.uuid4()}",
        task_queue=worker.task_queue,
    )
    await _fase(lijst, LijstFase.BEOORDELEN, 1)
    zonder = (await _client(env)).get_workflow_handle(lijst.id)
    with _geweigerd("zonder verklaring"):
        await zonder.execute_update(
            VernietigingslijstWorkflow.beoordeel_lijst, LijstBeoordeling(medewerker="tl-0007")
        )
    assert (await _fase(lijst, LijstFase.BEOORDELEN, 1)).beoordeeld_door is None
    await lijst.terminate()
