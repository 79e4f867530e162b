"""Access tokens of the organisation's OIDC provider, for the codec server.

The Temporal Web UI with OIDC login (`TEMPORAL_AUTH_*`) and `TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true`
sends the user's access token to the codec server as `Authorization: Bearer <token>` (and the ID
token in `Authorization-Extras`). A token is accepted when it is a JWT signed by a key of the
issuer's JWKS with an asymmetric algorithm, and its `iss`, `aud` and `exp` are right; the user it
names (`email`, else `sub`) is who decoded, in the log and the audit table.

    VT_CODEC_OIDC_ISSUER     https://login.example/realms/vt   (as in the tokens' `iss`)
    VT_CODEC_OIDC_AUDIENCE   one or more audiences, comma-separated (the UI's client ID, or the
                             API audience the provider puts in access tokens)
    VT_CODEC_OIDC_JWKS_URL   optional: else `jwks_uri` of <issuer>/.well-known/openid-configuration

The JWKS is fetched on the first token and again when a token names a key id it does not hold
(a key rotation), at most once every `HERLAAD_NA` seconds. Issuer and JWKS must be https, except on
loopback (tests, a provider on the same machine).
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import jwt

# Asymmetric only: an HS256 token would be checked against a public key as its secret.
ALGORITMEN = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
HERLAAD_NA = 60.0
SPELING = 30  # seconds of clock skew allowed on exp/nbf/iat


class TokenGeweigerd(Exception):
    """The token is not one we accept; the message says why (never the token itself)."""


class ProviderOnbereikbaar(Exception):
    """The issuer's discovery document or JWKS cannot be read."""


def _veilig(url: str) -> bool:
    delen = urlsplit(url)
    if delen.scheme == "https":
        return True
    if delen.scheme != "http" or not delen.hostname:
        return False
    if delen.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(delen.hostname).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class OidcInstellingen:
    issuer: str
    audiences: tuple[str, ...]
    jwks_url: str | None = None

    @classmethod
    def uit_omgeving(cls, env: Mapping[str, str]) -> OidcInstellingen | None:
        issuer = env.get("VT_CODEC_OIDC_ISSUER", "").strip()
        if not issuer:
            return None
        audiences = tuple(
            a.strip() for a in env.get("VT_CODEC_OIDC_AUDIENCE", "").split(",") if a.strip()
        )
        if not audiences:
            raise ValueError("VT_CODEC_OIDC_AUDIENCE ontbreekt (bij VT_CODEC_OIDC_ISSUER)")
        jwks = env.get("VT_CODEC_OIDC_JWKS_URL", "").strip() or None
        for naam, url in (("VT_CODEC_OIDC_ISSUER", issuer), ("VT_CODEC_OIDC_JWKS_URL", jwks)):
            if url is not None and not _veilig(url):
                raise ValueError(f"{naam}: https:// (http alleen op loopback)")
        return cls(issuer=issuer, audiences=audiences, jwks_url=jwks)


class OidcControle:
    """Checks bearer tokens against the issuer's JWKS (cached)."""

    def __init__(self, instellingen: OidcInstellingen) -> None:
        self.instellingen = instellingen
        self._sleutels: dict[str, tuple[jwt.PyJWK, str | None]] = {}
        self._geladen_op = -HERLAAD_NA
        self._slot = asyncio.Lock()
        self._sessie: aiohttp.ClientSession | None = None

    async def sluit(self) -> None:
        if self._sessie is not None:
            await self._sessie.close()
            self._sessie = None

    async def _json(self, url: str) -> Any:
        if self._sessie is None:
            self._sessie = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
        try:
            async with self._sessie.get(url) as antwoord:
                antwoord.raise_for_status()
                return await antwoord.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as fout:
            raise ProviderOnbereikbaar(f"{url}: {type(fout).__name__}") from None

    async def _jwks_url(self) -> str:
        if self.instellingen.jwks_url:
            return self.instellingen.jwks_url
        basis = self.instellingen.issuer.rstrip("/")
        document = await self._json(f"{basis}/.well-known/openid-configuration")
        url = document.get("jwks_uri") if isinstance(document, dict) else None
        if not isinstance(url, str) or not _veilig(url):
            raise ProviderOnbereikbaar("openid-configuration zonder (https) jwks_uri")
        return url

    async def _laad(self) -> None:
        jwks = await self._json(await self._jwks_url())
        sleutels: dict[str, tuple[jwt.PyJWK, str | None]] = {}
        for jwk in jwks.get("keys", []) if isinstance(jwks, dict) else []:
            if not isinstance(jwk, dict) or jwk.get("use", "sig") != "sig":
                continue
            try:
                sleutel = jwt.PyJWK.from_dict(jwk)
            except (jwt.PyJWKError, jwt.InvalidKeyError):
                continue  # a key type or algorithm we do not handle: never used then
            alg = jwk.get("alg")
            sleutels[str(jwk.get("kid", ""))] = (sleutel, alg if isinstance(alg, str) else None)
        self._sleutels = sleutels
        self._geladen_op = time.monotonic()

    async def _sleutel(self, kid: str) -> tuple[jwt.PyJWK, str | None]:
        if kid not in self._sleutels:
            async with self._slot:
                if kid not in self._sleutels and time.monotonic() - self._geladen_op >= HERLAAD_NA:
                    await self._laad()
        if kid not in self._sleutels:
            raise TokenGeweigerd("onbekende sleutel (kid)")
        return self._sleutels[kid]

    async def controleer(self, token: str) -> dict[str, Any]:
        """The token's claims, or TokenGeweigerd / ProviderOnbereikbaar."""
        try:
            kop = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise TokenGeweigerd("geen JWT") from None
        alg = kop.get("alg")
        if alg not in ALGORITMEN:
            raise TokenGeweigerd(f"algoritme {str(alg)[:10]!r} niet toegestaan")
        sleutel, sleutel_alg = await self._sleutel(str(kop.get("kid", "")))
        if sleutel_alg is not None and sleutel_alg != alg:
            raise TokenGeweigerd("algoritme past niet bij de sleutel")
        try:
            return jwt.decode(
                token,
                sleutel.key,
                algorithms=[alg],
                audience=list(self.instellingen.audiences),
                issuer=self.instellingen.issuer,
                leeway=SPELING,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenGeweigerd("verlopen") from None
        except jwt.InvalidAudienceError:
            raise TokenGeweigerd("verkeerde audience") from None
        except jwt.InvalidIssuerError:
            raise TokenGeweigerd("verkeerde issuer") from None
        except jwt.InvalidSignatureError:
            raise TokenGeweigerd("handtekening klopt niet") from None
        except jwt.PyJWTError as fout:  # malformed, not yet valid, key of another type, …
            raise TokenGeweigerd(type(fout).__name__) from None


def gebruiker(claims: Mapping[str, Any]) -> str:
    """Who the token names: the e-mail address, else the subject."""
    wie = claims.get("email") or claims.get("preferred_username") or claims.get("sub") or "?"
    return str(wie)[:120]
