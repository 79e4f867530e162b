"""Examples and steps shared by the advies tests and the recorder of tests/replay."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from contract.ids import advies_workflow_id
from domain.advies import AdviesAfsluiting, Adviesvraag, Gesprek
from domain.invoer import valideer_streng
from tests.ids import nieuw_melding_id
from tests.workflows import scenario as sc
from workflows import AdviesWorkflow


def vraag(*, burger: bool = False, **over: Any) -> Adviesvraag:
    vrager = (
        {"soort": "burger", "anoniem": True}
        if burger
        else {"soort": "professional", "beroepsgroep": "onderwijs", "naam": "Leerkracht"}
    )
    gegevens = {
        "advies_id": nieuw_melding_id("AV-UTR"),
        "regio": "utrecht",
        "ontvangen_op": (sc.NU - timedelta(minutes=1)).isoformat(),
        "adviesvrager": vrager,
        "vraag": "Wat kan ik doen met deze signalen?",
        "vormen": ["kindermishandeling"],
        **over,
    }
    return valideer_streng(Adviesvraag, json.dumps(gegevens), sc.NU)


def gesprek(soort: str = "telefonisch") -> Gesprek:
    return Gesprek(
        medewerker="mw-0042", datum=sc.NU.date(), soort=soort, samenvatting="Stappen besproken."
    )


def afsluiting(duur: str, *, professional: bool = True) -> AdviesAfsluiting:
    return AdviesAfsluiting(
        medewerker="mw-0042",
        advies="Meldcode stap 2 en 3 zetten; bij twijfel opnieuw bellen.",
        rol="professional" if professional else "buurt_of_kennis",
        organisatie="onderwijs" if professional else None,
        aard=["kindermishandeling"],
        duur=duur,
    )


async def start(client: Client, worker: Worker, v: Adviesvraag) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        AdviesWorkflow.run, v, id=advies_workflow_id(v.advies_id), task_queue=worker.task_queue
    )
