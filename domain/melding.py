"""The melding: the workflow input of docs/contract.md, with every validation it names.

Structural rules hold whenever a melding is validated; the contract rules that may change (the
region list, the time bounds, the size limit, the melding_id rule of domain/kenmerken.py) only
at intake:
`Melding.ontvang` and domain.invoer (see there).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from domain.adres import Adres
from domain.bsn import controleer_bsn
from domain.grenzen import (
    KLOKMARGE,
    MELDING_MAX_BYTES,
    controleer_geboortedatum,
    controleer_ontvangen_op,
    controleer_tijdstip,
)
from domain.invoer import intake_moment, valideer_streng
from domain.kenmerken import bij_intake, melding_id_fout
from domain.model import Model
from domain.professionals import Professionals
from domain.regio import Regio
from domain.tekst import Email, Naam, Tekst, Telefoon
from domain.waarden import (
    BURGER_CATEGORIEEN,
    Beroepsgroep,
    Duur,
    Geweldsvorm,
    MelderCategorie,
    MelderRol,
    MelderSoort,
    Rol,
)
from domain.werkdagen import AMSTERDAM

__all__ = [
    "KLOKMARGE",
    "Betrokkene",
    "Melder",
    "Melding",
    "MeldingId",
    "Ontvangen",
    "Regio",
    "Tekst",
    "Zorgen",
    "controleer_tijdstip",
]

# A melding_id becomes part of workflow IDs (contract/ids.py): letters, digits, - and _ only.
# At intake it must also be a registration number, no name or BSN (domain/kenmerken.py).
MELDING_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
MeldingId = Annotated[str, Field(pattern=MELDING_ID_PATTERN), bij_intake(melding_id_fout)]
Bsn = Annotated[str, AfterValidator(controleer_bsn)]
Ontvangen = Annotated[datetime, AfterValidator(controleer_ontvangen_op)]
Geboortedatum = Annotated[date, AfterValidator(controleer_geboortedatum)]


class Melder(Model, frozen=True):
    soort: MelderSoort
    beroepsgroep: Beroepsgroep | None = None
    meldnorm: Annotated[int, Field(ge=1, le=3)] | None = None
    naam: Naam | None = None
    telefoon: Telefoon | None = None
    email: Email | None = None
    # Where a letter goes when there is no email address (issue 20).
    adres: Adres | None = None
    blijft_betrokken: bool = False
    anonimiteit_gevraagd: bool = False
    eenmalig_contact: bool = False
    # Since issue 24, optional: the CBS melder category (organisation or relation); without it
    # the statistics derive one from `beroepsgroep` (domain/beleidsinformatie.py).
    categorie: MelderCategorie | None = None
    # Since issue 24, optional: the melder's role (CBS); without it the statistics derive it.
    rol: MelderRol | None = None

    @model_validator(mode="after")
    def _velden_per_soort(self) -> Self:
        if self.categorie is not None and (self.categorie in BURGER_CATEGORIEEN) != (
            self.soort is MelderSoort.BURGER
        ):
            raise ValueError(
                f"melder.categorie: {self.categorie.value} past niet bij {self.soort.value}"
            )
        if self.rol is not None and (self.rol is MelderRol.PROFESSIONAL) != (
            self.soort is MelderSoort.PROFESSIONAL
        ):
            raise ValueError(f"melder.rol: {self.rol.value} past niet bij {self.soort.value}")
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


class Betrokkene(Model, frozen=True):
    rol: Rol
    voornaam: Naam | None = None
    achternaam: Naam | None = None
    geboortedatum: Geboortedatum | None = None
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


class Zorgen(Model, frozen=True):
    vormen: Annotated[list[Geweldsvorm], Field(min_length=1)]
    duur: Duur | None = None
    omschrijving: Tekst | None = None
    acuut_vermoeden: bool = False
    structureel_vermoeden: bool = False
    disclosure: bool = False

    @field_validator("vormen")
    @classmethod
    def _elke_vorm_eenmaal(cls, vormen: list[Geweldsvorm], info: ValidationInfo) -> Any:
        if intake_moment(info) is not None and len(set(vormen)) != len(vormen):
            raise ValueError("vormen: elke vorm ten hoogste een keer")
        return vormen


class Melding(Model, frozen=True):
    melding_id: MeldingId
    regio: Regio
    ontvangen_op: Ontvangen
    melder: Melder
    betrokkenen: Annotated[list[Betrokkene], Field(min_length=1, max_length=50)]
    zorgen: Zorgen
    # The household's postal address: its letter (Q&A 4, 7) goes there (issue 20).
    adres: Adres | None = None
    # Since v7 (issue 22, Q&A 10): the huisarts, JGZ, school or others around the child, whom
    # a besluit may inform (domain/professionals.py).
    professionals: Professionals = Field(default_factory=list)

    MAX_BYTES: ClassVar[int] = MELDING_MAX_BYTES  # at intake (domain.invoer.valideer_streng)

    @classmethod
    def ontvang(cls, gegevens: Any, nu: datetime | None = None) -> Melding:
        """Validate a new melding at intake: every rule, including those that may change.

        The time bounds need a clock and the region list and other bounds may change, so they
        run only here (client, CLI, tests) and not when a worker decodes a melding from a
        history: a worker must always be able to read a workflow's input.
        """
        return valideer_streng(cls, gegevens, nu)

    @model_serializer(mode="wrap")
    def _zonder_lege_professionals(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Without professionals, the same JSON as before the field existed (the dossier,
        payloads, a previous release's strict intake)."""
        data: dict[str, Any] = handler(self)
        if not self.professionals:
            data.pop("professionals", None)
        return data

    def heeft_minderjarige(self) -> bool:
        """A betrokkene is a minor on the (local) day of receipt: the Raad is then asked."""
        dag = self.ontvangen_op.astimezone(AMSTERDAM).date()
        return any(b.is_minderjarig_op(dag) for b in self.betrokkenen)
