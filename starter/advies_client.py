"""AdviesClient: the integrator's typed door to AdviesWorkflow (docs/contract.md, "Advies").

It rides on a MeldingClient (the same Temporal client, codec, verklaring plugin, task queue and
error mapping): `AdviesClient(await MeldingClient.connect())`. Errors are those of
starter.fouten, with the advies named where the melding would be.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from temporalio.client import WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from contract import ids, names
from contract.search_attributes import VT_FASE, VT_REGIO
from domain import adviesbeeld
from domain.advies import (
    AdviesAfsluiting,
    AdviesFase,
    AdviesStatus,
    Adviesvraag,
    Gesprek,
    Omzetting,
    VertrouwensartsConsult,
)
from domain.invoer import foutregels, valideer_streng
from starter.client import MeldingClient, _streng, _update_id
from starter.fouten import (
    Geweigerd,
    MeldingBestaatAl,
    MeldingFout,
    OnbekendeMelding,
    OngeldigeInvoer,
)
from starter.vertaling import reden

T = TypeVar("T")


class AdviesBestaatAl(MeldingBestaatAl):
    """Another adviesvraag under this advies_id (exit 5, as a melding)."""

    def __init__(self, advies_id: str) -> None:
        MeldingFout.__init__(self, f"advies {advies_id} bestaat al")
        self.melding_id = advies_id


class OnbekendAdvies(OnbekendeMelding):
    """No AdviesWorkflow under this advies_id (exit 3, as a melding)."""

    def __init__(self, advies_id: str) -> None:
        MeldingFout.__init__(self, f"advies {advies_id} is onbekend")
        self.melding_id = advies_id


def _workflow_id(advies_id: str) -> str:
    try:
        return ids.advies_workflow_id(advies_id)
    except ValueError as fout:
        raise OngeldigeInvoer([str(fout)]) from fout


class AdviesClient:
    def __init__(self, meldingen: MeldingClient) -> None:
        self.meldingen = meldingen
        self.client = meldingen.client

    async def _rpc(self, advies_id: str, verzoek: Awaitable[T]) -> T:
        try:
            return await self.meldingen._rpc(advies_id, verzoek)
        except OnbekendeMelding as fout:
            if isinstance(fout, OnbekendAdvies):
                raise
            raise OnbekendAdvies(advies_id) from fout

    async def indienen(self, vraag: Adviesvraag) -> str:
        """Start the advies' workflow; returns its ID. The same adviesvraag again returns the
        same ID; another under this advies_id is refused (AdviesBestaatAl)."""
        try:
            vraag = valideer_streng(Adviesvraag, vraag)
        except ValidationError as fout:
            raise OngeldigeInvoer(foutregels(fout, Adviesvraag)) from fout
        workflow_id = _workflow_id(vraag.advies_id)
        await self.meldingen._eis_worker()
        try:
            await self._rpc(
                vraag.advies_id,
                self.client.start_workflow(
                    names.ADVIES_WORKFLOW,
                    vraag,
                    id=workflow_id,
                    task_queue=self.meldingen.task_queue,
                    id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
                    search_attributes=TypedSearchAttributes(
                        [
                            SearchAttributePair(VT_REGIO, vraag.regio),
                            SearchAttributePair(VT_FASE, AdviesFase.OPEN.value),
                        ]
                    ),
                    static_summary=adviesbeeld.samenvatting(vraag.advies_id, vraag.regio),
                ),
            )
        except WorkflowAlreadyStartedError as fout:
            if await self._ingediend(workflow_id) == vraag:
                return workflow_id
            raise AdviesBestaatAl(vraag.advies_id) from fout
        return workflow_id

    async def _ingediend(self, workflow_id: str) -> Adviesvraag | None:
        try:
            geschiedenis = await self.client.get_workflow_handle(workflow_id).fetch_history()
            invoer = geschiedenis.events[0].workflow_execution_started_event_attributes.input
            [vraag] = await self.client.data_converter.decode(invoer.payloads[:1], [Adviesvraag])
        except Exception:  # unreadable or gone: not the same adviesvraag
            return None
        return vraag if isinstance(vraag, Adviesvraag) else None

    async def registreer_gesprek(
        self, advies_id: str, gesprek: Gesprek, *, verzoek_id: str | None = None
    ) -> AdviesStatus:
        return await self._update(advies_id, names.UPDATE_GESPREK, gesprek, verzoek_id)

    async def raadpleeg_vertrouwensarts(
        self, advies_id: str, consult: VertrouwensartsConsult, *, verzoek_id: str | None = None
    ) -> AdviesStatus:
        return await self._update(advies_id, names.UPDATE_VERTROUWENSARTS, consult, verzoek_id)

    async def sluit(
        self, advies_id: str, afsluiting: AdviesAfsluiting, *, verzoek_id: str | None = None
    ) -> AdviesStatus:
        return await self._update(advies_id, names.UPDATE_ADVIES_SLUITEN, afsluiting, verzoek_id)

    async def zet_om(
        self, advies_id: str, omzetting: Omzetting, *, verzoek_id: str | None = None
    ) -> AdviesStatus:
        """Turn the advies into a melding: its MeldingWorkflow starts as the advies' child."""
        return await self._update(advies_id, names.UPDATE_OMZETTEN, omzetting, verzoek_id)

    async def status(self, advies_id: str) -> AdviesStatus:
        handle = self.client.get_workflow_handle(_workflow_id(advies_id))
        try:
            return await self._rpc(
                advies_id, handle.query(names.QUERY_STATUS, result_type=AdviesStatus)
            )
        except WorkflowQueryFailedError as fout:
            raise MeldingFout(f"advies {advies_id}: status niet leesbaar: {fout}") from fout

    async def _update(
        self, advies_id: str, naam: str, invoer: BaseModel, verzoek_id: str | None
    ) -> AdviesStatus:
        handle = self.client.get_workflow_handle(_workflow_id(advies_id))
        invoer = _streng(invoer)
        try:
            return await self._rpc(
                advies_id,
                handle.execute_update(
                    naam, invoer, id=_update_id(naam, invoer, verzoek_id), result_type=AdviesStatus
                ),
            )
        except WorkflowUpdateFailedError as fout:
            oorzaak = fout.cause
            if isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_BESTAAT_AL:
                melding_id = getattr(getattr(invoer, "melding", None), "melding_id", advies_id)
                raise MeldingBestaatAl(melding_id) from fout
            if isinstance(oorzaak, ApplicationError):
                raise Geweigerd(reden(fout)) from fout
            raise MeldingFout(f"advies {advies_id}: {naam} mislukt: {reden(fout)}") from fout
        except Geweigerd as fout:
            # The advies closed (it closes at once): a retry of the update that closed it
            # answers with the status; anything else is refused, naming the advies' phase.
            status = await self.status(advies_id)
            if status.afsluiting == invoer or (
                isinstance(invoer, Omzetting) and status.melding_id == invoer.melding.melding_id
            ):
                return status
            if status.fase is AdviesFase.OPEN:
                raise
            raise Geweigerd(
                f"{naam}: advies {advies_id} is {status.fase.value}: er kan niets meer bij"
            ) from fout
