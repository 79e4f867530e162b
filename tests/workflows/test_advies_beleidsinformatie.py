"""Issue 24: a finished advies records its beleidsinformatie (activity leg_advies_vast, behind
patch advies-beleidsinformatie): the CBS adviesvrager items of the closing, or, for an
omzetting, what the adviesvraag says; codes, moments and counts, never a text or a name."""

from __future__ import annotations

from typing import Any

from temporalio.worker import Worker

from contract.ids import melding_workflow_id
from domain.advies import AdviesStatus, Omzetting, VertrouwensartsConsult
from tests.workflows import scenario as sc
from tests.workflows.adviezen import afsluiting, gesprek, start, vraag
from tests.workflows.nep import NepActiviteiten
from workflows import AdviesWorkflow


async def test_a_closed_advies_records_the_cbs_items_of_its_closing_and_no_text(
    env: Any, worker: Worker, nep: NepActiviteiten
) -> None:
    v = vraag()
    handle = await start(env.client, worker, v)
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    consult = VertrouwensartsConsult(
        medewerker="mw-0042", vertrouwensarts="va-0003", datum=sc.NU.date(), bevinding="Past."
    )
    await handle.execute_update(AdviesWorkflow.raadpleeg_vertrouwensarts, consult)
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek("video"))
    await handle.execute_update(AdviesWorkflow.sluit_advies, afsluiting("meerdere_gesprekken"))
    uitkomst: AdviesStatus = await handle.result()
    info = nep.adviesinformatie[v.advies_id]
    assert nep.aanroepen["leg_advies_vast"] == 1
    assert (info.uitkomst.value, info.rol.value, info.organisatie.value) == (
        "afgesloten",
        "professional",
        "onderwijs",
    )
    assert [a.value for a in info.aard] == ["kindermishandeling"]
    assert info.duur is not None and info.duur.value == "meerdere_gesprekken"
    assert (info.gesprekken, info.vertrouwensarts, info.anoniem) == (2, True, False)
    assert info.afgesloten_op == uitkomst.afgesloten_op and info.regio == "utrecht"
    tekst = info.model_dump_json()
    for persoonlijk in ("Leerkracht", v.vraag, "Meldcode", "Stappen besproken", "Past."):
        assert persoonlijk not in tekst


async def test_an_omzetting_records_the_advies_from_its_question_as_omgezet(
    env: Any, worker: Worker, nep: NepActiviteiten
) -> None:
    v = vraag(burger=True, vormen=["partnergeweld", "eergerelateerd_geweld"])
    handle = await start(env.client, worker, v)
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    m = sc.melding()
    await handle.execute_update(
        AdviesWorkflow.zet_om_naar_melding,
        Omzetting(medewerker="mw-0042", reden="Meldnorm 1.", melding=m),
    )
    await handle.result()
    info = nep.adviesinformatie[v.advies_id]
    assert (info.uitkomst.value, info.rol.value, info.organisatie.value) == (
        "omgezet",
        "onbekend",
        "burger_overig",
    )
    assert sorted(a.value for a in info.aard) == ["eergerelateerd_geweld", "partnergeweld"]
    assert info.duur is not None and info.duur.value == "eenmalig_contact"
    assert info.anoniem and info.gesprekken == 1
    await sc.beeindig(env.client.get_workflow_handle(melding_workflow_id(m.melding_id)))
