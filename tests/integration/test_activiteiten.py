"""The real activities on embedded PostgreSQL: idempotent, and the register across regions."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

import asyncpg
from temporalio.testing import ActivityEnvironment

from activities.audit import AuditActiviteiten, audit_van
from activities.bronnen import BronActiviteiten
from activities.dossier import DossierActiviteiten
from activities.outbox import OutboxActiviteiten
from activities.register import RegisterActiviteiten
from activities.signalering import SignaleringActiviteiten, open_signaleringen
from activities.sleutels import bsn_hash, naam_hash
from activities.vernietiging import VernietigingActiviteiten
from adapters.demobron import DemoBron, demo_bronnen, registreer_demobron
from domain.besluiten import Ketenpartner
from domain.uitwisseling import (
    AuditRegel,
    Bericht,
    BerichtSoort,
    Bron,
    BronVraag,
    DossierStand,
    Signalering,
    SignaleringSoort,
    Termijnsoort,
)
from domain.waarden import Vervolg
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op, register_op

NU = datetime(2026, 11, 27, 10, tzinfo=UTC)


async def _tel(pool: asyncpg.Pool, sql: str, *args: object) -> int:
    async with pool.acquire() as con:
        return int(await con.fetchval(sql, *args))


async def test_storing_a_melding_twice_keeps_one_dossier(pool: asyncpg.Pool) -> None:
    """A retried sla_melding_op changes nothing: one row, its betrokkenen once."""
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    m = vb.melding()
    await dossier.sla_melding_op(m)
    await dossier.sla_melding_op(m)
    assert await _tel(pool, "SELECT count(*) FROM meldingen WHERE melding_id=$1", m.melding_id) == 1
    assert (
        await _tel(pool, "SELECT count(*) FROM betrokkenen WHERE melding_id=$1", m.melding_id) == 2
    )


async def test_the_dossier_keeps_no_plain_bsn_outside_the_melding(pool: asyncpg.Pool) -> None:
    """docs/privacy.md: betrokkenen carry keyed hashes for matching, never the BSN itself."""
    m = vb.melding(bsn=vb.BSN_KIND)
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(m)
    async with pool.acquire() as con:
        rij = await con.fetchrow(
            "SELECT bsn_hash FROM betrokkenen WHERE melding_id=$1 AND volgnummer=1", m.melding_id
        )
    assert rij["bsn_hash"] == bsn_hash(SLEUTEL, vb.BSN_KIND)
    assert vb.BSN_KIND.encode() not in rij["bsn_hash"]


async def test_the_register_finds_an_earlier_melding_of_the_household_in_another_region(
    pool: asyncpg.Pool,
) -> None:
    """Q&A 7, 27: meldingen at any of the 26 organisations; region, dates and follow-up only."""
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    bsn = vb.nieuw_bsn()
    eerder = vb.melding("haaglanden", bsn=bsn, dagen_geleden=200)
    await dossier.sla_melding_op(eerder)
    partner = Ketenpartner(soort="wijkteam", naam="Wijkteam West")
    await dossier.werk_dossier_bij(
        DossierStand(
            melding_id=eerder.melding_id,
            vervolg=Vervolg.OVERDRACHT,
            ketenpartner=partner,
            afgesloten=True,
        )
    )
    nieuw = vb.melding("utrecht", bsn=bsn)
    await dossier.sla_melding_op(nieuw)
    resultaat = await RegisterActiviteiten(
        pool, None, datasleutels_op(pool)
    ).zoek_eerdere_meldingen(nieuw.melding_id)
    assert resultaat.aantal == 1 and resultaat.regios == ["haaglanden"]
    gevonden = resultaat.eerdere[0]
    assert (gevonden.melding_id, gevonden.vervolg, gevonden.ketenpartner, gevonden.open) == (
        eerder.melding_id,
        "overdracht",
        partner,
        False,
    )


async def test_the_register_matches_by_name_and_date_of_birth_without_bsn(
    pool: asyncpg.Pool,
) -> None:
    """docs/architecture.md: by BSN or by name + date of birth (accents and case do not matter)."""
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    eerder = vb.melding(
        "twente", bsn=None, achternaam="Çelik", geboren="2018-02-02", dagen_geleden=30
    )
    ander = vb.melding(
        "twente", bsn=None, achternaam="Celik", geboren="2018-02-03", dagen_geleden=20
    )
    nieuw = vb.melding("drenthe", bsn=None, achternaam="celik", geboren="2018-02-02")
    for m in (eerder, ander, nieuw):
        await dossier.sla_melding_op(m)
    resultaat = await RegisterActiviteiten(
        pool, None, datasleutels_op(pool)
    ).zoek_eerdere_meldingen(nieuw.melding_id)
    assert [e.melding_id for e in resultaat.eerdere] == [eerder.melding_id]


async def test_the_postgres_sources_answer_from_their_registrations(pool: asyncpg.Pool) -> None:
    """The Raad and politie adapters find what is registered for a betrokkene, nothing else."""
    bsn = vb.nieuw_bsn()
    m = vb.melding(bsn=bsn)
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(m)
    await registreer_demobron(
        pool,
        datasleutels_op(pool),
        Bron.POLITIE,
        bsn_hash(SLEUTEL, bsn),
        2,
        "twee registraties huiselijk geweld",
    )
    politie = await DemoBron(pool, Bron.POLITIE, datasleutels_op(pool)).vraag(m.melding_id)
    raad = await DemoBron(pool, Bron.RAAD, datasleutels_op(pool)).vraag(m.melding_id)
    assert (politie.bekend, politie.aantal_registraties) == (True, 2)
    assert politie.toelichting == "twee registraties huiselijk geweld"
    assert not raad.bekend
    assert naam_hash(SLEUTEL, "Jansen", m.betrokkenen[0].geboortedatum) != bsn_hash(SLEUTEL, bsn)


async def test_the_outbox_sends_each_message_once(pool: asyncpg.Pool) -> None:
    """A retried verstuur_bericht finds the row: same moment, not new, one row."""
    outbox = OutboxActiviteiten(pool, datasleutels_op(pool))
    bericht = Bericht(
        melding_id="VT-IT-outbox",
        soort=BerichtSoort.EERSTE_TERUGKOPPELING,
        inhoud={"contact_huishouden": "veilig_thuis"},
    )
    eerste = await outbox.plaats_in_outbox(bericht)
    tweede = await outbox.plaats_in_outbox(bericht)
    assert (eerste.nieuw, tweede.nieuw) == (True, False)
    assert eerste.verstuurd_op == tweede.verstuurd_op
    assert await _tel(pool, "SELECT count(*) FROM outbox WHERE melding_id='VT-IT-outbox'") == 1


async def test_a_retried_audit_activity_records_the_decision_once(pool: asyncpg.Pool) -> None:
    """docs/privacy.md: who, when, what; the same activity run twice writes one row."""
    regel = AuditRegel(
        melding_id="VT-IT-audit",
        handeling="neem_besluit",
        medewerker="mw-7",
        op=NU,
        gegevens={"vervolg": "advies"},
    )
    env = ActivityEnvironment()
    activiteit = AuditActiviteiten(pool, datasleutels_op(pool)).leg_beslissing_vast
    await env.run(activiteit, regel)
    await env.run(activiteit, regel)
    assert [
        (r.medewerker, r.gegevens)
        for r in await audit_van(pool, datasleutels_op(pool), "VT-IT-audit")
    ] == [("mw-7", {"vervolg": "advies"})]


async def test_a_local_audit_keyed_on_the_update_records_the_decision_once(
    pool: asyncpg.Pool,
) -> None:
    """v7: the audit runs as a local activity in the update's workflow task, keyed on the run
    and the update ID. A retried task runs it again as a new local activity (another activity
    id): one row. Another update: its own row. A v6 schedule (one argument, decoded untyped):
    written as before."""
    melding_id = f"VT-IT-audit-{uuid.uuid4().hex[:8]}"
    regel = AuditRegel(
        melding_id=melding_id,
        handeling="registreer_triage",
        medewerker="mw-7",
        op=NU,
        gegevens={"urgentie": "normaal"},
    )
    env = ActivityEnvironment()
    activiteit = AuditActiviteiten(pool, datasleutels_op(pool)).leg_beslissing_vast
    env.info = dataclasses.replace(env.info, activity_id="1", is_local=True)
    await env.run(activiteit, regel, "run-a/update/u-1")
    env.info = dataclasses.replace(env.info, activity_id="2", is_local=True)
    await env.run(activiteit, regel, "run-a/update/u-1")
    assert len(await audit_van(pool, datasleutels_op(pool), melding_id)) == 1
    await env.run(activiteit, regel, "run-a/update/u-2")
    env.info = dataclasses.replace(env.info, activity_id="3", is_local=False)
    await env.run(activiteit, regel.model_dump(mode="json"))
    rijen = await audit_van(pool, datasleutels_op(pool), melding_id)
    assert [(r.handeling, r.gegevens) for r in rijen] == 3 * [
        ("registreer_triage", {"urgentie": "normaal"})
    ]
    sleutels = await pool.fetch(
        "SELECT sleutel FROM audit WHERE melding_id = $1 ORDER BY id", melding_id
    )
    assert [r["sleutel"] for r in sleutels][:2] == ["run-a/update/u-1", "run-a/update/u-2"]


async def test_reminders_and_escalations_are_listed_once_per_region(pool: asyncpg.Pool) -> None:
    """A team lead lists the open signaleringen of a region, earliest deadline first. (Other
    tests' rows may share the database: only this melding's are counted.)"""
    melding_id = f"VT-IT-sig-{uuid.uuid4().hex[:8]}"
    signalering = SignaleringActiviteiten(pool)
    for soort in (
        SignaleringSoort.ESCALATIE,
        SignaleringSoort.HERINNERING,
        SignaleringSoort.ESCALATIE,
    ):
        await signalering.signaleer(
            Signalering(
                melding_id=melding_id,
                regio="zeeland",
                soort=soort,
                termijn=Termijnsoort.BEOORDELING,
                deadline=NU,
            )
        )

    def eigen(lijst: list[Signalering]) -> list[str]:
        return sorted(s.soort.value for s in lijst if s.melding_id == melding_id)

    assert eigen(await open_signaleringen(pool, regio="zeeland")) == ["escalatie", "herinnering"]
    assert eigen(await open_signaleringen(pool, regio="friesland")) == []


async def test_destruction_removes_the_dossier_and_keeps_only_the_id(pool: asyncpg.Pool) -> None:
    """Q&A 28: a granted request removes the melding, its betrokkenen and its messages."""
    m = vb.melding()
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    await dossier.sla_melding_op(m)
    await dossier.werk_dossier_bij(
        DossierStand(
            melding_id=m.melding_id,
            vervolg=Vervolg.AFSLUITEN,
            afgesloten=True,
            vernietigingsrecht=True,
        )
    )
    await OutboxActiviteiten(pool, datasleutels_op(pool)).plaats_in_outbox(
        Bericht(melding_id=m.melding_id, soort=BerichtSoort.HUISHOUDEN_INFORMEREN, inhoud={})
    )
    vernietiging = VernietigingActiviteiten(pool, None)
    grond = await vernietiging.beoordeel_verzoek(m.melding_id)
    assert (grond.bekend, grond.vernietigingsrecht) == (True, True)
    await vernietiging.vernietig(m.melding_id)
    for tabel in ("meldingen", "betrokkenen", "outbox"):
        assert (
            await _tel(pool, f"SELECT count(*) FROM {tabel} WHERE melding_id=$1", m.melding_id) == 0
        )
    assert (
        await _tel(pool, "SELECT count(*) FROM vernietigingen WHERE melding_id=$1", m.melding_id)
        == 1
    )
    assert not (await vernietiging.beoordeel_verzoek(m.melding_id)).bekend


async def test_the_sources_answers_are_kept_in_the_dossier_once(pool: asyncpg.Pool) -> None:
    """Q&A 7: the gathered information is there for the triage; a retry replaces, not adds."""
    m = vb.melding()
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(m)
    bronnen = BronActiviteiten(
        pool, demo_bronnen(pool, datasleutels_op(pool)), datasleutels_op(pool)
    )
    vraag = BronVraag(melding_id=m.melding_id, bron=Bron.RAAD)
    await bronnen.vraag_bron(vraag)
    await bronnen.vraag_bron(vraag)
    rijen = await _tel(
        pool, "SELECT count(*) FROM bron_antwoorden WHERE melding_id=$1", m.melding_id
    )
    assert rijen == 1


async def test_a_melding_stored_just_after_the_search_is_seen_when_linking(
    pool: asyncpg.Pool,
) -> None:
    """Radar under concurrent intake: the link step searches again and reports what it saw."""
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    register = register_op(pool)
    bsn = vb.nieuw_bsn()
    nieuw = vb.melding("utrecht", bsn=bsn)
    await dossier.sla_melding_op(nieuw)
    assert (await register.zoek_eerdere_meldingen(nieuw.melding_id)).aantal == 0
    eerder = vb.melding("haaglanden", bsn=bsn, dagen_geleden=1)
    await dossier.sla_melding_op(eerder)
    radar = await register.koppel_aan_open_meldingen(nieuw.melding_id)
    assert radar.stand is not None and radar.stand.aantal == 1
    assert (
        await _tel(pool, "SELECT count(*) FROM koppelingen WHERE melding_id=$1", nieuw.melding_id)
        == 1
    )
