"""Which codec a client uses (docs/privacy.md: integrators' machines hold no master key).

1. `VT_CODEC_ENDPOINT` (+ `VT_CODEC_TOKEN`): every payload is encoded and decoded by the codec
   server, over HTTP(S).
2. Else `VT_MASTER_KEY` and `DATABASE_URL`: the keys in PostgreSQL, as the worker reads them
   (operators on the worker's own network).
3. Else, for a Temporal on this machine (`make run`): the codec server `make run` starts on
   http://127.0.0.1:8081.
4. Else: refused, naming the variables.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import Self

from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.converter import (
    ActivitySerializationContext,
    DataConverter,
    PayloadCodec,
    SerializationContext,
    WithSerializationContext,
    WorkflowSerializationContext,
)

from contract import ids
from contract.client import adres, data_converter
from contract.verklaring import LokaleUitgever, Uitgever
from domain.identiteit import Auteur, Handeling, Soort, Taakrol
from starter.fouten import Geweigerd, MeldingBestaatAl, MeldingFout, OnbekendeMelding
from versleuteling.codec import (
    SleutelFout,
    SleutelopslagOnbereikbaar,
    SleutelVernietigd,
    lees_hoofdsleutel,
    leesbaar,
)
from versleuteling.verklaring import sleutel_uit_hoofdsleutel

LOKALE_CODEC = "http://127.0.0.1:8081"
HEADER_WORKFLOW = "X-Vt-Workflow-Id"
META_FOUT = "vt-fout"
ONDERDEEL_POSTGRESQL = "postgresql"  # the codec server's 503 names the part that is down


class GeenCodec(MeldingFout):
    """No way to reach the data keys: the message says what to set."""


def payloads_naar_json(payloads: Sequence[Payload]) -> bytes:
    return json.dumps(json_format.MessageToDict(Payloads(payloads=payloads))).encode()


def payloads_uit_json(tekst: bytes | str) -> list[Payload]:
    return list(json_format.Parse(tekst, Payloads(), ignore_unknown_fields=True).payloads)


class CodecServerOnbereikbaar(SleutelFout):
    """The codec server cannot be reached: nothing is encoded or decoded (CLI: niet_beschikbaar)."""


class CodecServerCodec(PayloadCodec, WithSerializationContext):
    """Encodes and decodes through the codec server (`/encode`, `/decode`)."""

    def __init__(self, endpoint: str, token: str = "", workflow_id: str = "") -> None:
        self.endpoint, self.token, self.workflow_id = endpoint.rstrip("/"), token, workflow_id

    def with_context(self, context: SerializationContext) -> Self:
        workflow_id = ""
        if isinstance(context, WorkflowSerializationContext | ActivitySerializationContext):
            workflow_id = context.workflow_id or ""
        return type(self)(self.endpoint, self.token, workflow_id)

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Content through the codec server; a payload marked readable (a summary, free of
        personal data by construction) stays here as it is."""
        inhoud = [p for p in payloads if not leesbaar(p)]
        versleuteld = iter(await asyncio.to_thread(self._post, "/encode", inhoud) if inhoud else [])
        return [p if leesbaar(p) else next(versleuteld) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        if not payloads:
            return []
        uit = await asyncio.to_thread(self._post, "/decode", payloads)
        for p in uit:
            if p.metadata.get(META_FOUT) == b"SleutelVernietigd":
                raise SleutelVernietigd(p.metadata.get("vt-sleutel", b"?").decode())
        return uit

    def _post(self, pad: str, payloads: Sequence[Payload]) -> list[Payload]:
        headers = {"Content-Type": "application/json", HEADER_WORKFLOW: self.workflow_id}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        verzoek = urllib.request.Request(
            self.endpoint + pad, data=payloads_naar_json(payloads), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
                return payloads_uit_json(antwoord.read())
        except urllib.error.HTTPError as fout:
            afwijzing = _lees_afwijzing(fout)
            if afwijzing.onderdeel == ONDERDEEL_POSTGRESQL:
                raise SleutelopslagOnbereikbaar(f"achter de codec server {self.endpoint}") from None
            raise SleutelFout(
                f"codec server {self.endpoint}: HTTP {fout.code}"
                + (f": {afwijzing.reden}" if afwijzing.reden else "")
            ) from None
        except OSError as fout:
            raise CodecServerOnbereikbaar(
                f"codec server {self.endpoint} niet bereikbaar ({type(fout).__name__})"
            ) from None


class CodecServerUitgever:
    """Verklaringen from the codec server (`/verklaring`): it attests this client's login (its
    token, or an OIDC token) for one write; a refusal comes back as its reason."""

    def __init__(self, endpoint: str, token: str = "") -> None:
        self.endpoint, self.token = endpoint.rstrip("/"), token

    async def verklaar(
        self, workflow_id: str, handeling: Handeling, naam: str, verzoek: str, inhoud: object
    ) -> str:
        vraag = {"workflow_id": workflow_id, "handeling": handeling.value, "naam": naam}
        vraag["verzoek"] = verzoek
        try:
            return await asyncio.to_thread(self._vraag, vraag)
        except _Afwijzing as fout:
            # A refusal of the login is the protocol's word (exit 4), an unknown workflow an
            # unknown melding; anything else says what the codec server answered.
            if fout.status == 403:
                raise Geweigerd(fout.reden) from None
            if fout.status in (404, 410):
                raise OnbekendeMelding(
                    ids.melding_id_van(workflow_id) or workflow_id, vernietigd=fout.status == 410
                ) from None
            if fout.status == 409:  # a start under a melding_id whose dossier was destroyed
                raise MeldingBestaatAl(ids.melding_id_van(workflow_id) or workflow_id) from None
            if fout.onderdeel == ONDERDEEL_POSTGRESQL:
                raise VerklaringOnbereikbaar(
                    f"codec server {self.endpoint}: {fout.reden}", onderdeel=fout.onderdeel
                ) from None
            raise GeenVerklaring(
                f"codec server {self.endpoint}: geen verklaring (HTTP {fout.status}"
                + (f": {fout.reden})" if fout.reden else ")")
                + (": VT_CODEC_TOKEN ontbreekt of klopt niet" if fout.status == 401 else "")
            ) from None

    def _vraag(self, vraag: dict[str, str]) -> str:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        verzoek = urllib.request.Request(
            self.endpoint + "/verklaring",
            data=json.dumps(vraag).encode(),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
                return str(json.loads(antwoord.read())["verklaring"])
        except urllib.error.HTTPError as fout:
            raise _lees_afwijzing(fout) from None
        except OSError as fout:
            raise VerklaringOnbereikbaar(
                f"codec server {self.endpoint} niet bereikbaar ({type(fout).__name__})"
            ) from None
        except (KeyError, ValueError) as fout:
            raise GeenVerklaring(
                f"codec server {self.endpoint}: geen verklaring in het antwoord "
                f"({type(fout).__name__})"
            ) from None


class _Afwijzing(Exception):
    def __init__(self, status: int, reden: str, onderdeel: str = "") -> None:
        super().__init__(reden)
        self.status, self.reden, self.onderdeel = status, reden, onderdeel


def _lees_afwijzing(fout: urllib.error.HTTPError) -> _Afwijzing:
    """The codec server's refusal: its status, its reason and, for a 503, the part that is down
    (`{"fout": …, "onderdeel": "postgresql"}`)."""
    try:
        tekst = json.loads(fout.read())
    except (ValueError, OSError):
        tekst = {}
    if not isinstance(tekst, dict):
        tekst = {}
    return _Afwijzing(fout.code, str(tekst.get("fout", ""))[:300], str(tekst.get("onderdeel", "")))


class GeenVerklaring(MeldingFout):
    """The codec server gave no verklaring: not logged in, not allowed, or not reachable."""


class VerklaringOnbereikbaar(GeenVerklaring):
    """No verklaring because the codec server cannot be reached, or the PostgreSQL behind it
    (`onderdeel`: `codec_server` or `postgresql`; CLI: niet_beschikbaar)."""

    def __init__(self, tekst: str, onderdeel: str = "codec_server") -> None:
        super().__init__(tekst)
        self.onderdeel = onderdeel


def _lokaal(doel: str) -> bool:
    host = doel.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def client_uitgever(env: Mapping[str, str]) -> Uitgever:
    """Who signs this client's writes: the codec server that encodes them (1 and 3 of the module
    docstring); an operator holding the master key (2) signs as `VT_AUTEUR`, a login id with
    the roles in `VT_AUTEUR_ROLLEN` (comma-separated; default medewerker): holding the master
    key is holding every key, so this is no weaker than the key itself."""
    endpoint = env.get("VT_CODEC_ENDPOINT", "")
    if not endpoint and env.get("VT_MASTER_KEY") and env.get("DATABASE_URL"):
        return LokaleUitgever(
            sleutel_uit_hoofdsleutel(lees_hoofdsleutel(env["VT_MASTER_KEY"])),
            _operator(env),
        )
    return CodecServerUitgever(endpoint or LOKALE_CODEC, env.get("VT_CODEC_TOKEN", ""))


def _operator(env: Mapping[str, str]) -> Callable[[Handeling, str, object], Auteur]:
    wie = env.get("VT_AUTEUR", "")
    rollen = tuple(
        Taakrol(r.strip()) for r in (env.get("VT_AUTEUR_ROLLEN") or "medewerker").split(",")
    )

    def auteur(*_: object) -> Auteur:
        if not wie:
            raise GeenVerklaring(
                "VT_AUTEUR ontbreekt: wie schrijft (een login-id zoals mw-0042), voor een "
                "client met VT_MASTER_KEY zonder codec server"
            )
        return Auteur(id=wie, soort=Soort.PERSOON, rollen=rollen)

    return auteur


async def client_converter(env: Mapping[str, str]) -> DataConverter:
    """The data converter of a client in this environment (the module docstring's order)."""
    endpoint = env.get("VT_CODEC_ENDPOINT", "")
    if endpoint:
        return data_converter(codec=CodecServerCodec(endpoint, env.get("VT_CODEC_TOKEN", "")))
    if env.get("VT_MASTER_KEY") and env.get("DATABASE_URL"):
        from versleuteling.opslag import PostgresKeyStore

        try:
            hoofdsleutel = lees_hoofdsleutel(env["VT_MASTER_KEY"])
        except ValueError as fout:
            raise GeenCodec(str(fout)) from None
        # The pool opens on the first payload, not here: a Temporal that cannot be reached is
        # named as such, and PostgreSQL away is one line (SleutelopslagOnbereikbaar).
        return data_converter(PostgresKeyStore(hoofdsleutel, dsn=env["DATABASE_URL"]))
    if _lokaal(adres(env)):
        return data_converter(codec=CodecServerCodec(LOKALE_CODEC, env.get("VT_CODEC_TOKEN", "")))
    raise GeenCodec(
        "VT_CODEC_ENDPOINT ontbreekt: de codec server die de meldingen versleutelt "
        "(https://…), met VT_CODEC_TOKEN; zie docs/privacy.md"
    )
