"""Temporal's errors translated into those of starter.fouten: each says, in words a person can
act on, what went wrong (the rule that refused, the melding that is unknown, the unreachable
address, the missing worker, the database the workflow waits on).
"""

from __future__ import annotations

import re
from datetime import timedelta

from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionResponse
from temporalio.converter import DataConverter
from temporalio.exceptions import ApplicationError, FailureError
from temporalio.service import RPCError, RPCStatusCode

from contract import names
from starter.fouten import (
    GeenAntwoord,
    GeenVerbinding,
    Geweigerd,
    MeldingFout,
    OnbekendeMelding,
    OnbekendeNamespace,
    Vastgelopen,
)

# An update that reached a case as its run closed: the server answers NOT_FOUND in one of these
# words ("aborted by closing workflow" seen in a full run: the advies had just closed).
_UPDATE_ZONDER_RUN = re.compile(
    r"^update \S+ not found$|completed workflow|aborted by closing workflow", re.IGNORECASE
)
_TAAK_MISLUKT = re.compile(r"workflow task in failed state", re.IGNORECASE)
_NAMESPACE_ONBEKEND = re.compile(r"namespace (\S+?) is not found", re.IGNORECASE)
# Errors of asyncpg and the socket under it that mean: PostgreSQL cannot be reached.
_DATABASE_WEG = frozenset(
    {
        "ConnectionDoesNotExistError",
        "CannotConnectNowError",
        "ConnectionFailureError",
        "PostgresConnectionError",
        "ClientCannotConnectError",
        "TooManyConnectionsError",
        "AdminShutdownError",
        names.FOUT_DATABASE_WEG,
        "SleutelopslagOnbereikbaar",  # versleuteling: the data keys' PostgreSQL, from the codec
        "CrashShutdownError",
        "InterfaceError",
    }
)
_SOCKET = frozenset(
    {
        "ConnectionRefusedError",
        "ConnectionResetError",
        "ConnectionAbortedError",
        "ConnectionError",
        "BrokenPipeError",
        "FileNotFoundError",  # the Unix socket of a stopped server
        "OSError",
        "TimeoutError",
        "gaierror",
    }
)


def _database_in(taakfout: str) -> bool:
    """A workflow task's failure that says the data keys' PostgreSQL cannot be reached."""
    tekst = taakfout.lower()
    return "sleutelopslag" in tekst or "postgresql niet bereikbaar" in tekst


def oorzaak(fout: BaseException) -> str:
    """Why a connection failed, in a few words; empty when the transport does not say."""
    tekst = str(fout).lower()
    if "refused" in tekst:
        return "verbinding geweigerd"
    if "timed out" in tekst or "deadline" in tekst or isinstance(fout, TimeoutError):
        return "geen antwoord (time-out)"
    if "dns" in tekst or "resolve" in tekst:
        return "adres onbekend"
    return ""


def reden(fout: BaseException) -> str:
    """The innermost ApplicationError message: the rule a validator or activity named."""
    tekst, binnen = str(fout), getattr(fout, "cause", None) or fout.__cause__
    while binnen is not None:
        if isinstance(binnen, ApplicationError) and binnen.message:
            tekst = binnen.message
        binnen = getattr(binnen, "cause", None) or binnen.__cause__
    return tekst


def geen_antwoord(
    antwoordtijd: timedelta, task_queue: str, worker: bool | None = None
) -> GeenAntwoord:
    """No answer in time and no workflow stuck on an activity: whether a worker polls the task
    queue (None: Temporal would not tell)."""
    wachttijd = f"geen antwoord binnen {antwoordtijd.total_seconds():.0f} s"
    if worker is False:
        return GeenAntwoord(
            f"{wachttijd}: geen worker op task queue {task_queue!r}; start er een (python "
            "worker.py, of make run) of zet VT_TASK_QUEUE goed",
            "worker",
        )
    if worker:
        return GeenAntwoord(
            f"{wachttijd}, terwijl er een worker op task queue {task_queue!r} draait; probeer "
            "het opnieuw, en zie de logs van de worker als het zo blijft"
        )
    return GeenAntwoord(f"{wachttijd}: draait er een worker op task queue {task_queue!r}?")


async def vastgelopen(
    melding_id: str,
    beschrijving: DescribeWorkflowExecutionResponse,
    converter: DataConverter,
    antwoordtijd: timedelta,
    taakfout: str = "",
) -> Vastgelopen | None:
    """Why a workflow that has a worker gives no answer, from its description: its workflow
    task fails again and again (`taakfout`: the message of its last recorded failure; one that
    names the key store means PostgreSQL is down), or it waits on an activity that does."""
    wachttijd = f"melding {melding_id}: geen antwoord binnen {antwoordtijd.total_seconds():.0f} s"
    taak = beschrijving.pending_workflow_task
    if beschrijving.HasField("pending_workflow_task") and taak.attempt > 1:
        if _database_in(taakfout):
            # The worker cannot read the case's data key: its PostgreSQL is away.
            return Vastgelopen(
                f"{wachttijd}: PostgreSQL, de database van de worker, is niet bereikbaar (de "
                f"workflow-taak mislukt steeds, poging {taak.attempt}: de sleutels van de "
                "melding staan daar). Wat de workflow al aannam, legt hij vast zodra de database "
                "terug is: kijk met `status` voor je het opnieuw stuurt",
                "workflow-taak",
                "SleutelopslagOnbereikbaar",
                database=True,
            )
        return Vastgelopen(
            f"{wachttijd}: de workflow-taak mislukt steeds (poging {taak.attempt}); zie de logs "
            "van de worker ('workflow-taak mislukt')",
            "workflow-taak",
            "",
            database=False,
        )
    for activiteit in beschrijving.pending_activities:
        if not activiteit.HasField("last_failure"):
            continue
        naam, poging = activiteit.activity_type.name, activiteit.attempt
        laatste = activiteit.last_failure
        # A long failure is wrapped by the server ("Failure exceeds size limit"): the
        # activity's own error is its cause.
        while not laatste.HasField("application_failure_info") and laatste.HasField("cause"):
            laatste = laatste.cause
        fout = await converter.decode_failure(laatste)
        soort = laatste.application_failure_info.type or type(fout).__name__
        spoor = fout.failure.stack_trace if isinstance(fout, FailureError) and fout.failure else ""
        in_database = soort in _DATABASE_WEG or "/asyncpg/" in spoor
        if in_database and (soort in _DATABASE_WEG or soort in _SOCKET):
            tekst = (
                f"{wachttijd}: PostgreSQL, de database van de worker, is niet bereikbaar "
                f"(activiteit {naam}, poging {poging}: {soort}). Wat de workflow al aannam, "
                "legt hij vast zodra de database terug is: kijk met `status` voor je het "
                "opnieuw stuurt"
            )
        elif in_database:
            tekst = (
                f"{wachttijd}: PostgreSQL weigert activiteit {naam} (poging {poging}: {soort}); "
                "zie de logs van de worker"
            )
        else:
            tekst = (
                f"{wachttijd}: de workflow wacht op activiteit {naam}, die steeds mislukt "
                f"(poging {poging}: {soort}); zie de logs van de worker"
            )
        return Vastgelopen(tekst, naam, soort, database=in_database)
    return None


def rpc_fout(
    fout: RPCError, melding_id: str, *, adres: str, antwoordtijd: timedelta, task_queue: str
) -> MeldingFout:
    """The error of starter.fouten that a refused or failed call to Temporal means."""
    if fout.status is RPCStatusCode.NOT_FOUND:
        if namespace := _NAMESPACE_ONBEKEND.search(fout.message):
            return OnbekendeNamespace(namespace.group(1), adres)
        if "already completed" in fout.message or _UPDATE_ZONDER_RUN.search(fout.message):
            # Also an update that reached the case as it closed: the server lost its run.
            return Geweigerd(f"melding {melding_id} is afgesloten: er kan niets meer bij")
        return OnbekendeMelding(melding_id)
    if fout.status is RPCStatusCode.DEADLINE_EXCEEDED or (
        fout.status is RPCStatusCode.FAILED_PRECONDITION and _TAAK_MISLUKT.search(fout.message)
    ):
        # Also an update refused because the workflow task keeps failing: the client reads why
        # from the workflow (MeldingClient._geen_antwoord), never the server's bare words.
        return geen_antwoord(antwoordtijd, task_queue)
    if fout.status is RPCStatusCode.UNAVAILABLE:
        return GeenVerbinding(adres, oorzaak(fout))
    return MeldingFout(f"Temporal weigerde het verzoek ({fout.status.name}): {fout.message}")
