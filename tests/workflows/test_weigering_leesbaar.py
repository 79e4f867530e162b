"""A refused update as the server hands it to any client (and to the Web UI): the failure's
message is plain text, so it names the rule and never what was typed; everything else of the
failure is ciphertext."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from temporalio.api.common.v1 import Header, Payloads, WorkflowExecution
from temporalio.api.enums.v1 import UpdateWorkflowExecutionLifecycleStage
from temporalio.api.failure.v1 import Failure
from temporalio.api.update.v1 import Input, Meta, Request, WaitPolicy
from temporalio.api.workflowservice.v1 import UpdateWorkflowExecutionRequest
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import names
from contract.verklaring import HEADER, LokaleUitgever, als_header
from domain.identiteit import Handeling
from tests import auteurs
from tests.workflows import adviezen
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow

NAAM = "Zorgvuldig Testpersoon"
BSN = "111222333"
ZIN = "De buurman slaat zijn kinderen."
KENMERKEN = ("Zorgvuldig", "Testpersoon", BSN, "buurman", "Сидоров")


async def _ruwe_weigering(
    env: WorkflowEnvironment, handle: WorkflowHandle[Any, Any], update: str, arg: Any
) -> Failure:
    """The update's outcome straight from the server: the proto, no converter decodes it."""
    [payload] = await env.client.data_converter.encode([arg])
    update_id = str(uuid.uuid4())
    # Signed as the medewerker the payload names (tests/auteurs.py): the rule under test speaks.
    token = await LokaleUitgever(auteurs.SLEUTEL, auteurs.scenario, geldig_s=10**9).verklaar(
        handle.id, Handeling.UPDATE, update, update_id, arg
    )
    antwoord = await env.client.workflow_service.update_workflow_execution(
        UpdateWorkflowExecutionRequest(
            namespace=env.client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=handle.id),
            request=Request(
                meta=Meta(update_id=update_id, identity="test"),
                input=Input(
                    name=update,
                    args=Payloads(payloads=[payload]),
                    header=Header(fields={HEADER: als_header(token)}),
                ),
            ),
            wait_policy=WaitPolicy(
                lifecycle_stage=UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED
            ),
        )
    )
    assert antwoord.outcome.HasField("failure"), antwoord
    return antwoord.outcome.failure


def _zonder_kenmerk(failure: Failure) -> None:
    ruw = failure.SerializeToString()
    for kenmerk in KENMERKEN:
        assert kenmerk not in failure.message, failure.message
        assert kenmerk.encode() not in ruw


async def test_a_refused_update_shows_the_rule_and_nothing_that_was_typed(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Personal data in a value that intake refuses, in a key that is no field, and in a
    decision refused by the protocol: the plain message names the field and the rule only."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    triage = sc.triage().model_dump(mode="json")
    medewerker = "Zorgvuldig.Testpersoon"

    # A control character: decodes (a history may hold it), refused by the intake rules.
    vijandig = {**triage, "medewerker": medewerker, "onderbouwing": f"{NAAM} {BSN}\x07{ZIN}"}
    failure = await _ruwe_weigering(env, handle, names.UPDATE_TRIAGE, vijandig)
    assert failure.application_failure_info.type == names.FOUT_GEWEIGERD
    # The name typed as medewerker id is refused by its rule, never echoed (issue 17).
    assert failure.message.startswith("medewerker: 1-4 letters")
    assert failure.message.endswith("onderbouwing: mag geen stuurteken bevatten (U+0007)")
    _zonder_kenmerk(failure)

    # A key that is no field: decoded without it (a history must replay on a release that does
    # not know a field), then refused by the validator as intake refuses it, never named.
    failure = await _ruwe_weigering(
        env, handle, names.UPDATE_TRIAGE, {**triage, f"{NAAM} {BSN}": "Иван Сидоров"}
    )
    assert failure.application_failure_info.type == names.FOUT_GEWEIGERD
    assert failure.message == "(onbekend veld): niet toegestaan (geen bekend veld)"
    _zonder_kenmerk(failure)

    # Valid, but refused by the protocol (Q&A 3): the rule's text.
    besluit = sc.besluit("advies").model_dump(mode="json")
    besluit.update(medewerker=medewerker, onderbouwing=f"{NAAM}, BSN {BSN}. {ZIN} Иван Сидоров")
    failure = await _ruwe_weigering(env, handle, names.UPDATE_BESLUIT, besluit)
    assert failure.application_failure_info.type == names.FOUT_GEWEIGERD
    assert failure.message.startswith("medewerker: 1-4 letters")
    _zonder_kenmerk(failure)

    assert (await handle.query(MeldingWorkflow.status)).fase == "wacht_op_triage"
    await sc.beeindig(handle)


async def test_the_advies_refuses_with_the_contracts_refusal_too(
    env: WorkflowEnvironment, worker: Worker
) -> None:
    """Issue 27: one refusal for every update of every workflow. Was: the advies' validators
    (and the destruction's and the list's) raised ValueError, a failure of type `ValueError`
    instead of the contract's `Geweigerd`."""
    handle = await adviezen.start(env.client, worker, adviezen.vraag())
    gesprek = adviezen.gesprek().model_copy(update={"datum": sc.NU.date() + timedelta(days=9)})
    failure = await _ruwe_weigering(env, handle, names.UPDATE_GESPREK, gesprek)
    assert failure.application_failure_info.type == names.FOUT_GEWEIGERD
    assert failure.message == "registreer_gesprek: datum in de toekomst"
