"""Record issue 25's histories: `python -m tests.replay.opnemen v7 bewaar` writes
`v7_bewaar_afsluiten` (a case closing with its bewaartermijn), `v7_bewaar_lijst` (a destruction
list through two rounds: one dossier kept, approved, cancelled in the waiting period, approved
again, destroyed, the verklaring), `v7_bewaar_lijst_leeg` (nothing past its term), and
`v7_bewaar_verzoek_geweigerd` / `v7_bewaar_verzoek_toegekend` (a destruction request through
its three months: reminder, escalation, a refusal with its ground and a letter; a grant).

As tests/replay/opnemen.py: the time-skipping server, the fake activities, the production
worker's patch activation, plaintext payloads.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import timedelta
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.client import data_converter
from contract.ids import vernietiging_workflow_id
from contract.search_attributes import registreer_zoekattributen
from domain.besluiten import VernietigingsBesluit, Weigeringsgrond
from domain.vernietigingslijst import (
    Behouden,
    LijstAnnulering,
    LijstBeoordeling,
    LijstFase,
    LijstGoedkeuring,
    LijstStatus,
)
from runtime.assembly import activeer_patch
from runtime.devserver import programma
from tests import auteurs
from tests.replay.opnemen import schrijf
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import ALLE_WORKFLOWS, VernietigingslijstWorkflow, VernietigingWorkflow

W = VernietigingslijstWorkflow


async def _fase(h: WorkflowHandle[Any, Any], fase: LijstFase, ronde: int) -> LijstStatus:
    while True:
        s: LijstStatus = await h.query(W.status)
        if s.fase is fase and s.ronde == ronde:
            return s
        await asyncio.sleep(0.05)


async def _gesloten(
    env: WorkflowEnvironment, worker: Worker
) -> tuple[str, WorkflowHandle[Any, Any]]:
    m = sc.melding()
    h = await sc.start(env.client, worker, m)
    await sc.beoordeel(h, "afsluiten", geweld_vastgesteld=False)
    await h.result()
    return m.melding_id, h


async def _verzoek(env: WorkflowEnvironment, worker: Worker, versie: str, toegekend: bool) -> None:
    melding_id, _ = await _gesloten(env, worker)
    h = await env.client.start_workflow(
        VernietigingWorkflow.run,
        sc.verzoek(melding_id),
        id=vernietiging_workflow_id(melding_id),
        task_queue=worker.task_queue,
    )
    await sc.wacht_op_besluit(h)
    if toegekend:
        besluit = VernietigingsBesluit(medewerker="tl-0007", toegekend=True, reden="Q&A 28.")
    else:
        await env.sleep(timedelta(days=93))  # past the reminder and the escalation
        besluit = VernietigingsBesluit(
            medewerker="tl-0007",
            toegekend=False,
            reden="Zorgen bevestigd.",
            grond=Weigeringsgrond.AANMERKELIJK_BELANG_ANDER,
            onderbouwing="Het jongste kind heeft een lopende procedure waarin dit nodig is.",
        )
    await h.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
    await h.result()
    naam = "toegekend" if toegekend else "geweigerd"
    schrijf(f"{versie}_bewaar_verzoek_{naam}", await h.fetch_history())


async def neem_bewaar_op(versie: str) -> None:
    env = await WorkflowEnvironment.start_time_skipping(
        plugins=[auteurs.plugin()],
        data_converter=dataclasses.replace(data_converter(), payload_codec=None),
        test_server_existing_path=programma("temporal-test-server"),
    )
    await registreer_zoekattributen(env.client)
    try:
        sc.NU = await env.get_current_time()
        async with Worker(
            env.client,
            task_queue=f"opname-{uuid.uuid4()}",
            workflows=ALLE_WORKFLOWS,
            activities=NepActiviteiten().alle(),
            patch_activation_callback=activeer_patch,
        ) as worker:
            ids = []
            for n in range(3):
                melding_id, h = await _gesloten(env, worker)
                ids.append(melding_id)
                if n == 0:
                    schrijf(f"{versie}_bewaar_afsluiten", await h.fetch_history())
            leeg = await env.client.start_workflow(
                W.run, id=f"vernietigingslijst-{uuid.uuid4()}", task_queue=worker.task_queue
            )
            await leeg.result()
            schrijf(f"{versie}_bewaar_lijst_leeg", await leeg.fetch_history())
            await env.sleep(timedelta(days=20 * 366 + 2))
            h = await env.client.start_workflow(
                W.run, id=f"vernietigingslijst-{uuid.uuid4()}", task_queue=worker.task_queue
            )
            s = await _fase(h, LijstFase.BEOORDELEN, 1)
            tot = s.peildatum + timedelta(days=5 * 365)
            reden = "Lopende procedure bij de rechtbank."
            await h.execute_update(
                W.beoordeel_lijst,
                LijstBeoordeling(
                    medewerker="tl-0007",
                    behouden=[Behouden(melding_id=ids[1], tot=tot, reden=reden)],
                ),
            )
            await h.execute_update(W.keur_lijst_goed, LijstGoedkeuring(medewerker="ar-0003"))
            await env.sleep(timedelta(days=3))
            await h.execute_update(
                W.annuleer_vernietiging,
                LijstAnnulering(medewerker="ar-0003", reden="Nieuwe informatie."),
            )
            await _fase(h, LijstFase.BEOORDELEN, 2)
            await h.execute_update(W.beoordeel_lijst, LijstBeoordeling(medewerker="tl-0008"))
            await h.execute_update(W.keur_lijst_goed, LijstGoedkeuring(medewerker="ar-0003"))
            await env.sleep(timedelta(days=8))
            assert (await h.result()).fase is LijstFase.AFGEROND
            schrijf(f"{versie}_bewaar_lijst", await h.fetch_history())
            for toegekend in (False, True):
                sc.NU = await env.get_current_time()
                await _verzoek(env, worker, versie, toegekend)
    finally:
        await env.shutdown()
