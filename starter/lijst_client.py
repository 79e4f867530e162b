"""The destruction list through Temporal (issue 25): its status, the review, the approval and a
cancel during the waiting period, and the Schedule that starts a list (docs/retention.md)."""

from __future__ import annotations

from pydantic import BaseModel
from temporalio.client import WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from contract import names
from domain.vernietigingslijst import LijstStatus
from runtime.vernietigingslijst import plan_vernietigingslijst
from starter.client import MeldingClient, _streng, _update_id
from starter.fouten import Geweigerd, MeldingFout
from starter.vertaling import reden

LIJSTEN = f'WorkflowType = "{names.VERNIETIGINGSLIJST_WORKFLOW}"'


class LijstClient:
    def __init__(self, meldingen: MeldingClient) -> None:
        self.meldingen = meldingen
        self.client = meldingen.client

    async def status(self, lijst_id: str) -> LijstStatus:
        handle = self.client.get_workflow_handle(lijst_id)
        try:
            return await self.meldingen._rpc(
                lijst_id, handle.query(names.QUERY_STATUS, result_type=LijstStatus)
            )
        except WorkflowQueryFailedError as fout:
            raise MeldingFout(f"lijst {lijst_id}: status niet leesbaar: {fout}") from fout

    async def lijsten(self, limiet: int = 24) -> list[tuple[str, str]]:
        """The lists, newest first: (workflow id, status of the execution)."""
        uit = []
        async for w in self.client.list_workflows(LIJSTEN, limit=limiet):
            uit.append((w.id, w.status.name if w.status else "?"))
        return uit

    async def update(
        self, lijst_id: str, naam: str, invoer: BaseModel, verzoek_id: str | None
    ) -> LijstStatus:
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
