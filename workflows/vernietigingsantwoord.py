"""A destruction request's term and answer since v7 (issue 25, PATCH_TERMIJN_GRONDEN):
the organisation's term (three months by default, an activity reads it from the worker's
configuration so a replay never depends on it), and the requester told of the outcome through
the delivery service: a letter to the household, with the legal ground and its onderbouwing when
refused. A letter that could not be delivered is a case for a human (a signalering)."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.vernietiging import VernietigingActiviteiten
    from contract.policies import DATABASE_RETRY, KORT
    from domain import verzoektermijn
    from domain.besluiten import VernietigingsBesluit, VernietigingsVerzoek
    from domain.bezorging import VOOR_EEN_MENS, Bezorging, BezorgUitkomst
    from domain.leesbaar import Leesbaar
    from domain.uitwisseling import Bericht, BerichtSoort, SignaleringSoort, Termijnsoort
    from domain.werkdagen import AMSTERDAM
    from workflows.handelingen import Handelingen


async def termijn(verzoek: VernietigingsVerzoek) -> tuple[datetime, datetime]:
    """(reminder, deadline) by the organisation's term."""
    maanden: int = await workflow.execute_activity_method(
        VernietigingActiviteiten.vernietigingstermijn,
        start_to_close_timeout=KORT,
        retry_policy=DATABASE_RETRY,
        summary=Leesbaar("De termijn voor het besluit lezen"),
    )
    return verzoektermijn.termijn(verzoek.ontvangen_op, maanden)


async def vertel(
    handelingen: Handelingen, verzoek: VernietigingsVerzoek, besluit: VernietigingsBesluit
) -> str:
    """Put the outcome in the outbox and deliver it; returns the delivery's outcome."""
    soort = BerichtSoort.VERNIETIGING_UITKOMST
    inhoud = {
        "ontvangen_op": verzoek.ontvangen_op.astimezone(AMSTERDAM).date().isoformat(),
        "toegekend": besluit.toegekend,
        "grond": besluit.grond.value if besluit.grond else None,
        "onderbouwing": besluit.onderbouwing,
    }
    await handelingen.plaats_in_outbox(
        Bericht(melding_id=verzoek.melding_id, soort=soort, inhoud=inhoud)
    )
    try:
        bezorging = await handelingen.bezorg(soort)
    except ActivityError:
        bezorging = Bezorging(soort=soort, uitkomst=BezorgUitkomst.MISLUKT, fout="activiteit")
    if bezorging.uitkomst in VOOR_EEN_MENS or bezorging.uitkomst is BezorgUitkomst.GEEN_KANAAL:
        workflow.logger.warning(
            "uitkomst van het verzoek niet bezorgd", extra={"melding_id": verzoek.melding_id}
        )
        await handelingen.signaleer(
            SignaleringSoort.ONBEZORGBAAR, Termijnsoort.BEZORGING, workflow.now()
        )
    return bezorging.uitkomst.value
