"""The names of the Temporal contract (docs/contract.md): task queue, workflows, updates, signal,
query, error types and search attributes. Renaming one is a contract change: don't.
"""

from __future__ import annotations

TASK_QUEUE = "veilig-thuis"
TASK_QUEUE_ENV = "VT_TASK_QUEUE"

MELDING_WORKFLOW = "MeldingWorkflow"
VERNIETIGING_WORKFLOW = "VernietigingWorkflow"
# The reconciliation of open dossiers with Temporal executions, on a Schedule of this ID.
NALOOP_WORKFLOW = "NaloopWorkflow"
NALOOP_SCHEDULE = "vt-naloop"
ADVIES_WORKFLOW = "AdviesWorkflow"
# Issue 25: the destruction list (docs/retention.md), drawn up on a Schedule of this ID.
VERNIETIGINGSLIJST_WORKFLOW = "VernietigingslijstWorkflow"
VERNIETIGINGSLIJST_SCHEDULE = "vt-vernietigingslijst"
UPDATE_LIJST_BEOORDELEN = "beoordeel_lijst"
UPDATE_LIJST_GOEDKEUREN = "keur_lijst_goed"
UPDATE_LIJST_ANNULEREN = "annuleer_vernietiging"

UPDATE_TRIAGE = "registreer_triage"
UPDATE_BESLUIT = "neem_besluit"
UPDATE_DIENST_AFRONDEN = "rond_dienst_af"
UPDATE_MONITORING = "registreer_monitoring"
UPDATE_HUISHOUDEN_INFORMEREN = "informeer_huishouden"
UPDATE_VERNIETIGING = "beslis_vernietiging"
SIGNAL_GEKOPPELD = "melding_gekoppeld"
# Radar, name-only household (issue 21.7): a possible link, shown, never acted on.
SIGNAL_MOGELIJK_GEKOPPELD = "melding_mogelijk_gekoppeld"
# AdviesWorkflow (docs/contract.md, "Advies").
UPDATE_GESPREK = "registreer_gesprek"
UPDATE_VERTROUWENSARTS = "raadpleeg_vertrouwensarts"
UPDATE_ADVIES_SLUITEN = "sluit_advies"
UPDATE_OMZETTEN = "zet_om_naar_melding"
QUERY_STATUS = "status"

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
