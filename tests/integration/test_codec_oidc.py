"""Issue 8: the codec server accepts what the Web UI can send, the user's OIDC access token
(TEMPORAL_CODEC_PASS_ACCESS_TOKEN), checked against the issuer's JWKS, next to the static token
of the CLI; the user the token names is who decoded, in the audit table.

The identity provider is real as far as the codec server can tell: an aiohttp server on loopback
with the discovery document and a JWKS, its tokens signed with a key made in this test.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from temporalio.api.common.v1 import Payload

from starter import codec_server, oidc
from starter.codec_client import CodecServerCodec, payloads_naar_json, payloads_uit_json
from starter.codec_toegang import Toegangsregels
from starter.oidc import OidcInstellingen
from tests.poorten import vrije_poort
from versleuteling.codec import SleutelFout, VersleutelCodec
from versleuteling.opslag import PostgresKeyStore

AUDIENCE = "temporal-ui"
UI = "https://temporal.vt.example"
TOKEN = "statisch-token-van-de-test-" + uuid.uuid4().hex


@dataclass
class Provider:
    issuer: str
    sleutel: rsa.RSAPrivateKey
    kid: str
    opgevraagd: list[str]
    jwks: dict[str, list[dict[str, Any]]]

    def roteer(self) -> None:
        """A new signing key, published next to the old one (as providers rotate)."""
        self.sleutel = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex[:8]
        self.jwks["keys"].append(_jwk(self.sleutel, self.kid))

    def token(self, *, sleutel: rsa.RSAPrivateKey | None = None, **claims: Any) -> str:
        nu = int(time.time())
        inhoud = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": "medewerker-42",
            "email": "a.behandelaar@vt.example",
            # Issue 19: content for a content role of the melding's region only.
            "vt_rollen": ["medewerker"],
            "vt_organisaties": ["utrecht"],
            "iat": nu,
            "exp": nu + 300,
            **claims,
        }
        inhoud = {k: v for k, v in inhoud.items() if v is not None}
        return jwt.encode(inhoud, sleutel or self.sleutel, "RS256", headers={"kid": self.kid})


def _jwk(sleutel: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(sleutel.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


@pytest.fixture
async def provider() -> AsyncIterator[Provider]:
    """Discovery document and JWKS on loopback, as an OIDC provider publishes them."""
    sleutel = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = uuid.uuid4().hex[:8]
    poort = vrije_poort()
    issuer = f"http://127.0.0.1:{poort}/realms/vt"
    opgevraagd: list[str] = []
    jwks = {"keys": [_jwk(sleutel, kid)]}

    async def discovery(verzoek: web.Request) -> web.Response:
        opgevraagd.append(verzoek.path)
        return web.json_response({"issuer": issuer, "jwks_uri": f"{issuer}/certs"})

    async def certs(verzoek: web.Request) -> web.Response:
        opgevraagd.append(verzoek.path)
        return web.json_response(jwks)

    app = web.Application()
    app.router.add_get("/realms/vt/.well-known/openid-configuration", discovery)
    app.router.add_get("/realms/vt/certs", certs)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", poort).start()
    try:
        yield Provider(issuer, sleutel, kid, opgevraagd, jwks)
    finally:
        await runner.cleanup()


@dataclass
class Codec:
    poort: int
    body: bytes
    melding_id: str


@pytest.fixture
async def codec(
    provider: Provider, sleutels: PostgresKeyStore, pool: asyncpg.Pool
) -> AsyncIterator[Codec]:
    """A codec server with both ways in, and one encrypted payload of a melding of its own."""
    instellingen = codec_server.CodecInstellingen.uit_omgeving(
        {
            "VT_CODEC_TOKEN": TOKEN,
            "VT_CODEC_ORIGIN": UI,
            "VT_CODEC_PORT": str(vrije_poort()),
            "VT_CODEC_OIDC_ISSUER": provider.issuer,
            "VT_CODEC_OIDC_AUDIENCE": f"account,{AUDIENCE}",
        }
    )
    runner = await codec_server.start(instellingen, sleutels, codec_server.audit_in(pool))
    melding_id = f"VT-OIDC-{uuid.uuid4().hex[:6]}"
    versleuteld = await VersleutelCodec(sleutels, f"melding/{melding_id}").encode(
        [Payload(metadata={"encoding": b"json/plain"}, data=b'"Jansen"')]
    )
    async with pool.acquire() as con:  # the region its dossier gives it (migration 025)
        await con.execute(
            "UPDATE data_sleutels SET regio = 'utrecht' WHERE sleutel_id = $1",
            f"melding/{melding_id}",
        )
    try:
        yield Codec(instellingen.poort, payloads_naar_json(versleuteld), melding_id)
    finally:
        await runner.cleanup()


def _post_sync(poort: int, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    verzoek = urllib.request.Request(
        f"http://127.0.0.1:{poort}/decode",
        data=body,
        headers={"Content-Type": "application/json", "Origin": UI, **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
            return antwoord.status, antwoord.read()
    except urllib.error.HTTPError as fout:
        return fout.code, fout.read()


async def _decode(codec: Codec, **headers: str) -> tuple[int, bytes]:
    """In a thread: both servers run on this test's event loop."""
    return await asyncio.to_thread(_post_sync, codec.poort, codec.body, headers)


async def _wie(pool: asyncpg.Pool, melding_id: str) -> list[str]:
    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT medewerker FROM audit WHERE melding_id = $1 AND handeling = $2 ORDER BY id",
            melding_id,
            "payload_ontsleuteld",
        )
    return [r["medewerker"] for r in rijen]


async def test_the_web_ui_users_access_token_decodes_and_names_the_user_in_the_audit(
    codec: Codec, provider: Provider, pool: asyncpg.Pool
) -> None:
    """A token of the issuer, for our audience, unexpired: the plaintext, and the audit row
    says who (the token's e-mail), found through discovery and the JWKS."""
    status, antwoord = await _decode(codec, Authorization=f"Bearer {provider.token()}")
    assert status == 200, antwoord
    assert payloads_uit_json(antwoord)[0].data == b'"Jansen"'
    # The login's pseudonymous id (claim vt_medewerker, else sub), never the e-mail address.
    assert await _wie(pool, codec.melding_id) == ["medewerker-42"]
    assert provider.opgevraagd == [
        "/realms/vt/.well-known/openid-configuration",
        "/realms/vt/certs",
    ]


@pytest.mark.parametrize(
    "geval",
    ["verlopen", "verkeerde_audience", "verkeerde_handtekening", "verkeerde_issuer", "geen_exp"],
)
async def test_a_token_that_is_not_right_is_refused_and_nothing_is_decoded(
    geval: str, codec: Codec, provider: Provider, pool: asyncpg.Pool
) -> None:
    """Expired, for another audience, signed by another key, of another issuer, without expiry:
    401, no plaintext, no audit row."""
    uur_geleden = int(time.time()) - 3600
    token = {
        "verlopen": lambda: provider.token(exp=uur_geleden, iat=uur_geleden - 3600),
        "verkeerde_audience": lambda: provider.token(aud="een-andere-dienst"),
        "verkeerde_handtekening": lambda: provider.token(
            sleutel=rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ),
        "verkeerde_issuer": lambda: provider.token(iss="http://127.0.0.1:1/realms/evil"),
        "geen_exp": lambda: provider.token(exp=None),
    }[geval]()
    status, antwoord = await _decode(codec, Authorization=f"Bearer {token}")
    assert status == 401, antwoord
    assert b"Jansen" not in antwoord
    assert await _wie(pool, codec.melding_id) == []


async def test_no_token_a_garbage_token_and_a_symmetric_alg_are_refused(
    codec: Codec, provider: Provider, pool: asyncpg.Pool
) -> None:
    """Missing, not a JWT, and an HS256 token 'signed' with the public key (alg confusion)."""
    publiek = provider.sleutel.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kop = _b64({"alg": "HS256", "typ": "JWT", "kid": provider.kid})
    inhoud = _b64({"iss": provider.issuer, "aud": AUDIENCE, "exp": int(time.time()) + 300})
    handtekening = hmac.new(publiek, f"{kop}.{inhoud}".encode(), "sha256").digest()
    verward = f"{kop}.{inhoud}.{base64.urlsafe_b64encode(handtekening).decode().rstrip('=')}"
    for headers in ({}, {"Authorization": "Bearer geen.jwt.dit"}, {"Authorization": "Basic x"}):
        assert (await _decode(codec, **headers))[0] == 401
    assert (await _decode(codec, Authorization=f"Bearer {verward}"))[0] == 401
    assert await _wie(pool, codec.melding_id) == []


def _b64(deel: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(deel).encode()).decode().rstrip("=")


async def test_the_id_token_in_authorization_extras_is_accepted_when_the_access_token_is_opaque(
    codec: Codec, provider: Provider, pool: asyncpg.Pool
) -> None:
    """The Web UI sends the ID token next to the access token; some providers' access tokens are
    no JWT: the ID token (audience: the UI's client ID) then says who."""
    status, _ = await _decode(
        codec,
        Authorization="Bearer ondoorzichtig-toegangstoken",
        **{"Authorization-Extras": provider.token(email=None)},
    )
    assert status == 200
    assert await _wie(pool, codec.melding_id) == ["medewerker-42"]


async def test_the_static_token_still_works_next_to_oidc_for_the_cli(
    codec: Codec, pool: asyncpg.Pool
) -> None:
    """The `temporal` CLI and integrators keep the static token (VT_CODEC_TOKEN)."""
    op_afstand = CodecServerCodec(f"http://127.0.0.1:{codec.poort}", TOKEN)
    [terug] = await op_afstand.decode(payloads_uit_json(codec.body))
    assert terug.data == b'"Jansen"'
    vingerafdruk = "svc-integratie"  # the service account the static token names, not the token
    assert await _wie(pool, codec.melding_id) == [vingerafdruk]
    with pytest.raises(SleutelFout, match="HTTP 401"):
        await CodecServerCodec(f"http://127.0.0.1:{codec.poort}", "x" * 20).decode(
            payloads_uit_json(codec.body)
        )


async def test_a_rotated_signing_key_is_fetched_when_a_token_names_it(
    codec: Codec, provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The provider starts signing with a new key: the codec server fetches the JWKS again
    (once the minute since the last fetch has passed) and accepts the token."""
    assert (await _decode(codec, Authorization=f"Bearer {provider.token()}"))[0] == 200
    provider.roteer()
    monkeypatch.setattr(oidc, "HERLAAD_NA", 0.0)
    assert (await _decode(codec, Authorization=f"Bearer {provider.token()}"))[0] == 200
    assert provider.opgevraagd.count("/realms/vt/certs") == 2


async def test_tokens_naming_unknown_keys_fetch_the_jwks_at_most_once_a_minute(
    codec: Codec, provider: Provider
) -> None:
    """A burst of tokens with made-up key ids: refused, and no fetch storm at the provider."""
    assert (await _decode(codec, Authorization=f"Bearer {provider.token()}"))[0] == 200
    for _ in range(5):
        provider.kid = uuid.uuid4().hex[:8]
        assert (await _decode(codec, Authorization=f"Bearer {provider.token()}"))[0] == 401
    assert provider.opgevraagd.count("/realms/vt/certs") == 1


async def test_an_unreachable_provider_is_503_not_a_silent_refusal(
    sleutels: PostgresKeyStore,
) -> None:
    """The JWKS cannot be fetched: the UI shows a failure, the log names the provider."""
    instellingen = codec_server.CodecInstellingen(
        toegang=Toegangsregels(
            oidc=OidcInstellingen(
                issuer=f"http://127.0.0.1:{vrije_poort()}/realms/weg", audiences=(AUDIENCE,)
            )
        ),
        origin=UI,
        poort=vrije_poort(),
    )
    runner = await codec_server.start(instellingen, sleutels, None)
    try:
        token = jwt.encode(
            {"iss": "x", "aud": AUDIENCE, "exp": int(time.time()) + 60},
            rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "RS256",
        )
        headers = {"Authorization": f"Bearer {token}"}
        status, _ = await asyncio.to_thread(
            _post_sync, instellingen.poort, b'{"payloads": []}', headers
        )
        assert status == 503
    finally:
        await runner.cleanup()


def test_settings_need_a_token_or_an_issuer_with_an_audience_and_https() -> None:
    """The variables are named when something is missing; a plain-http issuer elsewhere than
    loopback is refused."""
    with pytest.raises(
        ValueError, match=r"geen toegang ingesteld.*VT_CODEC_TOKEN.*VT_CODEC_OIDC_ISSUER"
    ):
        codec_server.CodecInstellingen.uit_omgeving({})
    with pytest.raises(ValueError, match="VT_CODEC_OIDC_AUDIENCE"):
        codec_server.CodecInstellingen.uit_omgeving({"VT_CODEC_OIDC_ISSUER": "https://id.example"})
    with pytest.raises(ValueError, match="https"):
        codec_server.CodecInstellingen.uit_omgeving(
            {"VT_CODEC_OIDC_ISSUER": "http://id.example", "VT_CODEC_OIDC_AUDIENCE": "a"}
        )
    alleen_oidc = codec_server.CodecInstellingen.uit_omgeving(
        {"VT_CODEC_OIDC_ISSUER": "https://id.example/", "VT_CODEC_OIDC_AUDIENCE": "a, b"}
    )
    assert not alleen_oidc.toegang.tokens and not alleen_oidc.toegang.leeg
    assert alleen_oidc.oidc is not None and alleen_oidc.oidc.audiences == ("a", "b")
