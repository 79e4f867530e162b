"""The workflows the same closed-loop driver carries through: ours, the mirror of our shape
(bench/kaal.py) and the minimal workflow of this process (bench/minimaal.py).

A `Route` starts a melding, reads its fase, sends the two decisions and names the workflow ID;
`Ons` goes through `MeldingClient` (as a user does), `Kaal` through the plain client on the
mirror's task queue, `Minimaal` through a client with the SDK's default data converter (no
codec) on the minimal workflow's. All run on the same stack, with the same worker options.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from bench.kaal import FASE, KAAL_WORKFLOW, REGIO
from bench.meldingen import BESLUIT, TRIAGE, Plan, maak_melding
from bench.minimaal import MINIMAAL_WORKFLOW
from contract.ids import melding_workflow_id
from domain.status import MeldingStatus
from starter.client import MeldingClient
from workflows import MeldingWorkflow


class Route(Protocol):
    naam: str

    def workflow_id(self, melding_id: str) -> str: ...

    async def indienen(self, plan: Plan, nu: datetime) -> None: ...

    async def fase(self, melding_id: str) -> tuple[str, int | None]: ...

    async def triage(self, melding_id: str) -> None: ...

    async def besluit(self, melding_id: str) -> None: ...

    async def resultaat(self, melding_id: str) -> str: ...


class Ons:
    naam = "ons"

    def __init__(self, mc: MeldingClient) -> None:
        self.mc, self.client = mc, mc.client

    def workflow_id(self, melding_id: str) -> str:
        return melding_workflow_id(melding_id)

    async def indienen(self, plan: Plan, nu: datetime) -> None:
        await self.mc.indienen(maak_melding(plan, nu))

    async def fase(self, melding_id: str) -> tuple[str, int | None]:
        handle = self.client.get_workflow_handle_for(
            MeldingWorkflow.run, self.workflow_id(melding_id)
        )
        status: MeldingStatus = await handle.query(MeldingWorkflow.status)
        return status.fase.value, status.eerdere_meldingen

    async def triage(self, melding_id: str) -> None:
        await self.mc.registreer_triage(melding_id, TRIAGE)

    async def besluit(self, melding_id: str) -> None:
        await self.mc.neem_besluit(melding_id, BESLUIT)

    async def resultaat(self, melding_id: str) -> str:
        handle = self.client.get_workflow_handle_for(
            MeldingWorkflow.run, self.workflow_id(melding_id)
        )
        return (await handle.result()).einde.value


class Kaal:
    naam = "kaal"

    def __init__(self, client: Client, task_queue: str) -> None:
        self.client, self.task_queue = client, task_queue

    def workflow_id(self, melding_id: str) -> str:
        return f"kaal-{melding_id}"

    async def indienen(self, plan: Plan, nu: datetime) -> None:
        await self.client.start_workflow(
            KAAL_WORKFLOW,
            plan.melding_id,
            id=self.workflow_id(plan.melding_id),
            task_queue=self.task_queue,
            search_attributes=TypedSearchAttributes(
                [SearchAttributePair(REGIO, plan.regio), SearchAttributePair(FASE, "start")]
            ),
        )

    async def fase(self, melding_id: str) -> tuple[str, int | None]:
        handle = self.client.get_workflow_handle(self.workflow_id(melding_id))
        status: dict[str, Any] = await handle.query("status", result_type=dict)
        return str(status["fase"]), None

    async def triage(self, melding_id: str) -> None:
        handle = self.client.get_workflow_handle(self.workflow_id(melding_id))
        await handle.execute_update("registreer_triage", "normaal", result_type=dict)

    async def besluit(self, melding_id: str) -> None:
        handle = self.client.get_workflow_handle(self.workflow_id(melding_id))
        await handle.execute_update("neem_besluit", "advies", result_type=dict)

    async def resultaat(self, melding_id: str) -> str:
        return str(await self.client.get_workflow_handle(self.workflow_id(melding_id)).result())


class Minimaal(Kaal):
    """The minimal workflow: started with its melding ID only, its two updates answered with
    state alone; `client` carries the default data converter."""

    naam = "minimaal"

    def workflow_id(self, melding_id: str) -> str:
        return f"minimaal-{melding_id}"

    async def indienen(self, plan: Plan, nu: datetime) -> None:
        await self.client.start_workflow(
            MINIMAAL_WORKFLOW,
            plan.melding_id,
            id=self.workflow_id(plan.melding_id),
            task_queue=self.task_queue,
        )
