"""A politie zorgmelding (issue 22): the politie's meldingen reach Veilig Thuis over CORV, whose
message specification is not public. Until a CORV adapter exists they arrive through an honest
channel behind this port (keten/uitwisselmap.py: a folder the politie's system drops JSON files
into), in the format of `Zorgmelding` (docs/contract.md, *Politie zorgmeldingen*), and become a
melding through the same intake and validation as every other: melder a professional of the
politie, its melding_id `POL-<kenmerk>` (the politie's own registration number), so the same
zorgmelding dropped twice is one melding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Protocol

from pydantic import Field

from domain.adres import Adres
from domain.melding import Betrokkene, Melding, Ontvangen, Zorgen
from domain.model import Model
from domain.regio import Regio
from domain.tekst import Email, Naam, Telefoon

# The politie's registration number of the zorgmelding (e.g. its BVH/BVI number).
Kenmerk = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,60}$")]
PREFIX = "POL-"


class PolitieMelder(Model, frozen=True):
    """The officer who can be asked about the zorgmelding (no BSN, no household data)."""

    naam: Naam
    telefoon: Telefoon | None = None
    email: Email | None = None


class Zorgmelding(Model, frozen=True):
    kenmerk: Kenmerk
    regio: Regio
    ontvangen_op: Ontvangen
    melder: PolitieMelder
    # The norm of the afwegingskader the politie applied (every professional melding has one).
    meldnorm: Annotated[int, Field(ge=1, le=3)]
    betrokkenen: Annotated[list[Betrokkene], Field(min_length=1, max_length=50)]
    zorgen: Zorgen
    adres: Adres | None = None

    def melding_id(self) -> str:
        return PREFIX + self.kenmerk

    def als_melding(self, nu: datetime | None = None) -> Melding:
        """The melding, validated at intake like every other (ValidationError: field and rule)."""
        gegevens: dict[str, Any] = self.model_dump(mode="json", exclude={"kenmerk", "meldnorm"})
        gegevens["melding_id"] = self.melding_id()
        gegevens["melder"] = {
            **gegevens["melder"],
            "soort": "professional",
            "beroepsgroep": "politie",
            "categorie": "politie",
            "meldnorm": self.meldnorm,
        }
        return Melding.ontvang(gegevens, nu)


@dataclass(frozen=True)
class Inkomend:
    """One message in the inbound channel: its name (no personal data) and where it is."""

    naam: str
    pad: Path


class Zorgmeldingkanaal(Protocol):
    """The inbound channel of the politie's zorgmeldingen (the port)."""

    def nieuwe(self) -> list[Inkomend]:
        """The messages not yet handled, oldest first; a message being written is not one."""
        ...

    def verwerkt(self, bericht: Inkomend, melding_id: str) -> None:
        """Handled: it became (or already was) the melding `melding_id`."""
        ...

    def weiger(self, bericht: Inkomend, redenen: list[str]) -> None:
        """Refused for good (the reasons name field and rule): a person reads them."""
        ...
