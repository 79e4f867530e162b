"""What an advies asks of PostgreSQL: is the melding_id of its omzetting still free? And, when it
leaves its open phase, its beleidsinformatie (issue 24, docs/statistics.md): one row of table
`adviesinformatie` (migration 016, written by its owner statistiek/opslag.py), codes, moments
and counts only.

An advies lives only in its workflow (docs/architecture.md, "The advies"); its omzetting starts
a MeldingWorkflow under a melding_id the medewerker chose. Temporal refuses an ID that runs or
ran within its retention, but not one whose dossier was stored long ago or destroyed (whose data
key is gone: the worker could not even encrypt the new melding's input, and the advies would
wedge). So the advies asks the dossier first: read-only, idempotent.
"""

from __future__ import annotations

import asyncpg
from temporalio import activity

from activities import meldingen
from domain.beleidsinformatie import AdviesInformatie
from statistiek import opslag


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
            await opslag.leg_advies_vast(
                con,
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
