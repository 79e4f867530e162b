"""Beleidsinformatie (issue 24, docs/statistics.md): the table `beleidsinformatie` (migration
015), one row per melding in plain non-personal columns, written by the activities the workflow
already calls (`sla_melding_op`, `zoek_eerdere_meldingen`, `leg_beslissing_vast`,
`werk_dossier_bij`, `signaleer`, `vernietig`; what each records: docs/statistics.md), on their
own connection, as the case goes. What each writes is decided here; the statements are the
table's owner's, statistiek/opslag.py.

Every write is an upsert or an UPDATE to a value the event fixes, so a retried activity changes
nothing. Only codes, moments and counts are read from the payloads: never a name, a BSN, a
ketenpartner's name or a text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import asyncpg
from temporalio import activity

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
from domain.werkdagen import AMSTERDAM, STANDAARD_KALENDER, Werkdagkalender
from statistiek import opslag

_DIENSTEN = sorted(v.value for v in DIENSTEN)


def _dag(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


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
        await opslag.nieuw(
            con,
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
        rijen = await opslag.eerdere(con, melding_id, _DIENSTEN)
        if rijen[0]["bepaald"] in (None, True):
            return
        eerdere = [
            EerdereCasus(r["casus"], r["open"], r["beoordeeld"], r["in_monitoring"])
            for r in rijen
            if r["eerdere"] is not None
        ]
        soort, casus = deel_in(eerdere, rijen[0]["bekend"], rijen[0]["op_naam"])
        await opslag.deel_in(con, melding_id, soort.value, casus)

    async def beslissing(self, con: asyncpg.Connection, regel: AuditRegel) -> None:
        g = regel.gegevens
        if regel.handeling == names.UPDATE_TRIAGE:
            await opslag.triage(
                con,
                regel.melding_id,
                bool(g.get("acute_onveiligheid")),
                bool(g.get("structurele_onveiligheid")),
                bool(g.get("directe_interventie_nodig")),
                g.get("urgentie"),
            )
        elif regel.handeling == names.UPDATE_BESLUIT:
            ontvangen = await opslag.ontvangen_op(con, regel.melding_id)
            if ontvangen is None:
                return
            werkdagen = self._kalender.werkdagen_tussen(_dag(ontvangen), _dag(regel.op))
            await opslag.besluit(
                con,
                regel.melding_id,
                Vervolg(g["vervolg"]).value,
                regel.op,
                werkdagen,
                g.get("geweld_vastgesteld"),
                partnersoort(g) if g["vervolg"] == Vervolg.OVERDRACHT.value else None,
                partnerhulp(g) if g["vervolg"] == Vervolg.OVERDRACHT.value else None,
            )
        elif regel.handeling == names.UPDATE_DIENST_AFRONDEN:
            await opslag.dienst_afgerond(
                con,
                regel.melding_id,
                regel.op,
                dienst_uitkomst(g.get("geweld_vastgesteld")).value,
                g.get("vervolg"),
                partnersoort(g) if g.get("vervolg") == "overdracht" else None,
                partnerhulp(g) if g.get("vervolg") == "overdracht" else None,
            )
        elif regel.handeling == names.UPDATE_MONITORING:
            # One audit row per check: the count follows the audit, so a retry adds nothing.
            await opslag.monitoring(
                con, regel.melding_id, monitoring_uitkomst(g), names.UPDATE_MONITORING
            )

    async def dossier(
        self, con: asyncpg.Connection, stand: DossierStand, moment: datetime | None = None
    ) -> None:
        """A closed case: its moment (default: the activity's); a dienst that ends without its
        afronding (destroyed or stopped) is voortijdig afgesloten."""
        if not stand.afgesloten:
            return
        await opslag.afgesloten(con, stand.melding_id, _DIENSTEN, moment or _moment())

    async def signalering(self, con: asyncpg.Connection, s: Signalering) -> None:
        if s.soort is not SignaleringSoort.ESCALATIE:
            return
        kolom = {
            Termijnsoort.BEOORDELING: "beoordeling_geescaleerd",
            Termijnsoort.TWEEDE_TERUGKOPPELING: "tweede_geescaleerd",
        }.get(s.termijn)
        if kolom is not None:
            await opslag.geescaleerd(con, s.melding_id, kolom)

    async def vernietig(self, con: asyncpg.Connection, melding_id: str) -> None:
        """What stays of a destroyed dossier (docs/statistics.md): the counted codes, no link
        to the case, moments to the day (durations in werkdagen stay as counted)."""
        await opslag.vernietig(con, melding_id, _DIENSTEN, _moment())
