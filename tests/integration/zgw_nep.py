"""An in-process Zaken and Documenten API on loopback (aiohttp) for the tests of the ZGW
adapter: every request and every response is validated by openapi-core against the published
OpenAPI documents of Open Zaak (Zaken API 1.5.1, Documenten API 1.4.2), and every request's JWT
is checked against the client's secret as the ZGW APIs do. A request that does not conform is
answered 400 and recorded in `fouten`; a response that does not is recorded too (a test asserts
`fouten == []`).

The documents come from Open Zaak's repository (open-zaak/open-zaak,
`src/openzaak/components/{zaken,documenten}/openapi.yaml`, EUPL-1.2): `VT_ZGW_OPENAPI` names the
folder holding `zaken.yaml` and `documenten.yaml` (keten/openapi/README.md)."""

from __future__ import annotations

import functools
import json
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
import yaml
from aiohttp import web
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

MAP = Path(os.environ.get("VT_ZGW_OPENAPI", Path(__file__).parents[2] / "keten" / "openapi"))
RESOURCES = {
    "zaken": ("zaken", "zaken"),
    "rollen": ("zaken", "rollen"),
    "statussen": ("zaken", "statussen"),
    "zaakinformatieobjecten": ("zaken", "zaakinformatieobjecten"),
    "enkelvoudiginformatieobjecten": ("documenten", "enkelvoudiginformatieobjecten"),
}
# Lists the documents define as a plain array.
ONGEPAGINEERD = frozenset({"zaakinformatieobjecten"})
# Query parameters the fake filters lists on (all others are accepted and ignored).
FILTERS = ("identificatie", "bronorganisatie", "zaak", "informatieobject", "statustype")


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


# Called after a resource is stored, before its 201 is answered (a test kills a worker there).
NaAanmaken = Callable[[str, dict[str, Any]], Awaitable[None]]


class NepZgw:
    """The APIs' state: resources per kind, keyed by URL."""

    def __init__(self, clients: dict[str, str], roltypen: dict[str, str] | None = None) -> None:
        """`clients`: client_id → secret; `roltypen`: roltype URL → omschrijvingGeneriek (what
        the Catalogi API would say of it)."""
        self.clients = clients
        self.roltypen = roltypen or {}
        self.data: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in RESOURCES}
        self.fouten: list[str] = []
        # A document's content as sent (base64), by its URL: the API answers a download URL.
        self.inhouden: dict[str, str] = {}
        self.verzoeken: list[tuple[str, str]] = []
        self.na_aanmaken: NaAanmaken | None = None
        self.basis = ""

    def app(self) -> web.Application:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/{api}/api/v1/{soort}", self._behandel)
        app.router.add_route("GET", "/{api}/api/v1/{soort}/{uuid}", self._behandel)
        return app

    def lijst(self, soort: str) -> list[dict[str, Any]]:
        return list(self.data[soort].values())

    def zet_status(self, zaak_url: str, statustype: str) -> None:
        """The ketenpartner sets a status (in its own application): the zaak's current one."""
        status = self._representatie(
            "statussen",
            {"zaak": zaak_url, "statustype": statustype, "datumStatusGezet": _nu()},
        )
        self.data["statussen"][status["url"]] = status
        self.data["zaken"][zaak_url]["status"] = status["url"]

    async def _behandel(self, request: web.Request) -> web.Response:
        api, soort = request.match_info["api"], request.match_info["soort"]
        if soort not in RESOURCES or RESOURCES[soort][0] != api:
            return web.Response(status=404)
        body = await request.read() if request.can_read_body else None
        verzoek = _Verzoek(
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
        spec = specificatie(api)
        fouten = [str(f) for f in spec.iter_request_errors(verzoek)]
        if fouten:
            self.fouten.extend(f"{request.method} {soort}: {f}" for f in fouten)
            return await self._antwoord(spec, verzoek, 400, _fout(400, "invalid", "ongeldig"))
        self.verzoeken.append((request.method, soort))
        if not self._geautoriseerd(request.headers.get("Authorization", "")):
            return await self._antwoord(
                spec, verzoek, 403, _fout(403, "permission_denied", "geen toegang")
            )
        if "uuid" in request.match_info:
            gevonden = self.data[soort].get(f"{self.basis}{request.path}")
            if gevonden is None:
                return await self._antwoord(spec, verzoek, 404, _fout(404, "not_found", "weg"))
            return await self._antwoord(spec, verzoek, 200, gevonden)
        if request.method == "GET":
            inhoud = self._zoek(soort, request.query)
            if soort in ONGEPAGINEERD:
                return await self._antwoord(spec, verzoek, 200, inhoud)
            antwoord = {"count": len(inhoud), "next": None, "previous": None, "results": inhoud}
            return await self._antwoord(spec, verzoek, 200, antwoord)
        assert body is not None
        return await self._maak(spec, verzoek, soort, json.loads(body))

    def _geautoriseerd(self, kop: str) -> bool:
        """HS256 JWT with `client_id`, signed with that client's secret."""
        if not kop.startswith("Bearer "):
            return False
        token = kop.removeprefix("Bearer ")
        try:
            client_id = jwt.decode(token, options={"verify_signature": False})["client_id"]
            secret = self.clients[client_id]
            claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["iat"]})
        except (jwt.PyJWTError, KeyError):
            return False
        return bool(claims.get("client_id") == client_id)

    def _zoek(self, soort: str, query: Any) -> list[dict[str, Any]]:
        return [
            r
            for r in self.data[soort].values()
            if all(r.get(k) == query[k] for k in FILTERS if k in query)
        ]

    async def _maak(
        self, spec: OpenAPI, verzoek: _Verzoek, soort: str, body: dict[str, Any]
    ) -> web.Response:
        if soort in ("zaken", "enkelvoudiginformatieobjecten") and self._zoek(
            soort,
            {"identificatie": body["identificatie"], "bronorganisatie": body["bronorganisatie"]},
        ):
            fout = _fout(400, "invalid", "Er is een validatiefout opgetreden.")
            fout["invalidParams"] = [
                {"name": "identificatie", "code": "identificatie-niet-uniek", "reason": "bestaat"}
            ]
            return await self._antwoord(spec, verzoek, 400, fout)
        nieuw = self._representatie(soort, body)
        self.data[soort][nieuw["url"]] = nieuw
        if soort == "statussen":
            self.data["zaken"][body["zaak"]]["status"] = nieuw["url"]
        elif soort in ("rollen", "zaakinformatieobjecten"):
            self.data["zaken"][body["zaak"]][soort].append(nieuw["url"])
        if self.na_aanmaken is not None:
            await self.na_aanmaken(soort, nieuw)
        return await self._antwoord(spec, verzoek, 201, nieuw)

    def _representatie(self, soort: str, body: dict[str, Any]) -> dict[str, Any]:
        """What the API answers: the request with its read-only fields."""
        api = RESOURCES[soort][0]
        ident = str(uuid.uuid4())
        nu = _nu()
        r = {**body, "url": f"{self.basis}/{api}/api/v1/{soort}/{ident}", "uuid": ident}
        if soort == "zaken":
            r |= {
                "betalingsindicatieWeergave": "",
                "deelzaken": [],
                "eigenschappen": [],
                "einddatum": None,
                "laatstGemuteerd": nu,
                "resultaat": None,
                "rollen": [],
                "status": None,
                "zaakinformatieobjecten": [],
                "zaakobjecten": [],
            }
        elif soort == "rollen":
            generiek = self.roltypen.get(body["roltype"], "adviseur")
            r |= {
                "omschrijving": generiek.capitalize(),
                "omschrijvingGeneriek": generiek,
                "registratiedatum": nu,
                "statussen": [],
            }
        elif soort == "statussen":
            r |= {"indicatieLaatstGezetteStatus": True, "zaakinformatieobjecten": []}
        elif soort == "zaakinformatieobjecten":
            r |= {"aardRelatieWeergave": "Hoort bij, omgekeerd: kent", "registratiedatum": nu}
        elif soort == "enkelvoudiginformatieobjecten":
            self.inhouden[r["url"]] = body.get("inhoud", "")
            r |= {
                "beginRegistratie": nu,
                "bestandsdelen": [],
                "locked": False,
                "versie": 1,
                "inhoud": f"{r['url']}/download?versie=1",
            }
        return r

    async def _antwoord(
        self, spec: OpenAPI, verzoek: _Verzoek, status: int, inhoud: Any
    ) -> web.Response:
        data = json.dumps(inhoud).encode()
        soort = "application/problem+json" if status >= 400 else "application/json"
        kop = {"Content-Crs": "EPSG:4326"} if "/zaken/api/v1/zaken" in verzoek.path else {}
        antwoord = _Antwoord(status, data, soort, Headers(list(kop.items())))
        for f in spec.iter_response_errors(verzoek, antwoord):
            self.fouten.append(f"antwoord {status} {verzoek.method} {verzoek.path}: {f}")
        return web.Response(status=status, body=data, content_type=soort, headers=kop)


def _nu() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _fout(status: int, code: str, titel: str) -> dict[str, Any]:
    return {
        "type": f"https://zgw.invalid/fouten/{code}",
        "code": code,
        "title": titel,
        "status": status,
        "detail": titel,
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }


async def start(nep: NepZgw, host: str = "127.0.0.1") -> web.AppRunner:
    """The fake on a free port of `host`; `nep.basis` is its URL. The documents are read
    first (seconds for the Zaken API's), never inside a request a client waits for."""
    for api in ("zaken", "documenten"):
        specificatie(api)
    runner = web.AppRunner(nep.app())
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    poort = runner.addresses[0][1]
    nep.basis = f"http://{host}:{poort}"
    return runner
