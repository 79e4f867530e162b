"""Beleidsinformatie (issue 24, docs/statistics.md): the table `beleidsinformatie` (migration
015), one row per melding in plain non-personal columns, written by the activities the workflow
already calls (`sla_melding_op`, `zoek_eerdere_meldingen`, `leg_beslissing_vast`,
`werk_dossier_bij`, `signaleer`, `vernietig`; what each records: docs/statistics.md), on their
own connection, as the case goes. The table's one owner: the reports, the metrics and the
filling-in of older meldingen read it through the functions at the end.

Every write is an upsert or an UPDATE to a value the event fixes, so a retried activity changes
nothing. Only codes, moments and counts are read from the payloads: never a name, a BSN, a
ketenpartner's name or a text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import asyncpg
from temporalio import activity

from activities.bewaartermijn import dag as _dag
from contract import names
from domain.beleidsinformatie import (
    EerdereCasus,
    deel_in,
    dienst_uitkomst,
    melder_categorie,
    melder_rol,
    monitoring_uitkomst,
    partnerhulp,
    partnersoort,
)
from domain.melding import Melding
from domain.termijnen import beoordeling_deadline
from domain.uitwisseling import (
    AuditRegel,
    DossierStand,
    Signalering,
    SignaleringSoort,
    Termijnsoort,
)
from domain.waarden import DIENSTEN, Vervolg
from domain.werkdagen import STANDAARD_KALENDER, Werkdagkalender

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


def _moment() -> datetime:
    """When the workflow asked for this write: the activity's scheduled time (the same for a
    retry's first attempt is kept by coalesce), or now outside an activity."""
    if activity.in_activity():
        return activity.info().current_attempt_scheduled_time
    return datetime.now(UTC)


class Beleidsinformatie:
    """The writes of the statistics; `kalender`: the werkdagen calendar of the worker."""

    def __init__(self, kalender: Werkdagkalender = STANDAARD_KALENDER) -> None:
        self._kalender = kalender

    async def melding(self, con: asyncpg.Connection, melding: Melding) -> None:
        dag = _dag(melding.ontvangen_op)
        await con.execute(
            _NIEUW,
            melding.melding_id,
            melding.regio,
            melding.ontvangen_op,
            melding.melder.soort.value,
            melder_categorie(melding.melder).value,
            melding.melder.meldnorm,
            sorted({v.value for v in melding.zorgen.vormen}),
            melding.zorgen.duur.value if melding.zorgen.duur else None,
            len(melding.betrokkenen),
            sum(b.is_minderjarig_op(dag) for b in melding.betrokkenen),
            beoordeling_deadline(melding.ontvangen_op, self._kalender),
            melder_rol(melding.melder).value,
        )

    async def deel_in(self, con: asyncpg.Connection, melding_id: str) -> None:
        """Classify once, when the register first answers: later meldingen do not change the
        history this one met."""
        rijen = await con.fetch(_EERDERE, melding_id, sorted(v.value for v in DIENSTEN))
        if rijen[0]["bepaald"] in (None, True):
            return
        eerdere = [
            EerdereCasus(r["casus"], r["open"], r["beoordeeld"], r["in_monitoring"])
            for r in rijen
            if r["eerdere"] is not None
        ]
        soort, casus = deel_in(eerdere, rijen[0]["bekend"], rijen[0]["op_naam"])
        await con.execute(
            "UPDATE beleidsinformatie SET eerdere = $2, casus = coalesce($3, casus),"
            " eerdere_bepaald_op = now(), bijgewerkt_op = now()"
            " WHERE melding_id = $1 AND eerdere_bepaald_op IS NULL",
            melding_id,
            soort.value,
            casus,
        )

    async def eerdere_niet_te_bepalen(self, con: asyncpg.Connection, melding_id: str) -> None:
        """A melding filled in afterwards meets no history: its `eerdere` stays unknown."""
        await con.execute(
            "UPDATE beleidsinformatie SET eerdere_bepaald_op = now()"
            " WHERE melding_id = $1 AND eerdere_bepaald_op IS NULL",
            melding_id,
        )

    async def beslissing(self, con: asyncpg.Connection, regel: AuditRegel) -> None:
        g = regel.gegevens
        if regel.handeling == names.UPDATE_TRIAGE:
            await con.execute(
                "UPDATE beleidsinformatie SET acute_onveiligheid = $2,"
                " structurele_onveiligheid = $3, directe_interventie = $4, urgentie = $5,"
                " bijgewerkt_op = now() WHERE melding_id = $1",
                regel.melding_id,
                bool(g.get("acute_onveiligheid")),
                bool(g.get("structurele_onveiligheid")),
                bool(g.get("directe_interventie_nodig")),
                g.get("urgentie"),
            )
        elif regel.handeling == names.UPDATE_BESLUIT:
            rij = await con.fetchrow(
                "SELECT ontvangen_op FROM beleidsinformatie WHERE melding_id = $1",
                regel.melding_id,
            )
            if rij is None:
                return
            werkdagen = self._kalender.werkdagen_tussen(_dag(rij["ontvangen_op"]), _dag(regel.op))
            await con.execute(
                "UPDATE beleidsinformatie SET vervolg = $2, beoordeeld_op = $3,"
                " beoordeling_werkdagen = $4, geweld_vastgesteld = $5, overdracht_soort = $6,"
                " overdracht_hulp = $7, bijgewerkt_op = now() WHERE melding_id = $1",
                regel.melding_id,
                Vervolg(g["vervolg"]).value,
                regel.op,
                werkdagen,
                g.get("geweld_vastgesteld"),
                partnersoort(g) if g["vervolg"] == Vervolg.OVERDRACHT.value else None,
                partnerhulp(g) if g["vervolg"] == Vervolg.OVERDRACHT.value else None,
            )
        elif regel.handeling == names.UPDATE_DIENST_AFRONDEN:
            await con.execute(
                "UPDATE beleidsinformatie SET dienst_einde = $2, dienst_uitkomst = $3,"
                " dienst_vervolg = $4, dienst_overdracht_soort = $5, dienst_overdracht_hulp = $6,"
                " bijgewerkt_op = now() WHERE melding_id = $1",
                regel.melding_id,
                regel.op,
                dienst_uitkomst(g.get("geweld_vastgesteld")).value,
                g.get("vervolg"),
                partnersoort(g) if g.get("vervolg") == "overdracht" else None,
                partnerhulp(g) if g.get("vervolg") == "overdracht" else None,
            )
        elif regel.handeling == names.UPDATE_MONITORING:
            uitkomst = monitoring_uitkomst(g)
            # One audit row per check: the count follows the audit, so a retry adds nothing.
            await con.execute(
                "UPDATE beleidsinformatie SET monitoring_uitkomst = $2, monitoring_aantal ="
                " (SELECT count(*) FROM audit WHERE melding_id = $1 AND handeling = $3),"
                " bijgewerkt_op = now() WHERE melding_id = $1",
                regel.melding_id,
                uitkomst,
                names.UPDATE_MONITORING,
            )

    async def dossier(
        self, con: asyncpg.Connection, stand: DossierStand, moment: datetime | None = None
    ) -> None:
        """A closed case: its moment (default: the activity's); a dienst that ends without its
        afronding (destroyed or stopped) is voortijdig afgesloten."""
        if not stand.afgesloten:
            return
        await con.execute(
            "UPDATE beleidsinformatie SET afgesloten_op = coalesce(afgesloten_op, $3),"
            f" dienst_voortijdig = {_VOORTIJDIG},"
            " bijgewerkt_op = now() WHERE melding_id = $1",
            stand.melding_id,
            sorted(v.value for v in DIENSTEN),
            moment or _moment(),
        )

    async def signalering(self, con: asyncpg.Connection, s: Signalering) -> None:
        if s.soort is not SignaleringSoort.ESCALATIE:
            return
        kolom = {
            Termijnsoort.BEOORDELING: "beoordeling_geescaleerd",
            Termijnsoort.TWEEDE_TERUGKOPPELING: "tweede_geescaleerd",
        }.get(s.termijn)
        if kolom is not None:
            await con.execute(
                f"UPDATE beleidsinformatie SET {kolom} = true, bijgewerkt_op = now()"
                " WHERE melding_id = $1",
                s.melding_id,
            )

    async def vernietig(self, con: asyncpg.Connection, melding_id: str) -> None:
        """What stays of a destroyed dossier (docs/statistics.md): the counted codes, no link
        to the case, moments to the day (durations in werkdagen stay as counted)."""
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
            sorted(v.value for v in DIENSTEN),
            _moment(),
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
