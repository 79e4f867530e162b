"""The one factory for Temporal clients: connection from the SDK's environment configuration
(TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY, profiles) and our data
converter. Worker, starter and tests all build their client here.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import temporalio.api.common.v1
import temporalio.api.failure.v1
from pydantic import BaseModel, TypeAdapter, ValidationError
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import Client, Plugin
from temporalio.contrib.pydantic import (
    PydanticJSONPlainPayloadConverter,
    pydantic_data_converter,
)
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
    PayloadCodec,
    PayloadConverter,
)
from temporalio.envconfig import ClientConfig
from temporalio.runtime import Runtime

from contract import names
from domain.invoer import foutregels
from domain.leesbaar import Leesbaar
from domain.model import LEZEN, Model, noteer_weggelaten
from versleuteling.codec import META_LEESBAAR, InMemoryKeyStore, KeyStore, VersleutelCodec

STANDAARD_ADRES = "localhost:7233"


class FoutenVersleuteld(DefaultFailureConverterWithEncodedAttributes):
    """Failure messages and stack traces encoded, except the message of a protocol refusal
    (type `Geweigerd`): the rule's own text ("besluit: eerst de triage registreren (Q&A 3)",
    a field and its rule, never a value), which the Web UI's update dialog shows as it is:
    it does not ask the codec server to decode an update's failure."""

    def to_failure(
        self,
        exception: BaseException,
        payload_converter: PayloadConverter,
        failure: temporalio.api.failure.v1.Failure,
    ) -> None:
        super().to_failure(exception, payload_converter, failure)
        if failure.application_failure_info.type == names.FOUT_GEWEIGERD:
            # Still plain JSON here: the codec encrypts it after the converter has run.
            [attributen] = payload_converter.from_payloads([failure.encoded_attributes])
            failure.message = attributen["message"]
        elif isinstance(exception.__cause__, ValidationError):
            # Arguments that do not decode (the SDK's "Failed decoding arguments", e.g. an
            # update sent from the Web UI's dialog): each field's path and rule, never a value
            # (domain.invoer.foutregels), so the dialog reads like the CLI.
            failure.message = waardefout(exception.__cause__)


@functools.cache
def _modellen() -> dict[str, type[BaseModel]]:
    """The contract's models by name (a ValidationError names its model by `title`)."""
    uit: dict[str, type[BaseModel]] = {}
    open_ = [Model]
    while open_:
        soort = open_.pop()
        uit.setdefault(soort.__name__, soort)
        open_.extend(soort.__subclasses__())
    return uit


def waardefout(fout: ValidationError) -> str:
    """A decoding error as its field paths and rules (an unknown model: paths masked)."""
    return "; ".join(foutregels(fout, _modellen().get(fout.title, BaseModel)))


class LezendeJSONConverter(PydanticJSONPlainPayloadConverter):
    """pydantic's JSON converter, decoding with the context `LEZEN` (domain/model.py): a field a
    later release added is ignored, so the previous release replays what the next one wrote."""

    def from_payload(
        self, payload: temporalio.api.common.v1.Payload, type_hint: type | None = None
    ) -> Any:
        hint = type_hint if type_hint is not None else Any
        try:
            adapter: TypeAdapter[Any] = self._type_adapter(hint)
        except TypeError:
            adapter = TypeAdapter(hint)  # an unhashable hint: not cached
        weggelaten: list[str] = []
        waarde = adapter.validate_json(payload.data, context={**LEZEN, "weggelaten": weggelaten})
        if weggelaten:
            noteer_weggelaten(waarde, weggelaten)
        return waarde


class EenPydanticConverter(CompositePayloadConverter):
    """The pydantic payload converter, one per process. The SDK clones the data converter for
    every payload it encodes or decodes with a serialization context (our codec needs the
    workflow ID for the melding's key), and each clone built a new payload converter with an
    empty type-adapter cache: 6-8 % of the worker's CPU in bench.doorvoer's intake (py-spy). The
    converter keeps no context and no state but that cache, so every clone can share it."""

    _enige: ClassVar[EenPydanticConverter | None] = None

    def __new__(cls) -> EenPydanticConverter:
        if cls._enige is None:
            enige = super().__new__(cls)
            json_converter = LezendeJSONConverter()
            CompositePayloadConverter.__init__(
                enige,
                *(
                    json_converter if isinstance(c, JSONPlainPayloadConverter) else c
                    for c in DefaultPayloadConverter.default_encoding_payload_converters
                ),
            )
            cls._enige = enige
        return cls._enige

    def __init__(self) -> None:
        """Initialised once, in __new__."""

    def to_payloads(self, values: Sequence[Any]) -> list[temporalio.api.common.v1.Payload]:
        """Marks what an ops person reads as readable (`vt-leesbaar`, left plaintext by the
        codec): a `Leesbaar` text (summaries, details, timer and activity summaries) and the
        workflow's metadata (its definition and current details, the Web UI's
        `__temporal_workflow_metadata` query). Both hold no personal data by construction."""
        payloads = super().to_payloads(values)
        for waarde, payload in zip(values, payloads, strict=True):
            if isinstance(waarde, Leesbaar | WorkflowMetadata):
                payload.metadata[META_LEESBAAR] = b"1"
        return payloads


def data_converter(
    sleutels: KeyStore | None = None, codec: PayloadCodec | None = None
) -> DataConverter:
    """Pydantic payloads, encrypted per melding (versleuteling/codec.py); failure messages and stack
    traces encoded too, not plaintext (docs/privacy.md). `sleutels`: where the data keys live (the
    worker: PostgreSQL; without: keys in this process only, for tests and the replayer);
    `codec`: another codec instead (the client's, through the codec server)."""
    return dataclasses.replace(
        pydantic_data_converter,
        payload_converter_class=EenPydanticConverter,
        payload_codec=codec or VersleutelCodec(sleutels or InMemoryKeyStore()),
        failure_converter_class=FoutenVersleuteld,
    )


def verbindingsinstellingen(env: Mapping[str, str] | None = None) -> dict[str, object]:
    """Connect arguments as the SDK reads them from the environment, with our defaults."""
    # The SDK's bridge takes a dict only: os.environ (a client's default) is copied.
    omgeving = None if env is None else dict(env)
    instellingen = dict(ClientConfig.load_client_connect_config(override_env_vars=omgeving))
    instellingen.setdefault("target_host", STANDAARD_ADRES)
    return instellingen


def adres(env: Mapping[str, str] | None = None) -> str:
    """The Temporal address the client will use: for error messages."""
    return str(verbindingsinstellingen(env)["target_host"])


async def verbind(
    env: Mapping[str, str] | None = None,
    runtime: Runtime | None = None,
    *,
    converter: DataConverter,
    plugins: Sequence[Plugin] = (),
) -> Client:
    """Connect to Temporal with our data converter (and the worker's metrics runtime);
    `plugins`: the verklaring on every write (contract/verklaring.py)."""
    return await verbind_met(
        verbindingsinstellingen(env), runtime, converter=converter, plugins=plugins
    )


async def verbind_met(
    instellingen: Mapping[str, object],
    runtime: Runtime | None = None,
    *,
    converter: DataConverter,
    plugins: Sequence[Plugin] = (),
) -> Client:
    """Connect with connect arguments read before (the worker's configuration)."""
    return await Client.connect(
        **instellingen,  # type: ignore[arg-type]
        data_converter=converter,
        runtime=runtime,
        plugins=list(plugins),
    )
