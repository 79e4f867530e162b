"""The connection under MeldingClient and its siblings (docs/contract.md): the checks a Temporal
client must pass, whether a worker polls the task queue, and every call to Temporal within the
answer time with its failure explained (starter.vertaling): a person can act on each error."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Sequence
from datetime import timedelta
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import PollerInfo, TaskQueue
from temporalio.api.workflowservice.v1 import (
    DescribeTaskQueueRequest,
    GetWorkflowExecutionHistoryReverseRequest,
)
from temporalio.client import (
    Client,
    RPCTimeoutOrCancelledError,
    WorkflowExecutionStatus,
    WorkflowUpdateFailedError,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from contract import ids, names
from contract.verklaring import PLUGIN
from domain.invoer import foutregels as invoerfouten
from domain.invoer import streng
from domain.kenmerken import verzoek_id_fout
from starter.codec_client import CodecServerCodec
from starter.fouten import (
    GeenAntwoord,
    GeenVerbinding,
    GeenWorker,
    MeldingFout,
    OnbekendeMelding,
    OnbekendeNamespace,
    OngeldigeInvoer,
)
from starter.vertaling import geen_antwoord, rpc_fout, vastgelopen
from versleuteling.codec import VersleutelCodec

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

VERBINDEN_TIMEOUT = 15.0
# A worker seen polling is believed for this long: one describe_task_queue per window, not one
# round trip per melding (the server itself remembers a poller for minutes after it stopped).
WORKER_GEZIEN_S = 10.0
# A case closing its run refuses a decision with `NieuweRun` until the next run takes it (less
# than a second): sent again this often, this far apart (10 s in all).
NIEUWE_RUN_POGINGEN = 50
NIEUWE_RUN_WACHT_S = 0.2


def _streng(invoer: M) -> M:
    """Every intake rule of the contract, before anything is sent (OngeldigeInvoer, exit 2)."""
    try:
        return streng(invoer)
    except ValidationError as fout:
        raise OngeldigeInvoer(invoerfouten(fout, type(invoer))) from fout


def nieuw_verzoek_id() -> str:
    """A request ID for a decision whose caller brought none (the CLI prints it): drawn again
    in the rare case (a nine-digit run of the uuid passing the elfproef, about 1 in 200) that
    the verzoek_id rule would refuse it."""
    while True:
        verzoek_id = f"verzoek-{uuid.uuid4()}"
        if verzoek_id_fout(verzoek_id) is None:
            return verzoek_id


def _nieuwe_run(fout: WorkflowUpdateFailedError) -> bool:
    """The case refused the decision only because it continues as new right now."""
    oorzaak = fout.cause
    return isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_NIEUWE_RUN


def _update_id(naam: str, invoer: BaseModel, verzoek_id: str | None) -> str:
    """The update ID: the update's name, the caller's verzoek_id and the payload's digest
    (contract.ids.update_id): a repeat answers as the first, another payload is refused."""
    if verzoek_id is not None and (fout := verzoek_id_fout(verzoek_id)) is not None:
        raise OngeldigeInvoer([fout])  # it would stand in clear in Temporal's history
    return ids.update_id(naam, verzoek_id or nieuw_verzoek_id(), invoer.model_dump_json().encode())


def _melding_workflow_id(melding_id: str) -> str:
    try:
        return ids.melding_workflow_id(melding_id)
    except ValueError as fout:
        raise OngeldigeInvoer([str(fout)]) from fout


def _vernietiging_workflow_id(melding_id: str) -> str:
    _melding_workflow_id(melding_id)
    return ids.vernietiging_workflow_id(melding_id)


HOE_VERBINDEN = (
    "gebruik MeldingClient.connect(), of bouw de client met "
    "data_converter=contract.client.data_converter(codec=CodecServerCodec(endpoint, token)) "
    "(de codec van de codec server, starter.codec_client) en "
    "plugins=[contract.verklaring.client_plugin(CodecServerUitgever(endpoint, token))] "
    "(docs/contract.md, Python client)"
)


def controleer_client(client: Client, *, codec: bool = True) -> None:
    """Refuse a Temporal client that would store meldingen in plaintext (no codec of this
    project: pydantic_data_converter, or the SDK's default converter) or whose writes carry no
    verklaring (no plugin contract.verklaring.PLUGIN): MeldingFout saying what to do."""
    payload_codec = client.data_converter.payload_codec
    if codec and not isinstance(payload_codec, VersleutelCodec | CodecServerCodec):
        soort = "geen" if payload_codec is None else type(payload_codec).__name__
        raise MeldingFout(
            f"MeldingClient: deze Temporal-client versleutelt de meldingen niet (payload codec: "
            f"{soort}); de melding zou leesbaar in Temporal staan. Niets verstuurd: "
            + HOE_VERBINDEN
        )
    plugins = client.config().get("plugins") or []
    if not any(getattr(p, "name", lambda: "")() == PLUGIN for p in plugins):
        raise MeldingFout(
            f"MeldingClient: deze Temporal-client mist de plugin {PLUGIN!r} "
            "(contract.verklaring.client_plugin): de worker weigert elke schrijfactie zonder "
            "verklaring. Niets verstuurd: " + HOE_VERBINDEN
        )


# A polling worker asks again at least every minute (a long poll lasts up to 60-70 s); one not
# seen for longer has stopped, although Temporal lists it for another few minutes.
POLLER_LEVEND_S = 90.0


def worker_pollt(pollers: Sequence[PollerInfo], nu: float) -> bool:
    """Whether any poller was seen within POLLER_LEVEND_S of `nu` (seconds since the epoch)."""
    return any(nu - p.last_access_time.ToSeconds() <= POLLER_LEVEND_S for p in pollers)


class Verbinding:
    """A checked Temporal client, its task queue and answer time; what MeldingClient and the
    other clients of this package share."""

    def __init__(
        self,
        client: Client,
        task_queue: str = names.TASK_QUEUE,
        *,
        antwoordtijd: timedelta = timedelta(seconds=30),
        adres: str | None = None,
        zonder_codec_alleen_voor_meting: bool = False,
    ) -> None:
        """`zonder_codec_alleen_voor_meting`: bench/codec.py's plaintext baseline, to measure
        what encryption costs; never with real meldingen."""
        controleer_client(client, codec=not zonder_codec_alleen_voor_meting)
        self.client = client
        self.task_queue = task_queue
        self.antwoordtijd = antwoordtijd
        self.adres = adres or client.service_client.config.target_host
        self._worker_gezien: float | None = None

    async def worker_actief(self) -> bool:
        """A worker polls this task queue now: one of the pollers Temporal lists was seen within
        POLLER_LEVEND_S (it remembers stopped ones for minutes)."""
        antwoord = await self._rpc(
            "",
            self.client.workflow_service.describe_task_queue(
                DescribeTaskQueueRequest(
                    namespace=self.client.namespace,
                    task_queue=TaskQueue(name=self.task_queue),
                    task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
                )
            ),
        )
        return worker_pollt(antwoord.pollers, time.time())

    async def _eis_worker(self, pogingen: int = 8) -> None:
        """Refuse to submit onto a task queue no worker polls (a wrong VT_TASK_QUEUE): the
        melding would wait there unseen. A worker that just started is given a few seconds to
        poll; when Temporal won't tell, the melding goes."""
        gezien = self._worker_gezien
        if gezien is not None and time.monotonic() - gezien < WORKER_GEZIEN_S:
            return
        for poging in range(pogingen):
            try:
                if await self.worker_actief():
                    self._worker_gezien = time.monotonic()
                    return
            except (GeenVerbinding, OnbekendeNamespace):
                raise
            except MeldingFout:  # no answer, or not allowed to ask
                return
            if poging < pogingen - 1:
                await asyncio.sleep(0.4)
        raise GeenWorker(self.task_queue, names.TASK_QUEUE)

    async def _rpc(self, melding_id: str, verzoek: Awaitable[T]) -> T:
        """Await a call to Temporal within `antwoordtijd`, mapping transport errors."""
        try:
            return await asyncio.wait_for(verzoek, self.antwoordtijd.total_seconds())
        except (TimeoutError, RPCTimeoutOrCancelledError):
            raise await self._geen_antwoord(melding_id) from None
        except RPCError as fout:
            vertaald = self._fout(melding_id, fout)
            if isinstance(vertaald, GeenAntwoord):
                vertaald = await self._geen_antwoord(melding_id)
            raise vertaald from fout

    async def _geen_antwoord(self, melding_id: str) -> GeenAntwoord:
        """Why the melding's workflow did not answer: a failing activity (PostgreSQL down) or
        workflow task, or no worker on the task queue; the question when Temporal won't tell."""
        if not melding_id:
            return geen_antwoord(self.antwoordtijd, self.task_queue)
        handle = self.client.get_workflow_handle(_melding_workflow_id(melding_id))
        try:
            beschrijving = await asyncio.wait_for(handle.describe(), VERBINDEN_TIMEOUT)
            taak = beschrijving.raw_description.pending_workflow_task
            taakfout = await self._laatste_taakfout(handle.id) if taak.attempt > 1 else ""
            uitleg = await vastgelopen(
                melding_id,
                beschrijving.raw_description,
                self.client.data_converter,
                self.antwoordtijd,
                taakfout,
            )
            return uitleg or geen_antwoord(
                self.antwoordtijd, self.task_queue, await self.worker_actief()
            )
        except (MeldingFout, RPCError, RPCTimeoutOrCancelledError, TimeoutError):
            return geen_antwoord(self.antwoordtijd, self.task_queue)

    async def _laatste_taakfout(self, workflow_id: str) -> str:
        """The message of the workflow's last recorded workflow-task failure (the server records
        the first of a series), read from the end of its history; "" when there is none."""
        antwoord = await asyncio.wait_for(
            self.client.workflow_service.get_workflow_execution_history_reverse(
                GetWorkflowExecutionHistoryReverseRequest(
                    namespace=self.client.namespace,
                    execution=WorkflowExecution(workflow_id=workflow_id),
                    maximum_page_size=50,
                )
            ),
            VERBINDEN_TIMEOUT,
        )
        for event in antwoord.history.events:
            if event.HasField("workflow_task_failed_event_attributes"):
                return str(event.workflow_task_failed_event_attributes.failure.message)
        return ""

    async def _bestaat(
        self, melding_id: str, workflow_id: str, *, ook_mislukt: bool = True
    ) -> bool:
        try:
            beschrijving = await self._rpc(
                melding_id, self.client.get_workflow_handle(workflow_id).describe()
            )
        except OnbekendeMelding:
            return False
        return ook_mislukt or beschrijving.status is not WorkflowExecutionStatus.FAILED

    def _fout(self, melding_id: str, fout: RPCError) -> MeldingFout:
        return rpc_fout(
            fout,
            melding_id,
            adres=self.adres,
            antwoordtijd=self.antwoordtijd,
            task_queue=self.task_queue,
        )
