"""Issue 8: a failure's message and stack trace are encrypted like every payload (they were only
base64 without a codec, and the Web UI showed "Encoded failure" for every refusal); whoever holds
the key (the worker, the codec server for the Web UI and CLI) reads the text back. The one
exception, a protocol refusal (`Geweigerd`) whose rule text stays readable for the Web UI's update
dialog, is tested in test_fouten_versleuteld.py and test_weigering_zonder_persoonsgegevens.py."""

from __future__ import annotations

from pydantic import ValidationError
from temporalio.api.failure.v1 import Failure
from temporalio.exceptions import ApplicationError

from contract.client import data_converter
from domain.besluiten import Triage
from starter.demo import voorbeeld
from versleuteling.codec import ENCODING, META_SLEUTEL, InMemoryKeyStore


async def test_a_failure_message_is_ciphertext_and_reads_back_with_the_key() -> None:
    converter = data_converter(InMemoryKeyStore())
    failure = Failure()
    fout = ApplicationError("dossier van Jansen, BSN 111222333: onleesbaar", type="Gegevensfout")
    try:
        raise fout
    except ApplicationError as gevangen:
        await converter.encode_failure(gevangen, failure)
    assert failure.message == "Encoded failure" and not failure.stack_trace
    attributen = failure.encoded_attributes
    assert attributen.metadata["encoding"] == ENCODING and META_SLEUTEL in attributen.metadata
    ruw = failure.SerializeToString()
    assert b"Jansen" not in ruw and b"111222333" not in ruw
    terug = await converter.decode_failure(failure)
    assert isinstance(terug, ApplicationError) and "Jansen" in terug.message
    assert terug.type == "Gegevensfout"


async def test_arguments_that_do_not_decode_read_as_field_and_rule_never_the_value() -> None:
    """Issue 19 item 4: an update's arguments that fail decoding in the worker (the SDK wraps
    the ValidationError in "Failed decoding arguments") read like the CLI's refusal in the Web
    UI's update dialog: field path and rule; the value and the stack trace stay encrypted."""
    converter = data_converter(InMemoryKeyStore())
    gegevens = {**voorbeeld("triage"), "onderbouwing": "", "urgentie": "Jansen 111222333"}
    try:
        try:
            Triage.model_validate(gegevens)
        except ValidationError as fout:
            raise RuntimeError("Failed decoding arguments") from fout
    except RuntimeError as gevangen:
        failure = Failure()
        await converter.encode_failure(gevangen, failure)
    assert "onderbouwing: mag niet leeg zijn" in failure.message
    assert "urgentie" in failure.message
    assert b"Jansen" not in failure.SerializeToString() and not failure.stack_trace
