"""The advies: Veilig Thuis' first legal task ("Wettelijke taken: Advies geven"; in its
published werkwijze on veiligthuis.nl, "Adviseren en (zo nodig) ondersteunen"): a professional
or a citizen, possibly anonymous, asks what to do about (a suspicion of) domestic violence or
child abuse. "Een advies kan bestaan uit een éénmalig contact, maar kan ook leiden tot meerdere
gesprekken en ondersteuning"; "waar dat nodig is, wordt specifieke medische expertise van
vertrouwensartsen ingezet".

The adviesvraag starts an AdviesWorkflow; conversations, a vertrouwensarts consultation, the
closing (with the CBS items of the adviesvrager) and the omzetting into a melding are updates.
The rules that judge them are the functions at the bottom, on plain values.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from domain.besluiten import Medewerker
from domain.kenmerken import bij_intake, melding_id_fout
from domain.melding import MELDING_ID_PATTERN, Melding, Ontvangen
from domain.model import Model
from domain.regio import Regio
from domain.tekst import Email, Naam, Tekst, Telefoon
from domain.waarden import Beroepsgroep, Geweldsvorm, MelderSoort


def advies_id_fout(waarde: str) -> str | None:
    """The melding_id's rule (domain/kenmerken.py): a registration number, no name or BSN."""
    fout = melding_id_fout(waarde)
    return fout.replace("melding_id", "advies_id") if fout is not None else None


AdviesId = Annotated[str, Field(pattern=MELDING_ID_PATTERN), bij_intake(advies_id_fout)]


class AdviesvragerRol(StrEnum):
    """CBS: who asks for advice (a professional, or a citizen in relation to the household)."""

    PROFESSIONAL = "professional"
    SLACHTOFFER = "slachtoffer"
    PLEGER = "pleger"
    FAMILIE = "familie"
    BUURT_OF_KENNIS = "buurt_of_kennis"
    OVERIG = "overig"


class AdviesDuur(StrEnum):
    """CBS: one contact, or several conversations with support (werkwijze)."""

    EENMALIG_CONTACT = "eenmalig_contact"
    MEERDERE_GESPREKKEN = "meerdere_gesprekken"


class GesprekSoort(StrEnum):
    TELEFONISCH = "telefonisch"
    CHAT = "chat"
    VIDEO = "video"
    OP_LOCATIE = "op_locatie"


class AdviesFase(StrEnum):
    OPEN = "advies_open"
    AFGESLOTEN = "advies_afgesloten"
    OMGEZET = "advies_omgezet"


class Adviesvrager(Model, frozen=True):
    """Who asks. Anonymous: no name, phone or e-mail (Veilig Thuis still advises)."""

    soort: MelderSoort
    beroepsgroep: Beroepsgroep | None = None
    anoniem: bool = False
    naam: Naam | None = None
    telefoon: Telefoon | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _samenhang(self) -> Self:
        if self.soort is MelderSoort.PROFESSIONAL and self.beroepsgroep is None:
            raise ValueError("adviesvrager.beroepsgroep: verplicht voor een professional")
        if self.soort is MelderSoort.BURGER and self.beroepsgroep is not None:
            raise ValueError("adviesvrager.beroepsgroep: niet toegestaan voor een burger")
        if self.anoniem and (self.naam or self.telefoon or self.email):
            raise ValueError("adviesvrager: anoniem gaat niet samen met naam, telefoon of e-mail")
        return self


class Adviesvraag(Model, frozen=True):
    """The input of AdviesWorkflow. `vraag` is free text and may hold names: it stays in the
    (encrypted) payloads, never in IDs, search attributes, summaries or logs."""

    advies_id: AdviesId
    regio: Regio
    ontvangen_op: Ontvangen
    adviesvrager: Adviesvrager
    vraag: Tekst
    vormen: Annotated[list[Geweldsvorm], Field(max_length=9)] = Field(default_factory=list)


class Gesprek(Model, frozen=True):
    medewerker: Medewerker
    datum: date
    soort: GesprekSoort
    samenvatting: Tekst


class VertrouwensartsConsult(Model, frozen=True):
    """The medewerker records that a vertrouwensarts gave medical expertise, and its gist."""

    medewerker: Medewerker
    vertrouwensarts: Medewerker
    datum: date
    bevinding: Tekst


class AdviesAfsluiting(Model, frozen=True):
    """The advice given, and the CBS items of the adviesvrager: rol, organisatie, aard, duur."""

    medewerker: Medewerker
    advies: Tekst
    rol: AdviesvragerRol
    organisatie: Beroepsgroep | None = None
    aard: Annotated[list[Geweldsvorm], Field(min_length=1, max_length=9)]
    duur: AdviesDuur

    @model_validator(mode="after")
    def _organisatie(self) -> Self:
        if (self.rol is AdviesvragerRol.PROFESSIONAL) != (self.organisatie is not None):
            raise ValueError("organisatie: verplicht voor een professional, anders niet toegestaan")
        return self


class Omzetting(Model, frozen=True):
    """An advies that becomes a melding: the full melding, validated with the intake rules."""

    medewerker: Medewerker
    reden: Tekst
    melding: Melding


class GesprekRegel(Model, extra="ignore"):
    datum: date
    soort: GesprekSoort
    medewerker: str
    samenvatting: str


class AdviesStatus(Model, extra="ignore"):
    advies_id: str
    regio: str
    fase: AdviesFase
    ontvangen_op: datetime
    gesprekken: list[GesprekRegel] = Field(default_factory=list)
    vertrouwensarts_geraadpleegd: bool = False
    vertrouwensartsen: list[VertrouwensartsConsult] = Field(default_factory=list)
    lang_open: bool = False
    afsluiting: AdviesAfsluiting | None = None
    melding_id: str | None = None
    afgesloten_op: datetime | None = None


def weiger_afsluiting(
    afsluiting: AdviesAfsluiting, gesprekken: int, soort: MelderSoort
) -> str | None:
    """Why this closing does not fit the advies (None: it fits). The werkwijze: one contact is one
    conversation; several conversations are more than one; a professional asked as one."""
    if gesprekken == 0:
        return "sluit_advies: eerst een gesprek registreren (registreer_gesprek)"
    if afsluiting.duur is AdviesDuur.EENMALIG_CONTACT and gesprekken != 1:
        return f"sluit_advies: duur eenmalig_contact, maar er zijn {gesprekken} gesprekken"
    if afsluiting.duur is AdviesDuur.MEERDERE_GESPREKKEN and gesprekken < 2:
        return "sluit_advies: duur meerdere_gesprekken, maar er is een gesprek"
    if (soort is MelderSoort.PROFESSIONAL) != (afsluiting.rol is AdviesvragerRol.PROFESSIONAL):
        rol = afsluiting.rol.value
        return f"sluit_advies: rol {rol} past niet bij een adviesvrager ({soort.value})"
    return None


def weiger_omzetting(vraag: Adviesvraag, melding: Melding) -> str | None:
    """An omzetting keeps the region and comes after the adviesvraag."""
    if melding.regio != vraag.regio:
        return (
            f"zet_om_naar_melding: regio {melding.regio} is niet die van het advies ({vraag.regio})"
        )
    if melding.ontvangen_op < vraag.ontvangen_op:
        return "zet_om_naar_melding: de melding kan niet eerder ontvangen zijn dan de adviesvraag"
    return None
