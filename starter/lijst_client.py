"""The destruction list through Temporal (issue 25): its status, the review, the approval and a
cancel during the waiting period, and the Schedule that starts a list (docs/retention.md)."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel
from temporalio.client import WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from contract import names
from contract.ids import LAATSTE_LIJST
from domain.vernietigingslijst import LijstStatus
from runtime.vernietigingslijst import plan_vernietigingslijst
from starter.client import MeldingClient, _streng, _update_id
from starter.fouten import Geweigerd, MeldingFout, OnbekendeMelding
from starter.vertaling import reden


class OnbekendeLijst(OnbekendeMelding):
    """No such list (exit 3, like an unknown melding)."""

    def __init__(self, tekst: str) -> None:
        MeldingFout.__init__(self, tekst)


LIJSTEN = f'WorkflowType = "{names.VERNIETIGINGSLIJST_WORKFLOW}"'


class LijstClient:
    def __init__(self, meldingen: MeldingClient) -> None:
        self.meldingen = meldingen
        self.client = meldingen.client

    async def status(self, lijst_id: str) -> LijstStatus:
        lijst_id = await self.lijst_id(lijst_id)
        handle = self.client.get_workflow_handle(lijst_id)
        try:
            return await self.meldingen._rpc(
                lijst_id, handle.query(names.QUERY_STATUS, result_type=LijstStatus)
            )
        except OnbekendeMelding as fout:
            raise OnbekendeLijst(
                f"vernietigingslijst {lijst_id} is onbekend (python -m starter lijsten)"
            ) from fout
        except WorkflowQueryFailedError as fout:
            raise MeldingFout(f"lijst {lijst_id}: status niet leesbaar: {fout}") from fout

    async def lijst_id(self, lijst_id: str) -> str:
        """`laatste`: the newest list's workflow ID; any other ID as it is."""
        if lijst_id != LAATSTE_LIJST:
            return lijst_id
        lijsten = await self.lijsten(limiet=1)
        if not lijsten:
            raise OnbekendeLijst("er is nog geen vernietigingslijst (python -m starter lijsten)")
        return lijsten[0][0]

    async def stel_op(self, wachttijd: float = 30.0) -> str:
        """A list now, not at the Schedule's next moment (its overlap policy holds: while a
        list runs, none is started). The new list's workflow ID, once visibility has it."""
        voor = {i for i, _ in await self.lijsten()}
        try:
            await self.client.get_schedule_handle(names.VERNIETIGINGSLIJST_SCHEDULE).trigger()
        except RPCError as fout:
            if fout.status is RPCStatusCode.NOT_FOUND:
                raise OnbekendeLijst(
                    "het Schedule van de vernietigingslijst bestaat niet: start de worker of "
                    "python -m starter lijst-plannen"
                ) from fout
            raise
        einde = asyncio.get_running_loop().time() + wachttijd
        while True:
            nieuw = [i for i, _ in await self.lijsten() if i not in voor]
            if nieuw:
                return nieuw[0]
            if asyncio.get_running_loop().time() > einde:
                raise MeldingFout(
                    "de vernietigingslijst is gevraagd maar nog niet gestart (loopt er al een? "
                    "python -m starter lijsten)"
                )
            await asyncio.sleep(0.5)

    async def lijsten(self, limiet: int = 24) -> list[tuple[str, str]]:
        """The lists, newest first: (workflow id, status of the execution)."""
        uit = []
        async for w in self.client.list_workflows(LIJSTEN, limit=limiet):
            uit.append((w.id, w.status.name if w.status else "?"))
        return uit

    async def update(
        self, lijst_id: str, naam: str, invoer: BaseModel, verzoek_id: str | None
    ) -> LijstStatus:
        lijst_id = await self.lijst_id(lijst_id)
        handle = self.client.get_workflow_handle(lijst_id)
        invoer = _streng(invoer)
        try:
            return await self.meldingen._rpc(
                lijst_id,
                handle.execute_update(
                    naam, invoer, id=_update_id(naam, invoer, verzoek_id), result_type=LijstStatus
                ),
            )
        except WorkflowUpdateFailedError as fout:
            if isinstance(fout.cause, ApplicationError):
                raise Geweigerd(reden(fout)) from fout
            raise MeldingFout(f"lijst {lijst_id}: {naam} mislukt: {reden(fout)}") from fout

    async def plan(self, cron: str) -> bool:
        """Create or update the Schedule (as the worker does at its start)."""
        return await plan_vernietigingslijst(self.client, self.meldingen.task_queue, cron)
