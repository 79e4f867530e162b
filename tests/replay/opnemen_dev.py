"""Record histories on the Temporal dev server: `python -m tests.replay.opnemen_dev v6 [pad …]`.

The time-skipping test server (tests/replay/opnemen.py) can leave out the last task of a run that
continued as new, and it is not the server production runs. These paths need no long timers, so
they run in real time on `temporal server start-dev`: the plain paths, a cancel, a refused start
(the workflow fails), a continued-as-new chain with every run complete, a destruction that waits
for its case, and each side of the patches the test server's histories miss. A history whose
case still waits (days of a timer) is written as it stands: a replay checks every command so far.

Names: `<versie>_dev_<pad>[_run<n>]`; recorded with a patch held back (its old side):
`…__zonder_<patch>`; with a prepared patch switched on (its new side, which the previous release
cannot replay): `…__met_<patch>`. Synthetic data only, payloads unencrypted.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio.client import WorkflowFailureError, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import PatchActivationInput, Worker

from contract.client import data_converter
from contract.ids import vernietiging_workflow_id
from contract.search_attributes import alle_zoekattributen
from domain.besluiten import Koppeling, VernietigingsBesluit
from runtime.assembly import activeer_patch
from runtime.devserver import programma
from tests import auteurs
from tests.replay import opnemen as op
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import alle_runs
from workflows import ALLE_WORKFLOWS, MeldingWorkflow, VernietigingWorkflow
from workflows.melding import EVENTS_PER_RUN

Pad = Callable[[WorkflowEnvironment, WorkflowHandle[Any, Any], NepActiviteiten], Awaitable[None]]


async def _koppel(h: WorkflowHandle[Any, Any], aantal: int, begin: int = 0) -> None:
    """Radar links one by one, each applied before the next (as the register sends them)."""
    for n in range(begin, begin + aantal):
        await h.signal(
            MeldingWorkflow.melding_gekoppeld,
            Koppeling(melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=sc.NU),
        )
        await sc.wacht_tot(h, lambda s, n=n: len(s.gekoppelde_meldingen) == n + 1)


async def _koppel_tot(h: WorkflowHandle[Any, Any], events: int) -> int:
    """Radar links until the run's history holds `events` events; the number of links sent."""
    n = 0
    huidige = h._client.get_workflow_handle(h.id, run_id=(await h.describe()).run_id)
    while len((await huidige.fetch_history()).events) < events:
        await _koppel(h, 1, n)
        n += 1
    return n


async def geannuleerd(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any], _: Any) -> None:
    """The Web UI's cancel while the case waits for its triage."""
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    await h.cancel()


async def doorgegaan(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any], _: Any) -> None:
    """Radar links until the run continues as new at its event bound (EVENTS_PER_RUN), both
    runs complete; then the triage and the advies in the new run."""
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    n = await _koppel_tot(h, EVENTS_PER_RUN)
    await _koppel(h, 2, n)
    await sc.beoordeel(h, "advies")


async def dienst_na_doorgaan(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any], _: Any) -> None:
    """Triage, continued as new, then a besluit with a dienst: the first upsert of the new run
    has no deadline (the tweede terugkoppeling's is set after the eerste), so the
    deadline the run inherited is cleared (`zoekattributen-geerfde-deadline-wissen`). The case
    then waits 10 weeks for its dienst: written as it stands."""
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    await h.execute_update(
        MeldingWorkflow.registreer_triage, sc.triage(structurele_onveiligheid=True)
    )
    await _koppel_tot(h, EVENTS_PER_RUN)
    await sc.wacht_tot(h, lambda s: True)  # the new run answers
    await h.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("voorwaarden_en_vervolg"))
    await sc.wacht_tot(h, lambda s: s.tweede_terugkoppeling_deadline is not None)


async def besluit_op_de_grens(
    env: WorkflowEnvironment, h: WorkflowHandle[Any, Any], nep: NepActiviteiten
) -> None:
    """The run reaches its bound (EVENTS_PER_RUN) with a radar link while the besluit's audit is
    in flight:
    the besluit ends the wait (`wachten-klaar-na-beslissing`; held back: the run continues as new
    all the same and the next run goes on from the besluit)."""
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    await h.execute_update(MeldingWorkflow.registreer_triage, sc.triage())
    n = await _koppel_tot(h, EVENTS_PER_RUN - 12)
    nep.audit_vertraging = 2.0
    besluit = asyncio.create_task(
        h.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    )
    await asyncio.sleep(0.5)
    await h.signal(
        MeldingWorkflow.melding_gekoppeld,
        Koppeling(melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=sc.NU),
    )
    await besluit
    nep.audit_vertraging = 0.0


PADEN: dict[str, Pad] = {
    "advies": lambda env, h, _: op.advies(env, h),
    "radar": lambda env, h, _: op.radar(env, h),
    "afsluiten_vernietigingsrecht": lambda env, h, _: op.afsluiten_vernietigingsrecht(env, h),
    "huishouden_uitgesteld": lambda env, h, _: op.huishouden_uitgesteld(env, h),
    "vervalst_signaal": lambda env, h, _: op.vervalst_signaal(env, h),
    "geannuleerd": geannuleerd,
    "doorgegaan": doorgegaan,
    "dienst_na_doorgaan": dienst_na_doorgaan,
    "besluit_op_de_grens": besluit_op_de_grens,
}
# Cases that go on waiting for weeks: written as they stand, then terminated.
OPEN = {"dienst_na_doorgaan"}
# Recorded again with one patch held back: the old side of patches no other history holds.
ZONDER = {
    "dienst_na_doorgaan": "zoekattributen-geerfde-deadline-wissen",
    "besluit_op_de_grens": "wachten-klaar-na-beslissing",
}


def activering(zonder: str = "") -> Callable[[PatchActivationInput], bool]:
    """The production worker's patch activation, with `zonder` held back."""
    return lambda invoer: invoer.patch_id != zonder and activeer_patch(invoer)


async def neem_op(versie: str, alleen: list[str]) -> None:
    """Every path, or only those named in `alleen` (the destructions: "vernietigingen")."""
    env = await WorkflowEnvironment.start_local(
        plugins=[auteurs.plugin()],
        data_converter=dataclasses.replace(data_converter(), payload_codec=None),
        dev_server_existing_path=programma("temporal"),
        search_attributes=alle_zoekattributen(),
    )
    try:
        sc.NU = await env.get_current_time()
        for naam, verloop in PADEN.items():
            if alleen and naam not in alleen:
                continue
            await neem_pad_op(env, f"{versie}_dev_{naam}", verloop)
            if naam in ZONDER:
                patch = ZONDER[naam]
                await neem_pad_op(env, f"{versie}_dev_{naam}__zonder_{patch}", verloop, patch)
        if not alleen or "vernietigingen" in alleen:
            await neem_vernietigingen_op(env, versie)
        if not alleen or "vervalste_start" in alleen:
            await neem_vervalste_start_op(env, f"{versie}_dev_vervalste_start")
    finally:
        await env.shutdown()


async def neem_pad_op(env: WorkflowEnvironment, naam: str, verloop: Pad, zonder: str = "") -> None:
    nep = NepActiviteiten()
    async with Worker(
        env.client,
        task_queue=f"opname-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=nep.alle(),
        patch_activation_callback=activering(zonder),
    ) as worker:
        gestart = await sc.start(env.client, worker, sc.melding())
        # Not bound to the first run: signals, updates and queries reach the current one.
        handle = env.client.get_workflow_handle_for(MeldingWorkflow.run, gestart.id)
        await verloop(env, handle, nep)
        laatste = env.client.get_workflow_handle(handle.id)
        blijft_open = any(f"_dev_{pad}" in naam for pad in OPEN)
        if not blijft_open:
            with contextlib.suppress(WorkflowFailureError):  # cancelled: the history is the point
                await laatste.result()
        for n, geschiedenis in enumerate(await alle_runs(env.client, handle.id)):
            op.schrijf(naam + (f"_run{n + 1}" if n else ""), geschiedenis)
        if blijft_open:
            await laatste.terminate("opname klaar")


async def neem_vernietigingen_op(env: WorkflowEnvironment, versie: str) -> None:
    """Granted, refused, granted with the decision's audit held back, and granted while the case
    still runs (the destruction waits a day for it: written as it stands)."""
    for naam, toegekend, zonder, lopend in (
        ("vernietiging_toegekend", True, "", False),
        ("vernietiging_geweigerd", False, "", False),
        (
            "vernietiging_toegekend__zonder_vernietiging-besluit-audit",
            True,
            "vernietiging-besluit-audit",
            False,
        ),
        ("vernietiging_wacht_op_casus", True, "", True),
    ):
        nep = NepActiviteiten()
        async with Worker(
            env.client,
            task_queue=f"opname-{uuid.uuid4()}",
            workflows=ALLE_WORKFLOWS,
            activities=nep.alle(),
            patch_activation_callback=activering(zonder),
        ) as worker:
            m = sc.melding()
            handle = await sc.start(env.client, worker, m)
            await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
            await handle.result()
            if lopend:
                nep.lopend.add(m.melding_id)
            verzoek = await env.client.start_workflow(
                VernietigingWorkflow.run,
                sc.verzoek(m.melding_id),
                id=vernietiging_workflow_id(m.melding_id),
                task_queue=worker.task_queue,
            )
            await sc.wacht_op_besluit(verzoek)
            besluit = VernietigingsBesluit(
                medewerker="mw-0042", toegekend=toegekend, reden="Besproken met de teamleider."
            )
            await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
            if lopend:
                await _wacht_op_timer(verzoek)
                op.schrijf(f"{versie}_dev_{naam}", await verzoek.fetch_history())
                await verzoek.terminate("opname klaar")
                continue
            await verzoek.result()
            op.schrijf(f"{versie}_dev_{naam}", await verzoek.fetch_history())


async def _wacht_op_timer(verzoek: WorkflowHandle[Any, Any]) -> None:
    """The destruction was refused (the case runs) and its daily retry timer started."""
    for _ in range(400):
        events = (await verzoek.fetch_history()).events
        mislukt = [
            i for i, e in enumerate(events) if e.HasField("activity_task_failed_event_attributes")
        ]
        if mislukt and any(
            e.HasField("timer_started_event_attributes") for e in events[mislukt[0] :]
        ):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("de vernietiging wachtte niet op de casus")


async def neem_vervalste_start_op(env: WorkflowEnvironment, naam: str) -> None:
    await op.neem_vervalste_start_op(env, naam)


if __name__ == "__main__":
    asyncio.run(neem_op(sys.argv[1] if len(sys.argv) > 1 else "v6", sys.argv[2:]))
