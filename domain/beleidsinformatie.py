"""Beleidsinformatie (issue 24): the pure rules that turn a case's facts into the values CBS
counts (docs/statistics.md). Our own codes only; CBS's codes and labels are in
statistiek/definitie/codelijsten.toml, applied when a file is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.advies import AdviesDuur, AdviesFase, AdviesStatus, Adviesvraag
from domain.melding import Melder
from domain.model import Model
from domain.waarden import Beroepsgroep, Geweldsvorm, MelderCategorie, MelderRol, MelderSoort

# A professional who gave no `categorie`: the category of the coarser `beroepsgroep`.
_PER_BEROEPSGROEP: dict[Beroepsgroep, MelderCategorie] = {
    Beroepsgroep.GEZONDHEIDSZORG: MelderCategorie.GEZONDHEIDSZORG_OVERIG,
    Beroepsgroep.GGZ: MelderCategorie.GGZ,
    Beroepsgroep.KINDEROPVANG: MelderCategorie.KINDEROPVANG,
    Beroepsgroep.ONDERWIJS: MelderCategorie.ONDERWIJS,
    Beroepsgroep.LEERPLICHT: MelderCategorie.LEERPLICHT,
    Beroepsgroep.JEUGDZORG: MelderCategorie.JEUGDHULP,
    Beroepsgroep.MAATSCHAPPELIJKE_ONDERSTEUNING: (
        MelderCategorie.MAATSCHAPPELIJKE_ONDERSTEUNING_OVERIG
    ),
    Beroepsgroep.POLITIE: MelderCategorie.POLITIE,
    Beroepsgroep.JUSTITIE: MelderCategorie.JUSTITIE_OVERIG,
    Beroepsgroep.VEILIG_THUIS_ANDERE_REGIO: MelderCategorie.VEILIG_THUIS,
    Beroepsgroep.OVERIG: MelderCategorie.PROFESSIONAL_OVERIG,
}


def melder_categorie(melder: Melder) -> MelderCategorie:
    """The melder's CBS category: as given, else derived from the beroepsgroep (a burger
    without one: `burger_overig`)."""
    if melder.categorie is not None:
        return melder.categorie
    if melder.soort is MelderSoort.BURGER:
        return MelderCategorie.BURGER_OVERIG
    return categorie_van_beroepsgroep(melder.beroepsgroep)


def categorie_van_beroepsgroep(beroepsgroep: Beroepsgroep | None) -> MelderCategorie:
    """The CBS category of a beroepsgroep (none: a citizen, `burger_overig`)."""
    if beroepsgroep is None:
        return MelderCategorie.BURGER_OVERIG
    return _PER_BEROEPSGROEP[beroepsgroep]


# A citizen who gave no `rol`: what the category says of the relation (the melder who is one
# of the betrokkenen may be slachtoffer or pleger: unknown).
_ROL_PER_CATEGORIE: dict[MelderCategorie, MelderRol] = {
    MelderCategorie.FAMILIE: MelderRol.FAMILIE,
    MelderCategorie.BUREN_KENNISSEN: MelderRol.BUURT_OF_KENNIS,
    MelderCategorie.BETROKKENE_ZELF: MelderRol.ONBEKEND,
    MelderCategorie.BURGER_OVERIG: MelderRol.OVERIG,
}


def melder_rol(melder: Melder) -> MelderRol:
    """The melder's CBS role: as given, else `professional` or the relation its category says."""
    if melder.rol is not None:
        return melder.rol
    if melder.soort is MelderSoort.PROFESSIONAL:
        return MelderRol.PROFESSIONAL
    return _ROL_PER_CATEGORIE.get(melder_categorie(melder), MelderRol.OVERIG)


class DienstUitkomst(StrEnum):
    """The outcome of a dienst as CBS counts the outcomes of onderzoeken."""

    BEVESTIGD = "bevestigd"
    NIET_BEVESTIGD = "niet_bevestigd"
    WEERLEGD = "weerlegd"


def dienst_uitkomst(geweld_vastgesteld: bool | None) -> DienstUitkomst:
    """`geweld_vastgesteld` of the dienst's afronding: true, unknown (neither shown nor ruled
    out) or false."""
    if geweld_vastgesteld is None:
        return DienstUitkomst.NIET_BEVESTIGD
    return DienstUitkomst.BEVESTIGD if geweld_vastgesteld else DienstUitkomst.WEERLEGD


class Eerdere(StrEnum):
    """A melding against the household's history (CBS: eerdere betrokkenheid Veilig Thuis)."""

    EERSTE = "eerste"
    HERMELDING_EEN = "hermelding_een"
    HERMELDING_MEERDERE = "hermelding_meerdere"
    VERVOLG_TIJDENS_BEOORDELING = "vervolg_tijdens_beoordeling"
    VERVOLG_NA_BEOORDELING = "vervolg_na_beoordeling"
    VERVOLG_TIJDENS_MONITORING = "vervolg_tijdens_monitoring"
    NIET_INGEDEELD = "niet_ingedeeld"


VERVOLGMELDINGEN = frozenset(
    {
        Eerdere.VERVOLG_TIJDENS_BEOORDELING,
        Eerdere.VERVOLG_NA_BEOORDELING,
        Eerdere.VERVOLG_TIJDENS_MONITORING,
    }
)


@dataclass(frozen=True)
class EerdereCasus:
    """An earlier melding of the household (matched on a BSN), as the statistics know it
    (`casus` None: a melding from before the statistics, without a row)."""

    casus: str | None
    open: bool
    beoordeeld: bool
    in_monitoring: bool


def deel_in(
    eerdere: Sequence[EerdereCasus], bekende_betrokkenen: int, alleen_op_naam: bool
) -> tuple[Eerdere, str | None]:
    """Classify a melding; `eerdere` oldest first. With an open earlier case it is a
    vervolgmelding of the most recent one (and joins its casus, returned); with closed ones
    only a hermelding (one or more of its betrokkenen known); without any, a first melding,
    unless a name matched without a BSN: then it is not classified (a person must look)."""
    open_ = [e for e in eerdere if e.open]
    if open_:
        laatste = open_[-1]
        if not laatste.beoordeeld:
            soort = Eerdere.VERVOLG_TIJDENS_BEOORDELING
        elif laatste.in_monitoring:
            soort = Eerdere.VERVOLG_TIJDENS_MONITORING
        else:
            soort = Eerdere.VERVOLG_NA_BEOORDELING
        return soort, laatste.casus
    if eerdere:
        soort = Eerdere.HERMELDING_MEERDERE if bekende_betrokkenen > 1 else Eerdere.HERMELDING_EEN
        return soort, None
    return (Eerdere.NIET_INGEDEELD if alleen_op_naam else Eerdere.EERSTE), None


class AdviesUitkomst(StrEnum):
    AFGESLOTEN = "afgesloten"
    OMGEZET = "omgezet"


class AdviesInformatie(Model, frozen=True):
    """What the statistics keep of a finished advies (the input of activity
    `leg_advies_vast`): codes, moments and counts only, never the question, the advice, a name
    or a conversation. `rol`, `organisatie`, `aard` and `duur` are the adviesvrager items CBS
    counts, as the closing gave them; an omzetting gives none, so they are derived from the
    adviesvraag (soort, beroepsgroep, vormen) and the number of conversations."""

    advies_id: str
    regio: str
    ontvangen_op: datetime
    afgesloten_op: datetime
    uitkomst: AdviesUitkomst
    adviesvrager_soort: MelderSoort
    anoniem: bool
    rol: MelderRol
    organisatie: MelderCategorie
    aard: list[Geweldsvorm]
    duur: AdviesDuur | None
    gesprekken: int
    vertrouwensarts: bool


def advies_informatie(vraag: Adviesvraag, stand: AdviesStatus) -> AdviesInformatie:
    """The beleidsinformatie of an advies that left its open phase (closed or omgezet)."""
    if stand.fase is AdviesFase.OPEN or stand.afgesloten_op is None:
        raise ValueError("advies_informatie: het advies is nog open")
    vrager = vraag.adviesvrager
    a = stand.afsluiting
    duur: AdviesDuur | None
    if a is not None:
        rol = MelderRol(a.rol.value)
        organisatie = (
            categorie_van_beroepsgroep(a.organisatie)
            if a.organisatie is not None
            else MelderCategorie.BURGER_OVERIG
        )
        aard, duur = list(a.aard), a.duur
    else:
        professional = vrager.soort is MelderSoort.PROFESSIONAL
        rol = MelderRol.PROFESSIONAL if professional else MelderRol.ONBEKEND
        organisatie = categorie_van_beroepsgroep(vrager.beroepsgroep)
        aard = list(vraag.vormen)
        duur = (
            None
            if not stand.gesprekken
            else AdviesDuur.EENMALIG_CONTACT
            if len(stand.gesprekken) == 1
            else AdviesDuur.MEERDERE_GESPREKKEN
        )
    return AdviesInformatie(
        advies_id=vraag.advies_id,
        regio=vraag.regio,
        ontvangen_op=vraag.ontvangen_op,
        afgesloten_op=stand.afgesloten_op,
        uitkomst=AdviesUitkomst.AFGESLOTEN if a is not None else AdviesUitkomst.OMGEZET,
        adviesvrager_soort=vrager.soort,
        anoniem=vrager.anoniem,
        rol=rol,
        organisatie=organisatie,
        aard=aard,
        duur=duur,
        gesprekken=len(stand.gesprekken),
        vertrouwensarts=stand.vertrouwensarts_geraadpleegd,
    )


def partnersoort(gegevens: dict[str, Any]) -> str | None:
    """The kind of the ketenpartner (wijkteam, …): never its name."""
    partner = gegevens.get("ketenpartner")
    return str(partner["soort"]) if isinstance(partner, dict) and "soort" in partner else None


def partnerhulp(gegevens: dict[str, Any]) -> str | None:
    """The type of help of the overdracht (None: not given, a besluit from before issue 24's
    `Ketenpartner.hulp`)."""
    partner = gegevens.get("ketenpartner")
    hulp = partner.get("hulp") if isinstance(partner, dict) else None
    return str(hulp) if hulp is not None else None


def monitoring_uitkomst(gegevens: dict[str, Any]) -> str:
    """A monitoring check's outcome as the statistics count it."""
    if gegevens.get("stabiel_veilig"):
        return "stabiel_veilig"
    return "nieuwe_melding" if gegevens.get("nieuwe_melding_nodig") else "niet_stabiel"
