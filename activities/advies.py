"""The one question an advies asks PostgreSQL: is the melding_id of its omzetting still free?

An advies lives only in its workflow (docs/architecture.md, "The advies"); its omzetting starts
a MeldingWorkflow under a melding_id the medewerker chose. Temporal refuses an ID that runs or
ran within its retention, but not one whose dossier was stored long ago or destroyed (whose data
key is gone: the worker could not even encrypt the new melding's input, and the advies would
wedge). So the advies asks the dossier first: read-only, idempotent.
"""

from __future__ import annotations

import asyncpg
from temporalio import activity

_GEBRUIKT = """
SELECT EXISTS (SELECT 1 FROM meldingen WHERE melding_id = $1) AS opgeslagen,
       EXISTS (SELECT 1 FROM vernietigingen WHERE melding_id = $1) AS vernietigd
"""


class AdviesActiviteiten:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="melding_id_vrij")
    async def melding_id_vrij(self, melding_id: str) -> str | None:
        """None when no melding was ever stored under `melding_id`, else why it is taken."""
        async with self._pool.acquire() as con:
            rij = await con.fetchrow(_GEBRUIKT, melding_id)
        if rij["vernietigd"]:
            return f"melding {melding_id} bestaat al (vernietigd)"
        if rij["opgeslagen"]:
            return f"melding {melding_id} bestaat al"
        return None
