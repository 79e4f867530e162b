"""Issue 27: one decision mechanism (workflows/besluitvorming.py) for the destruction request and
the destruction list as for the melding: a retry of a request (the same verzoek_id, so the same
update ID) is answered and writes no second audit row, also when the workflow moved on since;
the same verzoek_id with another payload is refused with the contract's `Geweigerd`, naming the
rule. Before, the list took a reused verzoek_id as the next round's review and the destruction
as a second decision; the advies closed beside its omzetting, which then overwrote the closing."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import ids, names
from contract.ids import vernietiging_workflow_id
from domain.advies import AdviesFase
from domain.besluiten import VernietigingsBesluit
from domain.vernietigingslijst import Behouden, LijstAnnulering, LijstBeoordeling, LijstFase
from tests.workflows import adviezen
from tests.workflows import scenario as sc
from tests.workflows.conftest import met, werker
from tests.workflows.nep import NepActiviteiten
from tests.workflows.test_bewaartermijn import _fase, _gesloten_dossier
from workflows import VernietigingslijstWorkflow, VernietigingWorkflow
from workflows.advies import PATCH_ADVIES_BESLUITVORMING


def _id(update: str, verzoek_id: str, invoer: Any) -> str:
    """The update ID the client makes of a verzoek_id (starter/client.py)."""
    return ids.update_id(update, verzoek_id, invoer.model_dump_json().encode())


async def _geweigerd(handle: WorkflowHandle[Any, Any], update: str, invoer: Any, id: str) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(update, invoer, id=id)
    oorzaak = fout.value.cause
    assert isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_GEWEIGERD
    return oorzaak.message


async def test_the_list_answers_a_retried_review_once_also_in_the_next_round(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    _, b = [await _gesloten_dossier(env, worker) for _ in range(2)]
    await env.sleep(timedelta(days=20 * 366 + 2))
    lijst = await env.client.start_workflow(
        VernietigingslijstWorkflow.run,
        id=f"vernietigingslijst-{uuid.uuid4()}",
        task_queue=worker.task_queue,
    )
    s = await _fase(lijst, LijstFase.BEOORDELEN, 1)
    beoordeling = LijstBeoordeling(
        medewerker="tl-0007",
        behouden=[Behouden(melding_id=b, tot=s.peildatum + timedelta(days=365), reden="Zaak.")],
    )
    verzoek = _id(names.UPDATE_LIJST_BEOORDELEN, "beoordeling-1", beoordeling)
    s = await lijst.execute_update(
        VernietigingslijstWorkflow.beoordeel_lijst, beoordeling, id=verzoek
    )
    assert s.fase is LijstFase.GOEDKEUREN and s.behouden == [b]
    eerste = s
    await lijst.execute_update(
        VernietigingslijstWorkflow.annuleer_vernietiging,
        LijstAnnulering(medewerker="ar-0003", reden="Nieuwe informatie over een dossier."),
    )
    await _fase(lijst, LijstFase.BEOORDELEN, 2)

    # The first round's review retried (a client that lost the answer): the first answer, not
    # applied to the second round, its kept dossier not audited twice.
    herhaald = await lijst.execute_update(
        VernietigingslijstWorkflow.beoordeel_lijst, beoordeling, id=verzoek
    )
    assert herhaald == eerste
    verlengd = [r for r in nep.audit if r.handeling == "bewaartermijn_verlengd"]
    assert [(r.melding_id, r.medewerker) for r in verlengd] == [(b, "tl-0007")]
    s = await lijst.query(VernietigingslijstWorkflow.status)
    assert (s.ronde, s.fase, s.beoordeeld_door) == (2, LijstFase.BEOORDELEN, None)

    # The same verzoek_id for another review: the caller's bug, refused by the rule.
    ander = LijstBeoordeling(medewerker="tl-0007")
    reden = await _geweigerd(
        lijst,
        names.UPDATE_LIJST_BEOORDELEN,
        ander,
        _id(names.UPDATE_LIJST_BEOORDELEN, "beoordeling-1", ander),
    )
    assert "verzoek_id beoordeling-1 is al gebruikt met een andere inhoud" in reden
    assert (await lijst.query(VernietigingslijstWorkflow.status)).fase is LijstFase.BEOORDELEN
    await lijst.terminate()


async def test_the_destruction_answers_a_retried_decision_as_the_first(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies")
    await handle.result()
    nep.lopend.add(m.melding_id)  # the run stays: its destruction waits (tried again daily)
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(m.melding_id),
        id=vernietiging_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
    )
    await sc.wacht_op_besluit(verzoek)
    besluit = VernietigingsBesluit(medewerker="tl-0007", toegekend=True, reden="Q&A 28.")
    id = _id(names.UPDATE_VERNIETIGING, "besluit-1", besluit)
    eerste = await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit, id=id)
    herhaald = await verzoek.execute_update(
        VernietigingWorkflow.beslis_vernietiging, besluit, id=id
    )
    assert herhaald == eerste and eerste.toegekend and "loopt nog" in eerste.reden
    assert [r.handeling for r in nep.audit if r.melding_id == m.melding_id].count(
        names.UPDATE_VERNIETIGING
    ) == 1

    # The same verzoek_id for another decision: refused by the rule that names it (before: as
    # a second decision, "al beslist", as if the caller had meant a new one).
    anders = besluit.model_copy(update={"reden": "Toch anders."})
    reden = await _geweigerd(
        verzoek,
        names.UPDATE_VERNIETIGING,
        anders,
        _id(names.UPDATE_VERNIETIGING, "besluit-1", anders),
    )
    assert reden == (
        "beslis_vernietiging: verzoek_id besluit-1 is al gebruikt met een andere inhoud; "
        "een ander besluit vraagt een nieuwe verzoek_id"
    )
    nep.lopend.discard(m.melding_id)
    await sc.slaap(env, timedelta(days=2), stap=timedelta(hours=12))
    resultaat = await verzoek.result()
    assert resultaat.toegekend and nep.vernietigd == [m.melding_id]


async def test_the_advies_closing_waits_for_the_omzetting_in_flight_and_is_refused(
    env: WorkflowEnvironment,
) -> None:
    """Every update of the advies takes the one lock: a closing accepted while the omzetting is
    half-way waits for it, then finds the advies omgezet (before: applied beside it, and
    overwritten when the omzetting finished)."""
    nep = adviezen.OmzettingHoudtVast()
    async with werker(env, nep, met(PATCH_ADVIES_BESLUITVORMING)) as worker:
        handle = await adviezen.start(env.client, worker, adviezen.vraag())
        weigering = await adviezen.sluit_tijdens_omzetting(env.client, handle, nep)
        stand = await handle.result()
    assert weigering is not None
    oorzaak = weigering.cause
    assert isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_GEWEIGERD
    assert oorzaak.message == f"sluit_advies: het advies is al {AdviesFase.OMGEZET.value}"
    assert stand.fase is AdviesFase.OMGEZET and stand.afsluiting is None
    assert stand.melding_id is not None
