"""The value sets of docs/contract.md, as string enums: their value is the wire form."""

from __future__ import annotations

from enum import StrEnum


class MelderSoort(StrEnum):
    PROFESSIONAL = "professional"
    BURGER = "burger"


class Beroepsgroep(StrEnum):
    """CBS sectors of the professional melder."""

    GEZONDHEIDSZORG = "gezondheidszorg"
    GGZ = "ggz"
    KINDEROPVANG = "kinderopvang"
    ONDERWIJS = "onderwijs"
    LEERPLICHT = "leerplicht"
    JEUGDZORG = "jeugdzorg"
    MAATSCHAPPELIJKE_ONDERSTEUNING = "maatschappelijke_ondersteuning"
    POLITIE = "politie"
    JUSTITIE = "justitie"
    VEILIG_THUIS_ANDERE_REGIO = "veilig_thuis_andere_regio"
    OVERIG = "overig"


class MelderCategorie(StrEnum):
    """The melder's organisation (professional) or relation (burger), as CBS counts melders
    (docs/statistics.md; CBS's labels and codes: statistiek/definitie/codelijsten.toml)."""

    POLITIE = "politie"
    JUSTITIE_OVERIG = "justitie_overig"
    HUISARTS = "huisarts"
    ZIEKENHUIS = "ziekenhuis"
    JEUGDGEZONDHEIDSZORG = "jeugdgezondheidszorg"
    GGZ = "ggz"
    GEZONDHEIDSZORG_OVERIG = "gezondheidszorg_overig"
    ONDERWIJS = "onderwijs"
    LEERPLICHT = "leerplicht"
    KINDEROPVANG = "kinderopvang"
    JEUGDHULP = "jeugdhulp"
    SOCIAAL_WIJKTEAM = "sociaal_wijkteam"
    MAATSCHAPPELIJKE_ONDERSTEUNING_OVERIG = "maatschappelijke_ondersteuning_overig"
    VEILIG_THUIS = "veilig_thuis"
    PROFESSIONAL_OVERIG = "professional_overig"
    BETROKKENE_ZELF = "betrokkene_zelf"
    FAMILIE = "familie"
    BUREN_KENNISSEN = "buren_kennissen"
    BURGER_OVERIG = "burger_overig"


class MelderRol(StrEnum):
    """The melder's (or adviesvrager's) role as CBS counts it: a professional, or a citizen's
    relation to the household (domain/advies.py AdviesvragerRol has the same values)."""

    PROFESSIONAL = "professional"
    SLACHTOFFER = "slachtoffer"
    PLEGER = "pleger"
    FAMILIE = "familie"
    BUURT_OF_KENNIS = "buurt_of_kennis"
    OVERIG = "overig"
    ONBEKEND = "onbekend"


BURGER_CATEGORIEEN = frozenset(
    {
        MelderCategorie.BETROKKENE_ZELF,
        MelderCategorie.FAMILIE,
        MelderCategorie.BUREN_KENNISSEN,
        MelderCategorie.BURGER_OVERIG,
    }
)


class Rol(StrEnum):
    KIND = "kind"
    OUDER_VERZORGER = "ouder_verzorger"
    PARTNER = "partner"
    EX_PARTNER = "ex_partner"
    HUISGENOOT = "huisgenoot"
    OVERIG = "overig"


class Geweldsvorm(StrEnum):
    """CBS kinds of domestic violence and child abuse."""

    KINDERMISHANDELING = "kindermishandeling"
    PARTNERGEWELD = "partnergeweld"
    EX_PARTNERGEWELD = "ex_partnergeweld"
    GEWELD_TEGEN_OUDERS = "geweld_tegen_ouders"
    OUDERENMISHANDELING = "ouderenmishandeling"
    HUISELIJK_GEWELD_OVERIG = "huiselijk_geweld_overig"
    EERGERELATEERD_GEWELD = "eergerelateerd_geweld"
    MENSENHANDEL = "mensenhandel"
    OVERIG = "overig"


class Duur(StrEnum):
    """CBS duration classes of the concerns."""

    WEEK = "week"
    MAAND = "maand"
    HALF_JAAR = "half_jaar"
    JAAR = "jaar"
    VIJF_JAAR = "vijf_jaar"
    LANGER = "langer"


class Urgentie(StrEnum):
    SPOED = "spoed"
    HOOG = "hoog"
    NORMAAL = "normaal"


class Vervolg(StrEnum):
    """The besluit on the follow-up after the veiligheidsbeoordeling."""

    AFSLUITEN = "afsluiten"
    ADVIES = "advies"
    OVERDRACHT = "overdracht"
    VOORWAARDEN_EN_VERVOLG = "voorwaarden_en_vervolg"
    ONDERZOEK = "onderzoek"


DIENSTEN = frozenset({Vervolg.VOORWAARDEN_EN_VERVOLG, Vervolg.ONDERZOEK})


class DienstVervolg(StrEnum):
    """What follows a dienst (Stappenplan: overdragen aan ketenpartners, or closing)."""

    OVERDRACHT = "overdracht"
    AFSLUITEN = "afsluiten"


class KetenpartnerSoort(StrEnum):
    WIJKTEAM = "wijkteam"
    LOKAAL_VELD = "lokaal_veld"
    BETROKKEN_HULPVERLENING = "betrokken_hulpverlening"
    OVERIG = "overig"


class HulpSoort(StrEnum):
    """The type of help an overdracht hands over to, as CBS counts overdrachten (since issue 24,
    optional; CBS's labels and codes: statistiek/definitie/codelijsten.toml)."""

    VRIJWILLIG = "vrijwillig"
    JEUGDBESCHERMING = "jeugdbescherming"
    RAAD_VOOR_DE_KINDERBESCHERMING = "raad_voor_de_kinderbescherming"
    STRAFRECHT = "strafrecht"
    OPVANG = "opvang"
    OVERIG = "overig"


class ContactHuishouden(StrEnum):
    """Who contacts the household (Q&A 5)."""

    VEILIG_THUIS = "veilig_thuis"
    WIJKTEAM = "wijkteam"
    BETROKKEN_PROFESSIONAL = "betrokken_professional"


class AdviesAanMelder(StrEnum):
    """Q&A 9: voortzetten, aanpassen or uitbreiden met directe bemoeienis van Veilig Thuis."""

    VOORTZETTEN = "voortzetten"
    AANPASSEN = "aanpassen"
    UITBREIDEN = "uitbreiden"


class WijzeInformeren(StrEnum):
    """How a postponed informing of the household was done (Q&A 4)."""

    BERICHT = "bericht"
    GESPREK = "gesprek"


class Fase(StrEnum):
    INFORMATIE_VERZAMELEN = "informatie_verzamelen"
    WACHT_OP_TRIAGE = "wacht_op_triage"
    WACHT_OP_BESLUIT = "wacht_op_besluit"
    VOORWAARDEN_EN_VERVOLG = "voorwaarden_en_vervolg"
    ONDERZOEK = "onderzoek"
    MONITORING = "monitoring"
    # Issue 22: the zaak is at the ketenpartner, which has not accepted it yet (Q&A 25).
    WARME_OVERDRACHT = "warme_overdracht"
    AFGESLOTEN = "afgesloten"


class BronStatus(StrEnum):
    BEZIG = "bezig"
    ONTVANGEN = "ontvangen"
    NIET_ONTVANGEN = "niet_ontvangen"
    NIET_VAN_TOEPASSING = "niet_van_toepassing"


class TerugkoppelingSoort(StrEnum):
    EERSTE = "eerste"
    TWEEDE = "tweede"


class Einde(StrEnum):
    AFGESLOTEN = "afgesloten"
    ADVIES = "advies"
    OVERGEDRAGEN = "overgedragen"
    STABIEL_VEILIG = "stabiel_veilig"
    NIEUWE_MELDING = "nieuwe_melding"
