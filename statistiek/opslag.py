"""The tables `beleidsinformatie` and `adviesinformatie` (migrations 015, 016, 017): their one
owner. The activities write them as a case goes (activities/beleidsinformatie.py decides what,
activities/advies.py an advies' row); the reports, the CBS delivery and the metrics read them
(statistiek/gegevens.py, statistiek/metrics.py). Codes, moments and counts only.

A statement here may read the dossier's tables (`meldingen`, `betrokkenen`: a melding's
eerdere betrokkenheid; `audit`: the monitoring's count); it writes no other table
(docs/architecture.md, "One owner per table")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import asyncpg

_NIEUW = """
INSERT INTO beleidsinformatie (melding_id, casus, regio, ontvangen_op, melder_soort,
    melder_categorie, meldnorm, aard, duur, aantal_betrokkenen, aantal_minderjarigen,
    beoordeling_deadline, melder_rol)
VALUES ($1, 'c' || substr(md5(random()::text || clock_timestamp()::text), 1, 16),
    $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (melding_id) DO NOTHING
"""

# The facts the classification needs: the new melding's betrokkenen known by BSN from earlier
# meldingen (ordered by receipt), those meldingen's state, and whether only a name matched.
_BASIS = """
WITH nieuw AS (SELECT melding_id, ontvangen_op FROM meldingen WHERE melding_id = $1),
mijn AS (SELECT DISTINCT volgnummer, bsn_hash, naam_hash FROM betrokkenen WHERE melding_id = $1),
zeker AS (
    SELECT b.melding_id, mijn.volgnummer
    FROM mijn JOIN betrokkenen b ON b.bsn_hash = mijn.bsn_hash
    JOIN meldingen m ON m.melding_id = b.melding_id CROSS JOIN nieuw n
    WHERE mijn.bsn_hash IS NOT NULL AND b.melding_id <> $1
      AND (m.ontvangen_op, m.melding_id COLLATE "C") < (n.ontvangen_op, n.melding_id COLLATE "C")
),
op_naam AS (
    SELECT 1 FROM mijn JOIN betrokkenen b ON b.naam_hash = mijn.naam_hash
    JOIN meldingen m ON m.melding_id = b.melding_id CROSS JOIN nieuw n
    WHERE mijn.naam_hash IS NOT NULL AND b.melding_id <> $1
      AND (mijn.bsn_hash IS NULL OR b.bsn_hash IS NULL)
      AND (m.ontvangen_op, m.melding_id COLLATE "C") < (n.ontvangen_op, n.melding_id COLLATE "C")
    LIMIT 1
)
"""
# One round trip: whether the melding is classified already (NULL: no row, a melding from
# before migration 015), the counts, and one row per earlier melding (at least one row).
_EERDERE = (
    _BASIS
    + """,
eerder AS (
    SELECT s.casus, NOT m.afgesloten AS open,
           coalesce(s.vervolg, m.vervolg) IS NOT NULL AS beoordeeld,
           coalesce(s.vervolg = ANY($2::text[]) AND s.dienst_einde IS NOT NULL, false)
               AS in_monitoring,
           m.ontvangen_op, m.melding_id
    FROM (SELECT DISTINCT melding_id FROM zeker) z
    JOIN meldingen m ON m.melding_id = z.melding_id
    -- an earlier melding from before migration 015 may have no row (yet): its dossier tells
    LEFT JOIN beleidsinformatie s ON s.melding_id = z.melding_id
)
SELECT (SELECT eerdere_bepaald_op IS NOT NULL FROM beleidsinformatie WHERE melding_id = $1)
           AS bepaald,
       (SELECT count(DISTINCT volgnummer) FROM zeker) AS bekend,
       EXISTS (SELECT 1 FROM op_naam) AS op_naam,
       e.melding_id AS eerdere, e.casus, e.open, e.beoordeeld, e.in_monitoring
FROM (SELECT 1) een LEFT JOIN eerder e ON true
ORDER BY e.ontvangen_op, e.melding_id COLLATE "C"
"""
)

# A dienst (vervolg in $2) closed without its afronding; false without a besluit.
_VOORTIJDIG = "coalesce(vervolg = ANY($2::text[]) AND dienst_einde IS NULL, false)"
_ESCALATIEKOLOMMEN = ("beoordeling_geescaleerd", "tweede_geescaleerd")


async def nieuw(con: asyncpg.Connection, *waarden: object) -> None:
    """A new melding's row: melding_id, regio, ontvangen_op, melder_soort, melder_categorie,
    meldnorm, aard, duur, aantal_betrokkenen, aantal_minderjarigen, beoordeling_deadline and
    melder_rol (once: a retry writes nothing)."""
    await con.execute(_NIEUW, *waarden)


async def eerdere(
    con: asyncpg.Connection, melding_id: str, diensten: Sequence[str]
) -> list[asyncpg.Record]:
    """The facts the classification of `melding_id` needs (`_EERDERE`)."""
    return list(await con.fetch(_EERDERE, melding_id, list(diensten)))


async def deel_in(con: asyncpg.Connection, melding_id: str, soort: str, casus: str | None) -> None:
    """The classification, once."""
    await con.execute(
        "UPDATE beleidsinformatie SET eerdere = $2, casus = coalesce($3, casus),"
        " eerdere_bepaald_op = now(), bijgewerkt_op = now()"
        " WHERE melding_id = $1 AND eerdere_bepaald_op IS NULL",
        melding_id,
        soort,
        casus,
    )


async def eerdere_niet_te_bepalen(con: asyncpg.Connection, melding_id: str) -> None:
    """A melding filled in afterwards meets no history: its `eerdere` stays unknown."""
    await con.execute(
        "UPDATE beleidsinformatie SET eerdere_bepaald_op = now()"
        " WHERE melding_id = $1 AND eerdere_bepaald_op IS NULL",
        melding_id,
    )


async def triage(con: asyncpg.Connection, *waarden: object) -> None:
    """melding_id, acute_onveiligheid, structurele_onveiligheid, directe_interventie, urgentie."""
    await con.execute(
        "UPDATE beleidsinformatie SET acute_onveiligheid = $2,"
        " structurele_onveiligheid = $3, directe_interventie = $4, urgentie = $5,"
        " bijgewerkt_op = now() WHERE melding_id = $1",
        *waarden,
    )


async def ontvangen_op(con: asyncpg.Connection, melding_id: str) -> datetime | None:
    """The melding's receipt (None: no row)."""
    rij = await con.fetchrow(
        "SELECT ontvangen_op FROM beleidsinformatie WHERE melding_id = $1", melding_id
    )
    return None if rij is None else rij["ontvangen_op"]


async def besluit(con: asyncpg.Connection, *waarden: object) -> None:
    """melding_id, vervolg, beoordeeld_op, beoordeling_werkdagen, geweld_vastgesteld,
    overdracht_soort, overdracht_hulp."""
    await con.execute(
        "UPDATE beleidsinformatie SET vervolg = $2, beoordeeld_op = $3,"
        " beoordeling_werkdagen = $4, geweld_vastgesteld = $5, overdracht_soort = $6,"
        " overdracht_hulp = $7, bijgewerkt_op = now() WHERE melding_id = $1",
        *waarden,
    )


async def dienst_afgerond(con: asyncpg.Connection, *waarden: object) -> None:
    """melding_id, dienst_einde, dienst_uitkomst, dienst_vervolg, dienst_overdracht_soort,
    dienst_overdracht_hulp."""
    await con.execute(
        "UPDATE beleidsinformatie SET dienst_einde = $2, dienst_uitkomst = $3,"
        " dienst_vervolg = $4, dienst_overdracht_soort = $5, dienst_overdracht_hulp = $6,"
        " bijgewerkt_op = now() WHERE melding_id = $1",
        *waarden,
    )


async def monitoring(
    con: asyncpg.Connection, melding_id: str, uitkomst: str, handeling: str
) -> None:
    """The last outcome, and the number of checks: the audit's rows of `handeling` (one per
    check, so a retry adds nothing)."""
    await con.execute(
        "UPDATE beleidsinformatie SET monitoring_uitkomst = $2, monitoring_aantal ="
        " (SELECT count(*) FROM audit WHERE melding_id = $1 AND handeling = $3),"
        " bijgewerkt_op = now() WHERE melding_id = $1",
        melding_id,
        uitkomst,
        handeling,
    )


async def afgesloten(
    con: asyncpg.Connection, melding_id: str, diensten: Sequence[str], moment: datetime
) -> None:
    """A closed case: its first closing moment; a dienst (vervolg in `diensten`) closed without
    its afronding is voortijdig afgesloten."""
    await con.execute(
        "UPDATE beleidsinformatie SET afgesloten_op = coalesce(afgesloten_op, $3),"
        f" dienst_voortijdig = {_VOORTIJDIG},"
        " bijgewerkt_op = now() WHERE melding_id = $1",
        melding_id,
        list(diensten),
        moment,
    )


async def geescaleerd(con: asyncpg.Connection, melding_id: str, kolom: str) -> None:
    """An escalated term: `kolom` is one of _ESCALATIEKOLOMMEN."""
    if kolom not in _ESCALATIEKOLOMMEN:
        raise ValueError(f"geen escalatiekolom: {kolom}")
    await con.execute(
        f"UPDATE beleidsinformatie SET {kolom} = true, bijgewerkt_op = now() WHERE melding_id = $1",
        melding_id,
    )


async def vernietig(
    con: asyncpg.Connection, melding_id: str, diensten: Sequence[str], moment: datetime
) -> None:
    """What stays of a destroyed dossier (docs/statistics.md): the counted codes, no link to
    the case, moments to the day (durations in werkdagen stay as counted)."""
    await con.execute(
        "UPDATE beleidsinformatie SET melding_id = NULL, vernietigd = true,"
        " ontvangen_op = date_trunc('day', ontvangen_op, 'Europe/Amsterdam'),"
        " beoordeeld_op = date_trunc('day', beoordeeld_op, 'Europe/Amsterdam'),"
        " dienst_einde = date_trunc('day', dienst_einde, 'Europe/Amsterdam'),"
        " afgesloten_op = date_trunc('day', coalesce(afgesloten_op, $3), 'Europe/Amsterdam'),"
        f" dienst_voortijdig = {_VOORTIJDIG},"
        " eerdere_bepaald_op = date_trunc('day', eerdere_bepaald_op, 'Europe/Amsterdam'),"
        " bijgewerkt_op = now() WHERE melding_id = $1",
        melding_id,
        list(diensten),
        moment,
    )


async def zonder_rij(con: asyncpg.Connection) -> list[str]:
    """The meldingen without a row (from before migration 015), oldest first."""
    rijen = await con.fetch(
        "SELECT m.melding_id FROM meldingen m WHERE NOT EXISTS"
        " (SELECT 1 FROM beleidsinformatie b WHERE b.melding_id = m.melding_id)"
        " ORDER BY m.ontvangen_op, m.melding_id"
    )
    return [r["melding_id"] for r in rijen]


# The reports read every row received before a day ($1; NULL: all), oldest first; the metrics
# the rows open now, or closed or beoordeeld since a moment ($1).
VOOR_DAG = (
    "$1::date IS NULL OR ontvangen_op < ($1::date::timestamp AT TIME ZONE 'Europe/Amsterdam')"
    " ORDER BY ontvangen_op, sleutel"
)
ACTUEEL = "afgesloten_op IS NULL OR afgesloten_op > $1 OR beoordeeld_op > $1"


async def rijen(
    con: asyncpg.Connection, kolommen: Sequence[str], waar: str, waarde: object
) -> list[asyncpg.Record]:
    """`kolommen` of the rows `waar` (VOOR_DAG, ACTUEEL) says, for `waarde`."""
    sql = f"SELECT {', '.join(kolommen)} FROM beleidsinformatie WHERE {waar}"
    return list(await con.fetch(sql, waarde))


# --- adviesinformatie ---

# The advies' facts are fixed once it left its open phase: a retry writes the same row.
_ADVIES_VASTLEGGEN = """
INSERT INTO adviesinformatie (advies_id, regio, ontvangen_op, afgesloten_op, uitkomst,
    adviesvrager_soort, anoniem, rol, organisatie, aard, duur, gesprekken, vertrouwensarts)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (advies_id) DO NOTHING
"""


async def leg_advies_vast(con: asyncpg.Connection, *waarden: object) -> None:
    """A finished advies' row (once per advies_id), in _ADVIES_VASTLEGGEN's order."""
    await con.execute(_ADVIES_VASTLEGGEN, *waarden)


async def adviesrijen(
    con: asyncpg.Connection, kolommen: Sequence[str], tot: date | None = None
) -> list[asyncpg.Record]:
    """`kolommen` of every advies finished before `tot` (all: None), oldest first."""
    return list(
        await con.fetch(
            f"SELECT {', '.join(kolommen)} FROM adviesinformatie"
            " WHERE $1::date IS NULL OR afgesloten_op < ($1::date::timestamp AT TIME ZONE"
            " 'Europe/Amsterdam') ORDER BY afgesloten_op, sleutel",
            tot,
        )
    )
