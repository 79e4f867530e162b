"""Issue 19 item 3: what an ops person reads (summaries, details, current details, timer and
activity summaries, the workflow's definition) is stored readable, marked by the converter;
everything else stays encrypted; what was encrypted before still decodes."""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.converter import WorkflowSerializationContext

from contract.client import data_converter
from domain import adviesbeeld, casusbeeld, tijdlijn
from domain.leesbaar import Leesbaar
from starter.codec_client import CodecServerCodec
from versleuteling.codec import ENCODING, META_LEESBAAR, InMemoryKeyStore, VersleutelCodec

CONTEXT = WorkflowSerializationContext(namespace="default", workflow_id="melding-VT-1")


def test_the_texts_ops_read_are_leesbaar() -> None:
    moment = datetime(2026, 12, 3, 12, tzinfo=UTC)
    for tekst in (
        tijdlijn.REGISTER_RAADPLEGEN,
        tijdlijn.BRON_BEVRAGEN["politie"],
        tijdlijn.herinnering("beoordeling", moment),
        casusbeeld.statische_samenvatting("VT-1", "utrecht"),
        casusbeeld.vernietiging_details("VT-1", "wacht op besluit"),
        adviesbeeld.samenvatting("ADV-1", "utrecht"),
    ):
        assert isinstance(tekst, Leesbaar)


async def test_a_leesbaar_text_and_the_metadata_query_stay_plaintext_all_else_is_encrypted() -> (
    None
):
    converter = data_converter(InMemoryKeyStore()).with_context(CONTEXT)
    payloads = await converter.encode(
        [Leesbaar("Wacht op triage"), "Jansen", WorkflowMetadata(current_details="Fase")]
    )
    leesbaar, gewoon, metadata = payloads
    assert leesbaar.metadata[META_LEESBAAR] == b"1" and leesbaar.data == b'"Wacht op triage"'
    assert gewoon.metadata["encoding"] == ENCODING and b"Jansen" not in gewoon.data
    assert metadata.metadata[META_LEESBAAR] == b"1" and b"Fase" in metadata.data
    assert await converter.decode(payloads) == [
        "Wacht op triage",
        "Jansen",
        WorkflowMetadata(current_details="Fase"),
    ]


async def test_a_summary_encrypted_before_still_decodes() -> None:
    """Histories written before issue 19 hold their summaries encrypted: the converter of
    today reads them with the melding's key."""
    sleutels = InMemoryKeyStore()
    oud = data_converter(codec=VersleutelCodec(sleutels, "melding/VT-1"))
    [versleuteld] = await oud.encode(["Melding VT-1, regio utrecht"])
    assert versleuteld.metadata["encoding"] == ENCODING
    [terug] = await data_converter(sleutels).decode([versleuteld])
    assert terug == "Melding VT-1, regio utrecht"


async def test_a_client_through_the_codec_server_keeps_readable_payloads_local() -> None:
    """Only content goes to the codec server: with nothing but readable payloads no request is
    made (the endpoint here listens nowhere, so a request would fail)."""
    codec = CodecServerCodec("http://127.0.0.1:9", "t" * 20, "melding-VT-1")
    converter = data_converter(codec=codec)
    [payload] = await converter.encode([Leesbaar("Melding VT-1, regio utrecht")])
    assert payload.metadata[META_LEESBAAR] == b"1"


def test_no_summary_in_the_code_is_a_bare_string() -> None:
    """A summary written as a bare literal is stored encrypted: ops with the codec server down
    see nothing there (the merge of issues 21, 24 and 25 brought eight such). Every summary,
    timer summary and static summary/details is `Leesbaar(...)` or comes from a function or
    constant of domain/casusbeeld.py or domain/adviesbeeld.py that is."""
    import ast
    from pathlib import Path

    wortel = Path(__file__).resolve().parents[2]
    namen = {"summary", "timeout_summary", "static_summary", "static_details"}
    kaal = []
    for map_ in ("workflows", "starter", "runtime", "activities"):
        for pad in sorted((wortel / map_).rglob("*.py")):
            boom = ast.parse(pad.read_text(encoding="utf-8"))
            # Module constants that are bare strings (`LEZEN = "…"`), used as a summary.
            kale_namen = {
                doel.id
                for knoop in boom.body
                if isinstance(knoop, ast.Assign)
                and isinstance(knoop.value, ast.Constant)
                and isinstance(knoop.value.value, str)
                for doel in knoop.targets
                if isinstance(doel, ast.Name)
            }
            for knoop in ast.walk(boom):
                if isinstance(knoop, ast.keyword) and knoop.arg in namen:
                    waarde = knoop.value
                    if isinstance(waarde, ast.Constant | ast.JoinedStr | ast.BinOp) or (
                        isinstance(waarde, ast.Name) and waarde.id in kale_namen
                    ):
                        kaal.append(f"{pad.relative_to(wortel)}:{knoop.lineno} {knoop.arg}")
    assert kaal == []
