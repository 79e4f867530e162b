"""The names of the workflows, updates, signals and query of the Temporal contract
(docs/contract.md): the domain's protocol rules name the decisions by them, and contract/names.py
gives them to everything else. Renaming one is a contract change: don't.
"""

from __future__ import annotations

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
