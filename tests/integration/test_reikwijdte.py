"""Issue 19 items 1 and 2: a login belongs to organisations (regions) and has roles; the codec
server gives a case's content only to a content role of the region that owns it. Another
region's medewerker gets 403 with the region to contact (audited); ops and beheer get the
readable payloads and a withheld text in place of content, without a key or a database.

A real codec server on loopback (as `python -m starter codec-server` runs it) with a token file
of five logins, the real key store in PostgreSQL (migration 025 gives each key its region from
the dossier row) and the real audit table.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from temporalio.api.common.v1 import Payload

from starter import codec_poort, codec_server
from starter.codec_client import HEADER_WORKFLOW, payloads_naar_json, payloads_uit_json
from tests.integration.conftest import HOOFDSLEUTEL_HEX
from tests.poorten import vrije_poort
from versleuteling.codec import VersleutelCodec, lees_hoofdsleutel
from versleuteling.opslag import PostgresKeyStore

pytestmark = pytest.mark.integration

A, B = "utrecht", "haaglanden"
LOGINS: dict[str, dict[str, Any]] = {
    "ops-a": {"soort": "persoon", "rollen": ["ops"], "organisaties": [A]},
    "beheer-a": {"soort": "persoon", "rollen": ["beheer"], "organisaties": [A]},
    "mw-a": {"soort": "persoon", "rollen": ["medewerker"], "organisaties": [A]},
    "mw-b": {"soort": "persoon", "rollen": ["medewerker"], "organisaties": [B]},
    "svc-intake-a": {"soort": "systeem", "rollen": ["integrator"], "organisaties": [A]},
}
GEHEIM = b'"Jansen, Pieter"'
UI = "http://127.0.0.1:8233"


def _token(login: str) -> str:
    return f"token-van-{login}-{uuid.uuid5(uuid.NAMESPACE_URL, login).hex}"


@dataclass
class Codec:
    url: str
    melding_id: str
    inhoud: Payload  # encrypted with melding A's key
    leesbaar: Payload  # a summary, plain


async def _start(
    tmp_path: Path, sleutels: PostgresKeyStore, audit: codec_server.Audit | None
) -> tuple[str, Any]:
    """A codec server with the token file of LOGINS; its URL and its runner."""
    bestand = tmp_path / "tokens.json"
    regels = [
        {"sha256": hashlib.sha256(_token(i).encode()).hexdigest(), "id": i, **w}
        for i, w in LOGINS.items()
    ]
    bestand.write_text(json.dumps({"tokens": regels}))
    poort = vrije_poort()
    instellingen = codec_server.CodecInstellingen.uit_omgeving(
        {
            "VT_CODEC_TOKENS": str(bestand),
            "VT_CODEC_PORT": str(poort),
            "VT_MASTER_KEY": HOOFDSLEUTEL_HEX,
            "VT_CODEC_ORIGIN": UI,
        }
    )
    return f"http://127.0.0.1:{poort}", await codec_server.start(instellingen, sleutels, audit)


@pytest.fixture
async def codec(
    tmp_path: Path, sleutels: PostgresKeyStore, pool: asyncpg.Pool
) -> AsyncIterator[Codec]:
    url, runner = await _start(tmp_path, sleutels, codec_server.audit_in(pool))
    melding_id = f"VT-UTR-2026-{uuid.uuid4().hex[:6]}"
    [inhoud] = await VersleutelCodec(sleutels, f"melding/{melding_id}").encode(
        [Payload(metadata={"encoding": b"json/plain"}, data=GEHEIM)]
    )
    await _dossier(pool, melding_id, A)
    leesbaar = Payload(metadata={"encoding": b"json/plain"}, data=b'"Wacht op triage"')
    try:
        yield Codec(url, melding_id, inhoud, leesbaar)
    finally:
        await runner.cleanup()


async def _dossier(pool: asyncpg.Pool, melding_id: str, regio: str) -> None:
    """The dossier row as the intake writes it (activities/dossier.py): it names the region."""
    async with pool.acquire() as con:
        await con.execute(
            "INSERT INTO meldingen (melding_id, regio, ontvangen_op, melder_soort, gegevens)"
            " VALUES ($1, $2, $3, 'professional', $4)",
            melding_id,
            regio,
            datetime.now(UTC),
            b"{}",
        )


async def _post(
    codec: Codec, pad: str, login: str, body: bytes, **headers: str
) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as sessie,
        sessie.post(
            codec.url + pad,
            data=body,
            headers={"Authorization": f"Bearer {_token(login)}", **headers},
        ) as antwoord,
    ):
        return antwoord.status, await antwoord.json(content_type=None)


async def _decode(codec: Codec, login: str) -> tuple[int, list[Payload], dict[str, Any]]:
    status, tekst = await _post(
        codec, "/decode", login, payloads_naar_json([codec.leesbaar, codec.inhoud])
    )
    return status, payloads_uit_json(json.dumps({"payloads": tekst.get("payloads", [])})), tekst


async def _audit(pool: asyncpg.Pool, melding_id: str) -> list[tuple[str, str]]:
    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT handeling, medewerker FROM audit WHERE melding_id = $1 ORDER BY id",
            melding_id,
        )
    return [(r["handeling"], r["medewerker"]) for r in rijen]


async def test_the_dossier_row_gives_the_key_its_region_also_for_a_later_key(
    codec: Codec, sleutels: PostgresKeyStore, pool: asyncpg.Pool
) -> None:
    """Migration 025: the melding's key takes the dossier's region when the row is written; the
    key of a request to destroy it, made afterwards, takes it when it is made."""
    assert await sleutels.regio_van(f"melding/{codec.melding_id}") == A
    eigen = PostgresKeyStore(lees_hoofdsleutel(HOOFDSLEUTEL_HEX), pool)
    await eigen.sleutel_voor_versleutelen(f"vernietiging/{codec.melding_id}")
    assert await eigen.regio_van(f"vernietiging/{codec.melding_id}") == A


async def test_a_medewerker_of_the_owning_region_reads_the_content_audited(
    codec: Codec, pool: asyncpg.Pool
) -> None:
    status, payloads, _ = await _decode(codec, "mw-a")
    assert status == 200
    assert [p.data for p in payloads] == [codec.leesbaar.data, GEHEIM]
    assert await _audit(pool, codec.melding_id) == [("payload_ontsleuteld", "mw-a")]


async def test_a_medewerker_of_another_region_is_refused_with_the_region_to_contact(
    codec: Codec, pool: asyncpg.Pool
) -> None:
    """403 with a short reason naming the owning region; the body keeps every payload (the
    readable one as it is, the refusal text in place of the content), so the Web UI says why."""
    status, payloads, tekst = await _decode(codec, "mw-b")
    assert status == 403
    assert f"Veilig Thuis {A}" in tekst["fout"] and "mw-b" in tekst["fout"]
    assert payloads[0].data == codec.leesbaar.data
    weigering = json.loads(payloads[1].data)
    assert (
        weigering.startswith("[geweigerd: ")
        and f"Neem contact op met Veilig Thuis {A}" in weigering
    )
    assert b"Jansen" not in json.dumps(tekst).encode()
    assert await _audit(pool, codec.melding_id) == [("inhoud_geweigerd", "mw-b")]


async def test_a_browser_of_another_region_gets_the_refusal_text_in_a_200(
    codec: Codec, pool: asyncpg.Pool
) -> None:
    """The Web UI shows only a 200's body: to a browser (an Origin) the refusal is the text in
    the content's place and a header; audited the same."""
    async with (
        aiohttp.ClientSession() as sessie,
        sessie.post(
            codec.url + "/decode",
            data=payloads_naar_json([codec.inhoud]),
            headers={"Authorization": f"Bearer {_token('mw-b')}", "Origin": UI},
        ) as antwoord,
    ):
        assert antwoord.status == 200
        assert antwoord.headers["X-Vt-Geweigerd"] == "403"
        [p] = payloads_uit_json(await antwoord.read())
    assert json.loads(p.data).startswith(f"[geweigerd: inhoud van melding {codec.melding_id}")
    assert await _audit(pool, codec.melding_id) == [("inhoud_geweigerd", "mw-b")]


@pytest.mark.parametrize("login", ["ops-a", "beheer-a"])
async def test_ops_and_beheer_see_the_readable_payloads_and_never_content(
    codec: Codec, pool: asyncpg.Pool, login: str
) -> None:
    """Of their own region too: 200, the summary as it is, a withheld text for the content;
    nothing decoded, so nothing audited."""
    status, payloads, tekst = await _decode(codec, login)
    assert status == 200
    assert payloads[0].data == codec.leesbaar.data
    assert json.loads(payloads[1].data).startswith("[afgeschermd: inhoud van melding ")
    assert b"Jansen" not in json.dumps(tekst).encode()
    assert await _audit(pool, codec.melding_id) == []


async def test_ops_decodes_without_the_database(tmp_path: Path, sleutels: PostgresKeyStore) -> None:
    """PostgreSQL unreachable (the key store on a port nobody listens on): ops still gets the
    readable payload and the withheld text, with no audit asked; a medewerker gets the 503
    that names PostgreSQL (content is never served without its key and its audit row)."""
    geaudit: list[str] = []

    async def audit(melding_id: str, handeling: str, wie: str, _: dict[str, Any]) -> None:
        geaudit.append(handeling)

    weg = PostgresKeyStore(
        lees_hoofdsleutel(HOOFDSLEUTEL_HEX), dsn=f"postgresql://vt@127.0.0.1:{vrije_poort()}/weg"
    )
    url, runner = await _start(tmp_path, weg, audit)
    [inhoud] = await VersleutelCodec(sleutels, "melding/VT-WEG-1").encode(
        [Payload(metadata={"encoding": b"json/plain"}, data=GEHEIM)]
    )
    leesbaar = Payload(metadata={"encoding": b"json/plain"}, data=b'"Wacht op besluit"')
    c = Codec(url, "VT-WEG-1", inhoud, leesbaar)
    try:
        status, payloads, _ = await _decode(c, "ops-a")
        assert status == 200
        assert payloads[0].data == leesbaar.data
        assert json.loads(payloads[1].data).startswith("[afgeschermd: ")
        status, _, tekst = await _decode(c, "mw-a")
        assert status == 503 and tekst["onderdeel"] == "postgresql"
        assert geaudit == []
    finally:
        await runner.cleanup()
        await weg.sluit()


async def test_writing_into_another_regions_case_is_refused_and_audited(
    codec: Codec, pool: asyncpg.Pool
) -> None:
    """`/encode` for region A's melding by a medewerker of B, and a verklaring for an update of
    it: 403 naming the owning region; the integrator of A encodes."""
    workflow_id = f"melding-{codec.melding_id}"
    body = payloads_naar_json([Payload(metadata={"encoding": b"json/plain"}, data=b"{}")])
    status, tekst = await _post(codec, "/encode", "mw-b", body, **{HEADER_WORKFLOW: workflow_id})
    assert status == 403 and f"Veilig Thuis {A}" in tekst["fout"]
    status, _ = await _post(
        codec, "/encode", "svc-intake-a", body, **{HEADER_WORKFLOW: workflow_id}
    )
    assert status == 200
    vraag = {
        "workflow_id": workflow_id,
        "handeling": "update",
        "naam": "registreer_triage",
        "verzoek": f"registreer_triage:{uuid.uuid4()}:{'a' * 16}",
    }
    status, tekst = await _post(codec, "/verklaring", "mw-b", json.dumps(vraag).encode())
    assert status == 403 and f"Veilig Thuis {A}" in tekst["fout"], tekst
    assert await _audit(pool, codec.melding_id) == [
        ("inhoud_geweigerd", "mw-b"),
        ("payload_versleuteld", "svc-intake-a"),
        ("inhoud_geweigerd", "mw-b"),
    ]


async def test_the_web_uis_dialog_payload_gets_the_one_invoer_key(
    codec: Codec, sleutels: PostgresKeyStore
) -> None:
    """Item 4: the Web UI's Send an Update names no workflow; a login that may write gets its
    payload encrypted with the key `invoer`, which the worker reads; ops may not write."""
    body = payloads_naar_json([Payload(metadata={"encoding": b"json/plain"}, data=b'{"a": 1}')])
    status, tekst = await _post(codec, "/encode", "mw-a", body)
    assert status == 200
    [versleuteld] = payloads_uit_json(json.dumps(tekst))
    assert versleuteld.metadata["encryption-key-id"] == b"invoer"
    assert b'"a"' not in versleuteld.data
    [terug] = await VersleutelCodec(sleutels).decode([versleuteld])
    assert terug.data == b'{"a": 1}'
    assert (await _post(codec, "/encode", "ops-a", body))[0] == 403


async def test_a_caller_cannot_ask_the_codec_server_for_plaintext(codec: Codec) -> None:
    """Readable is what our own converter marks: a payload a caller marks `vt-leesbaar` is
    encrypted by `/encode` all the same."""
    gemerkt = Payload(metadata={"encoding": b"json/plain", "vt-leesbaar": b"1"}, data=GEHEIM)
    status, tekst = await _post(
        codec,
        "/encode",
        "svc-intake-a",
        payloads_naar_json([gemerkt]),
        **{HEADER_WORKFLOW: f"melding-{codec.melding_id}"},
    )
    assert status == 200
    [uit] = payloads_uit_json(json.dumps(tekst))
    assert uit.metadata["encoding"] == b"binary/encrypted" and b"Jansen" not in uit.data


async def test_a_database_that_does_not_answer_is_a_503_not_a_hanging_page(
    tmp_path: Path, sleutels: PostgresKeyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL paused: a server on loopback that accepts connections and never answers. A
    medewerker's decode gets the 503 that names PostgreSQL (the Web UI then shows what is
    readable) instead of hanging; ops is answered at once, it needs no database."""
    verbindingen: list[asyncio.StreamWriter] = []

    async def zwijg(_: asyncio.StreamReader, schrijver: asyncio.StreamWriter) -> None:
        verbindingen.append(schrijver)

    stil = await asyncio.start_server(zwijg, "127.0.0.1", 0)
    poort = stil.sockets[0].getsockname()[1]
    monkeypatch.setattr(codec_poort, "DATABASE_WACHTTIJD", 1.0)
    weg = PostgresKeyStore(
        lees_hoofdsleutel(HOOFDSLEUTEL_HEX), dsn=f"postgresql://vt@127.0.0.1:{poort}/stil"
    )
    url, runner = await _start(tmp_path, weg, None)
    [inhoud] = await VersleutelCodec(sleutels, "melding/VT-STIL-1").encode(
        [Payload(metadata={"encoding": b"json/plain"}, data=GEHEIM)]
    )
    c = Codec(url, "VT-STIL-1", inhoud, Payload(metadata={"encoding": b"json/plain"}, data=b"1"))
    try:
        status, _, tekst = await _decode(c, "mw-a")
        assert status == 503 and tekst["onderdeel"] == "postgresql"
        assert (await _decode(c, "ops-a"))[0] == 200
    finally:
        await runner.cleanup()
        await weg.sluit()
        for schrijver in verbindingen:
            schrijver.close()
        stil.close()
        await stil.wait_closed()


async def test_a_new_case_belongs_to_its_starters_organisation_until_its_dossier_says(
    codec: Codec, pool: asyncpg.Pool
) -> None:
    """The integrator of region A attests a start: the new key is region A's at once (its first
    status reads in scope, before the intake writes the dossier); the dossier row has the last
    word (here: region B)."""
    melding_id = f"VT-UTR-2026-{uuid.uuid4().hex[:6]}"
    vraag = {
        "workflow_id": f"melding-{melding_id}",
        "handeling": "start",
        "naam": "MeldingWorkflow",
        "verzoek": "",
    }
    status, tekst = await _post(codec, "/verklaring", "svc-intake-a", json.dumps(vraag).encode())
    assert status == 200, tekst
    vers = PostgresKeyStore(lees_hoofdsleutel(HOOFDSLEUTEL_HEX), pool)
    assert await vers.regio_van(f"melding/{melding_id}") == A
    await _dossier(pool, melding_id, B)
    opnieuw = PostgresKeyStore(lees_hoofdsleutel(HOOFDSLEUTEL_HEX), pool)
    assert await opnieuw.regio_van(f"melding/{melding_id}") == B
