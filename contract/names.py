"""The names of the Temporal contract (docs/contract.md): task queue, workflows, updates, signal,
query, error types and search attributes. Renaming one is a contract change: don't.
"""

from __future__ import annotations

# The workflows, updates, signals and query are named in domain/namen.py (the protocol rules of
# domain/ name decisions by them); this module gives them, with the rest, to everything else.
from domain.namen import (
    ADVIES_WORKFLOW,
    MELDING_WORKFLOW,
    NALOOP_SCHEDULE,
    NALOOP_WORKFLOW,
    QUERY_STATUS,
    SIGNAL_GEKOPPELD,
    SIGNAL_MOGELIJK_GEKOPPELD,
    UPDATE_ADVIES_SLUITEN,
    UPDATE_BESLUIT,
    UPDATE_DIENST_AFRONDEN,
    UPDATE_GESPREK,
    UPDATE_HUISHOUDEN_INFORMEREN,
    UPDATE_LIJST_ANNULEREN,
    UPDATE_LIJST_BEOORDELEN,
    UPDATE_LIJST_GOEDKEUREN,
    UPDATE_MONITORING,
    UPDATE_OMZETTEN,
    UPDATE_TRIAGE,
    UPDATE_VERNIETIGING,
    UPDATE_VERTROUWENSARTS,
    VERNIETIGING_WORKFLOW,
    VERNIETIGINGSLIJST_SCHEDULE,
    VERNIETIGINGSLIJST_WORKFLOW,
)

TASK_QUEUE = "veilig-thuis"
TASK_QUEUE_ENV = "VT_TASK_QUEUE"


# Error types (ApplicationError.type): activities and workflows raise them, retry policies and
# the client recognise them.
FOUT_BESTAAT_AL = "MeldingBestaatAl"
FOUT_GEGEVENS = "Gegevensfout"
FOUT_GEWEIGERD = "Geweigerd"
FOUT_DATABASE_WEG = "DatabaseOnbereikbaar"
FOUT_ONBEKENDE_MELDING = "OnbekendeMelding"
FOUT_ONBEKENDE_BRON = "OnbekendeBron"
FOUT_NOG_OPEN = "MeldingNogOpen"
FOUT_NIEUWE_RUN = "NieuweRun"
# A message could not be delivered yet (SMTP down, print folder full): retried with backoff.
FOUT_BEZORGING_TIJDELIJK = "BezorgingTijdelijk"
# A gemeente's Zaken API could not take an overdracht now (issue 22): retried.
FOUT_KETEN_TIJDELIJK = "KetenTijdelijk"

# Search attributes: name -> Temporal indexed value type (typed keys: contract/search_attributes).
SA_REGIO = "VtRegio"
SA_FASE = "VtFase"
SA_VERVOLG = "VtVervolg"
SA_URGENTIE = "VtUrgentie"
SA_VOLGENDE_DEADLINE = "VtVolgendeDeadline"
SA_TERMIJN_OVERSCHREDEN = "VtTermijnOverschreden"
SA_GEKOPPELD = "VtGekoppeld"
# The messages' delivery (issue 20): the outcome that most needs a person (domain/bezorging.py).
SA_BEZORGING = "VtBezorging"
# Issue 22: where the overdracht as a zaak stands (wacht_op_aanvaarding, aanvaard, …).
SA_OVERDRACHT = "VtOverdracht"

SEARCH_ATTRIBUTES: dict[str, str] = {
    SA_REGIO: "Keyword",
    SA_FASE: "Keyword",
    SA_VERVOLG: "Keyword",
    SA_URGENTIE: "Keyword",
    SA_VOLGENDE_DEADLINE: "Datetime",
    SA_TERMIJN_OVERSCHREDEN: "Bool",
    SA_GEKOPPELD: "Int",
    SA_BEZORGING: "Keyword",
    SA_OVERDRACHT: "Keyword",
}

__all__ = [
    "ADVIES_WORKFLOW",
    "FOUT_BESTAAT_AL",
    "FOUT_BEZORGING_TIJDELIJK",
    "FOUT_DATABASE_WEG",
    "FOUT_GEGEVENS",
    "FOUT_GEWEIGERD",
    "FOUT_KETEN_TIJDELIJK",
    "FOUT_NIEUWE_RUN",
    "FOUT_NOG_OPEN",
    "FOUT_ONBEKENDE_BRON",
    "FOUT_ONBEKENDE_MELDING",
    "MELDING_WORKFLOW",
    "NALOOP_SCHEDULE",
    "NALOOP_WORKFLOW",
    "QUERY_STATUS",
    "SA_BEZORGING",
    "SA_FASE",
    "SA_GEKOPPELD",
    "SA_OVERDRACHT",
    "SA_REGIO",
    "SA_TERMIJN_OVERSCHREDEN",
    "SA_URGENTIE",
    "SA_VERVOLG",
    "SA_VOLGENDE_DEADLINE",
    "SEARCH_ATTRIBUTES",
    "SIGNAL_GEKOPPELD",
    "SIGNAL_MOGELIJK_GEKOPPELD",
    "TASK_QUEUE",
    "TASK_QUEUE_ENV",
    "UPDATE_ADVIES_SLUITEN",
    "UPDATE_BESLUIT",
    "UPDATE_DIENST_AFRONDEN",
    "UPDATE_GESPREK",
    "UPDATE_HUISHOUDEN_INFORMEREN",
    "UPDATE_LIJST_ANNULEREN",
    "UPDATE_LIJST_BEOORDELEN",
    "UPDATE_LIJST_GOEDKEUREN",
    "UPDATE_MONITORING",
    "UPDATE_OMZETTEN",
    "UPDATE_TRIAGE",
    "UPDATE_VERNIETIGING",
    "UPDATE_VERTROUWENSARTS",
    "VERNIETIGINGSLIJST_SCHEDULE",
    "VERNIETIGINGSLIJST_WORKFLOW",
    "VERNIETIGING_WORKFLOW",
]
