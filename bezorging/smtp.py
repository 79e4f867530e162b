"""Email over SMTP with STARTTLS (aiosmtplib): one connection per message, its Message-ID the
same on every attempt. A reply code says what happened: 4xx or a dropped connection before
DATA is temporary, 5xx is a refusal for good; after `voor_overgave` (just before DATA) only a
reply to the message itself proves it was not delivered."""

from __future__ import annotations

import contextlib
import ssl
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, localtime

import aiosmtplib

from domain.bezorging import Mail, Onbestelbaar, TijdelijkeFout, VoorOvergave


@dataclass(frozen=True)
class SmtpInstellingen:
    host: str
    poort: int = 587
    starttls: bool = True
    gebruiker: str | None = None
    wachtwoord: str | None = field(default=None, repr=False)
    afzender: str = "noreply@veiligthuis.invalid"
    # A CA file to trust besides the system's (a server with a private CA, the tests' own).
    ca_bestand: str | None = None
    # Per command; an attempt (BEZORGEN, 30 s) holds a few, and another attempt never hands
    # the same message over (activities/bezorging.py claims the point of no return).
    timeout: float = 10.0


def adres(tekst: str, naam: str | None = None) -> Address:
    """An addr-spec as the header needs it; Onbestelbaar when it is not one (a malformed address
    is not made right by retrying)."""
    try:
        gebruiker, _, domein = tekst.strip().rpartition("@")
        if not gebruiker or not domein or "." not in domein or any(c in tekst for c in " <>,;"):
            raise ValueError
        return Address(display_name=naam or "", username=gebruiker, domain=domein)
    except (ValueError, HeaderParseError, IndexError):
        raise Onbestelbaar("adres ongeldig") from None


def bouw(mail: Mail, instellingen: SmtpInstellingen) -> EmailMessage:
    bericht = EmailMessage()
    bericht["From"] = Address("Veilig Thuis", addr_spec=instellingen.afzender)
    bericht["To"] = adres(mail.aan, mail.aan_naam)
    bericht["Subject"] = mail.onderwerp
    bericht["Message-ID"] = mail.bericht_id
    bericht["Date"] = format_datetime(localtime())
    bericht.set_content(mail.tekst)
    bericht.add_alternative(mail.html, subtype="html")
    return bericht


def _fout(fout: aiosmtplib.SMTPResponseException) -> Exception:
    code = f"smtp {fout.code}"
    return Onbestelbaar(code) if fout.code >= 500 else TijdelijkeFout(code)


class SmtpMailer:
    def __init__(self, instellingen: SmtpInstellingen) -> None:
        self.instellingen = instellingen
        self._tls = ssl.create_default_context(cafile=instellingen.ca_bestand)

    async def verstuur(self, mail: Mail, voor_overgave: VoorOvergave) -> None:
        i = self.instellingen
        bericht = bouw(mail, i)
        smtp = aiosmtplib.SMTP(
            hostname=i.host, port=i.poort, timeout=i.timeout, start_tls=False, use_tls=False
        )
        try:
            await self._verstuur(smtp, bericht, voor_overgave)
        finally:
            if smtp.is_connected:
                smtp.close()

    async def _verstuur(
        self, smtp: aiosmtplib.SMTP, bericht: EmailMessage, voor_overgave: VoorOvergave
    ) -> None:
        i = self.instellingen
        try:
            await smtp.connect()
            if i.starttls:
                await smtp.starttls(tls_context=self._tls)
            if i.gebruiker:
                await smtp.login(i.gebruiker, i.wachtwoord or "")
            await smtp.mail(i.afzender)
            await smtp.rcpt(str(bericht["To"].addresses[0].addr_spec))
        except aiosmtplib.SMTPResponseException as fout:
            raise _fout(fout) from None
        except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as fout:
            raise TijdelijkeFout(f"smtp onbereikbaar ({type(fout).__name__})") from None
        await voor_overgave()
        try:
            await smtp.data(bericht.as_bytes())
        except aiosmtplib.SMTPResponseException as fout:
            # The server answered the message itself: it was not accepted.
            raise _fout(fout) from None
        # Anything else (a dropped connection, a timeout) leaves the outcome unknown: it
        # propagates, and the attempt's record stays (activities/bezorging.py).
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await smtp.quit()  # delivered: the 250 to DATA is what counts
