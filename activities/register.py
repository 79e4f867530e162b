"""The national Veilig Thuis register (all 26 regions): prior meldingen of the same household,
matched by keyed hash of the BSN or of surname + date of birth (DESIGN §3, Q&A 21, 27).

A match names only region, dates, the follow-up and the ketenpartner, never case content. The
radar link tells the open cases of that household of the new melding (signal).
"""

from __future__ import annotations

import json

import asyncpg
import structlog
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain import names
from domain.activiteiten import EerdereMelding, RadarResultaat, RegisterResultaat
from domain.besluiten import Ketenpartner, Koppeling

log = structlog.get_logger(__name__)

# Earlier meldingen sharing a BSN hash or a name hash with a betrokkene of melding $1.
_ZELFDE_HUISHOUDEN = """
WITH nieuw AS (SELECT ontvangen_op FROM meldingen WHERE melding_id = $1),
     mijn AS (SELECT bsn_hash, naam_hash FROM betrokkenen WHERE melding_id = $1)
SELECT DISTINCT m.melding_id, m.regio, m.ontvangen_op, m.vervolg, m.ketenpartner, m.afgesloten
FROM betrokkenen b JOIN meldingen m USING (melding_id), nieuw
WHERE b.melding_id <> $1
  AND m.ontvangen_op <= nieuw.ontvangen_op
  AND (b.bsn_hash IN (SELECT bsn_hash FROM mijn WHERE bsn_hash IS NOT NULL)
       OR b.naam_hash IN (SELECT naam_hash FROM mijn WHERE naam_hash IS NOT NULL))
ORDER BY m.ontvangen_op, m.melding_id
"""


def _onbekend(melding_id: str) -> ApplicationError:
    return ApplicationError(
        f"melding {melding_id} staat niet in het dossier",
        type="OnbekendeMelding",
        non_retryable=True,
    )


def _eerdere(rij: asyncpg.Record) -> EerdereMelding:
    partner = rij["ketenpartner"]
    return EerdereMelding(
        melding_id=rij["melding_id"],
        regio=rij["regio"],
        ontvangen_op=rij["ontvangen_op"],
        vervolg=rij["vervolg"],
        ketenpartner=Ketenpartner.model_validate(json.loads(partner)) if partner else None,
        open=not rij["afgesloten"],
    )


def _resultaat(eerdere: list[EerdereMelding]) -> RegisterResultaat:
    return RegisterResultaat(
        aantal=len(eerdere), regios=sorted({e.regio for e in eerdere}), eerdere=eerdere
    )


class RegisterActiviteiten:
    def __init__(self, pool: asyncpg.Pool, client: Client | None) -> None:
        self._pool, self._client = pool, client

    async def _zoek(self, con: asyncpg.Connection, melding_id: str) -> list[EerdereMelding]:
        if not await con.fetchval("SELECT 1 FROM meldingen WHERE melding_id = $1", melding_id):
            raise _onbekend(melding_id)
        return [_eerdere(r) for r in await con.fetch(_ZELFDE_HUISHOUDEN, melding_id)]

    @activity.defn(name="zoek_eerdere_meldingen")
    async def zoek_eerdere_meldingen(self, melding_id: str) -> RegisterResultaat:
        async with self._pool.acquire() as con:
            return _resultaat(await self._zoek(con, melding_id))

    @activity.defn(name="koppel_aan_open_meldingen")
    async def koppel_aan_open_meldingen(self, melding_id: str) -> RadarResultaat:
        """Record the link to each open case of the household and signal its workflow."""
        async with self._pool.acquire() as con, con.transaction():
            eerdere = await self._zoek(con, melding_id)
            open_ = [e for e in eerdere if e.open]
            nieuw = await con.fetchrow(
                "SELECT regio, ontvangen_op FROM meldingen WHERE melding_id = $1", melding_id
            )
            await con.executemany(
                "INSERT INTO koppelingen (melding_id, gekoppeld_aan) VALUES ($1, $2)"
                " ON CONFLICT DO NOTHING",
                [(melding_id, e.melding_id) for e in open_],
            )
        koppeling = Koppeling(
            melding_id=melding_id, regio=nieuw["regio"], ontvangen_op=nieuw["ontvangen_op"]
        )
        gesignaleerd = []
        for zaak in open_:
            if await self._signaleer(zaak.melding_id, koppeling):
                gesignaleerd.append(zaak.melding_id)
        return RadarResultaat(gesignaleerd=gesignaleerd, stand=_resultaat(eerdere))

    async def _signaleer(self, open_id: str, koppeling: Koppeling) -> bool:
        if self._client is None:
            return False
        handle = self._client.get_workflow_handle(names.melding_workflow_id(open_id))
        try:
            await handle.signal(names.SIGNAL_GEKOPPELD, koppeling)
        except RPCError as fout:
            if fout.status is not RPCStatusCode.NOT_FOUND:
                raise
            log.info("radar: workflow niet open", gekoppeld_aan=open_id)
            return False
        return True
