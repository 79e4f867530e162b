"""Workflow IDs: `melding-<melding_id>`, `vernietiging-<melding_id>` and `advies-<advies_id>`, made
and read only here. An ID carries the melding_id or advies_id (one rule: a registration number,
domain/kenmerken.py) and nothing personal.
"""

from __future__ import annotations

import hashlib
import re

from domain.melding import MELDING_ID_PATTERN

MELDING = "melding"
VERNIETIGING = "vernietiging"
ADVIES = "advies"
SOORTEN = (MELDING, VERNIETIGING, ADVIES)
_MELDING_ID = re.compile(MELDING_ID_PATTERN)


def melding_workflow_id(melding_id: str) -> str:
    """The workflow ID of a melding: `melding-<melding_id>` (no personal data)."""
    if not _MELDING_ID.fullmatch(melding_id):
        raise ValueError(f"melding_id {melding_id!r}: 1-64 characters of A-Z a-z 0-9 - _")
    return f"{MELDING}-{melding_id}"


def vernietiging_workflow_id(melding_id: str) -> str:
    """The workflow ID of a request to destroy a melding's dossier."""
    melding_workflow_id(melding_id)  # the same check
    return f"{VERNIETIGING}-{melding_id}"


def advies_workflow_id(advies_id: str) -> str:
    """The workflow ID of an adviesvraag: `advies-<advies_id>` (no personal data)."""
    if not _MELDING_ID.fullmatch(advies_id):
        raise ValueError(f"advies_id {advies_id!r}: 1-64 characters of A-Z a-z 0-9 - _")
    return f"{ADVIES}-{advies_id}"


# A destruction list's workflow ID: the Schedule's `vernietigingslijst` and the moment it started
# the list (`vernietigingslijst-2027-01-01T02:00:00Z`), or a name given to a list started by hand.
LIJST = "vernietigingslijst"
_LIJST_ID = re.compile(rf"{LIJST}(-[A-Za-z0-9:._-]{{1,64}})?")


# The CLI's name for the newest list (`lijst-status laatste`).
LAATSTE_LIJST = "laatste"


def lijst_id(lijst_id: str) -> str:
    """A destruction list's workflow ID, checked (ASCII only; no personal data), or
    `laatste`, the newest list."""
    if lijst_id != LAATSTE_LIJST and not _LIJST_ID.fullmatch(lijst_id):
        raise ValueError(
            f"lijst-ID {lijst_id[:80]!r}: {LIJST}, eventueel gevolgd door - en 1-64 tekens "
            f"A-Z a-z 0-9 : . - _ (python -m starter lijsten toont ze), of {LAATSTE_LIJST}"
        )
    return lijst_id


def melding_id_uit_workflow_id(workflow_id: str) -> tuple[str, str] | None:
    """("melding", id) for `melding-<id>`, ("vernietiging", id) for `vernietiging-<id>`,
    ("advies", id) for `advies-<id>` (the id an advies_id), None for any other workflow ID. A
    child `melding-<id>-M1` is melding `<id>-M1`."""
    for soort in SOORTEN:
        melding_id = workflow_id.removeprefix(f"{soort}-")
        if melding_id != workflow_id and _MELDING_ID.fullmatch(melding_id):
            return soort, melding_id
    return None


def melding_id_van(workflow_id: str) -> str | None:
    """The melding_id in a melding's or a destruction request's workflow ID, else None."""
    gevonden = melding_id_uit_workflow_id(workflow_id)
    return gevonden[1] if gevonden and gevonden[0] != ADVIES else None


def advies_id_van(workflow_id: str) -> str | None:
    """The advies_id in an advies' workflow ID, else None."""
    gevonden = melding_id_uit_workflow_id(workflow_id)
    return gevonden[1] if gevonden and gevonden[0] == ADVIES else None


def update_id(naam: str, verzoek_id: str, inhoud: bytes) -> str:
    """The Temporal update ID of a decision: `<update>:<verzoek_id>:<digest>`, the digest the
    first 16 hex of the payload's SHA-256. The same request again is the same update (answered
    as the first); the same verzoek_id with another payload, or for another update, is another
    update ID, which the workflow refuses or keeps apart (docs/contract.md, request IDs)."""
    return f"{naam}:{verzoek_id}:{hashlib.sha256(inhoud).hexdigest()[:16]}"


def lees_update_id(waarde: str) -> tuple[str, str, str] | None:
    """(update, verzoek_id, digest) of an update ID made by `update_id`, else None."""
    delen = waarde.split(":")
    if len(delen) != 3 or not all(delen) or len(delen[2]) != 16:
        return None
    return delen[0], delen[1], delen[2]
