"""Reminders and escalations close when the case moves on, so the team lead's list holds only
work still to do (issue 7, 6d): the besluit ends the beoordeling's, the dienst afronding the
tweede terugkoppeling's, a monitoring outcome the monitoring's, a closed case all of them."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from temporalio.testing import ActivityEnvironment

from activities.audit import AuditActiviteiten
from activities.dossier import DossierActiviteiten
from activities.signalering import SignaleringActiviteiten, open_signaleringen
from contract import names
from domain.uitwisseling import (
    AuditRegel,
    DossierStand,
    Signalering,
    SignaleringSoort,
    Termijnsoort,
)
from domain.waarden import Vervolg
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op

NU = datetime(2026, 11, 27, 10, tzinfo=UTC)


async def _signaleer(pool: asyncpg.Pool, melding_id: str, *termijnen: Termijnsoort) -> None:
    for n, termijn in enumerate(termijnen):
        for soort in (SignaleringSoort.HERINNERING, SignaleringSoort.ESCALATIE):
            await SignaleringActiviteiten(pool).signaleer(
                Signalering(
                    melding_id=melding_id,
                    regio="zeeland",
                    soort=soort,
                    termijn=termijn,
                    deadline=NU + timedelta(days=n),
                )
            )


async def _herinnering(
    pool: asyncpg.Pool, melding_id: str, termijn: Termijnsoort, dagen: int
) -> None:
    """One reminder, raised after the decision that closed the term's earlier ones."""
    await SignaleringActiviteiten(pool).signaleer(
        Signalering(
            melding_id=melding_id,
            regio="zeeland",
            soort=SignaleringSoort.HERINNERING,
            termijn=termijn,
            deadline=NU + timedelta(days=dagen),
        )
    )


async def _open(pool: asyncpg.Pool, melding_id: str) -> list[str]:
    return sorted(
        f"{s.termijn.value}:{s.soort.value}"
        for s in await open_signaleringen(pool, regio="zeeland")
        if s.melding_id == melding_id
    )


async def _beslis(
    pool: asyncpg.Pool, melding_id: str, handeling: str, activity_id: str | None = None
) -> None:
    regel = AuditRegel(
        melding_id=melding_id, handeling=handeling, medewerker="mw-1", op=NU, gegevens={}
    )
    env = ActivityEnvironment()
    # One run each, unless the test retries an attempt with its activity id.
    env.info = dataclasses.replace(env.info, activity_id=activity_id or uuid.uuid4().hex)
    await env.run(AuditActiviteiten(pool, datasleutels_op(pool)).leg_beslissing_vast, regel)


async def test_the_besluit_closes_the_beoordelings_reminder_and_escalation(
    pool: asyncpg.Pool,
) -> None:
    """An escalated beoordeling that got its besluit is no longer on the team lead's list."""
    m = f"VT-IT-sig-{uuid.uuid4().hex[:8]}"
    await _signaleer(pool, m, Termijnsoort.BEOORDELING, Termijnsoort.HUISHOUDEN_INFORMEREN)
    await _beslis(pool, m, names.UPDATE_TRIAGE)
    assert len(await _open(pool, m)) == 4
    await _beslis(pool, m, names.UPDATE_BESLUIT)
    assert await _open(pool, m) == [
        "huishouden_informeren:escalatie",
        "huishouden_informeren:herinnering",
    ]


async def test_a_retried_besluit_writes_one_audit_row_and_closes_nothing_anew(
    pool: asyncpg.Pool,
) -> None:
    """The audit row and the terms it ends are one statement (issue 12: no transaction around
    them); a retry of the same attempt finds its row, adds none and leaves a reminder raised
    since then open."""
    m = f"VT-IT-sig-{uuid.uuid4().hex[:8]}"
    await _signaleer(pool, m, Termijnsoort.BEOORDELING)
    await _beslis(pool, m, names.UPDATE_BESLUIT, activity_id="besluit-1")
    assert await _open(pool, m) == []
    await _herinnering(pool, m, Termijnsoort.BEOORDELING, dagen=3)
    await _beslis(pool, m, names.UPDATE_BESLUIT, activity_id="besluit-1")
    assert await _open(pool, m) == ["beoordeling:herinnering"]
    async with pool.acquire() as con:
        assert await con.fetchval("SELECT count(*) FROM audit WHERE melding_id = $1", m) == 1


async def test_dienst_afronding_and_monitoring_outcome_close_their_own_terms(
    pool: asyncpg.Pool,
) -> None:
    m = f"VT-IT-sig-{uuid.uuid4().hex[:8]}"
    await _signaleer(pool, m, Termijnsoort.TWEEDE_TERUGKOPPELING, Termijnsoort.MONITORING)
    await _beslis(pool, m, names.UPDATE_DIENST_AFRONDEN)
    assert await _open(pool, m) == ["monitoring:escalatie", "monitoring:herinnering"]
    await _beslis(pool, m, names.UPDATE_MONITORING)
    assert await _open(pool, m) == []


async def test_informeer_huishouden_closes_its_reminders_and_late_information_stays(
    pool: asyncpg.Pool,
) -> None:
    """Q&A 4: the postponed informing done ends its reminders; information after a spoed
    besluit (Q&A 25) stays on the list when the case closes, until the team lead handles it."""
    melding = vb.melding("zeeland")
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    await dossier.sla_melding_op(melding)
    m = melding.melding_id
    await _signaleer(pool, m, Termijnsoort.HUISHOUDEN_INFORMEREN, Termijnsoort.NAGEKOMEN_INFORMATIE)
    await _beslis(pool, m, names.UPDATE_HUISHOUDEN_INFORMEREN)
    nagekomen = ["nagekomen_informatie:escalatie", "nagekomen_informatie:herinnering"]
    assert await _open(pool, m) == nagekomen
    await dossier.werk_dossier_bij(
        DossierStand(melding_id=m, vervolg=Vervolg.ADVIES, afgesloten=True)
    )
    assert await _open(pool, m) == nagekomen


async def test_a_reminder_of_a_later_monitoring_check_stays_open(pool: asyncpg.Pool) -> None:
    """The outcome closes what was raised before it, not the next check's reminder."""
    m = f"VT-IT-sig-{uuid.uuid4().hex[:8]}"
    await _signaleer(pool, m, Termijnsoort.MONITORING)
    await _beslis(pool, m, names.UPDATE_MONITORING)
    await _herinnering(pool, m, Termijnsoort.MONITORING, dagen=90)
    assert await _open(pool, m) == ["monitoring:herinnering"]


async def test_closing_the_case_closes_every_open_signalering_of_it(pool: asyncpg.Pool) -> None:
    """werk_dossier_bij with afgesloten: nothing of this melding is left to do."""
    melding = vb.melding("zeeland")
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(melding)
    m = melding.melding_id
    await _signaleer(pool, m, Termijnsoort.BEOORDELING, Termijnsoort.HUISHOUDEN_INFORMEREN)
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    await dossier.werk_dossier_bij(DossierStand(melding_id=m, vervolg=Vervolg.ONDERZOEK))
    assert await _open(pool, m) == [
        "huishouden_informeren:escalatie",
        "huishouden_informeren:herinnering",
    ]
    await dossier.werk_dossier_bij(
        DossierStand(melding_id=m, vervolg=Vervolg.ONDERZOEK, afgesloten=True)
    )
    assert await _open(pool, m) == []
    async with pool.acquire() as con:
        afgehandeld = await con.fetchval(
            "SELECT count(*) FROM signaleringen WHERE melding_id = $1"
            " AND afgehandeld_op IS NOT NULL",
            m,
        )
    assert afgehandeld == 4  # kept for the record, marked handled
