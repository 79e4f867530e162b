"""The minimal workflow of this process: the yardstick issue 26 fixes, never our shape.

A start; one registration activity; three source activities in parallel; one dossier
activity; one search-attribute upsert (VtFase = wacht_op_triage, the moment intake ends); two
updates that only set state; two closing activities. Every activity is a no-op. Its worker
runs with the SDK's default data converter and no codec (bench/omgeving.py), on the same dev
server and in the same process as ours. It does not follow MeldingWorkflow: no patch markers, no
audit, no timers, no local activities, no validators, no summaries. Change it only together
with the issue's definition; a change of our workflow never changes this one.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import activity, workflow
from temporalio.common import SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from contract.names import SA_FASE

MINIMAAL_WORKFLOW = "MinimaleMeldingWorkflow"
# The keyword attribute the dev server knows (contract/search_attributes.py registers it), whose
# wacht_op_triage marks the end of intake in every route's history (bench/meting.py).
FASE = SearchAttributeKey.for_keyword(SA_FASE)
WACHT_OP_TRIAGE = "wacht_op_triage"
_TIMEOUT = timedelta(seconds=30)


async def _doe(naam: str, melding_id: str) -> None:
    await workflow.execute_activity(naam, melding_id, start_to_close_timeout=_TIMEOUT)


@workflow.defn(name=MINIMAAL_WORKFLOW)
class MinimaalWorkflow:
    @workflow.init
    def __init__(self, melding_id: str) -> None:
        self.fase = "start"
        self.triage: str | None = None
        self.besluit: str | None = None

    @workflow.run
    async def run(self, melding_id: str) -> str:
        await _doe("minimaal_registreer", melding_id)
        await asyncio.gather(*(_doe("minimaal_bron", melding_id) for _ in range(3)))
        await _doe("minimaal_dossier", melding_id)
        self.fase = WACHT_OP_TRIAGE
        workflow.upsert_search_attributes([FASE.value_set(self.fase)])
        await workflow.wait_condition(lambda: self.besluit is not None)
        await _doe("minimaal_sluit", melding_id)
        await _doe("minimaal_sluit", melding_id)
        return "advies"

    @workflow.update(name="registreer_triage")
    def registreer_triage(self, triage: str) -> dict[str, Any]:
        self.triage, self.fase = triage, "wacht_op_besluit"
        return self.status()

    @workflow.update(name="neem_besluit")
    def neem_besluit(self, besluit: str) -> dict[str, Any]:
        self.besluit, self.fase = besluit, "besloten"
        return self.status()

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return {"fase": self.fase}


@activity.defn(name="minimaal_registreer")
async def registreer(melding_id: str) -> None:
    return None


@activity.defn(name="minimaal_bron")
async def bron(melding_id: str) -> None:
    return None


@activity.defn(name="minimaal_dossier")
async def dossier(melding_id: str) -> None:
    return None


@activity.defn(name="minimaal_sluit")
async def sluit(melding_id: str) -> None:
    return None


MINIMALE_ACTIVITEITEN = [registreer, bron, dossier, sluit]
