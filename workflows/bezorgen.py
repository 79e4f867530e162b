"""Delivering a message once it is in the outbox (issue 20): the activity takes it to its
addressee with retries and backoff; the outcome goes into the status and the current details,
and one that is a case for a human (refused, unknown, failed after every attempt, or no channel
to a household or a professional) raises a signalering and a metric. The case goes on either
way: an undelivered message never fails the workflow."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.bezorging import (
        VOOR_EEN_MENS,
        Bezorging,
        BezorgUitkomst,
        geen_kanaal_voor_een_mens,
    )
    from domain.status import MeldingStatus
    from domain.uitwisseling import BerichtSoort, SignaleringSoort, Termijnsoort
    from domain.waarden import MelderSoort
    from workflows.handelingen import Handelingen

# Replay: before v6 a message stayed in the outbox; since v6 the workflow delivers it.
PATCH_BEZORGEN = "berichten-bezorgen"
METRIC_VOOR_EEN_MENS = "vt_bezorging_voor_een_mens"


async def bezorg(
    handelingen: Handelingen,
    status: MeldingStatus,
    soort: BerichtSoort,
    melder: MelderSoort,
    ontvanger: int | None = None,
) -> Bezorging:
    try:
        bezorging = await handelingen.bezorg(soort, ontvanger)
    except ActivityError:
        # Only when the activity could not even record its outcome (every attempt timed out).
        bezorging = Bezorging(
            soort=soort, uitkomst=BezorgUitkomst.MISLUKT, fout="activiteit", ontvanger=ontvanger
        )
    status.bezorgingen.append(bezorging)
    if bezorging.uitkomst in VOOR_EEN_MENS or (
        bezorging.uitkomst is BezorgUitkomst.GEEN_KANAAL
        and geen_kanaal_voor_een_mens(melder, soort)
    ):
        workflow.metric_meter().create_counter(
            METRIC_VOOR_EEN_MENS, "berichten die een mens moet oppakken"
        ).add(1, {"uitkomst": bezorging.uitkomst.value, "soort": soort.value})
        workflow.logger.warning(
            "bericht niet bezorgd",
            extra={"melding_id": handelingen.melding_id, "soort": soort.value},
        )
        await handelingen.signaleer(
            SignaleringSoort.ONBEZORGBAAR, Termijnsoort.BEZORGING, workflow.now()
        )
    return bezorging
