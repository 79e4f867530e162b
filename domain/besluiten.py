"""The human decisions of docs/contract.md (updates) and the radar signal, as models."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Any, Self

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from domain.kenmerken import bij_intake, medewerker_fout
from domain.melding import MeldingId, Ontvangen
from domain.model import Model
from domain.professionals import Informeren, dubbel
from domain.regio import Regio
from domain.tekst import Naam, Tekst
from domain.waarden import (
    AdviesAanMelder,
    ContactHuishouden,
    DienstVervolg,
    HulpSoort,
    KetenpartnerSoort,
    Rol,
    Urgentie,
    Vervolg,
    WijzeInformeren,
)

# An employee id is in clear in the audit and in Temporal: at intake `mw-0042`-like only
# (domain/kenmerken.py); a history decodes under the structural pattern alone.
Medewerker = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$"), bij_intake(medewerker_fout)]


class Triage(Model, frozen=True):
    """Outcome of the triage instrument: screening parts A, B and C, and the conclusions."""

    medewerker: Medewerker
    acute_onveiligheid: bool
    directe_interventie_nodig: bool
    structurele_onveiligheid: bool
    schadelijke_leefsituatie: bool
    informatie_toereikend: bool
    nader_onderzoek_nodig: bool
    urgentie: Urgentie
    onderbouwing: Tekst


class Ketenpartner(Model, frozen=True):
    soort: KetenpartnerSoort
    naam: Naam
    # Since issue 24, optional: the type of help the case is handed over to (CBS counts it).
    hulp: HulpSoort | None = None

    @model_serializer(mode="wrap")
    def _zonder_lege_hulp(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Without `hulp`, the same JSON as before it existed (messages, payloads, audit)."""
        data: dict[str, Any] = handler(self)
        if self.hulp is None:
            data.pop("hulp", None)
        return data


class Besluit(Model, frozen=True):
    medewerker: Medewerker
    vervolg: Vervolg
    ketenpartner: Ketenpartner | None = None
    contact_huishouden: ContactHuishouden
    anonimiteit_toegezegd: bool = False
    raad_verzoek_tot_onderzoek: bool = False
    politie_informeren: bool = False
    geweld_vastgesteld: bool | None = None
    advies_aan_melder: AdviesAanMelder | None = None
    huishouden_informeren_uitstellen: Tekst | None = Field(
        default=None, description="reason to postpone informing the household (Q&A 4)"
    )
    onderbouwing: Tekst
    # Since v7 (issue 22, Q&A 10): the melding's professionals to inform, each with its reason.
    professionals_informeren: Informeren = Field(
        default_factory=list,
        description="professionals of the melding (1-based) informed, each with an onderbouwing",
    )

    @model_validator(mode="after")
    def _samenhang(self) -> Self:
        if self.vervolg is Vervolg.OVERDRACHT and self.ketenpartner is None:
            raise ValueError("ketenpartner: verplicht bij vervolg overdracht (Q&A 10)")
        if self.geweld_vastgesteld is False and self.vervolg is not Vervolg.AFSLUITEN:
            raise ValueError("geweld_vastgesteld: false is alleen toegestaan bij vervolg afsluiten")
        fout = dubbel(self.professionals_informeren)
        if fout is not None:
            raise ValueError(fout)
        return self

    @model_serializer(mode="wrap")
    def _zonder_lege_professionals(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Without professionals to inform, the same JSON as before the field existed (the
        audit trail, the overdracht's payloads)."""
        data: dict[str, Any] = handler(self)
        if not self.professionals_informeren:
            data.pop("professionals_informeren", None)
        return data


class Veiligheidsvoorwaarde(Model, frozen=True):
    """One condition agreed with the household and the professionals (Q&A 14, 22, 24): what
    must hold, with whom it was agreed (roles or organisations, no names needed) and how it is
    checked at monitoring (Q&A 23)."""

    wat: Tekst
    met_wie: Tekst
    hoe_getoetst: Tekst


# Months after the dienst of the agreed monitoring moments (Q&A 23: "Bij de start maakt Veilig
# Thuis afspraken over de momenten"): strictly ascending, each within two years.
Monitoringmaanden = Annotated[
    list[Annotated[int, Field(ge=1, le=24)]], Field(min_length=1, max_length=8)
]


class DienstAfronding(Model, frozen=True):
    medewerker: Medewerker
    veiligheidsvoorwaarden_gesteld: bool
    geweld_vastgesteld: bool | None = None
    vervolg: DienstVervolg
    ketenpartner: Ketenpartner | None = None
    samenvatting_voor_melder: Tekst
    veiligheidsvoorwaarden: Annotated[list[Veiligheidsvoorwaarde], Field(max_length=20)] = Field(
        default_factory=list, description="the agreed conditions, checked at monitoring (Q&A 24)"
    )
    monitoring_maanden: Monitoringmaanden | None = Field(
        default=None, description="agreed monitoring moments in months; default 3 and 12"
    )

    @model_validator(mode="after")
    def _samenhang(self) -> Self:
        if self.vervolg is DienstVervolg.OVERDRACHT and self.ketenpartner is None:
            raise ValueError("ketenpartner: verplicht bij vervolg overdracht")
        if self.veiligheidsvoorwaarden and not self.veiligheidsvoorwaarden_gesteld:
            raise ValueError(
                "veiligheidsvoorwaarden: alleen met veiligheidsvoorwaarden_gesteld true"
            )
        maanden = self.monitoring_maanden
        if maanden is not None and any(a >= b for a, b in pairwise(maanden)):
            raise ValueError("monitoring_maanden: oplopend, elk moment een keer")
        return self


class VoorwaardeToets(Model, frozen=True):
    """At a monitoring check: whether agreed veiligheidsvoorwaarde n (1-based) is met."""

    voorwaarde: Annotated[int, Field(ge=1, le=20)]
    nagekomen: bool
    toelichting: Tekst | None = None


class MonitoringUitkomst(Model, frozen=True):
    medewerker: Medewerker
    stabiel_veilig: bool
    herstel_gaande: bool
    nieuwe_melding_nodig: bool = False
    toelichting: Tekst
    voorwaarden: Annotated[list[VoorwaardeToets], Field(max_length=20)] = Field(
        default_factory=list, description="per agreed veiligheidsvoorwaarde: met or not"
    )

    @model_validator(mode="after")
    def _samenhang(self) -> Self:
        if self.stabiel_veilig and self.nieuwe_melding_nodig:
            raise ValueError("nieuwe_melding_nodig: kan niet samen met stabiel_veilig")
        nummers = [v.voorwaarde for v in self.voorwaarden]
        if len(set(nummers)) != len(nummers):
            raise ValueError("voorwaarden: elke voorwaarde ten hoogste een keer")
        if self.stabiel_veilig and any(not v.nagekomen for v in self.voorwaarden):
            raise ValueError(
                "stabiel_veilig: niet zolang een veiligheidsvoorwaarde niet is nagekomen (Q&A 23)"
            )
        return self


class HuishoudenInformeren(Model, frozen=True):
    """The postponed informing of the household, done (Q&A 4: "in alle gevallen"): `bericht`
    sends the household message now; `gesprek` records that a medewerker told them in person."""

    medewerker: Medewerker
    wijze: WijzeInformeren
    toelichting: Tekst


class Koppeling(Model, frozen=True):
    """Radar: a newer melding about the same household (no case content)."""

    melding_id: MeldingId
    regio: Regio
    ontvangen_op: Ontvangen


class VernietigingsVerzoek(Model, frozen=True):
    melding_id: MeldingId
    verzoeker_rol: Rol
    ontvangen_op: Ontvangen


class Weigeringsgrond(StrEnum):
    """The legal grounds on which a request to destroy a dossier may be refused (Jeugdwet art.
    7.3.9, to which Wmo 2015 art. 5.3.5 points; AVG art. 17(3)); a refusal names one of them and
    a concrete onderbouwing (ECLI:NL:RBNHO:2021:5101)."""

    # Keeping it is of substantial interest to someone other than the requester.
    AANMERKELIJK_BELANG_ANDER = "aanmerkelijk_belang_ander"
    # Goed hulpverlenerschap: the care of a good care provider requires keeping it.
    GOED_HULPVERLENERSCHAP = "goed_hulpverlenerschap"
    # Another law requires keeping it (a legal obligation, a procedure).
    WETTELIJKE_PLICHT = "wettelijke_plicht"


# A refusal's onderbouwing is concrete: at least this many characters (a ground's name alone is
# not an onderbouwing).
ONDERBOUWING_MIN = 30


class VernietigingsBesluit(Model, frozen=True):
    medewerker: Medewerker
    toegekend: bool
    reden: Tekst
    # Since v7, required when refused: the legal ground and its concrete onderbouwing (free
    # text: encrypted in the history, the audit trail and the letter to the requester).
    grond: Weigeringsgrond | None = None
    onderbouwing: Tekst | None = None


def weiger_grond(besluit: VernietigingsBesluit) -> str | None:
    """Why a decision is refused for its ground (None: in order)."""
    if besluit.toegekend:
        if besluit.grond is not None:
            return "grond: alleen bij een weigering (het verzoek wordt toegekend)"
        return None
    if besluit.grond is None:
        keuzes = ", ".join(g.value for g in Weigeringsgrond)
        return f"grond: verplicht bij een weigering; een van {keuzes}"
    if besluit.onderbouwing is None or len(besluit.onderbouwing.strip()) < ONDERBOUWING_MIN:
        return (
            f"onderbouwing: verplicht bij een weigering, concreet (ten minste {ONDERBOUWING_MIN} "
            "tekens): waarom deze grond hier geldt"
        )
    return None


class VernietigingsResultaat(Model, extra="ignore"):
    melding_id: str
    toegekend: bool
    uitgevoerd_op: datetime | None = None
    reden: str
    # Since v7: the ground of a refusal, and how the requester was told (a BezorgUitkomst value).
    grond: Weigeringsgrond | None = None
    bericht: str | None = None
