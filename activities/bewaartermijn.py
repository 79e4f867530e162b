"""The bewaartermijn recorded in the dossier (migration 020, docs/retention.md): computed when the
case closes (from the closing date, the household's children in the melding, a recorded
maatregel and the terms of linked cases), and passed on to the linked dossiers whose term it
outlasts. Dates and the rule's name only: nothing personal leaves the encrypted melding.
"""

from __future__ import annotations

from datetime import date, datetime

import asyncpg

from activities import meldingen
from domain import bewaartermijn
from domain.bewaartermijn import Bewaarbeleid, Bewaartermijn, Grond
from domain.melding import Melding
from domain.werkdagen import AMSTERDAM
from versleuteling.codec import SleutelVernietigd
from versleuteling.kolommen import MELDING, Kolomsleutels, melding_sleutel


def dag(moment: datetime) -> date:
    """The calendar day of a moment in Europe/Amsterdam (the term's dates are Dutch days)."""
    return moment.astimezone(AMSTERDAM).date()


async def leg_vast(
    con: asyncpg.Connection,
    kolommen: Kolomsleutels,
    melding_id: str,
    afgesloten_op: datetime,
    beleid: Bewaarbeleid,
) -> Bewaartermijn | None:
    """Compute, record and pass on the term of a closed case (None: no dossier, or destroyed).
    Idempotent: the first closing moment counts; a term recorded later than the computed one
    (an extension, a linked case) is kept."""
    rij = await meldingen.afsluiting(con, melding_id)
    if rij is None:
        return None
    try:
        data = await kolommen.ontsleutel(
            melding_sleutel(melding_id), MELDING, (melding_id,), rij["gegevens"]
        )
    except SleutelVernietigd:
        return None
    assert data is not None
    melding = Melding.model_validate_json(data)
    gekoppeld = [
        Bewaartermijn(tot=tot, grond=Grond.GEKOPPELDE_CASUS)
        for tot in await meldingen.termijnen_gekoppeld(con, melding_id)
    ]
    termijn = bewaartermijn.bereken(
        dag(rij["afgesloten_op"] or afgesloten_op),
        bewaartermijn.kinderen(melding),
        maatregel_tot=rij["maatregel_tot"],
        gekoppelde_termijnen=gekoppeld,
        beleid=beleid,
    )
    if rij["bewaren_tot"] is not None and rij["bewaren_tot"] > termijn.tot:
        termijn = Bewaartermijn(tot=rij["bewaren_tot"], grond=Grond(rij["bewaar_grond"]))
    await meldingen.leg_bewaartermijn_vast(
        con, melding_id, afgesloten_op, termijn.tot, termijn.grond.value
    )
    await meldingen.geef_termijn_door(con, melding_id, termijn.tot, Grond.GEKOPPELDE_CASUS.value)
    return termijn
