"""Who acts: the author of a write (a person or a system) and what each role may write.

Every start, update and signal of MeldingWorkflow, VernietigingWorkflow and AdviesWorkflow has an
author that the codec server (or the worker itself, for the radar) attests from a login; the
payload never names it (docs/architecture.md, "Who is acting"). These are the rules on plain
values: the workflows and the codec server both ask them, so a refusal reads the same in either
place.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain import namen as n


class Soort(StrEnum):
    PERSOON = "persoon"
    SYSTEEM = "systeem"


class Taakrol(StrEnum):
    MEDEWERKER = "medewerker"  # triage, besluit, dienst, monitoring; files a destruction request
    TEAMLEIDER = "teamleider"  # also decides on destruction, as the second person
    INTEGRATOR = "integrator"  # a service account that submits meldingen
    OPS = "ops"  # reads state, writes nothing
    BEHEER = "beheer"  # operates the platform, writes nothing
    SYSTEEM = "systeem"  # the worker itself (the radar's signal)
    ARCHIVARIS = "archivaris"  # approves a destruction list (issue 25)


class Handeling(StrEnum):
    START = "start"
    UPDATE = "update"
    SIGNAAL = "signaal"


class Auteur(BaseModel):
    """An attested author: `id` is a login's pseudonymous id (`mw-0042`, `svc-intake`)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1, max_length=64)
    soort: Soort
    rollen: tuple[Taakrol, ...] = ()
    # The organisations (regio slugs, domain/regio.py; `*` all) whose cases the login serves.
    # Never serialised: a verklaring and a history stay as they were (domain/reikwijdte.py).
    organisaties: tuple[str, ...] = Field(default=(), exclude=True)

    def heeft(self, *rollen: Taakrol) -> bool:
        return any(r in self.rollen for r in rollen)


# Who may write what: (workflow type, handeling, name) -> (soort required or None, roles).
_MELDING, _VERNIETIGING, _ADVIES = n.MELDING_WORKFLOW, n.VERNIETIGING_WORKFLOW, n.ADVIES_WORKFLOW
_LIJST = n.VERNIETIGINGSLIJST_WORKFLOW
_BESLISSERS = (Taakrol.MEDEWERKER, Taakrol.TEAMLEIDER)
BEVOEGDHEDEN: dict[tuple[str, Handeling, str], tuple[Soort | None, tuple[Taakrol, ...]]] = {
    (_MELDING, Handeling.START, _MELDING): (
        None,
        (Taakrol.INTEGRATOR, Taakrol.MEDEWERKER, Taakrol.TEAMLEIDER, Taakrol.SYSTEEM),
    ),
    (_MELDING, Handeling.UPDATE, n.UPDATE_TRIAGE): (Soort.PERSOON, _BESLISSERS),
    (_MELDING, Handeling.UPDATE, n.UPDATE_BESLUIT): (Soort.PERSOON, _BESLISSERS),
    (_MELDING, Handeling.UPDATE, n.UPDATE_DIENST_AFRONDEN): (Soort.PERSOON, _BESLISSERS),
    (_MELDING, Handeling.UPDATE, n.UPDATE_MONITORING): (Soort.PERSOON, _BESLISSERS),
    (_MELDING, Handeling.UPDATE, n.UPDATE_HUISHOUDEN_INFORMEREN): (Soort.PERSOON, _BESLISSERS),
    (_MELDING, Handeling.SIGNAAL, n.SIGNAL_GEKOPPELD): (Soort.SYSTEEM, (Taakrol.SYSTEEM,)),
    (_MELDING, Handeling.SIGNAAL, n.SIGNAL_MOGELIJK_GEKOPPELD): (
        Soort.SYSTEEM,
        (Taakrol.SYSTEEM,),
    ),
    (_VERNIETIGING, Handeling.START, _VERNIETIGING): (Soort.PERSOON, _BESLISSERS),
    (_VERNIETIGING, Handeling.UPDATE, n.UPDATE_VERNIETIGING): (
        Soort.PERSOON,
        (Taakrol.TEAMLEIDER,),
    ),
    # An adviesvraag is taken by a person (a medewerker on the phone, or its teamleider).
    (_ADVIES, Handeling.START, _ADVIES): (Soort.PERSOON, _BESLISSERS),
    (_ADVIES, Handeling.UPDATE, n.UPDATE_GESPREK): (Soort.PERSOON, _BESLISSERS),
    (_ADVIES, Handeling.UPDATE, n.UPDATE_VERTROUWENSARTS): (Soort.PERSOON, _BESLISSERS),
    (_ADVIES, Handeling.UPDATE, n.UPDATE_ADVIES_SLUITEN): (Soort.PERSOON, _BESLISSERS),
    (_ADVIES, Handeling.UPDATE, n.UPDATE_OMZETTEN): (Soort.PERSOON, _BESLISSERS),
    # Issue 25: a destruction list is reviewed by a teamleider, approved by an archivist; either
    # may stop it before the destruction begins.
    (_LIJST, Handeling.UPDATE, n.UPDATE_LIJST_BEOORDELEN): (Soort.PERSOON, (Taakrol.TEAMLEIDER,)),
    (_LIJST, Handeling.UPDATE, n.UPDATE_LIJST_GOEDKEUREN): (Soort.PERSOON, (Taakrol.ARCHIVARIS,)),
    (_LIJST, Handeling.UPDATE, n.UPDATE_LIJST_ANNULEREN): (
        Soort.PERSOON,
        (Taakrol.TEAMLEIDER, Taakrol.ARCHIVARIS),
    ),
}


def weiger_handeling(
    auteur: Auteur, workflow_type: str, handeling: Handeling, naam: str
) -> str | None:
    """Why `auteur` may not write this (None: allowed). Names the rule, never a payload."""
    regel = BEVOEGDHEDEN.get((workflow_type, handeling, naam))
    if regel is None:
        return f"{naam}: geen schrijfhandeling van {workflow_type} die een auteur kan hebben"
    soort, rollen = regel
    if soort is not None and auteur.soort is not soort:
        return (
            f"{naam}: alleen een {soort.value} mag dit "
            f"(de login {auteur.id} is een {auteur.soort.value})"
        )
    if not auteur.heeft(*rollen):
        nodig = " of ".join(r.value for r in rollen)
        return f"{naam}: vraagt de rol {nodig}; de login {auteur.id} heeft die niet"
    return None


def weiger_medewerker(auteur: Auteur, beslissing: Any) -> str | None:
    """A decision's `medewerker` must be the login that sent it (the payload never decides who
    acted): a field that disagrees is refused."""
    medewerker = getattr(beslissing, "medewerker", None)
    if medewerker is not None and medewerker != auteur.id:
        return (
            "medewerker: moet de ingelogde medewerker zijn die het besluit verstuurt "
            f"({auteur.id}); een ander kan niet namens hem of haar beslissen"
        )
    return None


def weiger_tweede_persoon(indiener: str | None, auteur: Auteur) -> str | None:
    """Destruction takes two people: the teamleider who decides did not file the request."""
    if indiener is not None and indiener == auteur.id:
        return (
            "beslis_vernietiging: een tweede persoon beslist; wie het verzoek indiende "
            f"({auteur.id}) kan het niet zelf toekennen of afwijzen"
        )
    return None


class VerklaringVraag(BaseModel):
    """One write's verklaring, to be checked by the worker (activity `controleer_verklaringen`):
    `nu` is the workflow's moment (the start time the server recorded, for a start), so the
    answer does not depend on when a worker gets to it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    token: str | None
    workflow_type: str
    workflow_id: str
    handeling: Handeling
    naam: str
    verzoek: str
    nu: datetime


class VerklaringUitslag(BaseModel):
    """The attested author, or the reason the write is refused (never both)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    auteur: Auteur | None = None
    reden: str | None = None
