"""The codec server: `/encode` and `/decode` as the Temporal Web UI and `temporal` CLI call them,
for staff with a bearer token or their OIDC token (docs/privacy.md).

    python -m starter codec-server    # VT_CODEC_TOKEN and/or VT_CODEC_OIDC_*, VT_CODEC_ORIGIN,
                                      # VT_CODEC_HOST, VT_CODEC_PORT, VT_MASTER_KEY, DATABASE_URL

Two ways in, either suffices: the static token `VT_CODEC_TOKEN` (the `temporal` CLI, integrators)
or, with `VT_CODEC_OIDC_ISSUER` and `VT_CODEC_OIDC_AUDIENCE`, a JWT of that OIDC provider as the
Web UI forwards the user's (`TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true`; starter/oidc.py).

Every decode is logged and written to the audit table: who (for OIDC the user the token names;
for the static token its fingerprint, and the user a proxy names in X-Vt-Gebruiker), which
meldingen, how many payloads; never content. A payload whose key was destroyed comes back as a
short JSON text saying so.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import hmac
import json
import os
import sys
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from aiohttp import web
from temporalio.api.common.v1 import Payload

from starter import oidc
from starter.codec_client import HEADER_WORKFLOW, META_FOUT, payloads_naar_json, payloads_uit_json
from versleuteling.codec import META_SLEUTEL as _META_SLEUTEL
from versleuteling.codec import (
    KeyStore,
    SleutelVernietigd,
    VersleutelCodec,
    lees_hoofdsleutel,
    melding_van,
    sleutel_id,
    versleuteld,
)

log = structlog.get_logger("codec-server")
HEADER_GEBRUIKER = "X-Vt-Gebruiker"
HEADER_ID_TOKEN = "Authorization-Extras"  # the Web UI's ID token, next to the access token
_TOEGESTANE_HEADERS = (
    f"Authorization, {HEADER_ID_TOKEN}, Content-Type, X-Namespace, {HEADER_GEBRUIKER}"
)
Audit = Callable[[str, str, int], Awaitable[None]]


@dataclass(frozen=True)
class CodecInstellingen:
    token: str | None  # None and no oidc: nothing asked (only `make run`, on loopback)
    origin: str
    host: str = "127.0.0.1"
    poort: int = 8081
    oidc: oidc.OidcInstellingen | None = None

    @property
    def open(self) -> bool:
        return self.token is None and self.oidc is None

    @classmethod
    def uit_omgeving(cls, env: Mapping[str, str]) -> CodecInstellingen:
        token = env.get("VT_CODEC_TOKEN", "")
        oidc_ = oidc.OidcInstellingen.uit_omgeving(env)
        if token and len(token) < 16:
            raise ValueError("VT_CODEC_TOKEN is korter dan 16 tekens")
        if not token and oidc_ is None:
            raise ValueError(
                "VT_CODEC_TOKEN ontbreekt (≥ 16 tekens), of VT_CODEC_OIDC_ISSUER met "
                "VT_CODEC_OIDC_AUDIENCE voor de tokens van de Web UI"
            )
        return cls(
            token=token or None,
            origin=env.get("VT_CODEC_ORIGIN", "").rstrip("/"),
            host=env.get("VT_CODEC_HOST") or "127.0.0.1",
            poort=int(env.get("VT_CODEC_PORT") or 8081),
            oidc=oidc_,
        )


def _wie_met_token(instellingen: CodecInstellingen, verzoek: web.Request) -> str:
    if instellingen.token is None:
        basis = "lokaal"
    else:
        basis = "token-" + hashlib.sha256(instellingen.token.encode()).hexdigest()[:8]
    gebruiker = verzoek.headers.get(HEADER_GEBRUIKER, "")[:64]
    return f"{basis}/{gebruiker}" if gebruiker else basis


_WIE: contextvars.ContextVar[str] = contextvars.ContextVar("wie")  # per request: its own task


class _Geweigerd(Exception):
    def __init__(self, status: int, reden: str) -> None:
        super().__init__(reden)
        self.status, self.reden = status, reden


async def _wie(
    instellingen: CodecInstellingen, controle: oidc.OidcControle | None, verzoek: web.Request
) -> str:
    """Who asks: the static token (constant-time compare) or a JWT of the OIDC provider, in
    Authorization or (the Web UI's ID token) Authorization-Extras. _Geweigerd otherwise."""
    if instellingen.open:
        return _wie_met_token(instellingen, verzoek)
    gegeven = verzoek.headers.get("Authorization", "")
    if instellingen.token is not None and hmac.compare_digest(
        gegeven.encode(), f"Bearer {instellingen.token}".encode()
    ):
        return _wie_met_token(instellingen, verzoek)
    if controle is None:
        raise _Geweigerd(401, "token")
    kandidaten = [gegeven.removeprefix("Bearer ").strip()] if gegeven.startswith("Bearer ") else []
    if extra := verzoek.headers.get(HEADER_ID_TOKEN, "").removeprefix("Bearer ").strip():
        kandidaten.append(extra)
    redenen = []
    for token in kandidaten:
        try:
            return "oidc/" + oidc.gebruiker(await controle.controleer(token))
        except oidc.TokenGeweigerd as fout:
            redenen.append(str(fout))
        except oidc.ProviderOnbereikbaar as fout:
            log.error("identiteitsprovider niet bereikbaar", fout=str(fout))
            raise _Geweigerd(503, "identiteitsprovider niet bereikbaar") from None
    raise _Geweigerd(401, "; ".join(redenen) or "geen token")


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _Codecdienst:
    """The app's parts: the CORS answer, the gate (origin, then who asks), the two endpoints."""

    def __init__(
        self, instellingen: CodecInstellingen, sleutels: KeyStore, audit: Audit | None
    ) -> None:
        self.instellingen, self.sleutels, self.audit = instellingen, sleutels, audit
        self.codec = VersleutelCodec(sleutels)
        self.controle = oidc.OidcControle(instellingen.oidc) if instellingen.oidc else None

    def cors(self, verzoek: web.Request, antwoord: web.StreamResponse) -> web.StreamResponse:
        origin = verzoek.headers.get("Origin")
        if origin and origin.rstrip("/") == self.instellingen.origin:
            antwoord.headers["Access-Control-Allow-Origin"] = origin
            antwoord.headers["Access-Control-Allow-Credentials"] = "true"
            antwoord.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
            antwoord.headers["Access-Control-Allow-Headers"] = _TOEGESTANE_HEADERS
            antwoord.headers["Vary"] = "Origin"
        return antwoord

    @web.middleware
    async def poort(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        verzoek = request  # aiohttp's Middleware protocol names the parameter
        origin = verzoek.headers.get("Origin")
        if origin and origin.rstrip("/") != self.instellingen.origin:
            log.warning("verzoek geweigerd", reden="origin", origin=origin[:100])
            return web.json_response({"fout": "origin niet toegestaan"}, status=403)
        if verzoek.method == "OPTIONS":
            return self.cors(verzoek, web.Response(status=200))
        try:
            _WIE.set(await _wie(self.instellingen, self.controle, verzoek))
        except _Geweigerd as fout:
            log.warning("verzoek geweigerd", reden=fout.reden, pad=verzoek.path)
            return self.cors(verzoek, _weigering(fout))
        return self.cors(verzoek, await handler(verzoek))

    async def encode(self, verzoek: web.Request) -> web.Response:
        payloads = payloads_uit_json(await verzoek.read())
        workflow_id = verzoek.headers.get(HEADER_WORKFLOW, "")
        uit = await VersleutelCodec(self.sleutels, sleutel_id(workflow_id)).encode(payloads)
        return _json(payloads_naar_json(uit))

    async def decode(self, verzoek: web.Request) -> web.Response:
        payloads = payloads_uit_json(await verzoek.read())
        wie = _WIE.get()
        uit: list[Payload] = []
        per_melding: dict[str, int] = {}
        for p in payloads:
            sleutel = p.metadata[_META_SLEUTEL].decode() if versleuteld(p) else ""
            try:
                [gedecodeerd] = await self.codec.decode([p])
            except SleutelVernietigd:
                gedecodeerd = _vernietigd(sleutel)
            uit.append(gedecodeerd)
            if melding := melding_van(sleutel):
                per_melding[melding] = per_melding.get(melding, 0) + 1
        log.info(
            "payloads ontsleuteld",
            wie=wie,
            melding_ids=sorted(per_melding),
            aantal=len(payloads),
            namespace=verzoek.headers.get("X-Namespace", ""),
        )
        if self.audit is not None:
            for melding, aantal in per_melding.items():
                await self.audit(melding, wie, aantal)
        return _json(payloads_naar_json(uit))

    async def sluit(self, _: web.Application) -> None:
        if self.controle is not None:
            await self.controle.sluit()


def _weigering(fout: _Geweigerd) -> web.Response:
    tekst = "geen toegang" if fout.status == 401 else fout.reden
    antwoord = web.json_response({"fout": tekst}, status=fout.status)
    if fout.status == 401:
        antwoord.headers["WWW-Authenticate"] = 'Bearer realm="codec"'
    return antwoord


async def _preflight(_: web.Request) -> web.Response:
    return web.Response()  # answered by the middleware before it gets here


def maak_app(
    instellingen: CodecInstellingen, sleutels: KeyStore, audit: Audit | None
) -> web.Application:
    dienst = _Codecdienst(instellingen, sleutels, audit)
    app = web.Application(middlewares=[dienst.poort], client_max_size=8 * 1024 * 1024)
    app.router.add_post("/encode", dienst.encode)
    app.router.add_post("/decode", dienst.decode)
    for pad in ("/encode", "/decode"):
        app.router.add_route("OPTIONS", pad, _preflight)
    app.on_cleanup.append(dienst.sluit)
    return app


def _vernietigd(sleutel: str) -> Payload:
    tekst = f"[vernietigd: de sleutel van melding {melding_van(sleutel) or sleutel} is vernietigd]"
    return Payload(
        metadata={
            "encoding": b"json/plain",
            META_FOUT: b"SleutelVernietigd",
            "vt-sleutel": sleutel.encode(),
        },
        data=json.dumps(tekst).encode(),
    )


def _json(data: bytes) -> web.Response:
    return web.Response(body=data, content_type="application/json")


def audit_in(pool: object) -> Audit:
    """Each decode as an audit row (handeling `payload_ontsleuteld`)."""

    async def schrijf(melding_id: str, wie: str, aantal: int) -> None:
        async with pool.acquire() as con:  # type: ignore[attr-defined]
            await con.execute(
                "INSERT INTO audit (sleutel, melding_id, handeling, medewerker, op, gegevens)"
                " VALUES ($1, $2, 'payload_ontsleuteld', $3, $4, $5)",
                f"codec/{uuid.uuid4()}",
                melding_id,
                wie,
                datetime.now(UTC),
                # Counts only, nothing of the melding: stored as plain JSON (migration 008).
                json.dumps({"payloads": aantal, "bron": "codec-server"}).encode(),
            )

    return schrijf


async def start(
    instellingen: CodecInstellingen, sleutels: KeyStore, audit: Audit | None
) -> web.AppRunner:
    """Listening once this returns; `await runner.cleanup()` stops it."""
    runner = web.AppRunner(maak_app(instellingen, sleutels, audit), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, instellingen.host, instellingen.poort).start()
    log.info(
        "codec server gestart",
        adres=f"http://{instellingen.host}:{instellingen.poort}",
        origin=instellingen.origin or "(geen)",
        token="ja" if instellingen.token else "nee",
        oidc=instellingen.oidc.issuer if instellingen.oidc else "nee",
    )
    return runner


async def draai_uit_omgeving(env: Mapping[str, str]) -> None:
    import asyncpg

    from versleuteling.opslag import PostgresKeyStore

    instellingen = CodecInstellingen.uit_omgeving(env)
    hoofdsleutel = lees_hoofdsleutel(env.get("VT_MASTER_KEY", ""))
    pool = await asyncpg.create_pool(env.get("DATABASE_URL", ""), min_size=1, max_size=4)
    runner = await start(instellingen, PostgresKeyStore(hoofdsleutel, pool), audit_in(pool))
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await pool.close()


def main(env: Mapping[str, str] | None = None) -> int:
    from runtime.logs import configureer_logging

    env = os.environ if env is None else env
    configureer_logging(env.get("VT_LOG_FORMAT", "auto"))
    try:
        asyncio.run(draai_uit_omgeving(env))
    except ValueError as fout:
        print(f"codec-server: {fout}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0
