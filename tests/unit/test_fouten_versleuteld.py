"""The failure converter of every client and worker: failure messages and stack traces are
ciphertext, except the reason of a protocol refusal, which the Web UI's update dialog shows as
it arrives (it does not decode an update's failure through the codec server)."""

from __future__ import annotations

import asyncio

from temporalio.api.failure.v1 import Failure
from temporalio.exceptions import ApplicationError

from contract import names
from contract.client import data_converter

REDEN = "besluit: eerst de triage registreren (Q&A 3)"


class Geweigerd(ValueError):
    """As a validator raises it (workflows/melding.py): the SDK names the type after the class."""


def _failure(fout: BaseException) -> Failure:
    converter = data_converter()
    failure = Failure()
    converter.failure_converter.to_failure(fout, converter.payload_converter, failure)
    asyncio.run(converter.payload_codec.encode_failure(failure))  # type: ignore[union-attr]
    return failure


def test_a_refusal_from_a_validator_keeps_its_reason_readable() -> None:
    failure = _failure(Geweigerd(REDEN))
    assert failure.message == REDEN
    assert failure.application_failure_info.type == names.FOUT_GEWEIGERD
    assert REDEN.encode() not in failure.encoded_attributes.data


def test_a_refusal_from_an_update_handler_keeps_its_reason_readable() -> None:
    failure = _failure(ApplicationError(REDEN, type=names.FOUT_GEWEIGERD, non_retryable=True))
    assert failure.message == REDEN


def test_any_other_failure_message_is_encoded() -> None:
    geheim = "Jan Jansen, BSN 999990032"
    for fout in (ValueError(geheim), ApplicationError(geheim, type="Gegevensfout")):
        failure = _failure(fout)
        assert failure.message == "Encoded failure"
        assert geheim.encode() not in failure.SerializeToString()
