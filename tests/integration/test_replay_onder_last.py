"""Histories written under load replay (issue 17's check of starts and signals): on the dev
server, with the worker busy, a local activity can end the workflow task it ran in, and a patch
decided after it then lands in a task a replay has not seen yet ("Non-deprecated patch marker
encountered … termijnen-lokaal"). The first design did that: 1 of 60 concurrent starts failed
to replay, and with that ordering put back this test failed in 1 of 2 runs (it is a race: it
catches the fault often, not always). It drives a burst of starts and of radar signals and
replays every history."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from temporalio.client import Client
from temporalio.worker import Replayer, Worker

from domain.besluiten import Koppeling
from runtime.auteurschap import VerklaringWorkerInterceptor
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import ALLE_WORKFLOWS, MeldingWorkflow

STARTS = 60
MET_SIGNALEN = 8
SIGNALEN = 25


async def test_a_burst_of_starts_and_signals_replays_without_nondeterminism(
    client: Client,
) -> None:
    sc.NU = datetime.now(UTC)  # the dev server keeps real time
    nep = NepActiviteiten()
    async with Worker(
        client,
        task_queue=f"last-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=nep.alle(),
    ) as worker:
        handles = await asyncio.gather(
            *(sc.start(client, worker, sc.melding()) for _ in range(STARTS))
        )
        await asyncio.gather(
            *(
                h.signal(
                    MeldingWorkflow.melding_gekoppeld,
                    Koppeling(
                        melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=sc.NU
                    ),
                )
                for h in handles[:MET_SIGNALEN]
                for n in range(SIGNALEN)
            )
        )
        for h in handles:
            await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage", 120)
        for h in handles[:MET_SIGNALEN]:
            await sc.wacht_tot(h, lambda s: len(s.gekoppelde_meldingen) == SIGNALEN, 120)
        replayer = Replayer(
            workflows=ALLE_WORKFLOWS,
            data_converter=client.data_converter,
            interceptors=[VerklaringWorkerInterceptor([])],
        )
        mislukt = []
        for h in handles:
            uitkomst = await replayer.replay_workflow(
                await h.fetch_history(), raise_on_replay_failure=False
            )
            if uitkomst.replay_failure is not None:
                mislukt.append((h.id, str(uitkomst.replay_failure)[:200]))
        for h in handles:
            await h.terminate("test klaar")
    assert mislukt == []
