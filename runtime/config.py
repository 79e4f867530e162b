"""The worker's configuration, read from the environment once at start; each error names the
variable (the README's Configuration table lists them all)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from activities.database import lees_statement_timeout
from activities.sleutels import Registersleutels, lees_registersleutels
from bezorging.instellingen import Bezorginstellingen
from contract import names
from contract.client import verbindingsinstellingen
from domain.bewaartermijn import Bewaarbeleid
from domain.cron import cron_fout
from domain.verzoektermijn import STANDAARD_MAANDEN
from domain.werkdagen import Werkdagkalender
from keten.instellingen import Ketenkoppelingen
from versleuteling.codec import lees_hoofdsleutel

STANDAARD_METRICS_POORT = 9464
# Metrics on loopback unless an operator opens them up (VT_METRICS_HOST=0.0.0.0).
STANDAARD_METRICS_HOST = "127.0.0.1"
STANDAARD_STOP_TIMEOUT = 30
# The destruction list is drawn up monthly: the first of the month, 02:00 UTC.
STANDAARD_LIJST_CRON = "0 2 1 * *"

# Every environment variable the worker reads (docker-compose is checked against this list).
OMGEVINGSVARIABELEN: tuple[str, ...] = (
    "TEMPORAL_ADDRESS",
    "TEMPORAL_NAMESPACE",
    "TEMPORAL_API_KEY",
    "TEMPORAL_TLS",
    "TEMPORAL_TLS_CLIENT_CERT_PATH",
    "TEMPORAL_TLS_CLIENT_KEY_PATH",
    "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
    "TEMPORAL_TLS_SERVER_NAME",
    "TEMPORAL_PROFILE",
    "TEMPORAL_CONFIG_FILE",
    names.TASK_QUEUE_ENV,
    "DATABASE_URL",
    "VT_REGISTER_SLEUTEL",
    "VT_REGISTER_SLEUTEL_VERSIE",
    "VT_REGISTER_SLEUTELS_OUD",
    "VT_MASTER_KEY",
    "VT_METRICS_PORT",
    "VT_METRICS_HOST",
    "VT_LOG_FORMAT",
    "VT_STOP_TIMEOUT",
    "VT_DB_STATEMENT_TIMEOUT",
    "VT_EXTRA_FEESTDAGEN",
    # Issue 25: the bewaartermijn policy and the destruction list's schedule (docs/retention.md).
    "VT_BEWAAR_JAREN",
    "VT_BEWAAR_TOT_JONGSTE_KIND_18",
    "VT_VERNIETIGINGSLIJST_CRON",
    "VT_VERNIETIGING_TERMIJN_MAANDEN",
    # Delivery (bezorging/instellingen.py reads them from the environment given to it).
    "VT_SMTP_HOST",
    "VT_SMTP_PORT",
    "VT_SMTP_STARTTLS",
    "VT_SMTP_GEBRUIKER",
    "VT_SMTP_WACHTWOORD",
    "VT_SMTP_AFZENDER",
    "VT_SMTP_CA",
    "VT_DRUKSTRAAT_MAP",
    # The chain (keten/instellingen.py): the gemeenten's ZGW APIs; VT_ZGW_SECRET_<GEMEENTE> too.
    "VT_ZGW_KOPPELINGEN",
    "VT_RAAD_MAP",
)


class ConfiguratieFout(ValueError):
    """A configuration value that cannot work; the message names the variable."""


@dataclass(frozen=True)
class Configuratie:
    temporal: dict[str, Any]
    task_queue: str
    database_url: str
    register_sleutel: Registersleutels
    hoofdsleutel: bytes = dataclasses.field(repr=False)
    metrics_poort: int
    metrics_host: str
    log_formaat: str
    stop_timeout: int
    statement_timeout: float
    kalender: Werkdagkalender
    bezorging: Bezorginstellingen = dataclasses.field(default_factory=Bezorginstellingen)
    bewaarbeleid: Bewaarbeleid = dataclasses.field(default_factory=Bewaarbeleid)
    vernietigingslijst_cron: str = STANDAARD_LIJST_CRON
    vernietigingstermijn: int = STANDAARD_MAANDEN
    keten: Ketenkoppelingen = dataclasses.field(default_factory=Ketenkoppelingen)

    @classmethod
    def uit_omgeving(cls, env: Mapping[str, str] | None = None) -> Configuratie:
        env = dict(os.environ if env is None else env)
        database_url = env.get("DATABASE_URL", "")
        if not database_url:
            raise ConfiguratieFout(
                "DATABASE_URL ontbreekt: postgresql://gebruiker:wachtwoord@host:5432/database "
                "(`make run` start een embedded PostgreSQL en zet hem zelf)"
            )
        if urlsplit(database_url).scheme not in ("postgresql", "postgres"):
            raise ConfiguratieFout("DATABASE_URL: moet beginnen met postgresql://")
        try:
            register_sleutel = lees_registersleutels(
                env.get("VT_REGISTER_SLEUTEL", ""),
                env.get("VT_REGISTER_SLEUTEL_VERSIE", ""),
                env.get("VT_REGISTER_SLEUTELS_OUD", ""),
            )
        except ValueError as fout:
            raise ConfiguratieFout(str(fout)) from None
        if not env.get("VT_MASTER_KEY"):
            raise ConfiguratieFout(
                "VT_MASTER_KEY ontbreekt: de hoofdsleutel van de datasleutels, 64 hexadecimale "
                "tekens (deploy/secrets.sh maakt hem; `make run` maakt er zelf een)"
            )
        try:
            hoofdsleutel = lees_hoofdsleutel(env["VT_MASTER_KEY"])
        except ValueError as fout:
            raise ConfiguratieFout(str(fout)) from None
        log_formaat = env.get("VT_LOG_FORMAT", "auto")
        if log_formaat not in ("auto", "json", "console"):
            raise ConfiguratieFout("VT_LOG_FORMAT: auto, json of console")
        try:
            statement_timeout = lees_statement_timeout(env.get("VT_DB_STATEMENT_TIMEOUT", ""))
        except ValueError as fout:
            raise ConfiguratieFout(str(fout)) from None
        try:
            kalender = Werkdagkalender.uit_tekst(env.get("VT_EXTRA_FEESTDAGEN", ""))
        except ValueError as fout:
            raise ConfiguratieFout(f"VT_EXTRA_FEESTDAGEN: {fout}") from None
        try:
            bezorging = Bezorginstellingen.uit_omgeving(env)
            keten = Ketenkoppelingen.uit_omgeving(env)
        except ValueError as fout:
            raise ConfiguratieFout(str(fout)) from None
        return cls(
            bezorging=bezorging,
            bewaarbeleid=_bewaarbeleid(env),
            vernietigingslijst_cron=_cron(env.get("VT_VERNIETIGINGSLIJST_CRON", "")),
            vernietigingstermijn=_maanden(env.get("VT_VERNIETIGING_TERMIJN_MAANDEN")),
            keten=keten,
            temporal=verbindingsinstellingen(env),
            task_queue=env.get(names.TASK_QUEUE_ENV) or names.TASK_QUEUE,
            database_url=database_url,
            register_sleutel=register_sleutel,
            hoofdsleutel=hoofdsleutel,
            metrics_poort=_poort(env.get("VT_METRICS_PORT"), "VT_METRICS_PORT"),
            metrics_host=env.get("VT_METRICS_HOST") or STANDAARD_METRICS_HOST,
            log_formaat=log_formaat,
            stop_timeout=_geheel(
                env.get("VT_STOP_TIMEOUT"), "VT_STOP_TIMEOUT", STANDAARD_STOP_TIMEOUT
            ),
            statement_timeout=statement_timeout,
            kalender=kalender,
        )

    @property
    def temporal_adres(self) -> str:
        return str(self.temporal["target_host"])

    @property
    def database_adres(self) -> str:
        """host:port/database of DATABASE_URL, without user or password: for messages."""
        delen = urlsplit(self.database_url)
        host = delen.hostname or dict(
            p.split("=", 1) for p in delen.query.split("&") if "=" in p
        ).get("host", "localhost")
        return f"{host}:{delen.port or 5432}{delen.path}"


def _geheel(waarde: str | None, naam: str, standaard: int) -> int:
    if waarde in (None, ""):
        return standaard
    try:
        getal = int(waarde)
    except ValueError:
        raise ConfiguratieFout(f"{naam}: geen geheel getal: {waarde!r}") from None
    if getal < 0:
        raise ConfiguratieFout(f"{naam}: mag niet negatief zijn")
    return getal


def _poort(waarde: str | None, naam: str) -> int:
    poort = _geheel(waarde, naam, STANDAARD_METRICS_POORT)
    if poort > 65535:
        raise ConfiguratieFout(f"{naam}: poort 0-65535 (0: geen metrics)")
    return poort


def _bewaarbeleid(env: Mapping[str, str]) -> Bewaarbeleid:
    """VT_BEWAAR_JAREN (1 to 115, default 20) and VT_BEWAAR_TOT_JONGSTE_KIND_18 (ja/nee)."""
    jaren = _geheel(env.get("VT_BEWAAR_JAREN"), "VT_BEWAAR_JAREN", 20)
    if not 1 <= jaren <= 115:
        raise ConfiguratieFout(f"VT_BEWAAR_JAREN: 1 tot en met 115 jaar, niet {jaren}")
    kind = env.get("VT_BEWAAR_TOT_JONGSTE_KIND_18", "ja") or "ja"
    if kind not in ("ja", "nee"):
        raise ConfiguratieFout(f"VT_BEWAAR_TOT_JONGSTE_KIND_18: ja of nee, niet {kind!r}")
    return Bewaarbeleid(jaren_na_afsluiting=jaren, tot_jongste_kind_meerderjarig=kind == "ja")


def _cron(waarde: str) -> str:
    """Five cron fields (minute hour day month weekday), as Temporal Schedules take them."""
    if not waarde:
        return STANDAARD_LIJST_CRON
    fout = cron_fout(waarde)
    if fout is not None:
        raise ConfiguratieFout(
            f"VT_VERNIETIGINGSLIJST_CRON: {fout}; bijvoorbeeld {STANDAARD_LIJST_CRON!r}"
        )
    return waarde


def _maanden(waarde: str | None) -> int:
    """The term of a destruction request: 1 to 3 months (the AVG's month, extended by at most
    two; the Jeugdwet's three)."""
    maanden = _geheel(waarde, "VT_VERNIETIGING_TERMIJN_MAANDEN", STANDAARD_MAANDEN)
    if not 1 <= maanden <= 3:
        raise ConfiguratieFout(f"VT_VERNIETIGING_TERMIJN_MAANDEN: 1 tot en met 3, niet {maanden}")
    return maanden
