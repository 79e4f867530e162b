"""AdviesWorkflow on the time-skipping server: the werkwijze's "éénmalig contact" or "meerdere
gesprekken en ondersteuning", a vertrouwensarts where medical expertise is needed, the closing
with the CBS items, the reminder of an advies left open, and the omzetting into a melding."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import (
    Client,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.service import RPCError
from temporalio.worker import Worker

from contract.ids import melding_workflow_id
from contract.verklaring import LokaleUitgever, client_plugin
from domain.advies import (
    AdviesFase,
    AdviesStatus,
    Omzetting,
    VertrouwensartsConsult,
)
from domain.identiteit import Auteur, Taakrol
from tests import auteurs
from tests.workflows import scenario as sc
from tests.workflows.adviezen import afsluiting, gesprek, start, vraag
from tests.workflows.nep import NepActiviteiten
from workflows import AdviesWorkflow, MeldingWorkflow


async def zoekattribuut(handle: WorkflowHandle[Any, Any], naam: str) -> Any:
    beschrijving = await handle._client.workflow_service.describe_workflow_execution(
        sc.beschrijf_verzoek(handle)
    )
    velden = beschrijving.workflow_execution_info.search_attributes.indexed_fields
    return json.loads(velden[naam].data) if naam in velden else None


async def test_several_conversations_and_a_vertrouwensarts_close_with_the_cbs_items(
    env: Any, worker: Worker
) -> None:
    """The werkwijze: "meerdere gesprekken en ondersteuning", "medische expertise van
    vertrouwensartsen"; closed with rol, organisatie, aard and duur for CBS."""
    v = vraag()
    handle = await start(env.client, worker, v)
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    consult = VertrouwensartsConsult(
        medewerker="mw-0042", vertrouwensarts="va-0003", datum=sc.NU.date(), bevinding="Past."
    )
    await handle.execute_update(AdviesWorkflow.raadpleeg_vertrouwensarts, consult)
    stand = await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek("video"))
    assert [g.soort.value for g in stand.gesprekken] == ["telefonisch", "video"]
    assert stand.vertrouwensarts_geraadpleegd
    assert stand.vertrouwensartsen == [consult]
    await handle.execute_update(AdviesWorkflow.sluit_advies, afsluiting("meerdere_gesprekken"))
    uitkomst: AdviesStatus = await handle.result()
    assert uitkomst.fase is AdviesFase.AFGESLOTEN and uitkomst.afgesloten_op is not None
    assert uitkomst.afsluiting == afsluiting("meerdere_gesprekken")
    assert await zoekattribuut(handle, "VtFase") == "advies_afgesloten"
    assert await zoekattribuut(handle, "VtRegio") == "utrecht"


@pytest.mark.parametrize(
    ("gesprekken", "duur", "reden"),
    [
        (0, "eenmalig_contact", "eerst een gesprek registreren"),
        (2, "eenmalig_contact", "er zijn 2 gesprekken"),
        (1, "meerdere_gesprekken", "er is een gesprek"),
    ],
)
async def test_a_closing_whose_duur_does_not_match_the_conversations_is_refused(
    env: Any, worker: Worker, gesprekken: int, duur: str, reden: str
) -> None:
    """CBS' duur is what happened: one contact is one conversation, several are more."""
    handle = await start(env.client, worker, vraag())
    for _ in range(gesprekken):
        await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(AdviesWorkflow.sluit_advies, afsluiting(duur))
    assert reden in str(fout.value.cause)
    stand: AdviesStatus = await handle.query(AdviesWorkflow.status)
    assert stand.fase is AdviesFase.OPEN
    await sc.beeindig(handle)


async def test_an_anonymous_advies_left_open_reminds_after_four_weeks_and_keeps_waiting(
    env: Any, worker: Worker
) -> None:
    """Every wait has a deadline and an outcome: at four weeks the advies is marked (search
    attribute VtTermijnOverschreden) and still takes its one contact and closing."""
    handle = await start(env.client, worker, vraag(burger=True))
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    assert await zoekattribuut(handle, "VtTermijnOverschreden") is False
    await env.sleep(timedelta(days=29))
    stand: AdviesStatus = await handle.query(AdviesWorkflow.status)
    assert stand.lang_open and stand.fase is AdviesFase.OPEN
    assert await zoekattribuut(handle, "VtTermijnOverschreden") is True
    slot = afsluiting("eenmalig_contact", professional=False)
    await handle.execute_update(AdviesWorkflow.sluit_advies, slot)
    uitkomst: AdviesStatus = await handle.result()
    assert uitkomst.fase is AdviesFase.AFGESLOTEN
    assert await zoekattribuut(handle, "VtTermijnOverschreden") is False


async def test_a_citizen_cannot_be_closed_as_a_professional(env: Any, worker: Worker) -> None:
    """The CBS rol agrees with who asked: a citizen's advies has no organisatie."""
    handle = await start(env.client, worker, vraag(burger=True))
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(AdviesWorkflow.sluit_advies, afsluiting("eenmalig_contact"))
    assert "past niet bij een adviesvrager (burger)" in str(fout.value.cause)
    await sc.beeindig(handle)


async def test_an_omzetting_starts_a_melding_workflow_linked_both_ways(
    env: Any, worker: Worker, nep: NepActiviteiten
) -> None:
    """An advies that becomes a melding: a MeldingWorkflow, child of the advies (its page
    names the advies), the advies' result names the melding, and the melding runs its own
    protocol after the advies closed."""
    handle = await start(env.client, worker, vraag())
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    m = sc.melding()
    omzetting = Omzetting(medewerker="mw-0042", reden="Meldnorm 1.", melding=m)
    stand = await handle.execute_update(AdviesWorkflow.zet_om_naar_melding, omzetting)
    assert stand.fase is AdviesFase.OMGEZET and stand.melding_id == m.melding_id
    uitkomst: AdviesStatus = await handle.result()
    assert uitkomst.melding_id == m.melding_id
    melding = env.client.get_workflow_handle(melding_workflow_id(m.melding_id))
    beschrijving = await env.client.workflow_service.describe_workflow_execution(
        sc.beschrijf_verzoek(melding)
    )
    assert beschrijving.workflow_execution_info.parent_execution.workflow_id == handle.id
    status = await sc.wacht_tot(melding, lambda s: s.fase == "wacht_op_triage")
    assert status.melding_id == m.melding_id
    assert nep.meldingen[m.melding_id] == m  # stored as any melding is
    await sc.beeindig(melding)


async def test_an_omzetting_under_a_used_melding_id_is_refused_and_the_advies_stays_open(
    env: Any, worker: Worker
) -> None:
    """A melding_id already in use is not taken over: the advies waits for another."""
    bestaand = sc.melding()
    andere = await sc.start(env.client, worker, bestaand)
    handle = await start(env.client, worker, vraag())
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    omzetting = Omzetting(medewerker="mw-0042", reden="Meldnorm 1.", melding=bestaand)
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(AdviesWorkflow.zet_om_naar_melding, omzetting)
    assert f"melding {bestaand.melding_id} bestaat al" in str(fout.value.cause)
    stand: AdviesStatus = await handle.query(AdviesWorkflow.status)
    assert stand.fase is AdviesFase.OPEN and stand.melding_id is None
    await sc.beeindig(handle)
    await sc.beeindig(andere)


async def test_an_omzetting_into_another_region_or_after_closing_is_refused(
    env: Any, worker: Worker
) -> None:
    """The melding stays in the advies' region; a closed advies takes nothing more."""
    handle = await start(env.client, worker, vraag())
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    elders = Omzetting(medewerker="mw-0042", reden="R.", melding=sc.melding(regio="zeeland"))
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(AdviesWorkflow.zet_om_naar_melding, elders)
    assert "niet die van het advies" in str(fout.value.cause)
    await handle.execute_update(AdviesWorkflow.sluit_advies, afsluiting("eenmalig_contact"))
    await handle.result()
    with pytest.raises((WorkflowUpdateFailedError, RPCError)):  # closed: nothing to update
        await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())


async def test_the_melding_of_an_omzetting_is_checked_with_the_intake_rules(
    env: Any, worker: Worker
) -> None:
    """A melding whose ontvangen_op lies before the adviesvraag cannot be its omzetting."""
    v = vraag()
    handle = await start(env.client, worker, v)
    eerder = sc.melding(ontvangen_op=v.ontvangen_op - timedelta(hours=1))
    omzetting = Omzetting(medewerker="mw-0042", reden="R.", melding=eerder)
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(AdviesWorkflow.zet_om_naar_melding, omzetting)
    assert "niet eerder ontvangen" in str(fout.value.cause)
    assert not await _bestaat(env.client, melding_workflow_id(eerder.melding_id))
    await sc.beeindig(handle)


async def _bestaat(client: Client, workflow_id: str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id).fetch_history()
    except Exception:
        return False
    return True


def test_the_workflow_is_registered_with_the_others() -> None:
    from workflows import ALLE_WORKFLOWS

    assert AdviesWorkflow in ALLE_WORKFLOWS and MeldingWorkflow in ALLE_WORKFLOWS


EEUW = 100 * 365 * 86400


async def _client(env: Any, *plugins: Any) -> Client:
    """Another client on the same server and encryption, with its own verklaring (or none)."""
    return await Client.connect(
        env.client.service_client.config.target_host,
        namespace=env.client.namespace,
        data_converter=env.client.data_converter,
        plugins=list(plugins),
    )


async def test_an_advies_started_without_verklaring_fails_before_anything_happens(
    env: Any, worker: Worker
) -> None:
    """Who takes an adviesvraag is attested, as for a melding: no verklaring, no advies."""
    kaal = await _client(env)
    handle = await start(kaal, worker, vraag())
    with pytest.raises(WorkflowFailureError) as fout:
        await handle.result()
    assert "verklaring" in str(fout.value.cause)


@pytest.mark.parametrize(
    ("auteur", "reden"),
    [
        (auteurs.persoon("ops-0001", Taakrol.OPS), "vraagt de rol medewerker of teamleider"),
        (auteurs.persoon("mw-9999", Taakrol.MEDEWERKER), "moet de ingelogde medewerker zijn"),
    ],
)
async def test_a_conversation_is_recorded_only_by_the_medewerker_who_sends_it(
    env: Any, worker: Worker, auteur: Auteur, reden: str
) -> None:
    """An ops login writes nothing; a gesprek's medewerker is the login that sends it."""
    handle = await start(env.client, worker, vraag())
    plugin = client_plugin(LokaleUitgever(auteurs.SLEUTEL, lambda *_: auteur, geldig_s=EEUW))
    ander = (await _client(env, plugin)).get_workflow_handle(handle.id)
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await ander.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    assert reden in str(fout.value.cause)
    stand: AdviesStatus = await handle.query(AdviesWorkflow.status)
    assert stand.gesprekken == []
    await sc.beeindig(handle)


async def test_an_omzetting_under_a_destroyed_melding_id_is_refused_before_any_start(
    env: Any, worker: Worker, nep: NepActiviteiten
) -> None:
    """A destroyed dossier keeps its melding_id used (its key is gone: the worker could not
    even encrypt a new melding under it): refused by the dossier's answer, nothing started."""
    handle = await start(env.client, worker, vraag())
    await handle.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    m = sc.melding()
    nep.vernietigd.append(m.melding_id)
    omzetting = Omzetting(medewerker="mw-0042", reden="Meldnorm 1.", melding=m)
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(AdviesWorkflow.zet_om_naar_melding, omzetting)
    assert f"melding {m.melding_id} bestaat al (vernietigd)" in str(fout.value.cause)
    assert not await _bestaat(env.client, melding_workflow_id(m.melding_id))
    stand: AdviesStatus = await handle.query(AdviesWorkflow.status)
    assert stand.fase is AdviesFase.OPEN
    await sc.beeindig(handle)
