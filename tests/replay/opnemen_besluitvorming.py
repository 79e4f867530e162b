"""Record issue 27's histories: `python -m tests.replay.opnemen VERSIE besluitvorming` writes
`<VERSIE>_advies_sluiten_tijdens_omzetting`, an advies closed while its omzetting is half-way (the
omzetting's check of its melding_id held back until the closing is accepted), on both sides of
`advies-besluitvorming`: with it (`…__met_advies-besluitvorming`; the closing waits for the
lock the omzetting holds and is refused, the advies is omgezet) and
`…__zonder_advies-besluitvorming` (the old side: the closing applied at once, beside the
omzetting, which then overwrote it). Two recorded sides tell the patch apart
(tests/replay/test_patchzijden.py).

As tests/replay/opnemen.py: the time-skipping server, the fake activities, the production
worker's patch activation, plaintext payloads.
"""

from __future__ import annotations

import dataclasses
import uuid

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import PatchActivationInput, Worker

from contract.client import data_converter
from contract.search_attributes import registreer_zoekattributen
from runtime.assembly import activeer_patch
from runtime.devserver import programma
from tests import auteurs
from tests.replay.opnemen import schrijf
from tests.workflows import adviezen
from tests.workflows import scenario as sc
from workflows import ALLE_WORKFLOWS
from workflows.advies import PATCH_ADVIES_BESLUITVORMING


async def neem_besluitvorming_op(versie: str) -> None:
    env = await WorkflowEnvironment.start_time_skipping(
        plugins=[auteurs.plugin()],
        data_converter=dataclasses.replace(data_converter(), payload_codec=None),
        test_server_existing_path=programma("temporal-test-server"),
    )
    await registreer_zoekattributen(env.client)

    def met(invoer: PatchActivationInput) -> bool:
        return invoer.patch_id == PATCH_ADVIES_BESLUITVORMING or activeer_patch(invoer)

    def zonder(invoer: PatchActivationInput) -> bool:
        return invoer.patch_id != PATCH_ADVIES_BESLUITVORMING and activeer_patch(invoer)

    # The patch is voorbereid in v7.2: its new side is a `__met_` history (written only by the
    # release that activates it), its old side the one v7.2 writes.
    try:
        for achtervoegsel, activeer in (
            (f"__met_{PATCH_ADVIES_BESLUITVORMING}", met),
            (f"__zonder_{PATCH_ADVIES_BESLUITVORMING}", zonder),
        ):
            nep = adviezen.OmzettingHoudtVast()
            sc.NU = await env.get_current_time()
            async with Worker(
                env.client,
                task_queue=f"opname-{uuid.uuid4()}",
                workflows=ALLE_WORKFLOWS,
                activities=nep.alle(),
                patch_activation_callback=activeer,
            ) as worker:
                handle = await adviezen.start(env.client, worker, adviezen.vraag())
                await adviezen.sluit_tijdens_omzetting(env.client, handle, nep)
                await handle.result()
                naam = f"{versie}_advies_sluiten_tijdens_omzetting{achtervoegsel}"
                schrijf(naam, await handle.fetch_history())
    finally:
        await env.shutdown()
