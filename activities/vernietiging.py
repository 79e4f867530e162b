"""Destruction of a dossier on request (Q&A 28): the rows in PostgreSQL, the melding's closed
workflow histories, and its data key (crypto-shredding: whatever copy of a payload survives, in
a backup or an exported history, can no longer be read). Only ids are kept, to answer a later
request. The owner of the tables `vernietigingen` and `vernietigingsverslagen`."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable

import asyncpg
import structlog
from temporalio import activity
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from activities import meldingen, outbox
from activities.beleidsinformatie import Beleidsinformatie
from activities.register import ontkoppel_alles
from activities.sleutels import Registersleutels
from contract import ids, names
from domain.uitwisseling import Vernietiging, VernietigingsGrond, Vernietigingsverslag
from domain.verzoektermijn import STANDAARD_MAANDEN
from versleuteling import audit
from versleuteling.codec import Cache, sleutel_id
from versleuteling.opslag import vernietig_sleutel

log = structlog.get_logger(__name__)


class VernietigingActiviteiten:
    def __init__(
        self,
        pool: asyncpg.Pool,
        client: Client | None,
        sleutel: bytes | Registersleutels | None = None,
        termijn_maanden: int = STANDAARD_MAANDEN,
    ) -> None:
        self._pool, self._client = pool, client
        self._sleutels = Registersleutels.van(sleutel) if sleutel is not None else None
        self._termijn_maanden = termijn_maanden

    @activity.defn(name="vernietigingstermijn")
    async def vernietigingstermijn(self) -> int:
        """The organisation's term for a request, in months (recorded in the history: a
        replay never depends on today's configuration)."""
        return self._termijn_maanden

    @activity.defn(name="beoordeel_verzoek")
    async def beoordeel_verzoek(self, melding_id: str) -> VernietigingsGrond:
        async with self._pool.acquire() as con:
            rij = await meldingen.vernietigingsgrond(con, melding_id)
        if rij is None:
            return VernietigingsGrond(bekend=False)
        return VernietigingsGrond(
            bekend=True, regio=rij["regio"], vernietigingsrecht=rij["vernietigingsrecht"]
        )

    @activity.defn(name="vernietig")
    async def vernietig(
        self, melding_id: str, verslag: Vernietigingsverslag | None = None
    ) -> Vernietiging:
        """Histories first (refused while the case runs), then the rows and the melding's data
        key in one transaction; with `verslag` (since v5) a pseudonymised record stays: who
        filed, who decided, when, and who had decoded the dossier (its audit rows)."""
        return await self.voer_uit(melding_id, verslag)

    async def voer_uit(
        self,
        melding_id: str,
        verslag: Vernietigingsverslag | None = None,
        in_transactie: Callable[[asyncpg.Connection], Awaitable[None]] | None = None,
    ) -> Vernietiging:
        """The destruction itself; `in_transactie` adds a statement to its transaction (a
        destruction list records the item there: done together or not at all)."""
        workflows = await self._verwijder_histories(melding_id)
        sleutel = sleutel_id(ids.melding_workflow_id(melding_id))
        _hartslag("rijen")
        async with self._pool.acquire() as con, con.transaction():
            await outbox.verwijder(con, melding_id)
            if verslag is not None:
                await self._leg_verslag_vast(con, melding_id, verslag)
            await audit.verwijder(con, melding_id)
            await ontkoppel_alles(con, melding_id)
            await meldingen.verwijder(con, melding_id)
            await Beleidsinformatie().vernietig(con, melding_id)
            await con.execute(
                "INSERT INTO vernietigingen (melding_id) VALUES ($1) ON CONFLICT DO NOTHING",
                melding_id,
            )
            await vernietig_sleutel(con, sleutel)
            if in_transactie is not None:
                await in_transactie(con)
        # Out of every cache of this process at once; a worker elsewhere that cached the key
        # can still use it for at most CACHE_TTL (docs/privacy.md).
        Cache.vergeet_overal(sleutel)
        log.info("dossier vernietigd", melding_id=melding_id, workflows=len(workflows))
        return Vernietiging(melding_id=melding_id, verwijderde_workflows=workflows)

    async def _leg_verslag_vast(
        self, con: asyncpg.Connection, melding_id: str, verslag: Vernietigingsverslag
    ) -> None:
        if self._sleutels is None:
            raise ApplicationError("vernietiging: geen registersleutel voor het verslag")
        versie, kenmerk = kenmerk_van(self._sleutels, melding_id)
        await con.execute(
            "INSERT INTO vernietigingsverslagen (melding_hmac, sleutel_versie, aangevraagd_door,"
            " aangevraagd_op, besloten_door, besloten_op, ontsleuteld)"
            " SELECT $1, $2, $3, $4, $5, $6, coalesce(jsonb_agg(jsonb_build_object("
            "   'wie', medewerker, 'op', op) ORDER BY op), '[]'::jsonb)"
            " FROM audit WHERE melding_id = $7 AND handeling = 'payload_ontsleuteld'"
            " ON CONFLICT (melding_hmac) DO NOTHING",
            kenmerk,
            versie,
            verslag.aangevraagd_door,
            verslag.aangevraagd_op,
            verslag.besloten_door,
            verslag.besloten_op,
            melding_id,
        )

    async def _verwijder_histories(self, melding_id: str) -> list[str]:
        if self._client is None:
            return []
        workflow_id = ids.melding_workflow_id(melding_id)
        handle = self._client.get_workflow_handle(workflow_id)
        try:
            beschrijving = await handle.describe()
        except RPCError as fout:
            if fout.status is RPCStatusCode.NOT_FOUND:
                return []
            raise
        if beschrijving.status is WorkflowExecutionStatus.RUNNING:
            raise ApplicationError(
                f"melding {melding_id}: de casus loopt nog; vernietigen kan pas na afsluiting",
                type=names.FOUT_NOG_OPEN,
                non_retryable=True,
            )
        # Every run: a case that continued as new has earlier runs under the same workflow id.
        runs = {
            w.run_id async for w in self._client.list_workflows(f"WorkflowId = '{workflow_id}'")
        }
        runs.add(beschrijving.run_id)
        for run_id in sorted(runs):
            _hartslag(run_id)
            try:
                await self._client.workflow_service.delete_workflow_execution(
                    DeleteWorkflowExecutionRequest(
                        namespace=self._client.namespace,
                        workflow_execution=WorkflowExecution(
                            workflow_id=workflow_id, run_id=run_id
                        ),
                    )
                )
            except RPCError as fout:
                if fout.status is not RPCStatusCode.NOT_FOUND:
                    raise
        return [workflow_id]


async def is_vernietigd(con: asyncpg.Connection, melding_id: str) -> bool:
    """Whether the dossier was destroyed (table `vernietigingen`, owned here)."""
    return bool(
        await con.fetchval("SELECT true FROM vernietigingen WHERE melding_id = $1", melding_id)
    )


def kenmerk_van(sleutels: Registersleutels, melding_id: str) -> tuple[int, bytes]:
    """The pseudonymous key of a destroyed dossier: an HMAC of its id with the current register
    key (an inspection holding the id finds its records; nobody reads ids from them)."""
    versie = sleutels.huidige
    kenmerk = hmac.new(
        sleutels.sleutels[versie], b"vernietiging:" + melding_id.encode(), hashlib.sha256
    ).digest()
    return versie, kenmerk


def _hartslag(voortgang: str) -> None:
    """Long histories take a while to delete: the workflow hears this activity is alive
    (a direct call outside a worker, as in a tool or test, has nobody to tell)."""
    if activity.in_activity():
        activity.heartbeat(voortgang)
