"""The verklaring: an attestation that an authenticated author may do one write.

The codec server authenticates its caller (a token or an OIDC login) and issues a verklaring for
one workflow ID, one handeling (start, update, signaal), one name and one request (the update ID,
or the subject of a signal): `v1.<claims>.<mac>`, base64url, with an HMAC-SHA256 under a key
derived from the master key. Only holders of the master key (the codec server and the worker)
can make one; the worker checks it before a write changes anything (docs/architecture.md).

No personal data: the claims hold a login's pseudonymous id, its roles, the workflow ID and
request ID, and times. The verklaring travels as a Temporal header (`vt-verklaring`), in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ConfigDict, ValidationError

from domain.identiteit import Auteur, Handeling, Soort, Taakrol

VERSIE = "v1"
GELDIG_UPDATE_S = 300  # an update's verklaring: the client sends it at once
GELDIG_START_S = 300  # compared with the start time the server recorded, not the worker's clock
GELDIG_SIGNAAL_S = 30 * 86400  # a signal may wait for a worker; bound by its subject instead


class VerklaringOngeldig(Exception):
    """The reason is safe to show: it names the rule, never a payload."""


def sleutel_uit_hoofdsleutel(hoofdsleutel: bytes) -> bytes:
    """The verklaring key: HKDF-SHA256 of the master key (no new secret to distribute; a codec
    server and a worker with the same master key agree)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vt-verklaring-v1").derive(
        hoofdsleutel
    )


def sleutel_kenmerk(sleutel: bytes) -> str:
    return hashlib.sha256(b"vt-verklaring-kid" + sleutel).hexdigest()[:12]


class Claims(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sub: str
    soort: Soort
    rollen: tuple[Taakrol, ...]
    wf: str
    h: Handeling
    n: str
    id: str
    iat: int
    exp: int
    kid: str

    @property
    def auteur(self) -> Auteur:
        return Auteur(id=self.sub, soort=self.soort, rollen=self.rollen)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(tekst: str) -> bytes:
    return base64.urlsafe_b64decode(tekst + "=" * (-len(tekst) % 4))


def geldigheid(handeling: Handeling) -> int:
    return {
        Handeling.START: GELDIG_START_S,
        Handeling.UPDATE: GELDIG_UPDATE_S,
        Handeling.SIGNAAL: GELDIG_SIGNAAL_S,
    }[handeling]


def maak(
    sleutel: bytes,
    auteur: Auteur,
    *,
    workflow_id: str,
    handeling: Handeling,
    naam: str,
    verzoek: str,
    nu: datetime,
    geldig_s: int | None = None,
) -> str:
    """`geldig_s`: another validity than the handeling's (a test server that skips time)."""
    claims = Claims(
        sub=auteur.id,
        soort=auteur.soort,
        rollen=auteur.rollen,
        wf=workflow_id,
        h=handeling,
        n=naam,
        id=verzoek,
        iat=int(nu.timestamp()),
        exp=int(nu.timestamp()) + (geldig_s or geldigheid(handeling)),
        kid=sleutel_kenmerk(sleutel),
    )
    lichaam = _b64(claims.model_dump_json().encode())
    mac = hmac.new(sleutel, f"{VERSIE}.{lichaam}".encode(), hashlib.sha256).digest()
    return f"{VERSIE}.{lichaam}.{_b64(mac)}"


def lees(token: str) -> Claims:
    """The claims, unchecked: for a handler whose validator already checked them (a validator
    does not run on replay, so a rotated key can never make an accepted update unreadable)."""
    try:
        versie, lichaam, _ = token.split(".")
        if versie != VERSIE:
            raise VerklaringOngeldig("verklaring: onbekende versie")
        return Claims.model_validate_json(_unb64(lichaam))
    except (ValueError, ValidationError):
        raise VerklaringOngeldig("verklaring: onleesbaar") from None


@dataclass(frozen=True)
class Verwacht:
    """What the write is: the verklaring must name exactly this."""

    workflow_id: str
    handeling: Handeling
    naam: str
    verzoek: str


def controleer(
    token: str | None, sleutels: Sequence[bytes], verwacht: Verwacht, nu: datetime
) -> Auteur:
    """The attested author, or VerklaringOngeldig with the reason (in Dutch, without content)."""
    if not token:
        raise VerklaringOngeldig(
            f"{verwacht.naam}: zonder verklaring geweigerd (elke schrijfactie vraagt een "
            "ingelogde auteur: via de codec server, zie docs/architecture.md)"
        )
    if len(token) > 4096:
        raise VerklaringOngeldig("verklaring: te lang")
    claims = lees(token)
    sleutel = next((s for s in sleutels if sleutel_kenmerk(s) == claims.kid), None)
    lichaam = token.rsplit(".", 1)[0]
    if sleutel is None or not hmac.compare_digest(
        hmac.new(sleutel, lichaam.encode(), hashlib.sha256).digest(),
        _unb64(token.rsplit(".", 1)[1]),
    ):
        raise VerklaringOngeldig(f"{verwacht.naam}: verklaring vervalst of van een andere sleutel")
    if (claims.wf, claims.h, claims.n, claims.id) != (
        verwacht.workflow_id,
        verwacht.handeling,
        verwacht.naam,
        verwacht.verzoek,
    ):
        raise VerklaringOngeldig(
            f"{verwacht.naam}: de verklaring geldt voor een andere workflow, handeling of verzoek"
        )
    tijd = int(nu.timestamp())
    if tijd > claims.exp or tijd < claims.iat - 60:
        raise VerklaringOngeldig(f"{verwacht.naam}: verklaring verlopen; vraag een nieuwe")
    return claims.auteur
