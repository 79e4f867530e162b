"""The payload codec (docs/privacy.md): AES-256-GCM with a data key per melding."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import ActivitySerializationContext, WorkflowSerializationContext

import worker
from contract import ids, names
from contract.client import data_converter
from domain.uitwisseling import Termijnen
from versleuteling.codec import (
    ALGEMEEN,
    CACHE_TTL,
    ENCODING,
    META_SLEUTEL,
    Cache,
    InMemoryKeyStore,
    SleutelFout,
    SleutelopslagOnbereikbaar,
    SleutelVernietigd,
    VersleutelCodec,
    lees_hoofdsleutel,
    sleutel_id,
)
from versleuteling.opslag import PostgresKeyStore

GEHEIM = "Jansen 111222333"


def _context(workflow_id: str) -> WorkflowSerializationContext:
    return WorkflowSerializationContext(namespace="default", workflow_id=workflow_id)


@pytest.mark.parametrize(
    ("workflow_id", "verwacht"),
    [
        ("melding-VT-1", "melding/VT-1"),
        ("melding-VT-1-M1", "melding/VT-1-M1"),
        ("vernietiging-VT-1", "vernietiging/VT-1"),
        ("iets-anders", ALGEMEEN),
        ("melding-", ALGEMEEN),
        (None, ALGEMEEN),
    ],
)
def test_the_key_follows_the_workflow_id(workflow_id: str | None, verwacht: str) -> None:
    """A melding's workflow and its child's have their own key; anything else `algemeen`."""
    assert sleutel_id(workflow_id) == verwacht


def test_names_parse_a_workflow_id_back_to_its_melding() -> None:
    assert ids.melding_id_uit_workflow_id("melding-A_1") == ("melding", "A_1")
    assert ids.melding_id_uit_workflow_id("vernietiging-A_1") == ("vernietiging", "A_1")
    assert ids.melding_id_uit_workflow_id("melding-a b") is None


async def test_a_payload_is_ciphertext_with_its_key_id_and_decodes_without_context() -> None:
    """The plaintext is nowhere in the encoded payload; the key id is in the metadata."""
    sleutels = InMemoryKeyStore()
    converter = data_converter(sleutels).with_context(_context("melding-VT-1"))
    [payload] = await converter.encode([{"naam": GEHEIM}])
    assert GEHEIM.encode() not in payload.SerializeToString()
    assert payload.metadata["encoding"] == ENCODING
    assert payload.metadata[META_SLEUTEL] == b"melding/VT-1"
    assert await data_converter(sleutels).decode([payload], [dict]) == [{"naam": GEHEIM}]


async def test_a_context_clone_shares_the_payload_converter_and_still_converts() -> None:
    """The SDK clones the data converter per payload with a context; the clone takes the
    process's one pydantic converter instead of building a new one (issue 12), and models and
    their type hints still round-trip through it with the melding's key."""
    sleutels = InMemoryKeyStore()
    basis = data_converter(sleutels)
    kloon = basis.with_context(_context("melding-VT-3"))
    assert kloon.payload_codec is not basis.payload_codec  # the codec does take the context
    assert _binnenste(kloon.payload_converter) is _binnenste(basis.payload_converter)
    assert _binnenste(data_converter().payload_converter) is _binnenste(basis.payload_converter)
    moment = datetime(2026, 11, 27, 9, tzinfo=UTC)
    termijnen = Termijnen(beoordeling_deadline=moment, herinnering=moment, bron_deadline=moment)
    [payload] = await kloon.encode([termijnen])
    assert payload.metadata[META_SLEUTEL] == b"melding/VT-3"
    assert await basis.decode([payload], [Termijnen]) == [termijnen]


def _binnenste(converter: object) -> object:
    """The converter inside the SDK's transfer-type wrapper."""
    return getattr(converter, "_inner_payload_converter", converter)


async def test_an_activity_of_a_melding_uses_the_meldings_key() -> None:
    sleutels = InMemoryKeyStore()
    context = ActivitySerializationContext(
        namespace="default",
        activity_id="1",
        activity_type="sla_melding_op",
        activity_task_queue="q",
        workflow_id="melding-VT-2",
        workflow_type=names.MELDING_WORKFLOW,
        is_local=False,
    )
    [payload] = await data_converter(sleutels).with_context(context).encode(["x"])
    assert payload.metadata[META_SLEUTEL] == b"melding/VT-2"


async def test_a_plaintext_payload_passes_through() -> None:
    """The recorded histories are plaintext: they decode as they are."""
    plat = Payload(metadata={"encoding": b"json/plain"}, data=b'"hallo"')
    assert await VersleutelCodec(InMemoryKeyStore()).decode([plat]) == [plat]


async def test_a_destroyed_key_gives_the_typed_error() -> None:
    sleutels = InMemoryKeyStore()
    codec = VersleutelCodec(sleutels).with_context(_context("melding-VT-3"))
    encoded = await codec.encode([Payload(data=GEHEIM.encode())])
    await sleutels.vernietig("melding/VT-3")
    with pytest.raises(SleutelVernietigd, match="melding/VT-3"):
        await codec.decode(encoded)


async def test_a_payload_moved_to_another_key_id_does_not_decode() -> None:
    """The key id is authenticated: relabelling a payload fails, it never decrypts wrongly."""
    sleutels = InMemoryKeyStore()
    [payload] = await VersleutelCodec(sleutels, "melding/A").encode([Payload(data=b"x")])
    await sleutels.sleutel_voor_versleutelen("melding/B")
    payload.metadata[META_SLEUTEL] = b"melding/B"
    with pytest.raises(SleutelFout):
        await VersleutelCodec(sleutels).decode([payload])


@pytest.mark.parametrize("waarde", ["", "ab" * 31, "zz" * 32, "ab" * 33])
def test_a_master_key_is_64_hex_characters(waarde: str) -> None:
    with pytest.raises(ValueError, match="VT_MASTER_KEY"):
        lees_hoofdsleutel(waarde)


def test_the_worker_refuses_to_start_without_a_master_key() -> None:
    """Named in the message; nothing connects first."""
    with pytest.raises(worker.ConfiguratieFout, match="VT_MASTER_KEY"):
        worker.Configuratie.uit_omgeving(
            {"DATABASE_URL": "postgresql://vt@db/vt", "VT_REGISTER_SLEUTEL": "r" * 32}
        )


def test_destroying_a_key_evicts_it_from_every_cache_in_the_process() -> None:
    """The worker's store and, under `make run`, the codec server's each keep a cache: a key
    destroyed here is gone from both at once (elsewhere: after CACHE_TTL at the latest)."""
    worker_cache, codec_server_cache = Cache(), Cache()
    for cache in (worker_cache, codec_server_cache):
        cache.zet("melding/VT-1", b"k" * 32)
        cache.zet("melding/VT-2", b"l" * 32)
    Cache.vergeet_overal("melding/VT-1")
    assert [c.haal("melding/VT-1") for c in (worker_cache, codec_server_cache)] == [None, None]
    assert worker_cache.haal("melding/VT-2") == b"l" * 32
    assert CACHE_TTL == 300


async def test_a_client_key_store_opens_no_database_until_a_payload_needs_a_key() -> None:
    """Building a client's converter touches no PostgreSQL; an unreachable one is one line."""
    sleutels = PostgresKeyStore(b"h" * 32, dsn="postgresql://vt@/vt?host=/bestaat/niet")
    codec = VersleutelCodec(sleutels, "melding/VT-1")
    with pytest.raises(SleutelopslagOnbereikbaar) as fout:
        await codec.encode([Payload(data=b"{}")])
    assert str(fout.value).splitlines() == [
        "sleutelopslag (PostgreSQL) niet bereikbaar (FileNotFoundError)"
    ]
