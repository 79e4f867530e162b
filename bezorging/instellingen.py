"""Delivery's configuration from the environment (docs/deployment.md): the SMTP server, its
TLS and credentials, and the print street's folder. Neither set: this worker delivers nothing
(every message is recorded `niet_ingesteld`; the worker says so at start)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bezorging.drukstraat import MapDrukstraat
from bezorging.smtp import SmtpInstellingen, SmtpMailer

OMGEVINGSVARIABELEN = (
    "VT_SMTP_HOST",
    "VT_SMTP_PORT",
    "VT_SMTP_STARTTLS",
    "VT_SMTP_GEBRUIKER",
    "VT_SMTP_WACHTWOORD",
    "VT_SMTP_AFZENDER",
    "VT_SMTP_CA",
    "VT_DRUKSTRAAT_MAP",
)


@dataclass(frozen=True)
class Bezorginstellingen:
    smtp: SmtpInstellingen | None = None
    drukstraat: Path | None = None

    @classmethod
    def uit_omgeving(cls, env: Mapping[str, str]) -> Bezorginstellingen:
        """ValueError naming the variable when a value cannot work."""
        smtp = None
        if env.get("VT_SMTP_HOST"):
            poort_tekst = env.get("VT_SMTP_PORT") or "587"
            if not poort_tekst.isdigit() or not 0 < int(poort_tekst) < 65536:
                raise ValueError(f"VT_SMTP_PORT: geen poortnummer: {poort_tekst!r}")
            starttls = (env.get("VT_SMTP_STARTTLS") or "ja").lower()
            if starttls not in ("ja", "nee"):
                raise ValueError("VT_SMTP_STARTTLS: ja of nee")
            afzender = env.get("VT_SMTP_AFZENDER") or "noreply@veiligthuis.invalid"
            if "@" not in afzender:
                raise ValueError("VT_SMTP_AFZENDER: een e-mailadres")
            if bool(env.get("VT_SMTP_GEBRUIKER")) != bool(env.get("VT_SMTP_WACHTWOORD")):
                raise ValueError("VT_SMTP_GEBRUIKER en VT_SMTP_WACHTWOORD: beide of geen van twee")
            ca = env.get("VT_SMTP_CA") or None
            if ca is not None and not Path(ca).is_file():
                raise ValueError(f"VT_SMTP_CA: geen bestand: {ca}")
            smtp = SmtpInstellingen(
                host=env["VT_SMTP_HOST"],
                poort=int(poort_tekst),
                starttls=starttls == "ja",
                gebruiker=env.get("VT_SMTP_GEBRUIKER") or None,
                wachtwoord=env.get("VT_SMTP_WACHTWOORD") or None,
                afzender=afzender,
                ca_bestand=ca,
            )
        map_ = env.get("VT_DRUKSTRAAT_MAP") or None
        return cls(smtp=smtp, drukstraat=Path(map_) if map_ else None)

    @property
    def aan(self) -> bool:
        return self.smtp is not None or self.drukstraat is not None

    def mailer(self) -> SmtpMailer | None:
        return SmtpMailer(self.smtp) if self.smtp is not None else None

    def drukstraat_adapter(self) -> MapDrukstraat | None:
        return MapDrukstraat(self.drukstraat) if self.drukstraat is not None else None

    @property
    def domein(self) -> str:
        return (self.smtp.afzender if self.smtp else "noreply@veiligthuis.invalid").rpartition("@")[
            2
        ]

    def beschrijving(self) -> str:
        """For the start log line: where messages go (no credentials)."""
        delen = []
        if self.smtp is not None:
            tls = "starttls" if self.smtp.starttls else "zonder tls"
            delen.append(f"smtp {self.smtp.host}:{self.smtp.poort} ({tls})")
        if self.drukstraat is not None:
            delen.append(f"drukstraat {self.drukstraat}")
        return ", ".join(delen) or "uit"
