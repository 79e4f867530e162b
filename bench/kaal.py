"""The baseline: a bare Temporal workflow of MeldingWorkflow's advies path, every activity a no-op.

Same commands in the same order as our workflow on the advies path (tests/workflows/
test_kale_vorm.py compares the two on the time-skipping server and fails when they diverge): the
registration's patched() markers and the termijnen as a local activity, the registration
activity (opslaan), a search-attribute upsert and the deadline timer, the three sources in
parallel with the register's patched() marker and its radar call after its search, an upsert,
then per update (triage, besluit) two patched() markers on the first, the audit as a local
activity (since v7) and an upsert, and after the besluit the two messages, each stored and
delivered (a patched() marker before the first delivery), the two dossier updates and a last
upsert. The activities carry the
same names on a task queue of their own and return at once: what is left is Temporal itself
(server round trips, the SDK, the converter), the cost the issue compares to.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

from temporalio import activity, workflow
from temporalio.worker import PatchActivationInput

with workflow.unsafe.imports_passed_through():
    from contract import search_attributes as sa
    from contract.patches import actief
    from contract.policies import KORT

FASE, REGIO, VERVOLG, URGENTIE = sa.VT_FASE, sa.VT_REGIO, sa.VT_VERVOLG, sa.VT_URGENTIE
DEADLINE, OVERSCHREDEN = sa.VT_VOLGENDE_DEADLINE, sa.VT_TERMIJN_OVERSCHREDEN
GEKOPPELD, BEZORGING = sa.VT_GEKOPPELD, sa.VT_BEZORGING

KAAL_WORKFLOW = "KaalMeldingWorkflow"
# As our workflow's patched() calls: a marker and a TemporalChangeVersion upsert.
KAAL_PATCH = "kaal-patch"
KAAL_PATCH_LOKAAL = "kaal-patch-lokaal"
KAAL_PATCH_START = "kaal-patch-start"
# v6: the sources' bound from intake, registration keyed on the chain, the radar without lookup.
KAAL_PATCH_INVOER = "kaal-patch-invoer"
KAAL_PATCH_KETEN = "kaal-patch-keten"
KAAL_PATCH_RADAR = "kaal-patch-radar"
KAAL_PATCH_BEZORGEN = "kaal-patch-bezorgen"
KAAL_PATCH_BEWAAR = "kaal-patch-bewaar"
# v7: the audit of a decision a local activity in the update's own workflow task.
KAAL_PATCH_AUDIT_LOKAAL = "kaal-patch-audit-lokaal"


def kaal_activering(invoer: PatchActivationInput) -> bool:
    """The mirror's patches as production has ours: its local audit only while `audit-lokaal`
    is switched on (contract/patches.py)."""
    if invoer.patch_id == KAAL_PATCH_AUDIT_LOKAAL:
        return actief("audit-lokaal")
    return True


WACHTTIJD = timedelta(days=4)  # the deadline watch's first timer (our reminder, days ahead)


async def _doe(naam: str, *args: Any) -> Any:
    return await workflow.execute_activity(naam, args=list(args), start_to_close_timeout=KORT)


async def _doe_lokaal(naam: str, *args: Any) -> Any:
    return await workflow.execute_local_activity(naam, args=list(args), start_to_close_timeout=KORT)


@workflow.defn(name=KAAL_WORKFLOW)
class KaalWorkflow:
    @workflow.init
    def __init__(self, melding_id: str) -> None:
        self.melding_id = melding_id
        self.fase = "informatie_verzamelen"
        self.triage: str | None = None
        self.besluit: str | None = None
        self.slot = asyncio.Lock()

    @workflow.run
    async def run(self, melding_id: str) -> str:
        deadline = workflow.now() + WACHTTIJD
        workflow.patched(KAAL_PATCH_START)
        workflow.patched(KAAL_PATCH_LOKAAL)
        workflow.patched(KAAL_PATCH_INVOER)
        workflow.patched(KAAL_PATCH_KETEN)
        await _doe_lokaal("controleer_start", melding_id)  # as our start's verklaring check
        await _doe_lokaal("bereken_termijnen", melding_id)
        await _doe("sla_melding_op", melding_id)
        workflow.upsert_search_attributes(
            [
                FASE.value_set(self.fase),
                DEADLINE.value_set(deadline),
                GEKOPPELD.value_set(0),
                REGIO.value_set("kaal"),
                OVERSCHREDEN.value_set(False),
            ]
        )
        bronnen = asyncio.create_task(self._verzamel())
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(lambda: self.besluit is not None, timeout=WACHTTIJD)
        await bronnen
        await _doe("verstuur_bericht", melding_id)
        workflow.patched(KAAL_PATCH_BEZORGEN)  # as ours since v6: each message delivered
        await _doe("bezorg_bericht", melding_id)
        workflow.upsert_search_attributes([BEZORGING.value_set("verzonden")])
        await _doe("verstuur_bericht", melding_id)
        await _doe("bezorg_bericht", melding_id)
        await _doe("werk_dossier_bij", melding_id)
        workflow.patched(KAAL_PATCH_BEWAAR)  # as ours since v7: the closed case's bewaartermijn
        await _doe("lees_bewaartermijn", melding_id)
        await _doe("werk_dossier_bij", melding_id)
        self.fase = "afgesloten"
        workflow.upsert_search_attributes([FASE.value_set(self.fase), DEADLINE.value_unset()])
        await workflow.wait_condition(workflow.all_handlers_finished)
        return "advies"

    async def _verzamel(self) -> None:
        async def register() -> None:
            workflow.patched(KAAL_PATCH_RADAR)
            await _doe("zoek_eerdere_meldingen", self.melding_id)
            await _doe("koppel_aan_open_meldingen", self.melding_id)

        await asyncio.gather(
            register(),
            _doe("vraag_bron", self.melding_id),
            _doe("vraag_bron", self.melding_id),
        )
        self.fase = "wacht_op_triage"
        workflow.upsert_search_attributes([FASE.value_set(self.fase)])

    @workflow.update(name="registreer_triage")
    async def registreer_triage(self, triage: str) -> dict[str, Any]:
        async with self.slot:
            workflow.patched(KAAL_PATCH)
            if workflow.patched(KAAL_PATCH_AUDIT_LOKAAL):
                await _doe_lokaal("leg_beslissing_vast", self.melding_id)
            else:
                await _doe("leg_beslissing_vast", self.melding_id)
            self.triage, self.fase = triage, "wacht_op_besluit"
            workflow.upsert_search_attributes([FASE.value_set(self.fase), URGENTIE.value_set("n")])
            return self.status()

    @registreer_triage.validator
    def _valideer_triage(self, triage: str) -> None:
        if self.fase != "wacht_op_triage":
            raise ValueError("triage: niet in deze fase")

    @workflow.update(name="neem_besluit")
    async def neem_besluit(self, besluit: str) -> dict[str, Any]:
        async with self.slot:
            workflow.patched(KAAL_PATCH)
            if workflow.patched(KAAL_PATCH_AUDIT_LOKAAL):
                await _doe_lokaal("leg_beslissing_vast", self.melding_id)
            else:
                await _doe("leg_beslissing_vast", self.melding_id)
            self.besluit = besluit
            workflow.upsert_search_attributes([VERVOLG.value_set(besluit)])
            return self.status()

    @neem_besluit.validator
    def _valideer_besluit(self, besluit: str) -> None:
        if self.triage is None:
            raise ValueError("besluit: eerst de triage")

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return {"melding_id": self.melding_id, "fase": self.fase}


@activity.defn(name="controleer_start")
async def controleer_start(melding_id: str) -> None:
    return None


@activity.defn(name="bereken_termijnen")
async def bereken_termijnen(melding_id: str) -> None:
    return None


@activity.defn(name="sla_melding_op")
async def sla_melding_op(melding_id: str) -> None:
    return None


@activity.defn(name="zoek_eerdere_meldingen")
async def zoek_eerdere_meldingen(melding_id: str) -> None:
    return None


@activity.defn(name="koppel_aan_open_meldingen")
async def koppel_aan_open_meldingen(melding_id: str) -> None:
    return None


@activity.defn(name="vraag_bron")
async def vraag_bron(melding_id: str) -> None:
    return None


@activity.defn(name="leg_beslissing_vast")
async def leg_beslissing_vast(melding_id: str) -> None:
    return None


@activity.defn(name="bezorg_bericht")
async def bezorg_bericht(melding_id: str) -> None:
    return None


@activity.defn(name="verstuur_bericht")
async def verstuur_bericht(melding_id: str) -> None:
    return None


@activity.defn(name="werk_dossier_bij")
async def werk_dossier_bij(melding_id: str) -> None:
    return None


@activity.defn(name="lees_bewaartermijn")
async def lees_bewaartermijn(melding_id: str) -> None:
    return None


KALE_ACTIVITEITEN = [
    controleer_start,
    bereken_termijnen,
    sla_melding_op,
    zoek_eerdere_meldingen,
    koppel_aan_open_meldingen,
    vraag_bron,
    leg_beslissing_vast,
    verstuur_bericht,
    bezorg_bericht,
    werk_dossier_bij,
    lees_bewaartermijn,
]
