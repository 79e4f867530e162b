"""The bewaartermijn recorded in the dossier (migration 020, docs/retention.md): computed when the
case closes (from the closing date, the household's children in the melding, a recorded
maatregel and the terms of linked cases), and passed on to the linked dossiers whose term it
outlasts. Dates and the rule's name only: nothing personal leaves the encrypted melding.
"""

from __future__ import annotations

from datetime import date, datetime

import asyncpg

from domain import bewaartermijn
from domain.bewaartermijn import Bewaarbeleid, Bewaartermijn, Grond
from domain.melding import Melding
from domain.werkdagen import AMSTERDAM
from versleuteling.codec import SleutelVernietigd
from versleuteling.kolommen import MELDING, Kolomsleutels, melding_sleutel

# The dossiers linked to $1 either way (the radar links a later melding to an open case).
_GEKOPPELD = (
    "SELECT melding_id FROM koppelingen WHERE gekoppeld_aan = $1"
    " UNION SELECT gekoppeld_aan FROM koppelingen WHERE melding_id = $1"
)
_TERMIJNEN_GEKOPPELD = (
    f"SELECT bewaren_tot FROM meldingen WHERE melding_id IN ({_GEKOPPELD})"
    " AND bewaren_tot IS NOT NULL"
)
_VASTLEGGEN = (
    "UPDATE meldingen SET afgesloten_op = coalesce(afgesloten_op, $2), bewaren_tot = $3,"
    " bewaar_grond = $4 WHERE melding_id = $1"
)
# A closed linked dossier kept shorter than this one is kept as long (recomputed: extended).
_DOORGEVEN = (
    "UPDATE meldingen SET bewaren_tot = $2, bewaar_grond = $3"
    f" WHERE melding_id IN ({_GEKOPPELD}) AND bewaren_tot IS NOT NULL AND bewaren_tot < $2"
)


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
    rij = await con.fetchrow(
        "SELECT gegevens, afgesloten_op, maatregel_tot, bewaren_tot, bewaar_grond"
        " FROM meldingen WHERE melding_id = $1",
        melding_id,
    )
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
        Bewaartermijn(tot=r["bewaren_tot"], grond=Grond.GEKOPPELDE_CASUS)
        for r in await con.fetch(_TERMIJNEN_GEKOPPELD, melding_id)
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
    await con.execute(_VASTLEGGEN, melding_id, afgesloten_op, termijn.tot, termijn.grond.value)
    await con.execute(_DOORGEVEN, melding_id, termijn.tot, Grond.GEKOPPELDE_CASUS.value)
    return termijn
