"""End to end on a real Temporal dev server with the real activities on PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client, WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from activities.vernietiging import VernietigingActiviteiten
from contract import names
from contract.ids import melding_workflow_id
from domain.besluiten import VernietigingsVerzoek
from domain.status import MeldingStatus
from tests.integration import voorbeelden as vb
from tests.integration.conftest import vernietig_met_tweede_persoon
from workflows import MeldingWorkflow


async def _start(client: Client, worker: Worker, m: Any) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=worker.task_queue
    )


async def _wacht_tot(
    handle: WorkflowHandle[Any, Any], voorwaarde: Callable[[MeldingStatus], bool], s: float = 20
) -> MeldingStatus:
    einde = time.monotonic() + s
    while True:
        status: MeldingStatus = await handle.query(MeldingWorkflow.status)
        if voorwaarde(status):
            return status
        assert time.monotonic() < einde, status.model_dump_json()
        await asyncio.sleep(0.1)


async def _rijen(pool: asyncpg.Pool, sql: str, *args: object) -> list[asyncpg.Record]:
    async with pool.acquire() as con:
        return list(await con.fetch(sql, *args))


async def test_an_overdracht_runs_from_receipt_to_afloop_with_every_row_written_once(
    client: Client, worker: Worker, pool: asyncpg.Pool
) -> None:
    """Registratie, sources, triage, besluit, terugkoppeling, household, afloop (Q&A 3)."""
    m = vb.melding()
    handle = await _start(client, worker, m)
    status = await _wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    assert (status.bronnen.register, status.bronnen.raad, status.bronnen.politie) == (
        "ontvangen",
        "ontvangen",
        "ontvangen",
    )
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("overdracht"))
    afloop = await handle.result()
    assert (afloop.einde, afloop.terugkoppelingen) == ("overgedragen", 1)
    outbox = await _rijen(
        pool, "SELECT soort FROM outbox WHERE melding_id=$1 ORDER BY soort", m.melding_id
    )
    assert [r["soort"] for r in outbox] == ["eerste_terugkoppeling", "huishouden_informeren"]
    audit = await _rijen(
        pool,
        "SELECT handeling, medewerker FROM audit WHERE melding_id=$1 ORDER BY op, id",
        m.melding_id,
    )
    assert [(r["handeling"], r["medewerker"]) for r in audit] == [
        ("registreer_triage", "mw-0042"),
        ("neem_besluit", "mw-0042"),
    ]
    dossier = await _rijen(
        pool,
        "SELECT vervolg, afgesloten, ketenpartner FROM meldingen WHERE melding_id=$1",
        m.melding_id,
    )
    vervolg, afgesloten, partner = tuple(dossier[0])
    # The ketenpartner is kept encrypted with the melding's key (issue 17): never its name.
    assert (vervolg, afgesloten) == ("overdracht", True)
    assert partner is not None and b"Wijkteam Oost" not in bytes(partner)


async def test_an_open_case_in_another_region_is_found_and_told_of_the_new_melding(
    client: Client, worker: Worker
) -> None:
    """Radar (Radarfunctie, Q&A 21, 27): the register finds the household's open case in another
    region; the new beoordeling counts it and the open case records the link."""
    bsn = vb.nieuw_bsn()
    eerder = vb.melding("haaglanden", bsn=bsn, dagen_geleden=1)
    open_handle = await _start(client, worker, eerder)
    await _wacht_tot(open_handle, lambda s: s.fase == "wacht_op_triage")
    nieuw = vb.melding("utrecht", bsn=bsn)
    handle = await _start(client, worker, nieuw)
    status = await _wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    assert status.eerdere_meldingen == 1
    open_status = await _wacht_tot(open_handle, lambda s: len(s.gekoppelde_meldingen) == 1)
    koppeling = open_status.gekoppelde_meldingen[0]
    assert (koppeling.melding_id, koppeling.regio) == (nieuw.melding_id, "utrecht")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
    assert (await handle.result()).einde == "advies"
    await open_handle.terminate("test klaar")


async def test_a_dossier_without_violence_is_destroyed_on_request_with_its_history(
    client: Client, worker: Worker, pool: asyncpg.Pool
) -> None:
    """Q&A 28: no violence found, so a teamleider grants the request: rows and history go."""
    m = vb.melding()
    handle = await _start(client, worker, m)
    await _wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(
        MeldingWorkflow.neem_besluit, vb.besluit("afsluiten", geweld_vastgesteld=False)
    )
    await handle.result()
    verzoek = VernietigingsVerzoek.model_validate(
        {
            "melding_id": m.melding_id,
            "verzoeker_rol": "ouder_verzorger",
            "ontvangen_op": m.ontvangen_op,
        }
    )
    resultaat = await vernietig_met_tweede_persoon(client, worker.task_queue, verzoek)
    assert resultaat.toegekend
    assert await _rijen(pool, "SELECT 1 FROM meldingen WHERE melding_id=$1", m.melding_id) == []
    # The dev server deletes the history asynchronously (about a minute here): the request
    # was accepted when the activity returned; the activity tests check what it asked for.


async def test_destruction_is_refused_while_the_case_still_runs(
    client: Client, worker: Worker, pool: asyncpg.Pool
) -> None:
    """docs/privacy.md: histories (and keys) go only after every workflow of the melding closed."""
    m = vb.melding()
    handle = await _start(client, worker, m)
    await _wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    with pytest.raises(ApplicationError) as fout:
        await VernietigingActiviteiten(pool, client).vernietig(m.melding_id)
    assert fout.value.type == names.FOUT_NOG_OPEN and fout.value.non_retryable
    await handle.terminate("test klaar")
    vernietiging = await VernietigingActiviteiten(pool, client).vernietig(m.melding_id)
    assert vernietiging.verwijderde_workflows == [handle.id]
