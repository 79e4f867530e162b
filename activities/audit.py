"""The audit trail of every human decision: who, when, what (docs/privacy.md)."""

from __future__ import annotations

import json

import asyncpg
from temporalio import activity

from activities.beleidsinformatie import Beleidsinformatie
from activities.signalering import gesloten, schrijf_en_sluit
from domain.afsluiting import afgerond_door
from domain.uitwisseling import AuditRegel
from versleuteling import audit
from versleuteling.codec import KeyStore
from versleuteling.kolommen import AUDIT, Kolomsleutels, melding_sleutel, versleuteld


class AuditActiviteiten:
    """The reasoning of a decision (`gegevens`) encrypted with the melding's data key; who, when
    and what in clear, for the audit's own queries."""

    def __init__(
        self, pool: asyncpg.Pool, datasleutels: KeyStore, beleid: Beleidsinformatie | None = None
    ) -> None:
        self._pool = pool
        self._beleid = beleid or Beleidsinformatie()
        self._kolommen = Kolomsleutels(datasleutels)

    @activity.defn(name="leg_beslissing_vast")
    async def leg_beslissing_vast(self, regel: AuditRegel, sleutel: str | None = None) -> None:
        """Written once per key: `sleutel` when the workflow names one (since v7 a local
        activity in the update's own workflow task, keyed on the run and the update ID, so a
        retried task writes one row), else the run and activity id (an activity's attempts
        share them). A decision that ends a term closes that term's open reminders and
        escalations."""
        # The SDK applies type hints only when the argument count matches them (before v7 the
        # workflow passed one argument): decode what arrived untyped.
        regel = AuditRegel.model_validate(regel)
        if sleutel is None:
            info = activity.info()
            sleutel = f"{info.workflow_run_id}/{info.activity_id}"
        datasleutel = await self._kolommen.voor_schrijven(melding_sleutel(regel.melding_id))
        gegevens = datasleutel.versleutel(
            AUDIT, (regel.melding_id, sleutel), json.dumps(regel.gegevens).encode()
        )
        args = (sleutel, regel.melding_id, regel.handeling, regel.medewerker, regel.op, gegevens)
        termijn = afgerond_door(regel.handeling)
        async with self._pool.acquire() as con:
            if termijn is None:
                await audit.schrijf(con, *args)
                await self._beleid.beslissing(con, regel)
                return
            # The row and the term it ends in one statement: atomic, without a transaction's
            # BEGIN and COMMIT round trips. A retry that finds its row (nothing inserted)
            # closes nothing anew.
            sql, waarden = schrijf_en_sluit(
                audit.SCHRIJF_GEEFT_MELDING,
                args,
                [termijn],
                melding="IN (SELECT melding_id FROM geschreven)",
            )
            status = await con.execute(sql, *waarden)
            gesloten(status, regel.melding_id)
            await self._beleid.beslissing(con, regel)


async def audit_van(
    pool: asyncpg.Pool, datasleutels: KeyStore, melding_id: str
) -> list[AuditRegel]:
    """The melding's audit trail, decrypted (one key lookup for all its rows; rows from before
    migration 008 read as they are; SleutelVernietigd once the dossier's key is gone)."""
    async with pool.acquire() as con:
        rijen = await audit.rijen(con, melding_id)
    kolommen = Kolomsleutels(datasleutels)
    datasleutel = None
    regels = []
    for r in rijen:
        waarde = r["gegevens"]
        if versleuteld(waarde):
            datasleutel = datasleutel or await kolommen.voor_lezen(melding_sleutel(melding_id))
            waarde = datasleutel.ontsleutel(AUDIT, (melding_id, r["sleutel"]), waarde)
        regels.append(
            AuditRegel(
                melding_id=r["melding_id"],
                handeling=r["handeling"],
                medewerker=r["medewerker"],
                op=r["op"],
                gegevens=json.loads(waarde),
            )
        )
    return regels
