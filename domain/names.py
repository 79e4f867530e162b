"""Temporal names of the public contract (docs/contract.md), in one place.

Starter, worker, workflows and tests import these; nothing spells them twice.
"""

from __future__ import annotations

import re

TASK_QUEUE = "veilig-thuis"
TASK_QUEUE_ENV = "VT_TASK_QUEUE"

MELDING_WORKFLOW = "MeldingWorkflow"
VERNIETIGING_WORKFLOW = "VernietigingWorkflow"

UPDATE_TRIAGE = "registreer_triage"
UPDATE_BESLUIT = "neem_besluit"
UPDATE_DIENST_AFRONDEN = "rond_dienst_af"
UPDATE_MONITORING = "registreer_monitoring"
UPDATE_VERNIETIGING = "beslis_vernietiging"
SIGNAL_GEKOPPELD = "melding_gekoppeld"
QUERY_STATUS = "status"

# Error types of business refusals (ApplicationError.type): activities raise them, workflows
# and the client recognise them.
FOUT_BESTAAT_AL = "MeldingBestaatAl"
FOUT_GEGEVENS = "Gegevensfout"
FOUT_GEWEIGERD = "Geweigerd"
FOUT_DATABASE_WEG = "DatabaseOnbereikbaar"

MELDING_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
_MELDING_ID = re.compile(MELDING_ID_PATTERN)


def melding_workflow_id(melding_id: str) -> str:
    """The workflow ID of a melding: `melding-<melding_id>` (no personal data)."""
    if not _MELDING_ID.fullmatch(melding_id):
        raise ValueError(f"melding_id {melding_id!r}: 1-64 characters of A-Z a-z 0-9 - _")
    return f"melding-{melding_id}"


def vernietiging_workflow_id(melding_id: str) -> str:
    """The workflow ID of a request to destroy a melding's dossier."""
    return f"vernietiging-{melding_workflow_id(melding_id).removeprefix('melding-')}"


def melding_id_uit_workflow_id(workflow_id: str) -> tuple[str, str] | None:
    """("melding", id) for `melding-<id>`, ("vernietiging", id) for `vernietiging-<id>`, None
    for any other workflow ID. A child `melding-<id>-M1` is melding `<id>-M1`."""
    for soort in ("melding", "vernietiging"):
        melding_id = workflow_id.removeprefix(f"{soort}-")
        if melding_id != workflow_id and _MELDING_ID.fullmatch(melding_id):
            return soort, melding_id
    return None


# Search attributes (docs/contract.md): name -> Temporal indexed value type.
SA_REGIO = "VtRegio"
SA_FASE = "VtFase"
SA_VERVOLG = "VtVervolg"
SA_URGENTIE = "VtUrgentie"
SA_VOLGENDE_DEADLINE = "VtVolgendeDeadline"
SA_TERMIJN_OVERSCHREDEN = "VtTermijnOverschreden"
SA_GEKOPPELD = "VtGekoppeld"

SEARCH_ATTRIBUTES: dict[str, str] = {
    SA_REGIO: "Keyword",
    SA_FASE: "Keyword",
    SA_VERVOLG: "Keyword",
    SA_URGENTIE: "Keyword",
    SA_VOLGENDE_DEADLINE: "Datetime",
    SA_TERMIJN_OVERSCHREDEN: "Bool",
    SA_GEKOPPELD: "Int",
}
