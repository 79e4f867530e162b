"""The melding: the workflow input of CONTRACT.md, with every validation it names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from domain.bsn import controleer_bsn
from domain.names import MELDING_ID_PATTERN
from domain.regio import controleer_regio
from domain.waarden import Beroepsgroep, Duur, Geweldsvorm, MelderSoort, Rol
from domain.werkdagen import AMSTERDAM

MeldingId = Annotated[str, Field(pattern=MELDING_ID_PATTERN)]
Regio = Annotated[str, AfterValidator(controleer_regio)]
Bsn = Annotated[str, AfterValidator(controleer_bsn)]
Tekst = Annotated[str, Field(min_length=1, max_length=10_000)]

# Clocks of client and worker differ a little; a receipt this far ahead is still accepted.
KLOKMARGE = timedelta(minutes=5)


class Contract(BaseModel):
    """Base of every contract model: unknown fields refused, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def controleer_tijdstip(waarde: datetime, veld: str) -> datetime:
    """A contract moment is timezone-aware."""
    if waarde.tzinfo is None or waarde.utcoffset() is None:
        raise ValueError(f"{veld}: moet een tijdzone hebben (bijv. +01:00)")
    return waarde


class Melder(Contract):
    soort: MelderSoort
    beroepsgroep: Beroepsgroep | None = None
    meldnorm: Annotated[int, Field(ge=1, le=3)] | None = None
    naam: Tekst | None = None
    telefoon: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    blijft_betrokken: bool = False
    anonimiteit_gevraagd: bool = False
    eenmalig_contact: bool = False

    @model_validator(mode="after")
    def _velden_per_soort(self) -> Self:
        if self.soort is MelderSoort.PROFESSIONAL:
            for veld in ("beroepsgroep", "meldnorm"):
                if getattr(self, veld) is None:
                    raise ValueError(f"melder.{veld}: verplicht voor een professional")
        else:
            for veld in ("beroepsgroep", "meldnorm"):
                if getattr(self, veld) is not None:
                    raise ValueError(f"melder.{veld}: niet toegestaan voor een burger")
            if self.blijft_betrokken:
                raise ValueError("melder.blijft_betrokken: alleen voor een professional")
        return self


class Betrokkene(Contract):
    rol: Rol
    voornaam: Tekst | None = None
    achternaam: Tekst | None = None
    geboortedatum: date | None = None
    bsn: Bsn | None = None

    @model_validator(mode="after")
    def _identificeerbaar(self) -> Self:
        if self.bsn is None and not (self.achternaam or self.voornaam):
            raise ValueError("betrokkene: een bsn of een naam is verplicht")
        return self

    def is_minderjarig_op(self, dag: date) -> bool:
        """Under 18 on `dag`; unknown date of birth counts as a minor only for a `kind`."""
        if self.geboortedatum is None:
            return self.rol is Rol.KIND
        g = self.geboortedatum
        leeftijd = dag.year - g.year - ((dag.month, dag.day) < (g.month, g.day))
        return leeftijd < 18


class Zorgen(Contract):
    vormen: Annotated[list[Geweldsvorm], Field(min_length=1)]
    duur: Duur | None = None
    omschrijving: Tekst | None = None
    acuut_vermoeden: bool = False
    structureel_vermoeden: bool = False
    disclosure: bool = False


class Melding(Contract):
    melding_id: MeldingId
    regio: Regio
    ontvangen_op: datetime
    melder: Melder
    betrokkenen: Annotated[list[Betrokkene], Field(min_length=1, max_length=50)]
    zorgen: Zorgen

    @field_validator("ontvangen_op")
    @classmethod
    def _ontvangen_op(cls, waarde: datetime, info: ValidationInfo) -> datetime:
        controleer_tijdstip(waarde, "ontvangen_op")
        nu = (info.context or {}).get("nu")
        if nu is not None and waarde > nu + KLOKMARGE:
            raise ValueError("ontvangen_op: mag niet in de toekomst liggen")
        return waarde

    @classmethod
    def ontvang(cls, gegevens: Any, nu: datetime | None = None) -> Melding:
        """Validate a new melding at intake: every rule, including 'not in the future'.

        The future check needs a clock, so it runs only here (client, CLI, tests) and not when a
        worker decodes a melding from a history: a worker whose clock lags the client's must never
        be unable to read a workflow's input.
        """
        context = {"nu": nu or datetime.now(UTC)}
        if isinstance(gegevens, (str, bytes)):
            return cls.model_validate_json(gegevens, context=context)
        if isinstance(gegevens, Melding):
            gegevens = gegevens.model_dump()
        return cls.model_validate(gegevens, context=context)

    def heeft_minderjarige(self) -> bool:
        """A betrokkene is a minor on the (local) day of receipt: the Raad is then asked."""
        dag = self.ontvangen_op.astimezone(AMSTERDAM).date()
        return any(b.is_minderjarig_op(dag) for b in self.betrokkenen)
