"""Protocol rules of docs/architecture.md as small functions on plain values.

The `weiger_…` functions return the reason a human decision is refused (None: accepted); the
workflow's update validators raise it. Each rule names its source in the seeds.
"""

from __future__ import annotations

from domain.besluiten import (
    Besluit,
    DienstAfronding,
    Ketenpartner,
    MonitoringUitkomst,
    Triage,
)
from domain.melding import Melding
from domain.professionals import weiger_onbekende
from domain.uitwisseling import BronAntwoord, RegisterResultaat
from domain.waarden import (
    DIENSTEN,
    AdviesAanMelder,
    DienstVervolg,
    Einde,
    Fase,
    MelderSoort,
    Urgentie,
    Vervolg,
)

_IN_DIENST = (Fase.VOORWAARDEN_EN_VERVOLG, Fase.ONDERZOEK)


def weiger_triage(fase: Fase, besluit_genomen: bool) -> str | None:
    """docs/contract.md: a triage is accepted only before the besluit (a later one replaces it)."""
    if besluit_genomen or fase not in (
        Fase.INFORMATIE_VERZAMELEN,
        Fase.WACHT_OP_TRIAGE,
        Fase.WACHT_OP_BESLUIT,
    ):
        return "triage: alleen voor het besluit over de vervolgstap (Q&A 3)"
    return None


def spoed(triage: Triage | None) -> bool:
    """Q&A 25: "of eerder indien er sprake is van een (crisis)situatie die spoed vereist";
    Werkwijze: "dagelijks en zo spoedig mogelijk". A triage of urgentie spoed, or one
    that finds the danger needs directe interventie, is such a situation."""
    return triage is not None and (
        triage.urgentie is Urgentie.SPOED or triage.directe_interventie_nodig
    )


def weiger_besluit_tijdens_verzamelen(fase: Fase, triage: Triage | None = None) -> str | None:
    """Q&A 7, 21: the besluit rests on the gathered information, so it waits for the sources
    (each bounded by the end of the next werkdag, so this never holds up the 5-werkdagen term);
    not after a spoed triage (Q&A 25, Werkwijze): then the besluit is taken at once and the
    sources are recorded as they arrive."""
    if fase is Fase.INFORMATIE_VERZAMELEN and not spoed(triage):
        return "besluit: de informatie wordt nog verzameld (register, Raad, politie; Q&A 7)"
    return None


def verandert_beeld(
    register: RegisterResultaat | None = None, antwoord: BronAntwoord | None = None
) -> bool:
    """A source answering after a spoed besluit tells something the besluit could not weigh:
    the register finds earlier meldingen (Q&A 21, 27), or a partner knows the household (the
    politie or the Raad reports, Q&A 3). The team is signalled to look again (Q&A 25: Veilig
    Thuis keeps "een actueel beeld van de veiligheid")."""
    if register is not None and register.aantal > 0:
        return True
    return antwoord is not None and antwoord.bekend


def reden_veilig_thuis_houdt_casus(triage: Triage, besluit: Besluit) -> str | None:
    """Q&A 25: the triage conclusions and promises under which Veilig Thuis keeps the case."""
    if triage.directe_interventie_nodig:
        return "de veiligheid vraagt om directe interventie"
    if triage.structurele_onveiligheid:
        return "er is sprake van structurele onveiligheid"
    if not triage.informatie_toereikend:
        return "de melding bevat onvoldoende informatie om een vervolgtraject te kiezen"
    if triage.nader_onderzoek_nodig:
        return "het vermoeden vraagt om nader onderzoek"
    if besluit.anonimiteit_toegezegd:
        return "anonimiteit ten opzichte van het gezin is toegezegd aan de melder"
    if besluit.raad_verzoek_tot_onderzoek:
        return "Veilig Thuis doet een verzoek tot onderzoek bij de Raad voor de Kinderbescherming"
    return None


def weiger_besluit(
    melding: Melding, triage: Triage | None, besluit: Besluit, al_genomen: bool
) -> str | None:
    """docs/contract.md (Besluit): refused before a triage, twice, or against Q&A 9 and 25."""
    if al_genomen:
        return "besluit: er is al een besluit genomen"
    if triage is None:
        return "besluit: eerst de triage registreren (Q&A 3: beoordelen, dan besluiten)"
    reden = reden_veilig_thuis_houdt_casus(triage, besluit)
    if reden is not None and besluit.vervolg not in DIENSTEN:
        return (
            f"besluit.vervolg: {besluit.vervolg.value} is niet toegestaan: {reden}; Veilig Thuis "
            "houdt de casus (voorwaarden_en_vervolg of onderzoek) (Q&A 25)"
        )
    melder = melding.melder
    professioneel_betrokken = melder.soort is MelderSoort.PROFESSIONAL and melder.blijft_betrokken
    if professioneel_betrokken and besluit.advies_aan_melder is None:
        return (
            "besluit.advies_aan_melder: verplicht, de melder blijft betrokken als professional "
            "(Q&A 9)"
        )
    if not professioneel_betrokken and besluit.advies_aan_melder is not None:
        return (
            "besluit.advies_aan_melder: alleen voor een professional die betrokken blijft (Q&A 9)"
        )
    if besluit.advies_aan_melder is AdviesAanMelder.UITBREIDEN and besluit.vervolg not in DIENSTEN:
        # Q&A 9: "uit te breiden met directe bemoeienis van Veilig Thuis"; the melder may not
        # hear that while the besluit closes the case (afsluiten, advies, overdracht). Q&A 19:
        # Veilig Thuis takes the responsibility itself when the help involved cannot suffice.
        return (
            f"besluit.advies_aan_melder: uitbreiden (directe bemoeienis van Veilig Thuis) past "
            f"niet bij vervolg {besluit.vervolg.value}, dat de casus sluit: kies "
            "voorwaarden_en_vervolg of onderzoek, of een ander advies (Q&A 9, 19)"
        )
    onbekend = weiger_onbekende(melding.professionals, besluit.professionals_informeren)
    if onbekend is not None:
        return f"besluit.{onbekend}"
    return None


def weiger_dienst_afronding(fase: Fase) -> str | None:
    if fase not in _IN_DIENST:
        return "dienst: afronden kan alleen tijdens voorwaarden_en_vervolg of onderzoek"
    return None


def weiger_monitoring(
    check_open: bool,
    afronding: DienstAfronding | None = None,
    uitkomst: MonitoringUitkomst | None = None,
) -> str | None:
    """A check is registered while one is open; when veiligheidsvoorwaarden were agreed, the
    check says of each of them whether it is met (Q&A 23, 24: monitoring "op de
    veiligheidsvoorwaarden")."""
    if not check_open:
        return "monitoring: er staat geen monitoringsmoment open"
    if afronding is None or uitkomst is None:
        return None
    aantal = len(afronding.veiligheidsvoorwaarden)
    getoetst = sorted(v.voorwaarde for v in uitkomst.voorwaarden)
    if getoetst != list(range(1, aantal + 1)):
        return (
            f"monitoring.voorwaarden: geef van elk van de {aantal} afgesproken "
            "veiligheidsvoorwaarden (1 tot en met het aantal) aan of die is nagekomen (Q&A 24)"
        )
    return None


def monitoring_klaar(uitkomst: MonitoringUitkomst, nummer: int, afgesproken: int) -> bool:
    """Q&A 23: contact "totdat het stabiel veilig is": monitoring ends at a stably safe check
    once the agreed moments are past (by default the 12-month check, Werkwijze); a check that
    needs a new melding never ends it (the new melding is linked, monitoring goes on)."""
    return uitkomst.stabiel_veilig and nummer >= afgesproken


def weiger_huishouden_informeren(uitgesteld: bool, geinformeerd: bool) -> str | None:
    """Q&A 4: the household is informed "in alle gevallen"; this update records a postponed
    informing as done, once."""
    if not uitgesteld:
        return "huishouden: het informeren is niet uitgesteld"
    if geinformeerd:
        return "huishouden: is al geinformeerd"
    return None


def voorgestelde_ketenpartner(register: RegisterResultaat | None) -> Ketenpartner | None:
    """Q&A 10: an earlier case handed over goes, after triage, to that same ketenpartner. Q&A
    10 speaks of the same household: an earlier melding matched on name and birth date only
    (`mogelijk`) may be another household, so it never proposes a ketenpartner (issue 21.8)."""
    if register is None:
        return None
    overgedragen = [e for e in register.eerdere if e.ketenpartner is not None and not e.mogelijk]
    if not overgedragen:
        return None
    return max(overgedragen, key=lambda e: e.ontvangen_op).ketenpartner


def einde_na_besluit(vervolg: Vervolg) -> Einde | None:
    """Advies, afsluiten and overdracht end after the eerste terugkoppeling (Q&A 3)."""
    return {
        Vervolg.AFSLUITEN: Einde.AFGESLOTEN,
        Vervolg.ADVIES: Einde.ADVIES,
        Vervolg.OVERDRACHT: Einde.OVERGEDRAGEN,
    }.get(vervolg)


def monitoring_nodig(vervolg: Vervolg, afronding: DienstAfronding) -> bool:
    """Q&A 24, 26: monitored after Veilig Thuis set veiligheidsvoorwaarden or did onderzoek;
    an onderzoek that found no violence closes the case instead."""
    if afronding.veiligheidsvoorwaarden_gesteld:
        return True
    return vervolg is Vervolg.ONDERZOEK and afronding.geweld_vastgesteld is not False


def vernietigingsrecht_na_dienst(besluit: Besluit, afronding: DienstAfronding) -> bool:
    """Q&A 28: the dienst's afronding finds no violence and the household was not yet pointed
    to its right (the besluit did not find it): Veilig Thuis "actief wijzen op dit recht"."""
    return vernietigingsrecht(None, afronding) and not vernietigingsrecht(besluit)


def einde_na_dienst(afronding: DienstAfronding) -> Einde:
    if afronding.vervolg is DienstVervolg.OVERDRACHT:
        return Einde.OVERGEDRAGEN
    return Einde.AFGESLOTEN


def vernietigingsrecht(besluit: Besluit | None, afronding: DienstAfronding | None = None) -> bool:
    """Q&A 28: no domestic violence or child abuse found: the betrokkenen are pointed to their
    right to have the dossier destroyed, and such a request is granted."""
    if besluit is not None and besluit.geweld_vastgesteld is False:
        return True
    return afronding is not None and afronding.geweld_vastgesteld is False
