"""The zaakloket: a small ZGW Zaken and Documenten API on loopback (aiohttp), the wijkteam's side
of an overdracht under `make run` (runtime/ketenpartners.py) and the core of the tests' fake
(tests/integration/zgw_nep.py adds the validation against Open Zaak's OpenAPI documents).

It speaks what the adapter keten/zaken.py uses, as Open Zaak does: every request's JWT (HS256,
`client_id`, `iat`) checked against the client's secret (403 otherwise); `zaken`, `rollen`,
`statussen`, `zaakinformatieobjecten` under `/zaken/api/v1`, `enkelvoudiginformatieobjecten`
under `/documenten/api/v1`; list, create and read; the list filters `identificatie`,
`bronorganisatie`, `zaak`, `informatieobject`, `statustype`; a second zaak or document with the
same identificatie refused (`identificatie-niet-uniek`); the `Accept-Crs`/`Content-Crs` headers
on zaken. A demo, not Open Zaak: no Catalogi API (its URLs are taken as given), no
autorisaties per zaaktype, everything in memory. With `map_` each zaak is also written as one
JSON file (`<identificatie>.json`: the zaak, its rollen, statussen and documents with their
text), owner-only: it holds personal data."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from aiohttp import web

from keten.zaakbestand import schrijf_zaak

RESOURCES = {
    "zaken": ("zaken", "zaken"),
    "rollen": ("zaken", "rollen"),
    "statussen": ("zaken", "statussen"),
    "zaakinformatieobjecten": ("zaken", "zaakinformatieobjecten"),
    "enkelvoudiginformatieobjecten": ("documenten", "enkelvoudiginformatieobjecten"),
}
DOCUMENTEN = "enkelvoudiginformatieobjecten"
# Lists the APIs define as a plain array.
ONGEPAGINEERD = frozenset({"zaakinformatieobjecten"})
# Query parameters the lists filter on (all others are accepted and ignored).
FILTERS = ("identificatie", "bronorganisatie", "zaak", "informatieobject", "statustype")
# The fields a create needs (those of the published documents that the APIs require).
VERPLICHT = {
    "zaken": ("bronorganisatie", "verantwoordelijkeOrganisatie", "zaaktype", "startdatum"),
    "rollen": ("zaak", "roltype", "roltoelichting", "betrokkeneType"),
    "statussen": ("zaak", "statustype", "datumStatusGezet"),
    "zaakinformatieobjecten": ("zaak", "informatieobject"),
    "enkelvoudiginformatieobjecten": (
        "bronorganisatie",
        "creatiedatum",
        "titel",
        "auteur",
        "taal",
        "informatieobjecttype",
    ),
}

# Called after a resource is stored, before its 201 is answered (a test kills a worker there).
NaAanmaken = Callable[[str, dict[str, Any]], Awaitable[None]]


class Zaakloket:
    """The APIs' state: resources per kind, keyed by URL."""

    def __init__(
        self,
        clients: dict[str, str],
        roltypen: dict[str, str] | None = None,
        map_: Path | None = None,
    ) -> None:
        """`clients`: client_id → secret; `roltypen`: roltype URL → omschrijvingGeneriek (what
        the Catalogi API would say of it); `map_`: where each zaak is written (owner-only)."""
        self.clients = clients
        self.roltypen = roltypen or {}
        self.map = map_
        self.data: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in RESOURCES}
        # A document's content as sent (base64), by its URL: the API answers a download URL.
        self.inhouden: dict[str, str] = {}
        self.verzoeken: list[tuple[str, str]] = []
        self.na_aanmaken: NaAanmaken | None = None
        self.basis = ""
        if map_ is not None:
            map_.mkdir(mode=0o700, parents=True, exist_ok=True)
            map_.chmod(0o700)

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
        self._bewaar(zaak_url)

    # -- hooks of the tests' fake ---------------------------------------------------------
    def ongeldig(self, request: web.Request, api: str, body: bytes | None) -> list[str]:
        """What is wrong with the request before it is handled (400); the headers the Zaken
        API requires on zaken, and a body that is no JSON object."""
        fouten = []
        if request.path.startswith("/zaken/api/v1/zaken"):
            kop = "Content-Crs" if request.method == "POST" else "Accept-Crs"
            if request.headers.get(kop) != "EPSG:4326":
                fouten.append(f"{kop}: EPSG:4326 verwacht")
        if request.method == "POST":
            try:
                if not isinstance(json.loads(body or b""), dict):
                    fouten.append("body: een JSON-object verwacht")
            except ValueError:
                fouten.append("body: geen JSON")
        return fouten

    def antwoord(
        self, request: web.Request, body: bytes | None, status: int, inhoud: Any
    ) -> web.Response:
        soort = "application/problem+json" if status >= 400 else "application/json"
        kop = {"Content-Crs": "EPSG:4326"} if request.path.startswith("/zaken/api/v1/zaken") else {}
        data = json.dumps(inhoud).encode()
        return web.Response(status=status, body=data, content_type=soort, headers=kop)

    # -- the protocol ---------------------------------------------------------------------------
    async def _behandel(self, request: web.Request) -> web.Response:
        api, soort = request.match_info["api"], request.match_info["soort"]
        if soort not in RESOURCES or RESOURCES[soort][0] != api:
            return web.Response(status=404)
        body = await request.read() if request.can_read_body else None
        status, inhoud = await self._verwerk(request, api, soort, body)
        return self.antwoord(request, body, status, inhoud)

    async def _verwerk(
        self, request: web.Request, api: str, soort: str, body: bytes | None
    ) -> tuple[int, Any]:
        if self.ongeldig(request, api, body):
            return 400, fout(400, "invalid", "ongeldig")
        self.verzoeken.append((request.method, soort))
        if not self._geautoriseerd(request.headers.get("Authorization", "")):
            return 403, fout(403, "permission_denied", "geen toegang")
        if "uuid" in request.match_info:
            gevonden = self.data[soort].get(f"{self.basis}{request.path}")
            return (200, gevonden) if gevonden is not None else (404, fout(404, "not_found", "weg"))
        if request.method == "GET":
            inhoud = self._zoek(soort, request.query)
            if soort in ONGEPAGINEERD:
                return 200, inhoud
            return 200, {"count": len(inhoud), "next": None, "previous": None, "results": inhoud}
        if request.method != "POST":
            return 405, fout(405, "method_not_allowed", "niet toegestaan")
        return await self._maak(soort, json.loads(body or b""))

    def _geautoriseerd(self, kop: str) -> bool:
        """HS256 JWT with `client_id`, signed with that client's secret."""
        if not kop.startswith("Bearer "):
            return False
        token = kop.removeprefix("Bearer ")
        try:
            client_id = jwt.decode(token, options={"verify_signature": False})["client_id"]
            secret = self.clients[client_id]
            claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["iat"]})
        except (jwt.PyJWTError, KeyError, TypeError):
            return False
        return bool(claims.get("client_id") == client_id)

    def _zoek(self, soort: str, query: Any) -> list[dict[str, Any]]:
        return [
            r
            for r in self.data[soort].values()
            if all(r.get(k) == query[k] for k in FILTERS if k in query)
        ]

    async def _maak(self, soort: str, body: dict[str, Any]) -> tuple[int, Any]:
        ontbreekt = [veld for veld in VERPLICHT[soort] if body.get(veld) in (None, "")]
        if ontbreekt:
            return 400, ongeldig_veld(ontbreekt[0], "required", "Dit veld is vereist.")
        # The zaak and the document a rol, status or link points at must exist here.
        for veld, doel in (("zaak", "zaken"), ("informatieobject", DOCUMENTEN)):
            verwijst = veld in body and soort != DOCUMENTEN
            if verwijst and (not isinstance(body[veld], str) or body[veld] not in self.data[doel]):
                return 400, ongeldig_veld(veld, "bad-url", "Onbekende URL.")
        if soort in ("zaken", DOCUMENTEN) and body.get("identificatie"):
            zoek = {k: body[k] for k in ("identificatie", "bronorganisatie")}
            if self._zoek(soort, zoek):
                return 400, ongeldig_veld("identificatie", "identificatie-niet-uniek", "bestaat")
        nieuw = self._representatie(soort, body)
        self.data[soort][nieuw["url"]] = nieuw
        if soort == "statussen":
            self.data["zaken"][body["zaak"]]["status"] = nieuw["url"]
        elif soort in ("rollen", "zaakinformatieobjecten"):
            self.data["zaken"][body["zaak"]][soort].append(nieuw["url"])
        if soort != "enkelvoudiginformatieobjecten":
            self._bewaar(nieuw["url"] if soort == "zaken" else body["zaak"])
        if self.na_aanmaken is not None:
            await self.na_aanmaken(soort, nieuw)
        return 201, nieuw

    def _representatie(self, soort: str, body: dict[str, Any]) -> dict[str, Any]:
        """What the API answers: the request with its read-only fields."""
        api = RESOURCES[soort][0]
        ident = str(uuid.uuid4())
        nu = _nu()
        r = {**body, "url": f"{self.basis}/{api}/api/v1/{soort}/{ident}", "uuid": ident}
        if soort == "zaken":
            r.setdefault("identificatie", f"ZAAK-{ident[:8]}")
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
            generiek = self.roltypen.get(str(body["roltype"]), "adviseur")
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
            r.setdefault("identificatie", f"DOC-{ident[:8]}")
            self.inhouden[r["url"]] = body.get("inhoud", "")
            r |= {
                "beginRegistratie": nu,
                "bestandsdelen": [],
                "locked": False,
                "versie": 1,
                "inhoud": f"{r['url']}/download?versie=1",
            }
        return r

    def _bewaar(self, zaak_url: str) -> None:
        if self.map is not None:
            schrijf_zaak(self.map, self.data, self.inhouden, zaak_url)


def _nu() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def fout(status: int, code: str, titel: str) -> dict[str, Any]:
    """A ZGW error body (application/problem+json)."""
    return {
        "type": f"https://zgw.invalid/fouten/{code}",
        "code": code,
        "title": titel,
        "status": status,
        "detail": titel,
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }


def ongeldig_veld(veld: str, code: str, reden: str) -> dict[str, Any]:
    """A ZGW validation error (400) naming the field in `invalidParams`."""
    return fout(400, "invalid", "Er is een validatiefout opgetreden.") | {
        "invalidParams": [{"name": veld, "code": code, "reason": reden}]
    }


async def start(loket: Zaakloket, host: str = "127.0.0.1", poort: int = 0) -> web.AppRunner:
    """The zaakloket on `host`:`poort` (0: a free one); `loket.basis` is its URL. OSError when
    the port is taken."""
    runner = web.AppRunner(loket.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, poort)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    loket.basis = f"http://{host}:{runner.addresses[0][1]}"
    return runner
