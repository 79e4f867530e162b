"""MeldingClient: the integrator's typed door to the melding workflows (docs/contract.md).

Workflows are addressed by their contract names (contract.names), never by importing the
workflow code: data flows one way, starter → Temporal → workflows. Temporal's errors become the
errors of starter.fouten (starter.vertaling), each with a message a person can act on.
The connection's checks and helpers live in starter/verbinding.py and are imported from here
too, as before (`nieuw_verzoek_id`, `worker_pollt`, `POLLER_LEVEND_S`, `controleer_client`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from pydantic import BaseModel, ValidationError
from temporalio.client import WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError

from contract import names
from contract.client import adres, verbind
from contract.search_attributes import VT_FASE, VT_REGIO
from contract.verklaring import client_plugin
from domain import casusbeeld, termijnen
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    HuishoudenInformeren,
    MonitoringUitkomst,
    Triage,
)
from domain.invoer import foutregels as invoerfouten
from domain.melding import Melding
from domain.status import MeldingStatus
from domain.waarden import Fase
from starter.codec_client import client_converter, client_uitgever
from starter.fouten import (
    GeenVerbinding,
    Geweigerd,
    MeldingBestaatAl,
    MeldingFout,
    OnbekendeMelding,
    OngeldigeInvoer,
)
from starter.verbinding import HOE_VERBINDEN as HOE_VERBINDEN
from starter.verbinding import (
    NIEUWE_RUN_POGINGEN,
    NIEUWE_RUN_WACHT_S,
    VERBINDEN_TIMEOUT,
    _melding_workflow_id,
    _nieuwe_run,
)
from starter.verbinding import POLLER_LEVEND_S as POLLER_LEVEND_S
from starter.verbinding import _streng as _streng
from starter.verbinding import _update_id as _update_id
from starter.verbinding import controleer_client as controleer_client
from starter.verbinding import nieuw_verzoek_id as nieuw_verzoek_id
from starter.verbinding import worker_pollt as worker_pollt
from starter.vernietigingsclient import Vernietigingen
from starter.vertaling import oorzaak, reden
from starter.zoeken import MeldingRegel, zoek, zoekvraag_lijst


class MeldingClient(Vernietigingen):
    """Submit meldingen, register the human decisions, read status: typed, with clear errors.

    Only over a client with this project's codec and the verklaring plugin (controleer_client):
    MeldingClient.connect() builds one. The connection's mechanics are starter/verbinding.py's,
    the destruction's commands starter/vernietigingsclient.py's."""

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
