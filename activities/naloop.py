"""The reconciliation (issue 18.4): every open dossier in PostgreSQL should have a running
MeldingWorkflow. One that does not (Failed, Terminated, timed out, missing, or closed without
closing its dossier) is a ghost: the werkvoorraad no longer lists it and nobody would hear of it.
Each ghost becomes a signalering `mislukt` for the team lead (once: not again while one is open)
and is counted in the metric NALOOP_METRIC. Ids, regions and states only: no personal data.
"""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import structlog
from temporalio import activity
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from activities import meldingen
from activities.signalering import signaleer_spook
from contract import ids, names
from domain.uitwisseling import Naloop, Spook

log = structlog.get_logger(__name__)

NALOOP_METRIC = "vt_spookcasussen"
# A dossier younger than this is not checked: its workflow may not be visible yet.
GRATIE = timedelta(minutes=10)
LOPEND = f'WorkflowType = "{names.MELDING_WORKFLOW}" AND ExecutionStatus = "Running"'
TOESTAND = {
    WorkflowExecutionStatus.FAILED: "mislukt",
    WorkflowExecutionStatus.TERMINATED: "beeindigd",
    WorkflowExecutionStatus.TIMED_OUT: "verlopen",
    WorkflowExecutionStatus.CANCELED: "geannuleerd",
    WorkflowExecutionStatus.COMPLETED: "voltooid",
}


class NaloopActiviteiten:
    def __init__(self, pool: asyncpg.Pool, client: Client | None) -> None:
        self._pool, self._client = pool, client

    @activity.defn(name="loop_dossiers_na")
    async def loop_dossiers_na(self) -> Naloop:
        assert self._client is not None, "de naloop vraagt een Temporal-client"
        async with self._pool.acquire() as con:
            rijen = await meldingen.open_dossiers(con, GRATIE)
        lopend: set[str] = set()
        async for uitvoering in self._client.list_workflows(LOPEND):
            lopend.add(uitvoering.id)
            if len(lopend) % 1000 == 0:
                activity.heartbeat(len(lopend))
        spoken: list[Spook] = []
        for rij in rijen:
            workflow_id = ids.melding_workflow_id(rij["melding_id"])
            if workflow_id in lopend:
                continue
            # Visibility lags a little (a run that just continued as new): ask the execution.
            toestand = await self._toestand(workflow_id)
            if toestand is not None:
                spoken.append(
                    Spook(melding_id=rij["melding_id"], regio=rij["regio"], toestand=toestand)
                )
        nieuw = 0
        async with self._pool.acquire() as con:
            for spook in spoken:
                nieuw += await signaleer_spook(con, spook.melding_id, spook.regio)
                log.warning(
                    "spookcasus",
                    melding_id=spook.melding_id,
                    regio=spook.regio,
                    toestand=spook.toestand,
                )
        teller = activity.metric_meter().create_counter(
            NALOOP_METRIC, "open dossiers whose MeldingWorkflow does not run, per reconciliation"
        )
        for spook in spoken:
            teller.add(1, {"toestand": spook.toestand})
        log.info(
            "naloop", open_dossiers=len(rijen), lopend=len(lopend), spoken=len(spoken), nieuw=nieuw
        )
        return Naloop(
            open_dossiers=len(rijen), lopend=len(lopend), spoken=spoken, nieuw_gesignaleerd=nieuw
        )

    async def _toestand(self, workflow_id: str) -> str | None:
        """None while the case runs; else its state, `ontbreekt` when Temporal has no run."""
        assert self._client is not None
        try:
            beschrijving = await self._client.get_workflow_handle(workflow_id).describe()
        except RPCError as fout:
            if fout.status is RPCStatusCode.NOT_FOUND:
                return "ontbreekt"
            raise
        if beschrijving.status is WorkflowExecutionStatus.RUNNING or beschrijving.status is None:
            return None
        return TOESTAND.get(beschrijving.status, beschrijving.status.name.lower())
