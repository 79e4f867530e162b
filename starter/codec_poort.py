"""The codec server's gate (starter/codec_server.py): the browser origins and CORS, who asks
(starter/codec_toegang.py), a database that does not answer told as one that is away (503
within DATABASE_WACHTTIJD), the key a request may reach, and the audit of every call."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiohttp import web

from domain.identiteit import Auteur
from domain.reikwijdte import weiger_inhoud
from starter.codec_audit import Audit, AuditOnbereikbaar
from starter.codec_client import ONDERDEEL_POSTGRESQL
from starter.codec_instellingen import CodecInstellingen
from starter.codec_toegang import Afgewezen, Poortwachter
from versleuteling.codec import (
    KeyStore,
    SleutelOnbekend,
    SleutelopslagOnbereikbaar,
    SleutelVernietigd,
    casus_van,
)

log = structlog.get_logger("codec-server")
HEADER_ID_TOKEN = "Authorization-Extras"  # the Web UI's ID token, next to the access token
HEADER_GEWEIGERD = "X-Vt-Geweigerd"  # a browser's /decode that held another region's content
DATABASE_WACHTTIJD = 5.0  # seconds a request waits for PostgreSQL before its 503
_TOEGESTANE_HEADERS = f"Authorization, {HEADER_ID_TOKEN}, Content-Type, X-Namespace"

WIE: contextvars.ContextVar[Auteur] = contextvars.ContextVar("wie")  # per request: its own task
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Codecpoort:
    """The gate every endpoint of the codec server stands behind."""

    def __init__(
        self, instellingen: CodecInstellingen, sleutels: KeyStore, audit: Audit | None
    ) -> None:
        self.instellingen, self.sleutels, self.audit = instellingen, sleutels, audit
        self.poortwachter = Poortwachter(instellingen.toegang)

    def cors(self, verzoek: web.Request, antwoord: web.StreamResponse) -> web.StreamResponse:
        origin = verzoek.headers.get("Origin")
        if origin and origin.rstrip("/") in self.instellingen.origins:
            antwoord.headers["Access-Control-Allow-Origin"] = origin
            antwoord.headers["Access-Control-Allow-Credentials"] = "true"
            antwoord.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
            antwoord.headers["Access-Control-Allow-Headers"] = _TOEGESTANE_HEADERS
            antwoord.headers["Vary"] = "Origin"
            antwoord.headers["Access-Control-Expose-Headers"] = HEADER_GEWEIGERD
        return antwoord

    @web.middleware
    async def poort(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        verzoek = request  # aiohttp's Middleware protocol names the parameter
        origin = verzoek.headers.get("Origin")
        if origin and origin.rstrip("/") not in self.instellingen.origins:
            log.warning("verzoek geweigerd", reden="origin", origin=origin[:100])
            return web.json_response({"fout": "origin niet toegestaan"}, status=403)
        if verzoek.method == "OPTIONS":
            return self.cors(verzoek, web.Response(status=200))
        if "/" in verzoek.path.strip("/") and not self.poortwachter.ui_pad(verzoek.path):
            return web.json_response({"fout": "onbekend pad"}, status=404)
        try:
            WIE.set(
                await self.poortwachter.wie(verzoek.headers, verzoek.path, _verbinding(verzoek))
            )
            return self.cors(verzoek, await self._binnen_wachttijd(handler, verzoek))
        except Afgewezen as fout:
            log.warning(
                "verzoek geweigerd", reden=fout.reden, pad=_pad(verzoek), status=fout.status
            )
            return self.cors(verzoek, _weigering(fout))
        except (SleutelopslagOnbereikbaar, AuditOnbereikbaar) as fout:
            # The data keys and the audit live in PostgreSQL: without it nothing is decoded,
            # encoded or attested, and the answer says which part is down (not a bare 500).
            log.error("postgresql niet bereikbaar", pad=_pad(verzoek), fout=str(fout))
            antwoord = web.json_response(
                {
                    "fout": f"PostgreSQL niet bereikbaar ({_oorzaak(fout)}); probeer het "
                    "opnieuw zodra de database terug is",
                    "onderdeel": ONDERDEEL_POSTGRESQL,
                },
                status=503,
            )
            return self.cors(verzoek, antwoord)

    async def _binnen_wachttijd(self, handler: Handler, verzoek: web.Request) -> web.StreamResponse:
        """A handler waits for nothing but PostgreSQL (keys, audit): a database that accepts
        and does not answer (paused, a hung connection) is told as one that is away, within
        DATABASE_WACHTTIJD, not a request that hangs (the Web UI's page would stay a skeleton;
        with a 503 it shows what is readable)."""
        try:
            return await asyncio.wait_for(handler(verzoek), DATABASE_WACHTTIJD)
        except TimeoutError:
            raise SleutelopslagOnbereikbaar(
                f"geen antwoord binnen {DATABASE_WACHTTIJD:g} s"
            ) from None

    async def _bestaat(self, sleutel: str) -> None:
        try:
            await self.sleutels.sleutel_voor_ontsleutelen(sleutel)
        except SleutelOnbekend:
            raise Afgewezen(404, "onbekende workflow: geen sleutel (de start maakt die)") from None
        except SleutelVernietigd:
            raise Afgewezen(410, "het dossier is vernietigd") from None

    async def _in_reikwijdte(self, wie: Auteur, sleutel: str, pad: str) -> None:
        """A write into a case of another organisation: 403, audited. A case whose region is
        not known yet (a start before its dossier is written) is not refused here."""
        casus = casus_van(sleutel)
        regio = await self.sleutels.regio_van(sleutel)
        if casus is None or regio is None:
            return
        reden = weiger_inhoud(wie, f"melding {casus}" if "/" not in casus else casus, regio)
        if reden is not None:
            await self._audit(casus, "inhoud_geweigerd", wie, {"pad": pad, "regio": regio})
            raise Afgewezen(403, f"{pad}: {reden}")

    async def _audit(
        self, melding_id: str, handeling: str, wie: Auteur, gegevens: dict[str, Any]
    ) -> None:
        if self.audit is not None:
            await self.audit(melding_id, handeling, wie.id, gegevens)

    async def sluit(self, _: web.Application) -> None:
        await self.poortwachter.sluit()


def _verbinding(verzoek: web.Request) -> tuple[tuple[str, int], tuple[str, int]] | None:
    transport = verzoek.transport
    if transport is None:
        return None
    peer, eigen = transport.get_extra_info("peername"), transport.get_extra_info("sockname")
    if not peer or not eigen:
        return None
    return (str(peer[0]), int(peer[1])), (str(eigen[0]), int(eigen[1]))


def _oorzaak(fout: SleutelopslagOnbereikbaar | AuditOnbereikbaar) -> str:
    """What the codec server could not reach and why, in a few words."""
    wat = "de sleutels" if isinstance(fout, SleutelopslagOnbereikbaar) else "de audit"
    return f"{wat} van de codec server: {fout.oorzaak}"


def _pad(verzoek: web.Request) -> str:
    """The endpoint, never the UI's secret segment in front of it."""
    return "/" + verzoek.path.rstrip("/").rsplit("/", 1)[-1]


def _weigering(fout: Afgewezen) -> web.Response:
    tekst = "geen toegang" if fout.status == 401 else fout.reden
    antwoord = web.json_response({"fout": tekst}, status=fout.status)
    if fout.status == 401:
        antwoord.headers["WWW-Authenticate"] = 'Bearer realm="codec"'
    return antwoord
