"""A field the next release adds to a payload replays on this release (a rollback, or a rolling
update with both releases side by side): decoding from a history ignores unknown fields, intake
refuses them (domain/model.py, contract/client.py)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from contract.client import data_converter
from domain.besluiten import Besluit
from domain.invoer import valideer_streng
from domain.model import onbekend_bij_aankomst
from runtime.auteurschap import VerklaringWorkerInterceptor
from workflows import ALLE_WORKFLOWS

HISTORIES = Path(__file__).parent / "histories"
VOORBEELDEN = Path(__file__).resolve().parents[2] / "starter" / "examples"
NIEUW = {"veld_van_de_volgende_release": {"genest": [1, 2]}}


def _met_veld_erbij(payload: dict[str, Any]) -> None:
    waarde = json.loads(base64.b64decode(payload["data"]))
    assert isinstance(waarde, dict)
    payload["data"] = base64.b64encode(json.dumps({**waarde, **NIEUW}).encode()).decode()


def _geschiedenis(naam: str, *, start: bool, updates: bool, activiteiten: bool) -> WorkflowHistory:
    gegevens = json.loads((HISTORIES / f"{naam}.json").read_text())
    veranderd = 0
    for e in gegevens["events"]:
        if start and "workflowExecutionStartedEventAttributes" in e:
            _met_veld_erbij(e["workflowExecutionStartedEventAttributes"]["input"]["payloads"][0])
            veranderd += 1
        if updates and "workflowExecutionUpdateAcceptedEventAttributes" in e:
            verzoek = e["workflowExecutionUpdateAcceptedEventAttributes"]["acceptedRequest"]
            _met_veld_erbij(verzoek["input"]["args"]["payloads"][0])
            veranderd += 1
        resultaat = e.get("activityTaskCompletedEventAttributes", {}).get("result")
        if activiteiten and resultaat:
            for payload in resultaat["payloads"]:
                if isinstance(json.loads(base64.b64decode(payload.get("data", "bnVsbA=="))), dict):
                    _met_veld_erbij(payload)
                    veranderd += 1
    assert veranderd > 0
    return WorkflowHistory.from_json(naam, json.dumps(gegevens))


def _replayer() -> Replayer:
    return Replayer(
        workflows=ALLE_WORKFLOWS,
        data_converter=data_converter(),
        interceptors=[VerklaringWorkerInterceptor([])],
    )


@pytest.mark.parametrize(
    "soort", ["start", "updates", "activiteiten"], ids=lambda s: f"veld_erbij_in_{s}"
)
async def test_a_field_the_next_release_added_replays_on_this_release(soort: str) -> None:
    """Reproduction (issue 18): a besluit with one optional field more, accepted by the next
    release, failed on this one with NondeterminismError at WorkflowExecutionUpdateAccepted
    (the models refused unknown fields), so a rollback wedged every case it had touched."""
    geschiedenis = _geschiedenis(
        "v5_voorwaarden_en_vervolg",
        start=soort == "start",
        updates=soort == "updates",
        activiteiten=soort == "activiteiten",
    )
    await _replayer().replay_workflow(geschiedenis)


def test_intake_still_refuses_a_field_it_does_not_know() -> None:
    """Leniency is for reading histories only: the client, the CLI and a validator refuse."""
    voorbeeld = json.loads((VOORBEELDEN / "besluit_advies.json").read_text())
    with pytest.raises(ValidationError) as fout:
        valideer_streng(Besluit, {**voorbeeld, **NIEUW})
    assert [e["type"] for e in fout.value.errors()] == ["extra_forbidden"]
    with pytest.raises(ValidationError):
        Besluit(**{**voorbeeld, **NIEUW})


async def test_decoding_drops_an_unknown_field_and_remembers_it_for_the_validator() -> None:
    """The worker's converter drops the field, and tells a validator that it did (so a live
    decision is refused as at intake, while a replay, which runs no validator, goes on)."""
    voorbeeld = json.loads((VOORBEELDEN / "besluit_advies.json").read_text())
    converter = data_converter().payload_converter
    [met] = converter.to_payloads([{**voorbeeld, **NIEUW}])
    [zonder] = converter.to_payloads([voorbeeld])
    [besluit] = converter.from_payloads([met], [Besluit])
    [gewoon] = converter.from_payloads([zonder], [Besluit])
    assert besluit == gewoon
    assert onbekend_bij_aankomst(besluit) and not onbekend_bij_aankomst(gewoon)
