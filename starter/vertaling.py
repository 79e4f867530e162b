"""Temporal's errors translated into those of starter.fouten: each says, in words a person can
act on, what went wrong (the rule that refused, the melding that is unknown, the unreachable
address, the missing worker).
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from starter.fouten import GeenAntwoord, GeenVerbinding, Geweigerd, MeldingFout, OnbekendeMelding


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


def geen_antwoord(antwoordtijd: timedelta, task_queue: str) -> GeenAntwoord:
    """No answer in time: usually no worker polls the task queue."""
    return GeenAntwoord(
        f"geen antwoord binnen {antwoordtijd.total_seconds():.0f} s: draait er een "
        f"worker op task queue {task_queue!r}?"
    )


def rpc_fout(
    fout: RPCError, melding_id: str, *, adres: str, antwoordtijd: timedelta, task_queue: str
) -> MeldingFout:
    """The error of starter.fouten that a refused or failed call to Temporal means."""
    if fout.status is RPCStatusCode.NOT_FOUND:
        if "already completed" in fout.message:
            return Geweigerd(f"melding {melding_id} is afgesloten: er kan niets meer bij")
        return OnbekendeMelding(melding_id)
    if fout.status is RPCStatusCode.DEADLINE_EXCEEDED:
        return geen_antwoord(antwoordtijd, task_queue)
    if fout.status is RPCStatusCode.UNAVAILABLE:
        return GeenVerbinding(adres, oorzaak(fout))
    return MeldingFout(f"Temporal weigerde het verzoek ({fout.status.name}): {fout.message}")
