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
import contextvars
import json
import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from aiohttp import web
from google.protobuf.json_format import ParseError
from temporalio.api.common.v1 import Payload

from contract import ids, names
from domain.identiteit import Auteur, Handeling, Taakrol, weiger_handeling
from domain.kenmerken import verzoek_id_fout
from domain.reikwijdte import ALLE, weiger_inhoud
from starter import codec_inzage
from starter.codec_audit import Audit as Audit
from starter.codec_audit import AuditOnbereikbaar as AuditOnbereikbaar
from starter.codec_audit import audit_in as audit_in
from starter.codec_client import (
    HEADER_WORKFLOW,
    ONDERDEEL_POSTGRESQL,
    payloads_naar_json,
    payloads_uit_json,
)
from starter.codec_toegang import Afgewezen, Poortwachter, Toegangsregels
from versleuteling import verklaring as tokens
from versleuteling.codec import (
    META_LEESBAAR,
    KeyStore,
    SleutelOnbekend,
    SleutelopslagOnbereikbaar,
    SleutelVernietigd,
    VersleutelCodec,
    casus_van,
    lees_hoofdsleutel,
    sleutel_id,
)

log = structlog.get_logger("codec-server")
HEADER_ID_TOKEN = "Authorization-Extras"  # the Web UI's ID token, next to the access token
HEADER_GEWEIGERD = "X-Vt-Geweigerd"  # a browser's /decode that held another region's content
INVOER = "invoer"  # the key of the Web UI's dialog payloads (no workflow named)
DATABASE_WACHTTIJD = 5.0  # seconds a request waits for PostgreSQL before its 503
_TOEGESTANE_HEADERS = f"Authorization, {HEADER_ID_TOKEN}, Content-Type, X-Namespace"
_SCHRIJVERS = (Taakrol.MEDEWERKER, Taakrol.TEAMLEIDER, Taakrol.INTEGRATOR, Taakrol.SYSTEEM)
_WORKFLOW_TYPE = {
    ids.MELDING: names.MELDING_WORKFLOW,
    ids.VERNIETIGING: names.VERNIETIGING_WORKFLOW,
    ids.ADVIES: names.ADVIES_WORKFLOW,
}


@dataclass(frozen=True)
class CodecInstellingen:
    toegang: Toegangsregels = field(repr=False)
    origin: str = ""  # the Web UI's origins, comma-separated (VT_CODEC_ORIGIN)
    host: str = "127.0.0.1"
    poort: int = 8081
    verklaringsleutel: bytes = field(default=b"", repr=False)  # set from the master key

    @property
    def oidc(self) -> Any:
        return self.toegang.oidc

    @property
    def origins(self) -> frozenset[str]:
        """The browser origins allowed: an explicit list (a UI reached as `localhost` and as
        `127.0.0.1` are two origins to a browser; make run allows both)."""
        return frozenset(o.strip().rstrip("/") for o in self.origin.split(",") if o.strip())

    @classmethod
    def uit_omgeving(cls, env: Mapping[str, str]) -> CodecInstellingen:
        """From the environment; with VT_MASTER_KEY also the verklaring key (as the worker
        derives it)."""
        hoofdsleutel = env.get("VT_MASTER_KEY", "")
        return cls(
            verklaringsleutel=tokens.sleutel_uit_hoofdsleutel(lees_hoofdsleutel(hoofdsleutel))
            if hoofdsleutel
            else b"",
            toegang=Toegangsregels.uit_omgeving(env),
            origin=env.get("VT_CODEC_ORIGIN", "").rstrip("/"),
            host=env.get("VT_CODEC_HOST") or "127.0.0.1",
            poort=int(env.get("VT_CODEC_PORT") or 8081),
        )


_WIE: contextvars.ContextVar[Auteur] = contextvars.ContextVar("wie")  # per request: its own task
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _Codecdienst:
    """The app's parts: the CORS answer, the gate (origin, then who asks), the endpoints."""

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
            _WIE.set(
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

    async def _payloads(self, verzoek: web.Request) -> list[Payload]:
        try:
            return payloads_uit_json(await verzoek.read())
        except (ParseError, ValueError, UnicodeDecodeError, TypeError):
            raise Afgewezen(400, 'geen geldige payloads (JSON: {"payloads": [...]})') from None

    async def encode(self, verzoek: web.Request) -> web.Response:
        wie = _WIE.get()
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

    async def verklaring(self, verzoek: web.Request) -> web.Response:
        wie = _WIE.get()
        if not self.instellingen.verklaringsleutel:
            raise Afgewezen(503, "verklaring: geen sleutel ingesteld (VT_MASTER_KEY)")
        try:
            vraag = json.loads(await verzoek.read())
            workflow_id, naam = str(vraag["workflow_id"]), str(vraag["naam"])
            handeling, aanvraag = Handeling(vraag["handeling"]), str(vraag.get("verzoek", ""))
        except (ValueError, KeyError, TypeError):
            raise Afgewezen(
                400, "verklaring: JSON met workflow_id, handeling, naam en verzoek"
            ) from None
        gevonden = ids.melding_id_uit_workflow_id(workflow_id)
        if gevonden is None or len(aanvraag) > 200:
            raise Afgewezen(400, "verklaring: geen workflow van een melding")
        soort, melding_id = gevonden
        if handeling is Handeling.UPDATE:
            # The update ID stands in clear in the history: `<update>:<verzoek_id>:<digest>`,
            # its verzoek_id a registration number, never a name or a BSN (kenmerken.py).
            gelezen = ids.lees_update_id(aanvraag)
            fout = verzoek_id_fout(gelezen[1]) if gelezen else "verzoek: geen update-ID"
            if fout is not None or (gelezen is not None and gelezen[0] != naam):
                raise Afgewezen(400, fout or "verzoek: de update-ID hoort bij een andere update")
        reden = weiger_handeling(wie, _WORKFLOW_TYPE[soort], handeling, naam)
        if reden is not None:
            raise Afgewezen(403, reden)
        sleutel = sleutel_id(workflow_id)
        await self._sleutel_voor_schrijven(wie, handeling, soort, melding_id, sleutel)
        token = tokens.maak(
            self.instellingen.verklaringsleutel,
            wie,
            workflow_id=workflow_id,
            handeling=handeling,
            naam=naam,
            verzoek=aanvraag,
            nu=datetime.now(UTC),
        )
        casus = casus_van(sleutel) or melding_id  # an advies as advies/<advies_id>
        log.info("verklaring afgegeven", wie=wie.id, melding_id=casus, naam=naam)
        await self._audit(casus, "verklaring_afgegeven", wie, {"naam": naam, "verzoek": aanvraag})
        return web.json_response({"verklaring": token})

    async def _sleutel_voor_schrijven(
        self, wie: Auteur, handeling: Handeling, soort: str, melding_id: str, sleutel: str
    ) -> None:
        """A start makes its own key (a request to destroy: about a melding that exists, of the
        login's region); any other write needs its case's key, of the login's region."""
        if handeling is not Handeling.START:
            await self._bestaat(sleutel)
            await self._in_reikwijdte(wie, sleutel, "verklaring")
            return
        if soort == ids.VERNIETIGING:
            van_melding = sleutel_id(ids.melding_workflow_id(melding_id))
            await self._bestaat(van_melding)
            await self._in_reikwijdte(wie, van_melding, "verklaring")
        try:
            await self.sleutels.sleutel_voor_versleutelen(sleutel)  # the start's own key
        except SleutelVernietigd:
            # A melding whose dossier was destroyed keeps its melding_id: used, not new.
            raise Afgewezen(409, f"melding {melding_id} bestaat al (vernietigd)") from None
        if (
            soort != ids.VERNIETIGING
            and len(wie.organisaties) == 1
            and ALLE not in wie.organisaties
        ):
            # Until its dossier row names the region (migration 025), a new case belongs to the
            # one organisation of the login that starts it: its first status reads in scope.
            await self.sleutels.zet_regio(sleutel, wie.organisaties[0])

    async def decode(self, verzoek: web.Request) -> web.Response:
        payloads = await self._payloads(verzoek)
        wie = _WIE.get()
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
