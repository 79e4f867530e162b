"""An overdracht besluit reaches the ketenpartner (issue 22): after the eerste terugkoppeling
the activity creates the zaak in the gemeente's Zaken API (activities/keten.py), with retries
and backoff; the outcome goes into the status and the current details, and one that is a case
for a human (no gemeente configured for the household, refused, failed after every attempt)
raises a signalering and a metric. The case goes on either way."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from contract.policies import OVERDRACHT_RETRY, OVERDRAGEN
    from domain.besluiten import Besluit
    from domain.keten import (
        OVERDRACHT_VOOR_EEN_MENS,
        OverdrachtOpdracht,
        OverdrachtUitkomst,
        ZaakOverdracht,
    )
    from domain.status import MeldingStatus
    from domain.uitwisseling import SignaleringSoort, Termijnsoort
    from domain.waarden import Vervolg
    from workflows.handelingen import Handelingen

# Replay: before v7 an overdracht only told the melder the ketenpartner's name; since v7 the
# ketenpartner receives it as a zaak.
PATCH_OVERDRACHT_ALS_ZAAK = "overdracht-als-zaak"
METRIC_VOOR_EEN_MENS = "vt_overdracht_voor_een_mens"
SAMENVATTING = "Overdracht als zaak bij de gemeente"


def nog_over_te_dragen(status: MeldingStatus) -> bool:
    besluit = status.besluit
    return (
        besluit is not None and besluit.vervolg is Vervolg.OVERDRACHT and status.overdracht is None
    )


async def draag_over(doe: Handelingen, status: MeldingStatus, besluit: Besluit) -> ZaakOverdracht:
    try:
        overdracht: ZaakOverdracht = await workflow.execute_activity(
            "draag_zaak_over",
            OverdrachtOpdracht(melding_id=doe.melding_id, besluit=besluit, op=workflow.now()),
            result_type=ZaakOverdracht,
            start_to_close_timeout=OVERDRAGEN,
            retry_policy=OVERDRACHT_RETRY,
            summary=SAMENVATTING,
        )
    except ActivityError:
        # Only when the activity could not even record its outcome (every attempt timed out).
        overdracht = ZaakOverdracht(uitkomst=OverdrachtUitkomst.MISLUKT, fout="activiteit")
    status.overdracht = overdracht
    if overdracht.uitkomst in OVERDRACHT_VOOR_EEN_MENS:
        workflow.metric_meter().create_counter(
            METRIC_VOOR_EEN_MENS, "overdrachten die een mens moet oppakken"
        ).add(1, {"uitkomst": overdracht.uitkomst.value})
        workflow.logger.warning(
            "overdracht niet als zaak aangekomen",
            extra={"melding_id": doe.melding_id, "uitkomst": overdracht.uitkomst.value},
        )
        await doe.signaleer(
            SignaleringSoort.NIET_OVERGEDRAGEN, Termijnsoort.OVERDRACHT, workflow.now()
        )
    return overdracht
