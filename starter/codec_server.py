"""The codec server: `/encode` and `/decode` as the Temporal Web UI and `temporal` CLI call them,
and `/verklaring`, the attestation of who writes (docs/architecture.md, "Who is acting").

    python -m starter codec-server    # VT_CODEC_TOKENS / VT_CODEC_TOKEN / VT_CODEC_OIDC_*,
                                      # VT_CODEC_ORIGIN, VT_CODEC_HOST, VT_CODEC_PORT,
                                      # VT_MASTER_KEY, DATABASE_URL

Every caller is a login, named by its credential only (starter/codec_toegang.py). Every call is
logged and written to the audit table: who, which meldingen, how many payloads; never content.

- `/decode`: any login; content only in scope (starter/codec_inzage.py): a readable payload as it
  is, content of the login's own organisations decoded, content of another region refused (403
  with the reason; to a browser, whose Web UI shows only a 200's body, 200 with the refusal
  text in place of that content and `X-Vt-Geweigerd: 403`), content for ops and beheer withheld
  without a database round trip. A payload whose key was destroyed comes back as a short text.
- `/encode`: only for a workflow that exists (its data key does), of the login's organisation,
  and a login that may write; it never creates a key but `invoer`, the one key of the Web UI's
  dialogs, which name no workflow. 404 for an unknown workflow, 410 for a
  destroyed one, 403 for another region's.
- `/verklaring`: for one workflow ID, one handeling (start, update, signaal), one name and one
  request ID, when the login's roles allow it (domain.identiteit); a start of a melding creates
  its data key here, the only place outside the worker that does.
- Malformed bodies: 400 with a short reason; nothing of the request in the log.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Mapping

import structlog
from aiohttp import web
from google.protobuf.json_format import ParseError
from temporalio.api.common.v1 import Payload

from domain.identiteit import Auteur, Taakrol
from starter import codec_inzage
from starter.codec_audit import Audit as Audit
from starter.codec_audit import AuditOnbereikbaar as AuditOnbereikbaar
from starter.codec_audit import audit_in as audit_in
from starter.codec_client import HEADER_WORKFLOW, payloads_naar_json, payloads_uit_json
from starter.codec_instellingen import CodecInstellingen as CodecInstellingen
from starter.codec_poort import HEADER_GEWEIGERD, WIE
from starter.codec_toegang import Afgewezen
from starter.codec_verklaring import Verklaringen
from versleuteling.codec import (
    META_LEESBAAR,
    KeyStore,
    VersleutelCodec,
    casus_van,
    lees_hoofdsleutel,
    sleutel_id,
)

log = structlog.get_logger("codec-server")
INVOER = "invoer"  # the key of the Web UI's dialog payloads (no workflow named)
_SCHRIJVERS = (Taakrol.MEDEWERKER, Taakrol.TEAMLEIDER, Taakrol.INTEGRATOR, Taakrol.SYSTEEM)


class _Codecdienst(Verklaringen):
    """The endpoints `/encode` and `/decode`; `/verklaring` (starter/codec_verklaring.py) and the
    gate (starter/codec_poort.py) it inherits."""

    async def _payloads(self, verzoek: web.Request) -> list[Payload]:
        try:
            return payloads_uit_json(await verzoek.read())
        except (ParseError, ValueError, UnicodeDecodeError, TypeError):
            raise Afgewezen(400, 'geen geldige payloads (JSON: {"payloads": [...]})') from None

    async def encode(self, verzoek: web.Request) -> web.Response:
        wie = WIE.get()
        if not wie.heeft(*_SCHRIJVERS):
            raise Afgewezen(403, f"encode: de login {wie.id} mag niet schrijven")
        payloads = await self._payloads(verzoek)
        for p in payloads:  # readable is what our own converter marks, never a caller
            if META_LEESBAAR in p.metadata:
                del p.metadata[META_LEESBAAR]
        workflow_id = verzoek.headers.get(HEADER_WORKFLOW, "")
        if not workflow_id:
            return await self._encode_invoer(wie, payloads)
        sleutel = sleutel_id(workflow_id)
        melding = casus_van(sleutel)
        if melding is None:
            raise Afgewezen(400, f"encode: {HEADER_WORKFLOW} noemt geen workflow van een melding")
        await self._bestaat(sleutel)
        await self._in_reikwijdte(wie, sleutel, "encode")
        uit = await VersleutelCodec(self.sleutels, sleutel).encode(payloads)
        log.info("payloads versleuteld", wie=wie.id, melding_ids=[melding], aantal=len(payloads))
        await self._audit(melding, "payload_versleuteld", wie, {"payloads": len(payloads)})
        return _json(payloads_naar_json(uit))

    async def _encode_invoer(self, wie: Auteur, payloads: list[Payload]) -> web.Response:
        """The Web UI's dialogs (Send an Update) name no workflow: their payloads get the one
        key `invoer`, so the worker can read them and its validator answer (a value error as its
        field and rule; a decision without a verklaring refused). A refused update is never
        stored; the dialogs that would store a payload (start, signal) are forbidden and hidden
        in production (docs/operations.md)."""
        uit = await VersleutelCodec(self.sleutels, INVOER).encode(payloads)
        log.info("payloads versleuteld", wie=wie.id, sleutel=INVOER, aantal=len(payloads))
        return _json(payloads_naar_json(uit))

    async def decode(self, verzoek: web.Request) -> web.Response:
        payloads = await self._payloads(verzoek)
        wie = WIE.get()
        inzage = await codec_inzage.ontsleutel(wie, payloads, self.sleutels)
        log.info(
            "payloads ontsleuteld",
            wie=wie.id,
            melding_ids=sorted(inzage.ontsleuteld),
            geweigerd=sorted(inzage.geweigerd),
            aantal=len(payloads),
            namespace=verzoek.headers.get("X-Namespace", "")[:100],
        )
        for melding, aantal in inzage.ontsleuteld.items():
            await self._audit(
                melding, "payload_ontsleuteld", wie, {"payloads": aantal, "bron": "codec-server"}
            )
        for casus in inzage.geweigerd:
            await self._audit(casus, "inhoud_geweigerd", wie, {"pad": "decode"})
        data = payloads_naar_json(inzage.payloads)
        if not inzage.geweigerd:
            return _json(data)
        reden = next(iter(inzage.geweigerd.values()))
        if verzoek.headers.get("Origin"):
            # The Web UI shows the body of a 200 only: the refusal text stands where the
            # content would be, so the page says why (the header says it was refused).
            antwoord = _json(data)
            antwoord.headers[HEADER_GEWEIGERD] = "403"
            return antwoord
        # A client (CLI, integrator): 403 with the reason; the body still holds every payload.
        tekst = json.loads(data)
        tekst["fout"] = reden
        return web.json_response(tekst, status=403)


async def _preflight(_: web.Request) -> web.Response:
    return web.Response()  # answered by the middleware before it gets here


def maak_app(
    instellingen: CodecInstellingen, sleutels: KeyStore, audit: Audit | None
) -> web.Application:
    dienst = _Codecdienst(instellingen, sleutels, audit)
    app = web.Application(middlewares=[dienst.poort], client_max_size=8 * 1024 * 1024)
    for pad, handler in (
        ("/encode", dienst.encode),
        ("/decode", dienst.decode),
        ("/verklaring", dienst.verklaring),
        ("/{ui}/encode", dienst.encode),  # the local Web UI's secret segment (make run)
        ("/{ui}/decode", dienst.decode),
    ):
        app.router.add_post(pad, handler)
        app.router.add_route("OPTIONS", pad, _preflight)
    app.on_cleanup.append(dienst.sluit)
    return app


def _json(data: bytes) -> web.Response:
    return web.Response(body=data, content_type="application/json")


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
        tokens=len(instellingen.toegang.tokens),
        ui_pad="ja" if instellingen.toegang.ui_pad else "nee",
        oidc=instellingen.oidc.issuer if instellingen.oidc else "nee",
    )
    return runner


async def draai_uit_omgeving(env: Mapping[str, str]) -> None:
    import asyncpg

    from versleuteling.opslag import PostgresKeyStore

    hoofdsleutel = lees_hoofdsleutel(env.get("VT_MASTER_KEY", ""))
    instellingen = CodecInstellingen.uit_omgeving(env)
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
