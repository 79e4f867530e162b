"""Examples and steps shared by the advies tests and the recorder of tests/replay."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import activity
from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateStage,
)
from temporalio.worker import Worker

from contract.ids import advies_workflow_id
from domain.advies import AdviesAfsluiting, Adviesvraag, Gesprek, Omzetting
from domain.invoer import valideer_streng
from tests.ids import nieuw_melding_id
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
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


@dataclass
class OmzettingHoudtVast(NepActiviteiten):
    """The omzetting's check of its melding_id answers only once let go (`los`)."""

    gevraagd: asyncio.Event = field(default_factory=asyncio.Event)
    los: asyncio.Event = field(default_factory=asyncio.Event)

    @activity.defn(name="melding_id_vrij")
    async def melding_id_vrij(self, melding_id: str) -> str | None:
        self.gevraagd.set()
        await self.los.wait()
        return await super().melding_id_vrij(melding_id)


async def sluit_tijdens_omzetting(
    client: Client, h: WorkflowHandle[Any, Any], nep: OmzettingHoudtVast
) -> WorkflowUpdateFailedError | None:
    """An advies closed while its omzetting is half-way (its melding_id check held back until
    the closing is accepted); the melding started is ended. Returns the closing's refusal (None:
    it was applied)."""
    await h.execute_update(AdviesWorkflow.registreer_gesprek, gesprek())
    m = sc.melding()
    omzetting = Omzetting(medewerker="mw-0042", reden="Meldnorm 1.", melding=m)
    omzet = await h.start_update(
        AdviesWorkflow.zet_om_naar_melding, omzetting, wait_for_stage=WorkflowUpdateStage.ACCEPTED
    )
    await nep.gevraagd.wait()
    sluit = await h.start_update(
        AdviesWorkflow.sluit_advies,
        afsluiting("eenmalig_contact"),
        wait_for_stage=WorkflowUpdateStage.ACCEPTED,
    )
    nep.los.set()
    await omzet.result()
    weigering = None
    try:
        await sluit.result()
    except WorkflowUpdateFailedError as fout:
        weigering = fout
    melding = client.get_workflow_handle(f"melding-{m.melding_id}")
    await sc.wacht_tot(melding, lambda s: s.fase == "wacht_op_triage")
    await sc.beeindig(melding)
    return weigering
