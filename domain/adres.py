"""A postal address in the Netherlands: where a letter goes (a household, a melder without an
email address). Part of the melding, so it lives in the encrypted dossier; the delivery reads it
from there at the moment of sending, never from a history (issue 20)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from domain.model import Model
from domain.tekst import Naam

# 1234 AB: four digits (no leading zero) and two capitals, the space optional.
POSTCODE_PATTERN = r"^[1-9][0-9]{3} ?[A-Z]{2}$"


class Adres(Model, frozen=True):
    straat: Naam
    huisnummer: Annotated[str, Field(pattern=r"^[1-9][0-9]{0,4}( ?[A-Za-z0-9-]{1,6})?$")]
    postcode: Annotated[str, Field(pattern=POSTCODE_PATTERN)]
    woonplaats: Naam

    def regels(self) -> list[str]:
        """The address block of a letter (PostNL: street and number, then postcode and town)."""
        postcode = self.postcode.replace(" ", "")
        return [
            f"{self.straat} {self.huisnummer}",
            f"{postcode[:4]} {postcode[4:]}  {self.woonplaats.upper()}",
        ]
