"""What an advies asks of PostgreSQL: is the melding_id of its omzetting still free? And, when it
leaves its open phase, its beleidsinformatie (issue 24, docs/statistics.md): one row of table
`adviesinformatie` (migration 016), codes, moments and counts only.

An advies lives only in its workflow (docs/architecture.md, "The advies"); its omzetting starts
a MeldingWorkflow under a melding_id the medewerker chose. Temporal refuses an ID that runs or
ran within its retention, but not one whose dossier was stored long ago or destroyed (whose data
key is gone: the worker could not even encrypt the new melding's input, and the advies would
wedge). So the advies asks the dossier first: read-only, idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import asyncpg
from temporalio import activity

from activities import meldingen
from domain.beleidsinformatie import AdviesInformatie

# The advies' facts are fixed once it left its open phase: a retry writes the same row.
_VASTLEGGEN = """
INSERT INTO adviesinformatie (advies_id, regio, ontvangen_op, afgesloten_op, uitkomst,
    adviesvrager_soort, anoniem, rol, organisatie, aard, duur, gesprekken, vertrouwensarts)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (advies_id) DO NOTHING
"""


class AdviesActiviteiten:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="melding_id_vrij")
    async def melding_id_vrij(self, melding_id: str) -> str | None:
        """None when no melding was ever stored under `melding_id`, else why it is taken."""
        async with self._pool.acquire() as con:
            rij = await meldingen.gebruik(con, melding_id)
        if rij["vernietigd"]:
            return f"melding {melding_id} bestaat al (vernietigd)"
        if rij["opgeslagen"]:
            return f"melding {melding_id} bestaat al"
        return None

    @activity.defn(name="leg_advies_vast")
    async def leg_advies_vast(self, info: AdviesInformatie) -> None:
        """The finished advies' beleidsinformatie (idempotent: one row per advies_id)."""
        info = AdviesInformatie.model_validate(info)
        async with self._pool.acquire() as con:
            await con.execute(
                _VASTLEGGEN,
                info.advies_id,
                info.regio,
                info.ontvangen_op,
                info.afgesloten_op,
                info.uitkomst.value,
                info.adviesvrager_soort.value,
                info.anoniem,
                info.rol.value,
                info.organisatie.value,
                sorted({v.value for v in info.aard}),
                info.duur.value if info.duur else None,
                info.gesprekken,
                info.vertrouwensarts,
            )


async def adviesrijen(
    con: asyncpg.Connection, kolommen: Sequence[str], tot: date | None = None
) -> list[asyncpg.Record]:
    """`kolommen` of every advies finished before `tot` (all: None), oldest first (the
    statistics' reports read them; this module owns the table `adviesinformatie`)."""
    return list(
        await con.fetch(
            f"SELECT {', '.join(kolommen)} FROM adviesinformatie"
            " WHERE $1::date IS NULL OR afgesloten_op < ($1::date::timestamp AT TIME ZONE"
            " 'Europe/Amsterdam') ORDER BY afgesloten_op, sleutel",
            tot,
        )
    )
