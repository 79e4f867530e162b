"""The audit trail of every human decision: who, when, what (docs/privacy.md)."""

from __future__ import annotations

import json

import asyncpg
from temporalio import activity

from activities.signalering import AFGEROND_DOOR, sluit_signaleringen
from domain.uitwisseling import AuditRegel


class AuditActiviteiten:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="leg_beslissing_vast")
    async def leg_beslissing_vast(self, regel: AuditRegel) -> None:
        """Written once per activity: its run and activity id are the idempotency key. A
        decision that ends a term closes that term's open reminders and escalations."""
        info = activity.info()
        sleutel = f"{info.workflow_run_id}/{info.activity_id}"
        async with self._pool.acquire() as con, con.transaction():
            nieuw = await con.fetchval(
                "INSERT INTO audit (sleutel, melding_id, handeling, medewerker, op, gegevens)"
                " VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (sleutel) DO NOTHING"
                " RETURNING true",
                sleutel,
                regel.melding_id,
                regel.handeling,
                regel.medewerker,
                regel.op,
                json.dumps(regel.gegevens),
            )
            termijn = AFGEROND_DOOR.get(regel.handeling)
            if nieuw and termijn is not None:
                await sluit_signaleringen(con, regel.melding_id, [termijn])


async def audit_van(pool: asyncpg.Pool, melding_id: str) -> list[AuditRegel]:
    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT melding_id, handeling, medewerker, op, gegevens FROM audit"
            " WHERE melding_id = $1 ORDER BY op, id",
            melding_id,
        )
    return [
        AuditRegel(
            melding_id=r["melding_id"],
            handeling=r["handeling"],
            medewerker=r["medewerker"],
            op=r["op"],
            gegevens=json.loads(r["gegevens"]),
        )
        for r in rijen
    ]
