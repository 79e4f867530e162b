"""Reminders and escalations as rows a team lead can list (ids, region, dates: no personal
data). One row per melding, kind, term and deadline: a retry adds nothing.

A row stays open until the case moves on: the human decision that ends its term closes it
(domain/afsluiting.py, when the audit records that decision), and so does closing the case (the
dossier update), so the team lead's list holds only work still to do."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime

import asyncpg
import structlog
from temporalio import activity

from activities.beleidsinformatie import Beleidsinformatie
from domain.uitwisseling import Signalering, SignaleringSoort, Termijnsoort

log = structlog.get_logger(__name__)


def schrijf_en_sluit(
    schrijf: str,
    args: Sequence[object],
    termijnen: Collection[Termijnsoort],
    melding: str = "= $1",
) -> tuple[str, list[object]]:
    """`schrijf` (a data-modifying statement over the parameters `args`, named `geschreven` in
    a WITH) and the UPDATE that closes the open reminders and escalations of the melding(s)
    `melding` (a condition on melding_id) for `termijnen`: one statement, atomic, in one round
    trip. The terms' parameter is numbered after `args`, so a column added to `schrijf` moves
    it along; a statement whose parameters are not exactly $1…$len(args) is refused."""
    genummerd = {int(n) for n in re.findall(r"\$(\d+)", schrijf)}
    if genummerd != set(range(1, len(args) + 1)):
        raise ValueError(f"{len(args)} argumenten voor parameters {sorted(genummerd)}")
    n = len(args) + 1
    return (
        f"WITH geschreven AS ({schrijf}) UPDATE signaleringen SET afgehandeld_op = now()"
        f" WHERE melding_id {melding} AND termijn = ANY(${n}::text[]) AND afgehandeld_op IS NULL",
        [*args, sorted(t.value for t in termijnen)],
    )


def gesloten(status: str, melding_id: str) -> int:
    """How many rows an UPDATE of signaleringen closed (its status, `UPDATE n`), logged."""
    aantal = int(status.split()[-1])
    if aantal:
        log.info("signaleringen afgehandeld", melding_id=melding_id, aantal=aantal)
    return aantal


# A ghost of the reconciliation (activities/naloop.py) is signalled once: not again while an
# earlier signalering of it is open.
_SPOOK = f"""
INSERT INTO signaleringen (melding_id, regio, soort, termijn, deadline)
SELECT $1, $2, '{SignaleringSoort.MISLUKT.value}', '{Termijnsoort.CASUS.value}', now()
WHERE NOT EXISTS (
    SELECT 1 FROM signaleringen WHERE melding_id = $1 AND soort = '{SignaleringSoort.MISLUKT.value}'
      AND termijn = '{Termijnsoort.CASUS.value}' AND afgehandeld_op IS NULL
)
ON CONFLICT DO NOTHING
"""


async def signaleer_spook(con: asyncpg.Connection, melding_id: str, regio: str) -> int:
    """A signalering `mislukt` for an open dossier without a running case (1: new, 0: one is
    open already)."""
    return int((await con.execute(_SPOOK, melding_id, regio)).split()[-1])


async def escalaties(con: asyncpg.Connection, melding_id: str) -> list[Signalering]:
    """The melding's escalations, open or closed (the statistics' history)."""
    rijen = await con.fetch(
        "SELECT regio, termijn, deadline FROM signaleringen WHERE melding_id = $1 AND soort = $2",
        melding_id,
        SignaleringSoort.ESCALATIE.value,
    )
    return [
        Signalering(
            melding_id=melding_id,
            regio=r["regio"],
            soort=SignaleringSoort.ESCALATIE,
            termijn=Termijnsoort(r["termijn"]),
            deadline=r["deadline"],
        )
        for r in rijen
    ]


async def alle_vastgelopen(con: asyncpg.Connection) -> list[asyncpg.Record]:
    """Every signalering `vastgelopen`, open or closed: melding_id and afgehandeld_op."""
    return list(
        await con.fetch(
            "SELECT melding_id, afgehandeld_op FROM signaleringen WHERE soort = $1",
            SignaleringSoort.VASTGELOPEN.value,
        )
    )


class SignaleringActiviteiten:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="signaleer")
    async def signaleer(self, s: Signalering) -> None:
        async with self._pool.acquire() as con:
            await con.execute(
                "INSERT INTO signaleringen (melding_id, regio, soort, termijn, deadline)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                s.melding_id,
                s.regio,
                s.soort.value,
                s.termijn.value,
                s.deadline,
            )
            await Beleidsinformatie().signalering(con, s)
        log.warning(
            "signalering",
            melding_id=s.melding_id,
            regio=s.regio,
            soort=s.soort.value,
            termijn=s.termijn.value,
        )


async def open_signaleringen(
    pool: asyncpg.Pool, regio: str | None = None, tot: datetime | None = None
) -> list[Signalering]:
    """The team lead's list: open reminders and escalations, the earliest deadline first."""
    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT melding_id, regio, soort, termijn, deadline FROM signaleringen"
            " WHERE afgehandeld_op IS NULL AND ($1::text IS NULL OR regio = $1)"
            " AND ($2::timestamptz IS NULL OR deadline <= $2) ORDER BY deadline, id",
            regio,
            tot,
        )
    return [
        Signalering(
            melding_id=r["melding_id"],
            regio=r["regio"],
            soort=SignaleringSoort(r["soort"]),
            termijn=Termijnsoort(r["termijn"]),
            deadline=r["deadline"],
        )
        for r in rijen
    ]


async def signaleer_vastgelopen(pool: asyncpg.Pool, vast: dict[str, str]) -> int:
    """One open signalering `vastgelopen` per melding in `vast` (melding_id → regio) whose
    workflow task fails on non-determinism (runtime/bewaking.py); an open one of a melding no
    longer in `vast` is closed (it moves again, or it ended). The number of new rows."""
    async with pool.acquire() as con, con.transaction():
        status = await con.execute(
            "UPDATE signaleringen SET afgehandeld_op = now()"
            " WHERE soort = $1 AND afgehandeld_op IS NULL AND NOT (melding_id = ANY($2::text[]))",
            SignaleringSoort.VASTGELOPEN.value,
            list(vast),
        )
        nieuw = 0
        for melding_id, regio in vast.items():
            uitkomst = await con.execute(
                "INSERT INTO signaleringen (melding_id, regio, soort, termijn, deadline)"
                " SELECT $1, $2, $3, $4, now() WHERE NOT EXISTS (SELECT 1 FROM signaleringen"
                " WHERE melding_id = $1 AND soort = $3 AND afgehandeld_op IS NULL)",
                melding_id,
                regio,
                SignaleringSoort.VASTGELOPEN.value,
                Termijnsoort.VERWERKING.value,
            )
            nieuw += int(uitkomst.split()[-1])
    if int(status.split()[-1]):
        log.info("vastgelopen afgehandeld", aantal=int(status.split()[-1]))
    return nieuw
