"""What MeldingClient raises: each error says what happened in words an integrator can act on.

The CLI maps them to its exit codes in one table, starter.cli.SOORTEN (docs/contract.md, "Exit
codes"): OngeldigeInvoer 2; OnbekendeMelding 3; Geweigerd 4; MeldingBestaatAl 5; GeenVerbinding,
GeenWorker and GeenAntwoord (Vastgelopen) 6, a part not available; anything else 1.
"""

from __future__ import annotations


class MeldingFout(Exception):
    """Base of the client's errors; the message is meant for a person."""


class OngeldigeInvoer(MeldingFout):
    """Input that is not a valid message: one line per problem, each naming the field."""

    def __init__(self, regels: list[str]) -> None:
        super().__init__("\n".join(regels))
        self.regels = regels


class GeenVerbinding(MeldingFout):
    """Temporal cannot be reached at the configured address."""

    def __init__(self, adres: str, oorzaak: str = "") -> None:
        uitleg = f": {oorzaak}" if oorzaak else ""
        super().__init__(f"kan Temporal op {adres} niet bereiken{uitleg}")
        self.adres = adres


class MeldingBestaatAl(MeldingFout):
    """A melding with this melding_id was submitted before: never a second workflow."""

    def __init__(self, melding_id: str) -> None:
        super().__init__(f"melding {melding_id} bestaat al")
        self.melding_id = melding_id


class OnbekendeMelding(MeldingFout):
    """No workflow for this melding_id (never submitted, or its dossier was destroyed)."""

    def __init__(self, melding_id: str, *, vernietigd: bool = False) -> None:
        uitleg = ": het dossier is vernietigd" if vernietigd else ""
        super().__init__(f"melding {melding_id} is onbekend{uitleg}")
        self.melding_id = melding_id


class Geweigerd(MeldingFout):
    """A decision refused in the current phase; the message is the rule's reason."""

    def __init__(self, reden: str) -> None:
        super().__init__(reden)
        self.reden = reden


class OnbekendeNamespace(MeldingFout):
    """The namespace does not exist on this Temporal (not: the melding is unknown)."""

    def __init__(self, namespace: str, adres: str) -> None:
        super().__init__(
            f"namespace {namespace!r} bestaat niet op Temporal {adres}: klopt TEMPORAL_NAMESPACE?"
        )
        self.namespace = namespace


class GeenWorker(MeldingFout):
    """No worker polls the task queue: a melding submitted there would wait unseen."""

    def __init__(self, task_queue: str, standaard: str) -> None:
        super().__init__(
            f"geen worker op task queue {task_queue!r}: de melding is niet ingediend. Klopt "
            f"VT_TASK_QUEUE (de worker gebruikt standaard {standaard!r})? Of start een worker "
            "op deze queue (python worker.py, of make run) en probeer het opnieuw"
        )
        self.task_queue = task_queue


class GeenAntwoord(MeldingFout):
    """The workflow did not answer in time; the message says why when Temporal can tell
    (`onderdeel`: `worker` when no worker polls, else None)."""

    def __init__(self, tekst: str, onderdeel: str | None = None) -> None:
        super().__init__(tekst)
        self.onderdeel = onderdeel


class Vastgelopen(GeenAntwoord):
    """No answer in time because the workflow waits on an activity that keeps failing
    (`database`: on PostgreSQL); what it accepted it finishes once the cause is gone."""

    def __init__(self, tekst: str, activiteit: str, fout: str, database: bool) -> None:
        super().__init__(tekst)
        self.activiteit, self.fout, self.database = activiteit, fout, database


class VernietigingWachtOpBesluit(MeldingFout):
    """A vernietigingsverzoek that a teamleider must decide on (update beslis_vernietiging)."""

    def __init__(self, melding_id: str, workflow_id: str) -> None:
        super().__init__(
            f"het verzoek tot vernietiging van melding {melding_id} wacht op het besluit van een "
            f"teamleider die het niet indiende (python -m starter vernietigingsbesluit "
            f"{melding_id} FILE, update beslis_vernietiging op workflow {workflow_id})"
        )
        self.melding_id = melding_id
        self.workflow_id = workflow_id
