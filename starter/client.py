"""MeldingClient: the integrator's typed door to the melding workflows (docs/contract.md).

Workflows are addressed by their contract names (contract.names), never by importing the
workflow code: data flows one way, starter → Temporal → workflows. Temporal's errors become the
errors of starter.fouten (starter.vertaling), each with a message a person can act on.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import Awaitable, Mapping, Sequence
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
    WorkflowFailureError,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError

from contract import ids, names
from contract.client import adres, verbind
from contract.search_attributes import VT_FASE, VT_REGIO
from contract.verklaring import PLUGIN, client_plugin
from domain import casusbeeld, termijnen
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    HuishoudenInformeren,
    MonitoringUitkomst,
    Triage,
    VernietigingsBesluit,
    VernietigingsResultaat,
    VernietigingsVerzoek,
)
from domain.invoer import foutregels as invoerfouten
from domain.invoer import streng
from domain.kenmerken import verzoek_id_fout
from domain.leesbaar import Leesbaar
from domain.melding import Melding
from domain.status import MeldingStatus
from domain.waarden import Fase
from starter.codec_client import CodecServerCodec, client_converter, client_uitgever
from starter.fouten import (
    GeenAntwoord,
    GeenVerbinding,
    GeenWorker,
    Geweigerd,
    MeldingBestaatAl,
    MeldingFout,
    OnbekendeMelding,
    OnbekendeNamespace,
    OngeldigeInvoer,
    VernietigingWachtOpBesluit,
)
from starter.vertaling import geen_antwoord, oorzaak, reden, rpc_fout, vastgelopen
from starter.zoeken import MeldingRegel, zoek, zoekvraag_lijst
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


class MeldingClient:
    """Submit meldingen, register the human decisions, read status: typed, with clear errors.

    Only over a client with this project's codec and the verklaring plugin (controleer_client):
    MeldingClient.connect() builds one."""

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

    @classmethod
    async def connect(cls, env: Mapping[str, str] | None = None) -> MeldingClient:
        """Connect as the SDK reads the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS,
        API key, profiles); the task queue from VT_TASK_QUEUE, else the contract's."""
        omgeving = os.environ if env is None else env
        doel = adres(env)
        converter = await client_converter(omgeving)
        plugin = client_plugin(client_uitgever(omgeving))
        try:
            client = await asyncio.wait_for(
                verbind(env, converter=converter, plugins=[plugin]), VERBINDEN_TIMEOUT
            )
        except Exception as fout:  # the SDK raises RuntimeError with a transport message
            raise GeenVerbinding(doel, oorzaak(fout)) from fout
        task_queue = omgeving.get(names.TASK_QUEUE_ENV) or names.TASK_QUEUE
        return cls(client, task_queue, adres=doel)

    # -- melding ------------------------------------------------------------------------------
    async def indienen(self, melding: Melding) -> str:
        """Start the melding's workflow; returns its ID. A second submission is refused."""
        try:
            melding = Melding.ontvang(melding)
        except ValidationError as fout:
            raise OngeldigeInvoer(invoerfouten(fout, Melding)) from fout
        workflow_id = _melding_workflow_id(melding.melding_id)
        await self._eis_worker()
        try:
            await self._rpc(
                melding.melding_id,
                self.client.start_workflow(
                    names.MELDING_WORKFLOW,
                    melding,
                    id=workflow_id,
                    task_queue=self.task_queue,
                    id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
                    search_attributes=TypedSearchAttributes(
                        [
                            SearchAttributePair(VT_REGIO, melding.regio),
                            SearchAttributePair(VT_FASE, Fase.INFORMATIE_VERZAMELEN.value),
                        ]
                    ),
                    static_summary=casusbeeld.statische_samenvatting(
                        melding.melding_id, melding.regio
                    ),
                    static_details=casusbeeld.statische_details(
                        melding.melding_id,
                        melding.regio,
                        melding.melder.soort.value,
                        melding.ontvangen_op,
                        termijnen.beoordeling_deadline(melding.ontvangen_op),
                    ),
                ),
            )
        except WorkflowAlreadyStartedError as fout:
            # Idempotent intake: the same melding again is the same case; another is refused.
            if await self._ingediend(workflow_id) == melding:
                return workflow_id
            raise MeldingBestaatAl(melding.melding_id) from fout
        return workflow_id

    async def _ingediend(self, workflow_id: str) -> Melding | None:
        """The melding a workflow was started with (a continued run carries it first)."""
        try:
            geschiedenis = await self._rpc(
                "", self.client.get_workflow_handle(workflow_id).fetch_history()
            )
            invoer = geschiedenis.events[0].workflow_execution_started_event_attributes.input
            [melding] = await self.client.data_converter.decode(invoer.payloads[:1], [Melding])
        except (MeldingFout, ValueError, ValidationError):
            return None
        return melding if isinstance(melding, Melding) else None

    # -- decisions: each takes the caller's request ID (verzoek_id) as its update ID ----------
    async def registreer_triage(
        self, melding_id: str, triage: Triage, *, verzoek_id: str | None = None
    ) -> MeldingStatus:
        return await self._update(melding_id, names.UPDATE_TRIAGE, triage, verzoek_id)

    async def neem_besluit(
        self, melding_id: str, besluit: Besluit, *, verzoek_id: str | None = None
    ) -> MeldingStatus:
        return await self._update(melding_id, names.UPDATE_BESLUIT, besluit, verzoek_id)

    async def rond_dienst_af(
        self, melding_id: str, afronding: DienstAfronding, *, verzoek_id: str | None = None
    ) -> MeldingStatus:
        return await self._update(melding_id, names.UPDATE_DIENST_AFRONDEN, afronding, verzoek_id)

    async def registreer_monitoring(
        self, melding_id: str, uitkomst: MonitoringUitkomst, *, verzoek_id: str | None = None
    ) -> MeldingStatus:
        return await self._update(melding_id, names.UPDATE_MONITORING, uitkomst, verzoek_id)

    async def informeer_huishouden(
        self, melding_id: str, informatie: HuishoudenInformeren, *, verzoek_id: str | None = None
    ) -> MeldingStatus:
        return await self._update(
            melding_id, names.UPDATE_HUISHOUDEN_INFORMEREN, informatie, verzoek_id
        )

    async def status(self, melding_id: str) -> MeldingStatus:
        handle = self.client.get_workflow_handle(_melding_workflow_id(melding_id))
        try:
            return await self._rpc(
                melding_id, handle.query(names.QUERY_STATUS, result_type=MeldingStatus)
            )
        except WorkflowQueryFailedError as fout:
            if "is vernietigd" in str(fout):  # the worker cannot encode it: the key is gone
                raise OnbekendeMelding(melding_id, vernietigd=True) from fout
            raise MeldingFout(f"melding {melding_id}: status niet leesbaar: {fout}") from fout

    async def lijst(
        self,
        fase: Fase | str | None = None,
        regio: str | None = None,
        overschreden: bool = False,
        limiet: int = 100,
    ) -> list[MeldingRegel]:
        """Meldingen by phase, region and overdue mark (visibility: eventually consistent),
        soonest deadline first."""
        zoekvraag = zoekvraag_lijst(fase, regio, overschreden)
        try:
            return await zoek(self.client, zoekvraag, limiet)
        except RPCError as fout:
            raise self._fout("", fout) from fout

    async def zoek(self, zoekvraag: str, limiet: int = 100) -> list[MeldingRegel]:
        """Meldingen by a visibility query of our own making (starter.werkvoorraad), soonest
        deadline first."""
        try:
            return await zoek(self.client, zoekvraag, limiet)
        except RPCError as fout:
            raise self._fout("", fout) from fout

    # -- vernietiging -------------------------------------------------------------------------
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

    # -- worker -------------------------------------------------------------------------------
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

    # -- mechanics ----------------------------------------------------------------------------
    async def _update(
        self, melding_id: str, naam: str, invoer: BaseModel, verzoek_id: str | None
    ) -> MeldingStatus:
        """One decision as an update whose ID is the caller's request ID: a repeat with the
        same ID, or an identical repeat of an applied decision, answers as the first did."""
        handle = self.client.get_workflow_handle(_melding_workflow_id(melding_id))
        invoer = _streng(invoer)
        update_id = _update_id(naam, invoer, verzoek_id)
        try:
            for _ in range(NIEUWE_RUN_POGINGEN):
                try:
                    return await self._rpc(
                        melding_id,
                        handle.execute_update(
                            naam, invoer, id=update_id, result_type=MeldingStatus
                        ),
                    )
                except WorkflowUpdateFailedError as fout:
                    if not _nieuwe_run(fout):
                        raise
                    # The case continues as new in a moment; the next run takes the same request.
                    await asyncio.sleep(NIEUWE_RUN_WACHT_S)
            return await self._rpc(
                melding_id,
                handle.execute_update(naam, invoer, id=update_id, result_type=MeldingStatus),
            )
        except WorkflowUpdateFailedError as fout:
            if isinstance(fout.cause, ApplicationError):
                raise Geweigerd(reden(fout)) from fout
            raise MeldingFout(f"melding {melding_id}: {naam} mislukt: {reden(fout)}") from fout
        except Geweigerd:
            # The case closed (an advies closes seconds after its besluit): a retry of a decision
            # that was applied before it closed still answers with the status.
            status = await self._status_na_afsluiting(melding_id, naam, invoer)
            if status is None:
                raise
            return status

    async def _status_na_afsluiting(
        self, melding_id: str, naam: str, invoer: BaseModel
    ) -> MeldingStatus | None:
        try:
            status = await self.status(melding_id)
        except MeldingFout:
            return None
        toegepast = {
            names.UPDATE_TRIAGE: status.triage == invoer,
            names.UPDATE_BESLUIT: status.besluit == invoer,
            names.UPDATE_MONITORING: any(m.uitkomst == invoer for m in status.monitoring),
        }
        return status if toegepast.get(naam, False) else None

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
