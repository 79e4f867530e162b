"""Who acts (issue 17): every start, update and signal carries a verklaring of its author; a
write without one, or with a forged one, changes nothing. The attacker here reaches Temporal
with a client of their own (the same data converter: only the verklaring differs). Each test
fails on the code before the verklaring (there every write was applied)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from temporalio.client import (
    Client,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.plugin import SimplePlugin
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import ids, names
from contract.ids import melding_workflow_id, vernietiging_workflow_id
from contract.verklaring import LokaleUitgever, client_plugin
from domain.besluiten import Koppeling, VernietigingsBesluit
from domain.identiteit import Auteur, Handeling, Taakrol
from tests import auteurs
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import mislukte_taken, runs
from workflows import MeldingWorkflow, VernietigingWorkflow

# The time-skipping test server sometimes overshoots or stalls around these destruction requests
# when the machine is loaded (two pytest workers): a request that never reached its decision's
# timer within 45 s, or a reminder three months out fired during a 31-day skip. Seen in 2 of 5
# fresh-clone runs, never alone; the dev-server tests of the destruction (tests/integration)
# have no such fault. Rerun twice, only on those two symptoms; a third failure fails the suite.
pytestmark = pytest.mark.flaky(
    reruns=2, only_rerun=["het verzoek kwam niet bij het besluit", r"assert \[Signalering"]
)

EEUW = 100 * 365 * 86400


async def _client(env: WorkflowEnvironment, *plugins: SimplePlugin) -> Client:
    """The attacker's client: same server, same payload encryption, its own verklaring."""
    return await Client.connect(
        env.client.service_client.config.target_host,
        namespace=env.client.namespace,
        data_converter=env.client.data_converter,
        plugins=list(plugins),
    )


def _als(auteur: Auteur, sleutel: bytes = auteurs.SLEUTEL) -> SimplePlugin:
    return client_plugin(LokaleUitgever(sleutel, lambda *_: auteur, geldig_s=EEUW))


class _AndereVerzoek(LokaleUitgever):
    """Signs for another update ID than the one sent: a captured verklaring, reused."""

    async def verklaar(
        self, workflow_id: str, handeling: Handeling, naam: str, verzoek: str, inhoud: Any
    ) -> str:
        return await super().verklaar(workflow_id, handeling, naam, "een-ander", inhoud)


async def _geweigerd(handle: WorkflowHandle[Any, Any], update: Any, invoer: Any) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(update, invoer)
    return str(fout.value.cause)


async def _wacht_op_triage(env: WorkflowEnvironment, worker: Worker) -> WorkflowHandle[Any, Any]:
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    return handle


async def test_an_update_without_verklaring_is_refused_and_changes_nothing(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """The plaintext besluit of the issue: no verklaring, refused by the validator."""
    handle = await _wacht_op_triage(env, worker)
    kaal = (await _client(env)).get_workflow_handle(handle.id)
    reden = await _geweigerd(kaal, MeldingWorkflow.registreer_triage, sc.triage())
    assert "zonder verklaring" in reden
    status = await sc.wacht_tot(handle, lambda s: True)
    assert status.triage is None and nep.audit == []


VERVALSINGEN = {
    # `medewerker` is whatever a payload says: no longer; the login decides who acted.
    "another medewerker than the login": (
        lambda: _als(auteurs.persoon("mw-9999", Taakrol.MEDEWERKER)),
        "moet de ingelogde medewerker zijn",
    ),
    # Only the master key's holders can attest: a self-made verklaring is a forgery.
    "a verklaring made with another key": (
        lambda: _als(auteurs.persoon("mw-0042"), hashlib.sha256(b"aanvaller").digest()),
        "vervalst",
    ),
    # A captured verklaring names its own update ID: with another it is worth nothing.
    "a verklaring for another update ID": (
        lambda: client_plugin(_AndereVerzoek(auteurs.SLEUTEL, auteurs.scenario, geldig_s=EEUW)),
        "andere workflow, handeling of verzoek",
    ),
    # Ops staff read state; they never take a triage or besluit.
    "a login without a deciding role": (
        lambda: _als(auteurs.persoon("mw-0042", Taakrol.OPS)),
        "vraagt de rol",
    ),
}


@pytest.mark.parametrize("geval", VERVALSINGEN, ids=list(VERVALSINGEN))
async def test_a_forged_or_unauthorised_decision_is_refused_and_audits_nothing(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten, geval: str
) -> None:
    """Each way to fake a decision is refused by the validator with its own reason."""
    plugin, reden_bevat = VERVALSINGEN[geval]
    handle = await _wacht_op_triage(env, worker)
    ander = await _client(env, plugin())
    reden = await _geweigerd(
        ander.get_workflow_handle(handle.id), MeldingWorkflow.registreer_triage, sc.triage()
    )
    assert reden_bevat in reden and nep.audit == []


async def test_the_audit_names_the_login_not_the_payload(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """An authenticated decision: applied and audited under the attested login."""
    handle = await _wacht_op_triage(env, worker)
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage())
    assert [(r.handeling, r.medewerker) for r in nep.audit] == [(names.UPDATE_TRIAGE, "mw-0042")]


async def test_a_signal_without_verklaring_is_dropped_and_no_task_fails(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    """The made-up `VT-FAKE-2026-000666` link of the issue: dropped; the worker's own link
    (signed as `systeem`) lands; a person may not send the radar's signal either."""
    handle = await _wacht_op_triage(env, worker)
    eerste_run = (await handle.describe()).run_id
    nep_koppeling = Koppeling(melding_id="VT-FAKE-2026-000666", regio="utrecht", ontvangen_op=sc.NU)
    await (
        (await _client(env))
        .get_workflow_handle(handle.id)
        .signal(MeldingWorkflow.melding_gekoppeld, nep_koppeling)
    )
    persoon = await _client(env, _als(auteurs.persoon("mw-0042")))
    await persoon.get_workflow_handle(handle.id).signal(
        MeldingWorkflow.melding_gekoppeld,
        nep_koppeling.model_copy(update={"melding_id": "VT-FAKE-2026-000667"}),
    )
    echt = Koppeling(melding_id="VT-HGL-2026-000777", regio="haaglanden", ontvangen_op=sc.NU)
    await handle.signal(MeldingWorkflow.melding_gekoppeld, echt)
    status = await sc.wacht_tot(handle, lambda s: len(s.gekoppelde_meldingen) == 1)
    assert [k.melding_id for k in status.gekoppelde_meldingen] == ["VT-HGL-2026-000777"]
    assert mislukte_taken(await runs(env.client, handle.id, eerste_run)) == []


async def test_a_start_without_verklaring_ends_before_anything_is_stored(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """A forged start fails at registration; the real one can start after it."""
    m = sc.melding()
    kaal = await _client(env)
    vervalst = await kaal.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=worker.task_queue
    )
    with pytest.raises(WorkflowFailureError) as fout:
        await vervalst.result()
    assert "zonder verklaring" in str(fout.value.cause)
    assert nep.aanroepen["sla_melding_op"] == 0 and m.melding_id not in nep.meldingen
    echt = await env.client.start_workflow(
        MeldingWorkflow.run,
        m,
        id=melding_workflow_id(m.melding_id),
        task_queue=worker.task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    )
    await sc.wacht_tot(echt, lambda s: s.fase == "wacht_op_triage")
    assert nep.aanroepen["sla_melding_op"] == 1


async def _afgesloten_zonder_geweld(env: WorkflowEnvironment, worker: Worker) -> str:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
    await handle.result()
    return m.melding_id


async def test_a_forged_destruction_request_destroys_nothing(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """The issue's `temporal workflow start --type VernietigingWorkflow`: before, Q&A 28
    granted it at once and the dossier, its key and its audit rows were gone."""
    melding_id = await _afgesloten_zonder_geweld(env, worker)
    kaal = await _client(env)
    with pytest.raises(WorkflowFailureError):
        await kaal.execute_workflow(
            VernietigingWorkflow.run,
            sc.verzoek(melding_id),
            id=vernietiging_workflow_id(melding_id),
            task_queue=worker.task_queue,
        )
    assert nep.vernietigd == []


async def test_the_filer_cannot_grant_their_own_request_nor_a_medewerker(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Two people: the filer (mw-0001) may not decide; a medewerker without the teamleider
    role may not either; a second person with it may."""
    melding_id = await _afgesloten_zonder_geweld(env, worker)
    verzoek = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(melding_id),
        id=vernietiging_workflow_id(melding_id),
        task_queue=worker.task_queue,
    )
    await sc.wacht_op_besluit(verzoek)
    zelf = VernietigingsBesluit(medewerker=auteurs.INDIENER, toegekend=True, reden="Q&A 28.")
    reden = await _geweigerd(verzoek, VernietigingWorkflow.beslis_vernietiging, zelf)
    assert "tweede persoon" in reden
    medewerker = await _client(env, _als(auteurs.persoon("mw-0042", Taakrol.MEDEWERKER)))
    reden = await _geweigerd(
        medewerker.get_workflow_handle(verzoek.id),
        VernietigingWorkflow.beslis_vernietiging,
        zelf.model_copy(update={"medewerker": "mw-0042"}),
    )
    assert "teamleider" in reden and nep.vernietigd == []
    tweede = zelf.model_copy(update={"medewerker": "tl-0007"})
    await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, tweede)
    assert (await verzoek.result()).toegekend and nep.vernietigd == [melding_id]


async def test_a_reused_verzoek_id_with_another_payload_is_refused_not_dropped(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """`ticket-81` for a triage, then another triage with `ticket-81`: refused with a reason
    (before: answered OK and silently dropped); a besluit with `ticket-81` is its own request
    and happens (before: dropped as a repeat of the triage)."""
    handle = await _wacht_op_triage(env, worker)
    triage = sc.triage()

    def update_id(naam: str, invoer: Any) -> str:
        return ids.update_id(naam, "ticket-81", invoer.model_dump_json().encode())

    await handle.execute_update(
        MeldingWorkflow.registreer_triage, triage, id=update_id(names.UPDATE_TRIAGE, triage)
    )
    anders = sc.triage(urgentie="hoog")
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(
            MeldingWorkflow.registreer_triage, anders, id=update_id(names.UPDATE_TRIAGE, anders)
        )
    assert "al gebruikt met een andere inhoud" in str(fout.value.cause)
    besluit = sc.besluit("advies")
    status = await handle.execute_update(
        MeldingWorkflow.neem_besluit, besluit, id=update_id(names.UPDATE_BESLUIT, besluit)
    )
    assert status.besluit == besluit and status.triage == triage
