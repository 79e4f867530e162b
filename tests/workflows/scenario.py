"""Examples and steps shared by the workflow tests: one household, decisions by a medewerker."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.ids import melding_workflow_id
from domain import voorbeelden
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    MonitoringUitkomst,
    Triage,
    VernietigingsVerzoek,
)
from domain.melding import Melding
from domain.status import MeldingStatus
from tests.ids import nieuw_melding_id
from workflows import MeldingWorkflow

# The test server's clock: it runs ahead of the real one once a test skipped time, and
# every test's melding is received "now" on that clock (set per test by conftest).
NU: datetime = datetime.now(UTC)


def melding(
    *, burger: bool = False, minderjarige: bool = True, blijft_betrokken: bool = True, **over: Any
) -> Melding:
    melder: dict[str, Any] = (
        {"soort": "burger", "naam": "Buur", "anonimiteit_gevraagd": True}
        if burger
        else {
            "soort": "professional",
            "beroepsgroep": "onderwijs",
            "meldnorm": 1,
            "naam": "Leerkracht",
            "blijft_betrokken": blijft_betrokken,
        }
    )
    geboren = f"{NU.year - (7 if minderjarige else 35)}-03-01"
    gegevens = {
        "melding_id": nieuw_melding_id("VT-UTR"),
        "regio": "utrecht",
        "ontvangen_op": NU - timedelta(minutes=1),
        "melder": melder,
        "betrokkenen": [
            {
                "rol": "kind",
                "voornaam": "Sam",
                "achternaam": "Jansen",
                "geboortedatum": geboren,
                "bsn": "111222333",
            },
            {"rol": "ouder_verzorger", "voornaam": "Kim", "achternaam": "Jansen"},
        ],
        "zorgen": {"vormen": ["kindermishandeling"], "structureel_vermoeden": True},
    }
    gegevens.update(over)
    return Melding.ontvang(gegevens, nu=NU)


triage = voorbeelden.triage
uitkomst = voorbeelden.uitkomst


def besluit(vervolg: str, **over: Any) -> Besluit:
    """The example melder is a professional who stays involved: with advies_aan_melder."""
    return voorbeelden.besluit(vervolg, **{"advies_aan_melder": "voortzetten", **over})


def afronding(**over: Any) -> DienstAfronding:
    """Veiligheidsvoorwaarden gesteld, geweld vastgesteld, handed over to a jeugdteam."""
    return voorbeelden.afronding(
        **{
            "veiligheidsvoorwaarden_gesteld": True,
            "geweld_vastgesteld": True,
            "vervolg": "overdracht",
            "ketenpartner": {"soort": "lokaal_veld", "naam": "Jeugdteam Noord"},
            "samenvatting_voor_melder": "Veiligheidsvoorwaarden gesteld en overgedragen.",
            **over,
        }
    )


async def start(client: Client, worker: Worker, m: Melding) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=worker.task_queue
    )


async def wacht_tot(
    handle: WorkflowHandle[Any, Any],
    voorwaarde: Callable[[MeldingStatus], bool],
    seconden: float = 30,
) -> MeldingStatus:
    """Poll the status query (real time: queries do not skip time) until `voorwaarde` holds."""
    einde = time.monotonic() + seconden
    while True:
        try:
            status: MeldingStatus = await handle.query(
                MeldingWorkflow.status, rpc_timeout=timedelta(seconds=5)
            )
        except RPCError:
            # The test server can leave a query unanswered while a run continues as new.
            if time.monotonic() > einde:
                raise
            continue
        if voorwaarde(status):
            return status
        if time.monotonic() > einde:
            raise AssertionError(f"status bleef {status.fase}: {status.model_dump_json()}")
        await asyncio.sleep(0.05)


async def beoordeel(
    handle: WorkflowHandle[Any, Any], vervolg: str, t: Triage | None = None, **besluit_over: Any
) -> MeldingStatus:
    """Sources gathered, triage and besluit taken: the veiligheidsbeoordeling."""
    await wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, t or triage())
    return await handle.execute_update(
        MeldingWorkflow.neem_besluit, besluit(vervolg, **besluit_over)
    )


async def registreer_monitoring(
    handle: WorkflowHandle[Any, Any], u: MonitoringUitkomst, seconden: float = 30
) -> MeldingStatus:
    """Register a monitoring outcome once the check is open (its timer fired in the worker)."""
    einde = time.monotonic() + seconden
    while True:
        try:
            return await handle.execute_update(MeldingWorkflow.registreer_monitoring, u)
        except WorkflowUpdateFailedError as fout:
            # Only "no check open yet" is worth a retry; any other refusal is the answer (a
            # refused update still costs the run a workflow task: retrying it fills the run).
            if time.monotonic() > einde or "geen monitoringsmoment open" not in str(fout.cause):
                raise
            await asyncio.sleep(0.05)


def beschrijf_verzoek(handle: WorkflowHandle[Any, Any]) -> DescribeWorkflowExecutionRequest:
    """The raw describe: this server's Datetime search attributes trip the SDK's describe()."""
    return DescribeWorkflowExecutionRequest(
        namespace=handle._client.namespace,
        execution=WorkflowExecution(workflow_id=handle.id),
    )


async def beeindig(handle: WorkflowHandle[Any, Any], seconden: float = 30) -> None:
    """Terminate once no activity is in flight: the time-skipping server keeps time locked for
    an activity whose workflow was terminated under it, and later tests would stop skipping."""
    einde = time.monotonic() + seconden
    verzoek = beschrijf_verzoek(handle)
    # The raw call: this server's Datetime search attributes trip the SDK's describe().
    rustig = 0
    while rustig < 3 and time.monotonic() < einde:
        beschrijving = await handle._client.workflow_service.describe_workflow_execution(verzoek)
        bezig = beschrijving.pending_activities or beschrijving.HasField("pending_workflow_task")
        rustig = 0 if bezig else rustig + 1
        await asyncio.sleep(0.05)
    await handle.terminate("test klaar")


async def slaap(
    env: WorkflowEnvironment, duur: timedelta, stap: timedelta = timedelta(hours=4)
) -> None:
    """Skip `duur` in steps while activities keep retrying: every attempt runs in real time, and
    one long skip over many attempts can outlast the test server's own time-out for a sleep."""
    while duur > timedelta(0):
        await env.sleep(min(stap, duur))
        duur -= stap


async def wacht_op_besluit(verzoek: WorkflowHandle[Any, Any], seconden: float = 45) -> None:
    """The request waits for its decision: its deadline watch has started a timer (a bound for
    a busy 2-core machine, where the suite's integration tests share the CPU)."""
    einde = time.monotonic() + seconden
    while True:
        events = (await verzoek.fetch_history()).events
        if any(e.HasField("timer_started_event_attributes") for e in events):
            return
        # On failure the history's last events say where the request stood.
        assert time.monotonic() < einde, "het verzoek kwam niet bij het besluit: " + ", ".join(
            f"{e.event_id} {e.WhichOneof('attributes')}"
            + (
                f" {e.activity_task_scheduled_event_attributes.activity_type.name}"
                if e.HasField("activity_task_scheduled_event_attributes")
                else ""
            )
            for e in events[-16:]
        )
        await asyncio.sleep(0.05)


def verzoek(melding_id: str) -> VernietigingsVerzoek:
    """A parent's request to destroy the dossier of `melding_id`, received now."""
    return VernietigingsVerzoek(
        melding_id=melding_id, verzoeker_rol="ouder_verzorger", ontvangen_op=NU
    )


async def onderzoek_met_uitstel(
    client: Client, worker: Worker
) -> tuple[Melding, WorkflowHandle[Any, Any]]:
    """A case in onderzoek whose household's informing is postponed, its dienst under way."""
    m = melding()
    handle = await start(client, worker, m)
    await beoordeel(
        handle,
        "onderzoek",
        t=triage(nader_onderzoek_nodig=True),
        huishouden_informeren_uitstellen="Eerst veiligheidsplan met moeder.",
    )
    await wacht_tot(handle, lambda s: s.tweede_terugkoppeling_deadline is not None)
    return m, handle
