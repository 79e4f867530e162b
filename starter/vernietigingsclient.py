"""A request to destroy a dossier (Q&A 28) and a medewerker's decision on it: MeldingClient's
commands for the VernietigingWorkflow (docs/contract.md)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from temporalio.client import WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from contract import names
from domain.besluiten import VernietigingsBesluit, VernietigingsResultaat, VernietigingsVerzoek
from domain.leesbaar import Leesbaar
from starter.fouten import Geweigerd, OnbekendeMelding, VernietigingWachtOpBesluit
from starter.verbinding import (
    Verbinding,
    _melding_workflow_id,
    _streng,
    _update_id,
    _vernietiging_workflow_id,
)
from starter.vertaling import reden


class Vernietigingen(Verbinding):
    """The destruction's commands, part of MeldingClient."""

    async def vernietig(
        self, verzoek: VernietigingsVerzoek, wacht: timedelta = timedelta(seconds=5)
    ) -> VernietigingsResultaat:
        """File a request to destroy a dossier (Q&A 28) and return its outcome when it comes
        within `wacht`; raises VernietigingWachtOpBesluit when a medewerker must decide. Asking
        again returns the outcome of the first request."""
        verzoek = _streng(verzoek)
        melding_id = verzoek.melding_id
        workflow_id = _vernietiging_workflow_id(melding_id)
        handle = self.client.get_workflow_handle(workflow_id, result_type=VernietigingsResultaat)
        # A request that failed (refused at its start, e.g. one without a verklaring sent by
        # someone else) blocks nothing: the reuse policy lets a new one start.
        if not await self._bestaat(melding_id, workflow_id, ook_mislukt=False):
            if not await self._bestaat(melding_id, _melding_workflow_id(melding_id)):
                raise OnbekendeMelding(melding_id)
            # Filed at the same moment by someone else: its outcome is ours.
            with contextlib.suppress(WorkflowAlreadyStartedError):
                await self._rpc(
                    melding_id,
                    self.client.start_workflow(
                        names.VERNIETIGING_WORKFLOW,
                        verzoek,
                        id=workflow_id,
                        task_queue=self.task_queue,
                        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
                        static_summary=Leesbaar(f"Verzoek tot vernietiging, melding {melding_id}"),
                    ),
                )
        try:
            resultaat: VernietigingsResultaat = await asyncio.wait_for(
                handle.result(), wacht.total_seconds()
            )
        except TimeoutError:
            raise VernietigingWachtOpBesluit(melding_id, workflow_id) from None
        except WorkflowFailureError as fout:
            raise Geweigerd(reden(fout)) from fout
        except RPCError as fout:
            raise self._fout(melding_id, fout) from fout
        return resultaat

    async def beslis_vernietiging(
        self, melding_id: str, besluit: VernietigingsBesluit, *, verzoek_id: str | None = None
    ) -> VernietigingsResultaat:
        """A medewerker's decision on a pending request (update beslis_vernietiging)."""
        handle = self.client.get_workflow_handle(_vernietiging_workflow_id(melding_id))
        besluit = _streng(besluit)
        try:
            return await self._rpc(
                melding_id,
                handle.execute_update(
                    names.UPDATE_VERNIETIGING,
                    besluit,
                    id=_update_id(names.UPDATE_VERNIETIGING, besluit, verzoek_id),
                    result_type=VernietigingsResultaat,
                ),
            )
        except WorkflowUpdateFailedError as fout:
            raise Geweigerd(reden(fout)) from fout
