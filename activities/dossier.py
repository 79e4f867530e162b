"""The dossier: the melding and its betrokkenen in PostgreSQL (idempotent), and its state."""

from __future__ import annotations

import asyncpg
import structlog
from temporalio import activity

from activities.signalering import TERMIJNEN_VAN_DE_MELDING, sluit_signaleringen
from activities.sleutels import hashes
from domain.activiteiten import DossierStand, Termijnsoort
from domain.melding import Melding

log = structlog.get_logger(__name__)


class DossierActiviteiten:
    def __init__(self, pool: asyncpg.Pool, sleutel: bytes) -> None:
        self._pool, self._sleutel = pool, sleutel

    @activity.defn(name="sla_melding_op")
    async def sla_melding_op(self, melding: Melding) -> None:
        """Store once: a retry or a second run finds the row and changes nothing."""
        async with self._pool.acquire() as con, con.transaction():
            nieuw = await con.fetchval(
                "INSERT INTO meldingen (melding_id, regio, ontvangen_op, melder_soort, gegevens)"
                " VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (melding_id) DO NOTHING"
                " RETURNING true",
                melding.melding_id,
                melding.regio,
                melding.ontvangen_op,
                melding.melder.soort.value,
                melding.model_dump_json(),
            )
            log.info("melding opgeslagen", nieuw=bool(nieuw), regio=melding.regio)
            if not nieuw:
                return
            await con.executemany(
                "INSERT INTO betrokkenen (melding_id, volgnummer, rol, bsn_hash, naam_hash)"
                " VALUES ($1, $2, $3, $4, $5)",
                [
                    (melding.melding_id, n, b.rol.value, *hashes(self._sleutel, b))
                    for n, b in enumerate(melding.betrokkenen, 1)
                ],
            )

    @activity.defn(name="werk_dossier_bij")
    async def werk_dossier_bij(self, stand: DossierStand) -> None:
        """The register's view of the case; a besluit taken ends the beoordeling's reminders and
        escalations, a closed case all of its own."""
        ketenpartner = stand.ketenpartner.model_dump_json() if stand.ketenpartner else None
        afgerond: set[Termijnsoort] = set()
        if stand.vervolg is not None:
            afgerond.add(Termijnsoort.BEOORDELING)
        if stand.afgesloten:
            afgerond |= TERMIJNEN_VAN_DE_MELDING
        async with self._pool.acquire() as con, con.transaction():
            await con.execute(
                "UPDATE meldingen SET vervolg = $2, ketenpartner = $3::jsonb, afgesloten = $4,"
                " vernietigingsrecht = $5, bijgewerkt_op = now() WHERE melding_id = $1",
                stand.melding_id,
                stand.vervolg.value if stand.vervolg else None,
                ketenpartner,
                stand.afgesloten,
                stand.vernietigingsrecht,
            )
            if afgerond:
                await sluit_signaleringen(con, stand.melding_id, afgerond)
