"""The national Veilig Thuis register (all 26 regions): prior meldingen of the same household,
matched by keyed hash of the BSN (certain) or of first name + surname + date of birth (possible:
`mogelijk`) (docs/architecture.md, Q&A 21, 27).

A match names only region, dates, the follow-up and the ketenpartner, never case content (the
ketenpartner is stored encrypted with its own melding's data key, migration 009). The
radar links a new melding to the household's most recent open case (for each BSN of the
melding) and tells that case's workflow (signal): a few rows and signals per melding, however
long the household's history. A household known only by name is linked too, as *mogelijk*
(its own signal): the case lists it for the medewerker and does nothing else with it.

Every lookup is index-driven: the BSN path and the name path are separate index joins on
`betrokkenen` (UNION ALL), then primary-key lookups in `meldingen`. "Earlier" is ordered by
(ontvangen_op, melding_id), so two meldingen received at the same moment are ordered too.
Results carry counts and a bounded list.

This module owns the table `koppelingen`; the lookup itself is the betrokkenen's owner's
(activities/betrokkenen.py), the dossier rows activities/meldingen.py's.
"""

from __future__ import annotations

import json

import asyncpg
import structlog
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from activities import betrokkenen
from activities.beleidsinformatie import Beleidsinformatie
from contract import ids, names
from domain.besluiten import Ketenpartner, Koppeling
from domain.uitwisseling import EerdereMelding, RadarResultaat, RegisterResultaat
from versleuteling.codec import KeyStore, SleutelVernietigd
from versleuteling.kolommen import KETENPARTNER, Kolomsleutels, melding_sleutel, versleuteld

log = structlog.get_logger(__name__)

# At most this many earlier meldingen are listed in a result; the counts cover all of them.
MAX_EERDERE = 10
# At most this many open cases are linked to one new melding (one per BSN in practice).
MAX_KOPPELINGEN = 10

# For each BSN of melding $1: the household's most recent open case (by receipt; index scan,
# top 1) among the meldingen registered before it, whenever they were received: a melding entered
# late meets the case registered before it, and signals it (issue 21 item 7: ordering by receipt
# split one child's open cases into groups that never met). Linked once (a retry inserts
# nothing) and returned, newly linked or not; never to itself, never back to a melding that
# already links to it.
_KOPPEL = """
WITH nieuw AS (SELECT melding_id FROM meldingen WHERE melding_id = $1),
mijn AS (
    SELECT DISTINCT bsn_hash FROM betrokkenen WHERE melding_id = $1 AND bsn_hash IS NOT NULL
),
doelen AS (
    SELECT DISTINCT laatste.melding_id
    FROM mijn CROSS JOIN nieuw n CROSS JOIN LATERAL (
        SELECT m.melding_id
        FROM betrokkenen b JOIN meldingen m ON m.melding_id = b.melding_id
        WHERE b.bsn_hash = mijn.bsn_hash AND NOT m.afgesloten
          AND m.melding_id <> n.melding_id
          AND NOT EXISTS (
              SELECT 1 FROM koppelingen k
              WHERE k.melding_id = m.melding_id AND k.gekoppeld_aan = n.melding_id
          )
        ORDER BY m.ontvangen_op DESC, m.melding_id COLLATE "C" DESC
        LIMIT 1
    ) laatste
    LIMIT $2
),
gekoppeld AS (
    INSERT INTO koppelingen (melding_id, gekoppeld_aan)
    SELECT $1, melding_id FROM doelen
    ON CONFLICT DO NOTHING
)
SELECT melding_id FROM doelen ORDER BY melding_id
"""


# For each name-only betrokkene of melding $1 (first name + surname + date of birth, with no BSN
# on one side, as the lookup's name path): the most recent open case registered before it with
# that name hash, unless already linked either way with certainty (issue 21 item 7: households
# known only by name were never linked). Linked as possible (`zeker` false) and returned; a
# retry returns them again (the workflow ignores a repeated signal).
_KOPPEL_MOGELIJK = """
WITH nieuw AS (SELECT melding_id FROM meldingen WHERE melding_id = $1),
mijn AS (
    SELECT DISTINCT naam_hash, bsn_hash IS NULL AS zonder_bsn
    FROM betrokkenen WHERE melding_id = $1 AND naam_hash IS NOT NULL
),
doelen AS (
    SELECT DISTINCT laatste.melding_id
    FROM mijn CROSS JOIN nieuw n CROSS JOIN LATERAL (
        SELECT m.melding_id
        FROM betrokkenen b JOIN meldingen m ON m.melding_id = b.melding_id
        WHERE b.naam_hash = mijn.naam_hash AND (mijn.zonder_bsn OR b.bsn_hash IS NULL)
          AND NOT m.afgesloten
          AND m.melding_id <> n.melding_id
          AND NOT EXISTS (
              SELECT 1 FROM koppelingen k
              WHERE k.melding_id = m.melding_id AND k.gekoppeld_aan = n.melding_id
          )
          AND NOT EXISTS (
              SELECT 1 FROM koppelingen k
              WHERE k.melding_id = n.melding_id AND k.gekoppeld_aan = m.melding_id AND k.zeker
          )
        ORDER BY m.ontvangen_op DESC, m.melding_id COLLATE "C" DESC
        LIMIT 1
    ) laatste
    LIMIT $2
),
gekoppeld AS (
    INSERT INTO koppelingen (melding_id, gekoppeld_aan, zeker)
    SELECT $1, melding_id, false FROM doelen
    ON CONFLICT DO NOTHING
)
SELECT melding_id FROM doelen ORDER BY melding_id
"""


def _onbekend(melding_id: str) -> ApplicationError:
    return ApplicationError(
        f"melding {melding_id} staat niet in het dossier",
        type=names.FOUT_ONBEKENDE_MELDING,
        non_retryable=True,
    )


def _eerdere(rij: asyncpg.Record, partner: bytes | None) -> EerdereMelding:
    return EerdereMelding(
        melding_id=rij["melding_id"],
        regio=rij["regio"],
        ontvangen_op=rij["ontvangen_op"],
        vervolg=rij["vervolg"],
        ketenpartner=Ketenpartner.model_validate(json.loads(partner)) if partner else None,
        open=not rij["afgesloten"],
        mogelijk=not rij["zeker"],
    )


class RegisterActiviteiten:
    """`datasleutels`: the store of the data keys the ketenpartner of an earlier melding is
    encrypted with (the codec's store). Without it an encrypted ketenpartner is not read: the
    match comes back without one (and a warning is logged)."""

    def __init__(
        self, pool: asyncpg.Pool, client: Client | None, datasleutels: KeyStore | None = None
    ) -> None:
        self._pool, self._client = pool, client
        self._beleid = Beleidsinformatie()
        self._kolommen = Kolomsleutels(datasleutels) if datasleutels is not None else None

    async def _ketenpartner(self, rij: asyncpg.Record) -> bytes | None:
        """The ketenpartner of an earlier melding, decrypted with that melding's data key;
        plaintext from before migration 009 as it is."""
        waarde: bytes | None = rij["ketenpartner"]
        if waarde is None or not versleuteld(waarde):
            return waarde
        if self._kolommen is None:
            log.warning("register: ketenpartner niet leesbaar zonder datasleutels")
            return None
        melding_id = rij["melding_id"]
        try:
            return await self._kolommen.ontsleutel(
                melding_sleutel(melding_id), KETENPARTNER, (melding_id,), waarde
            )
        except SleutelVernietigd:  # destroyed meanwhile (its row goes with its key)
            log.info("register: ketenpartner niet leesbaar", eerdere=melding_id)
            return None

    async def _resultaat(self, melding_id: str, rijen: list[asyncpg.Record]) -> RegisterResultaat:
        telling = rijen[0]
        if telling["nieuw_regio"] is None:
            raise _onbekend(melding_id)
        eerdere = [
            _eerdere(r, await self._ketenpartner(r)) for r in rijen if r["melding_id"] is not None
        ]
        eerdere.sort(key=lambda e: (e.ontvangen_op, e.melding_id))
        return RegisterResultaat(
            aantal=telling["aantal"],
            regios=sorted(telling["regios"] or []),
            eerdere=eerdere,
            aantal_mogelijk=telling["aantal_mogelijk"],
            zekere_regios=sorted(telling["zekere_regios"] or []),
        )

    @activity.defn(name="zoek_eerdere_meldingen")
    async def zoek_eerdere_meldingen(self, melding_id: str) -> RegisterResultaat:
        async with self._pool.acquire() as con:
            rijen = await betrokkenen.zoek(con, melding_id, MAX_EERDERE)
            if rijen[0]["nieuw_regio"] is not None:
                # The statistics' eerdere betrokkenheid, as the register stands now (once).
                await self._beleid.deel_in(con, melding_id)
        return await self._resultaat(melding_id, rijen)

    @activity.defn(name="koppel_aan_open_meldingen")
    async def koppel_aan_open_meldingen(self, melding_id: str) -> RadarResultaat:
        """Link the new melding to the household's most recent open case (per BSN) and signal
        that workflow; a retry adds no row and the workflow ignores a repeated signal. The
        register as it stands now comes along (bounded, like the lookup's)."""
        async with self._pool.acquire() as con:
            rijen = await betrokkenen.zoek(con, melding_id, MAX_EERDERE)
            if rijen[0]["nieuw_regio"] is None:
                raise _onbekend(melding_id)
            doelen = [
                r["melding_id"] for r in await con.fetch(_KOPPEL, melding_id, MAX_KOPPELINGEN)
            ]
            mogelijk = [
                r["melding_id"]
                for r in await con.fetch(_KOPPEL_MOGELIJK, melding_id, MAX_KOPPELINGEN)
            ]
        stand = await self._resultaat(melding_id, rijen)
        koppeling = Koppeling(
            melding_id=melding_id,
            regio=rijen[0]["nieuw_regio"],
            ontvangen_op=rijen[0]["nieuw_ontvangen_op"],
        )
        gesignaleerd = []
        for doel in doelen:
            if await self._signaleer(doel, koppeling):
                gesignaleerd.append(doel)
            elif self._client is not None:
                await self._ontkoppel(melding_id, doel)
        for doel in mogelijk:
            # Shown to the medewerker only; the result's `gesignaleerd` lists certain links.
            gelukt = await self._signaleer(doel, koppeling, names.SIGNAL_MOGELIJK_GEKOPPELD)
            if not gelukt and self._client is not None:
                await self._ontkoppel(melding_id, doel)
        log.info("radar", gekoppeld=len(doelen), mogelijk=len(mogelijk), eerdere=stand.aantal)
        return RadarResultaat(gesignaleerd=gesignaleerd, stand=stand)

    async def _ontkoppel(self, melding_id: str, dood: str) -> None:
        """Its dossier is open but its workflow does not run (Failed, Terminated: a ghost the
        reconciliation raises, activities/naloop.py): nothing is linked to a dead case."""
        async with self._pool.acquire() as con:
            await con.execute(
                "DELETE FROM koppelingen WHERE melding_id = $1 AND gekoppeld_aan = $2",
                melding_id,
                dood,
            )
        log.warning("radar: open dossier zonder lopende casus", gekoppeld_aan=dood)

    async def _signaleer(
        self, open_id: str, koppeling: Koppeling, signaal: str = names.SIGNAL_GEKOPPELD
    ) -> bool:
        if self._client is None:
            return False
        handle = self._client.get_workflow_handle(ids.melding_workflow_id(open_id))
        try:
            await handle.signal(signaal, koppeling)
        except RPCError as fout:
            if fout.status is not RPCStatusCode.NOT_FOUND:
                raise
            log.info("radar: workflow niet open", gekoppeld_aan=open_id)
            return False
        return True


# --- the table `koppelingen` (migrations 001, 012), its one owner ---


async def ontkoppel_alles(con: asyncpg.Connection, melding_id: str) -> None:
    """A destroyed dossier's links, both ways."""
    await con.execute(
        "DELETE FROM koppelingen WHERE melding_id = $1 OR gekoppeld_aan = $1", melding_id
    )


async def koppelingen_per_melding(con: asyncpg.Connection, prefix: str) -> dict[str, int]:
    """The links of each melding whose id starts with `prefix` (a benchmark's run)."""
    rijen = await con.fetch(
        "SELECT melding_id, count(*) AS n FROM koppelingen WHERE melding_id LIKE $1"
        " GROUP BY melding_id",
        prefix + "%",
    )
    return {r["melding_id"]: int(r["n"]) for r in rijen}
