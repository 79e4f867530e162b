"""The tests' Zaken and Documenten API on loopback: the product's zaakloket (keten/zaakloket.py)
with every request and every response validated by openapi-core against the published OpenAPI
documents of Open Zaak (Zaken API 1.5.1, Documenten API 1.4.2). A request that does not conform
is answered 400 and recorded in `fouten`; a response that does not is recorded too (a test
asserts `fouten == []`). The JWT, the resources and their filters are the zaakloket's.

The documents come from Open Zaak's repository (open-zaak/open-zaak,
`src/openzaak/components/{zaken,documenten}/openapi.yaml`, EUPL-1.2): `VT_ZGW_OPENAPI` names the
folder holding `zaken.yaml` and `documenten.yaml` (keten/openapi/README.md)."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from keten import zaakloket
from keten.zaakloket import RESOURCES, Zaakloket

__all__ = ["RESOURCES", "NepZgw", "documenten_aanwezig", "start"]

MAP = Path(os.environ.get("VT_ZGW_OPENAPI", Path(__file__).parents[2] / "keten" / "openapi"))


def documenten_aanwezig() -> bool:
    return (MAP / "zaken.yaml").is_file() and (MAP / "documenten.yaml").is_file()


@functools.cache
def specificatie(api: str) -> OpenAPI:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(MAP / f"{api}.yaml", encoding="utf-8") as f:
        document = yaml.load(f, Loader=loader)
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(_zonder_externe_verwijzingen(document), config=config)


def _zonder_externe_verwijzingen(knoop: Any) -> Any:
    """Each document refers once to the Catalogi API on the web (the zaaktype or
    informatieobjecttype inside `_expand`): resolving it would fetch a document from the
    internet. The fake never expands (nor does the adapter ask it to), so that one schema is
    left open; every other schema is validated as published."""
    if isinstance(knoop, dict):
        ref = knoop.get("$ref")
        if isinstance(ref, str) and ref.startswith("http"):
            return {}
        return {k: _zonder_externe_verwijzingen(v) for k, v in knoop.items()}
    if isinstance(knoop, list):
        return [_zonder_externe_verwijzingen(v) for v in knoop]
    return knoop


@dataclass
class _Verzoek:
    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    content_type: str
    body: bytes | None


@dataclass
class _Antwoord:
    status_code: int
    data: bytes
    content_type: str = "application/json"
    headers: Headers = field(default_factory=Headers)


def _verzoek(request: web.Request, body: bytes | None) -> _Verzoek:
    return _Verzoek(
        host_url=f"{request.scheme}://{request.host}",
        path=request.path,
        method=request.method.lower(),
        parameters=RequestParameters(
            query=ImmutableMultiDict(list(request.query.items())),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        ),
        content_type=request.headers.get("Content-Type", ""),
        body=body,
    )


class NepZgw(Zaakloket):
    """The zaakloket, validating against the published documents; `fouten` lists what did
    not conform."""

    def __init__(self, clients: dict[str, str], roltypen: dict[str, str] | None = None) -> None:
        super().__init__(clients, roltypen)
        self.fouten: list[str] = []

    def ongeldig(self, request: web.Request, api: str, body: bytes | None) -> list[str]:
        soort = request.match_info["soort"]
        fouten = [str(f) for f in specificatie(api).iter_request_errors(_verzoek(request, body))]
        self.fouten.extend(f"{request.method} {soort}: {f}" for f in fouten)
        return fouten + super().ongeldig(request, api, body)

    def antwoord(
        self, request: web.Request, body: bytes | None, status: int, inhoud: Any
    ) -> web.Response:
        antwoord = super().antwoord(request, body, status, inhoud)
        assert isinstance(antwoord.body, bytes) and antwoord.content_type is not None
        gegeven = _Antwoord(
            status, antwoord.body, antwoord.content_type, Headers(list(antwoord.headers.items()))
        )
        spec = specificatie(request.match_info["api"])
        for f in spec.iter_response_errors(_verzoek(request, body), gegeven):
            self.fouten.append(f"antwoord {status} {request.method} {request.path}: {f}")
        return antwoord


async def start(nep: NepZgw, host: str = "127.0.0.1") -> web.AppRunner:
    """The fake on a free port of `host`; `nep.basis` is its URL. The documents are read
    first (seconds for the Zaken API's), never inside a request a client waits for."""
    for api in ("zaken", "documenten"):
        specificatie(api)
    return await zaakloket.start(nep, host)
