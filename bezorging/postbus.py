"""The local mail sink of `make run` and of the tests: a real SMTP server on loopback (aiosmtpd)
with STARTTLS under a self-signed certificate, keeping every message it accepts as an .eml file
(owner-only) in a folder; `python -m starter post` shows them. Development only: it delivers
nothing further."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import ipaddress
import itertools
import os
import ssl
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# What the sink answers per message, before keeping it: None keeps it ("250 OK"); a reply such
# as "550 ..." refuses it (tests).
Keuring = Callable[[Envelope], Awaitable[str | None]]


def maak_certificaat(map_: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (cert.pem, key.pem in `map_`)."""
    map_.mkdir(parents=True, exist_ok=True, mode=0o700)
    cert, sleutel_pad = map_ / "postbus-cert.pem", map_ / "postbus-key.pem"
    if cert.exists() and sleutel_pad.exists():
        return cert, sleutel_pad
    sleutel = ec.generate_private_key(ec.SECP256R1())
    naam = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    nu = dt.datetime.now(dt.UTC)
    certificaat = (
        x509.CertificateBuilder()
        .subject_name(naam)
        .issuer_name(naam)
        .public_key(sleutel.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(nu - dt.timedelta(minutes=5))
        .not_valid_after(nu + dt.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(sleutel, hashes.SHA256())
    )
    sleutel_pad.write_bytes(
        sleutel.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(sleutel_pad, 0o600)
    cert.write_bytes(certificaat.public_bytes(serialization.Encoding.PEM))
    return cert, sleutel_pad


class Postbus:
    """aiosmtpd's handler: every accepted message a file `<n>.eml` in `map_`."""

    def __init__(self, map_: Path, keuring: Keuring | None = None) -> None:
        self.map = map_
        self.keuring = keuring
        self._teller = itertools.count(len(list(map_.glob("*.eml"))) + 1 if map_.exists() else 1)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.keuring is not None:
            antwoord = await self.keuring(envelope)
            if antwoord is not None:
                return antwoord
        self.map.mkdir(parents=True, exist_ok=True, mode=0o700)
        inhoud = envelope.original_content or b""
        pad = self.map / f"{next(self._teller):05d}.eml"
        tijdelijk = pad.with_suffix(".deel")
        tijdelijk.write_bytes(inhoud)
        os.chmod(tijdelijk, 0o600)
        os.replace(tijdelijk, pad)
        return "250 OK"


async def start_postbus(
    map_: Path,
    poort: int,
    certificaat: tuple[Path, Path],
    *,
    host: str = "127.0.0.1",
    keuring: Keuring | None = None,
) -> asyncio.Server:
    """The sink on `host:poort` in this event loop, STARTTLS required."""
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(str(certificaat[0]), str(certificaat[1]))
    handler = Postbus(map_, keuring)

    def protocol() -> Any:
        return SMTP(handler, tls_context=tls, require_starttls=True, hostname="localhost")

    return await asyncio.get_running_loop().create_server(protocol, host, poort)


def lees_post(map_: Path) -> list[tuple[Path, EmailMessage]]:
    """Every message the sink kept, oldest first."""
    post = []
    for pad in sorted(map_.glob("*.eml")):
        bericht = email.message_from_bytes(pad.read_bytes(), policy=email.policy.default)
        assert isinstance(bericht, EmailMessage)
        post.append((pad, bericht))
    return post


def platte_tekst(bericht: EmailMessage) -> str:
    deel = bericht.get_body(preferencelist=("plain",))
    return "" if deel is None else str(deel.get_content())
