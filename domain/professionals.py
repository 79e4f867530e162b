"""The professionals around the child (Q&A 10): recorded at intake, informed where the besluit
says it is needed for their task.

Q&A 10: "Veilig Thuis hecht veel waarde aan het informeren van de huisarts,
Jeugdgezondheidszorg en school over onveilige situaties waarin hun patiënt/cliënt/leerling
verkeert ... betrokken professionals [worden] geïnformeerd als dat nodig is voor de uitoefening
van hun taak en verantwoordelijkheid."

A melding lists them (`Melding.professionals`: kind, organisation, an email address or a postal
address); a besluit names those to inform by their number in that list (1-based), each with its
onderbouwing (`Besluit.professionals_informeren`). Both are personal data: they travel in the
encrypted payloads and the encrypted dossier, never in a log, a search attribute or a summary.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from domain.adres import Adres
from domain.model import Model
from domain.tekst import Email, Naam, Tekst

# At most this many professionals per melding (a huisarts, a JGZ team, a school, a few others).
MAX_PROFESSIONALS = 10
# An email address as a delivery needs it: one @, a dot in the domain, no white space.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class ProfessionalSoort(StrEnum):
    HUISARTS = "huisarts"
    JGZ = "jgz"  # jeugdgezondheidszorg (consultatiebureau, jeugdarts, jeugdverpleegkundige)
    SCHOOL = "school"
    ANDERS = "anders"


class BetrokkenProfessional(Model, frozen=True):
    """One professional around the child, as the melder or intake recorded them: where a
    message reaches them (an email address, else a postal address)."""

    soort: ProfessionalSoort
    organisatie: Naam
    email: Annotated[Email, Field(pattern=EMAIL_PATTERN)] | None = None
    adres: Adres | None = None

    @model_validator(mode="after")
    def _bereikbaar(self) -> Self:
        if self.email is None and self.adres is None:
            raise ValueError("professional: een email of een adres is verplicht")
        return self


Professionals = Annotated[list[BetrokkenProfessional], Field(max_length=MAX_PROFESSIONALS)]


class ProfessionalInformeren(Model, frozen=True):
    """In a besluit: professional n (1-based, in the melding's `professionals`) is informed,
    and why that is needed for their task (Q&A 10)."""

    professional: Annotated[int, Field(ge=1, le=MAX_PROFESSIONALS)]
    onderbouwing: Tekst


Informeren = Annotated[list[ProfessionalInformeren], Field(max_length=MAX_PROFESSIONALS)]


def dubbel(keuzes: list[ProfessionalInformeren]) -> str | None:
    """A professional named twice in one besluit (structural: refused also when decoding)."""
    nummers = [k.professional for k in keuzes]
    if len(set(nummers)) != len(nummers):
        return "professionals_informeren: elke professional ten hoogste een keer"
    return None


def weiger_onbekende(
    professionals: list[BetrokkenProfessional], keuzes: list[ProfessionalInformeren]
) -> str | None:
    """A besluit may only inform a professional the melding recorded."""
    for i, keuze in enumerate(keuzes):
        if keuze.professional > len(professionals):
            bekend = (
                f"de melding noemt er {len(professionals)}"
                if professionals
                else "de melding noemt geen professionals"
            )
            return (
                f"professionals_informeren.{i}.professional: {keuze.professional} is niet "
                f"vastgelegd ({bekend})"
            )
    return None


class ProfessionalGeinformeerd(Model, frozen=True):
    """The audit row of one professional informed: which (its number and kind), why, and what
    the delivery did (its outcome; the address stays in the dossier)."""

    professional: int
    soort: ProfessionalSoort | None
    onderbouwing: str
    uitkomst: str
