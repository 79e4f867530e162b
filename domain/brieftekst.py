"""The words of a message (issue 20): the structured content of domain/berichten.py rendered
as Dutch prose, one paragraph per fact, for an email (plain text and HTML) and a letter.

Only what the bericht holds is said: no name of anyone but the addressee (the salutation),
never a BSN; the household's letter names the melder only as the bericht does ("anoniem", or
the kind and profession), so a promise of anonymity holds in every letter. One exception: a
professional's message (Q&A 10) names the child it is about, as the huisarts, JGZ or school
knows them (name and date of birth, read from the dossier at delivery); never the melder."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from domain.uitwisseling import BerichtSoort

ONDERWERP = {
    BerichtSoort.EERSTE_TERUGKOPPELING: "Terugkoppeling over uw melding bij Veilig Thuis",
    BerichtSoort.TWEEDE_TERUGKOPPELING: "Tweede terugkoppeling over uw melding bij Veilig Thuis",
    BerichtSoort.HUISHOUDEN_INFORMEREN: "Veilig Thuis heeft een melding over uw gezin ontvangen",
    BerichtSoort.HUISHOUDEN_VERNIETIGINGSRECHT: "Uw recht om uw dossier te laten vernietigen",
    BerichtSoort.VERNIETIGING_UITKOMST: "Uw verzoek om uw dossier bij Veilig Thuis te vernietigen",
    BerichtSoort.PROFESSIONAL_INFORMEREN: "Veilig Thuis informeert u over een kind in uw zorg",
}
VERVOLG = {
    "afsluiten": "Veilig Thuis sluit de melding af zonder verdere bemoeienis.",
    "advies": "Veilig Thuis heeft advies gegeven en sluit de melding daarna af.",
    "overdracht": "Veilig Thuis draagt de zorg over aan een partner in de buurt.",
    "voorwaarden_en_vervolg": "Veilig Thuis stelt veiligheidsvoorwaarden en volgt het vervolg.",
    "onderzoek": "Veilig Thuis doet onderzoek naar de situatie.",
}
CONTACT = {
    "veilig_thuis": "Veilig Thuis neemt contact op met het gezin.",
    "wijkteam": "Het wijkteam neemt contact op met het gezin.",
    "betrokken_professional": (
        "Een hulpverlener die al betrokken is, neemt contact op met het gezin."
    ),
}
ADVIES = {
    "voortzetten": "Ons advies: zet uw hulp voort zoals u die nu geeft.",
    "aanpassen": "Ons advies: pas uw hulp aan.",
    "uitbreiden": "Ons advies: breid uw hulp uit; Veilig Thuis wordt er direct bij betrokken.",
}
JA_NEE = {True: "ja", False: "nee"}


@dataclass(frozen=True)
class Tekst:
    onderwerp: str
    aanhef: str
    alineas: list[str]

    def platte_tekst(self) -> str:
        return "\n\n".join([self.aanhef, *self.alineas, AFSLUITING]) + "\n"

    def html(self) -> str:
        delen = [self.aanhef, *self.alineas, AFSLUITING]
        return (
            "<html><body>" + "".join(f"<p>{html.escape(d)}</p>" for d in delen) + "</body></html>"
        )


AFSLUITING = "Met vriendelijke groet,\nVeilig Thuis"


def _ketenpartner(inhoud: dict[str, Any]) -> list[str]:
    partner = inhoud.get("ketenpartner")
    if not partner:
        return []
    return [f"De zorg gaat naar: {partner['naam']} ({partner['soort'].replace('_', ' ')})."]


def _eerste(inhoud: dict[str, Any]) -> list[str]:
    alineas = [
        "Veilig Thuis heeft de veiligheidsbeoordeling van uw melding afgerond.",
        VERVOLG[inhoud["vervolg"]],
        CONTACT[inhoud["contact_huishouden"]],
        *_ketenpartner(inhoud),
    ]
    if "eerdere_meldingen" in inhoud:
        aantal = inhoud["eerdere_meldingen"]
        if aantal is None:
            alineas.append("Of er eerdere meldingen waren, kon nog niet worden nagegaan.")
        else:
            regios = ", ".join(inhoud.get("eerdere_regios", []))
            waar = f" (regio's: {regios})" if regios else ""
            alineas.append(f"Eerdere meldingen over dit gezin bij Veilig Thuis: {aantal}{waar}.")
        for e in inhoud.get("eerdere", []):
            vervolg = e["vervolg"].replace("_", " ") if e["vervolg"] else "onbekend"
            partner = e.get("ketenpartner_soort")
            naar = f", overgedragen aan: {partner.replace('_', ' ')}" if partner else ""
            alineas.append(
                f"- ontvangen op {e['ontvangen_op']} in regio {e['regio']}, vervolg: {vervolg}"
                + naar
            )
    beoordeling = inhoud.get("veiligheidsbeoordeling")
    if beoordeling:
        alineas.append(
            "Uitkomst van de veiligheidsbeoordeling: "
            f"acute onveiligheid {JA_NEE[beoordeling['acute_onveiligheid']]}, "
            f"structurele onveiligheid {JA_NEE[beoordeling['structurele_onveiligheid']]}, "
            f"schadelijke leefsituatie {JA_NEE[beoordeling['schadelijke_leefsituatie']]}, "
            f"urgentie {beoordeling['urgentie']}."
        )
    if "advies" in inhoud:
        alineas.append(ADVIES[inhoud["advies"]])
    return alineas


def _tweede(inhoud: dict[str, Any]) -> list[str]:
    dienst = inhoud["dienst"].replace("_", " ")
    if inhoud["loopt_nog"]:
        return [f"De hulp van Veilig Thuis ({dienst}) loopt nog. U hoort van ons als die klaar is."]
    alineas = [f"De hulp van Veilig Thuis ({dienst}) is afgerond."]
    alineas.append(VERVOLG.get(inhoud["vervolg"], f"Vervolg: {inhoud['vervolg']}."))
    if inhoud.get("samenvatting"):
        alineas.append(inhoud["samenvatting"])
    alineas += _ketenpartner(inhoud)
    if "veiligheidsvoorwaarden_gesteld" in inhoud:
        gesteld = JA_NEE[inhoud["veiligheidsvoorwaarden_gesteld"]]
        alineas.append(f"Veiligheidsvoorwaarden gesteld: {gesteld}.")
    return alineas


def _vernietigingsrecht(inhoud: dict[str, Any]) -> list[str]:
    """Q&A 28: "actief wijzen op dit recht", after a dienst that found no violence."""
    return [
        f"Veilig Thuis heeft de melding over uw gezin van {inhoud['melding_ontvangen_op']} "
        "onderzocht en daarbij geen huiselijk geweld of kindermishandeling vastgesteld.",
        "U hebt het recht om te vragen uw dossier bij Veilig Thuis te vernietigen. Veilig Thuis "
        "willigt zo'n verzoek in.",
    ]


def _huishouden(inhoud: dict[str, Any]) -> list[str]:
    if inhoud["melder"] == "anoniem":
        melder = "De melder blijft anoniem."
    elif inhoud["melder"] == "professional":
        beroep = inhoud.get("melder_beroepsgroep", "overig").replace("_", " ")
        melder = f"De melding is gedaan door een professional (beroepsgroep: {beroep})."
    else:
        melder = "De melding is gedaan door een burger."
    alineas = [
        f"Veilig Thuis heeft op {inhoud['melding_ontvangen_op']} een melding over uw gezin "
        "ontvangen en de veiligheid beoordeeld.",
        melder,
        VERVOLG[inhoud["vervolg"]],
        CONTACT[inhoud["contact_huishouden"]],
        *_ketenpartner(inhoud),
    ]
    if inhoud.get("vernietigingsrecht"):
        alineas.append(
            "Er is geen huiselijk geweld of kindermishandeling vastgesteld. U hebt het recht "
            "om te vragen uw dossier bij Veilig Thuis te vernietigen."
        )
    return alineas


# The legal grounds of a refusal as the letter names them.
GRONDEN = {
    "aanmerkelijk_belang_ander": "het bewaren is van aanmerkelijk belang voor een ander dan u",
    "goed_hulpverlenerschap": "goed hulpverlenerschap vraagt dat het dossier bewaard blijft",
    "wettelijke_plicht": "een wettelijk voorschrift verzet zich tegen vernietiging",
}


def _vernietiging(inhoud: dict[str, Any]) -> list[str]:
    ontvangen = f"Op {inhoud['ontvangen_op']} vroeg u Veilig Thuis uw dossier te vernietigen."
    if inhoud["toegekend"]:
        return [ontvangen, "Uw verzoek is toegekend. Het dossier wordt vernietigd."]
    return [
        ontvangen,
        f"Uw verzoek is afgewezen: {GRONDEN[inhoud['grond']]}.",
        f"De onderbouwing: {inhoud['onderbouwing']}",
        "U kunt hiertegen bezwaar maken of de rechter vragen over uw verzoek te beslissen.",
    ]


# How a professional's relation to the child is named (Q&A 10: "hun patiënt/cliënt/leerling").
IN_ZORG = {
    "huisarts": "uw patiënt",
    "jgz": "een kind dat bij de jeugdgezondheidszorg in zorg is",
    "school": "een leerling van uw school",
    "anders": "een kind bij wie u betrokken bent",
}
# Veilig Thuis' national number, which routes to the regional organisation.
TELEFOON = "0800-2000"


def _professional(inhoud: dict[str, Any]) -> list[str]:
    """Q&A 10: only what the professional needs for their task: that there is a melding about
    the child, what follows, whom to contact. Never the melder, never the worries."""
    kinderen = inhoud.get("kinderen") or []
    over = IN_ZORG.get(inhoud["professional_soort"], IN_ZORG["anders"])
    alineas = [
        f"Veilig Thuis heeft op {inhoud['melding_ontvangen_op']} een melding ontvangen over "
        f"{over}. Wij informeren u omdat dit nodig is voor uw taak en verantwoordelijkheid.",
        *(f"- {k}" for k in kinderen),
        "Veilig Thuis heeft de veiligheid beoordeeld. " + VERVOLG[inhoud["vervolg"]],
        CONTACT[inhoud["contact_huishouden"]],
        *_ketenpartner(inhoud),
        "Wie de melding heeft gedaan, vertellen wij niet.",
        f"Hebt u vragen, of weet u iets dat voor de veiligheid van dit kind van belang is? Bel "
        f"Veilig Thuis ({TELEFOON}, regio {inhoud['regio']}) en noem kenmerk {inhoud['kenmerk']}.",
    ]
    return alineas


def tekst(soort: BerichtSoort, inhoud: dict[str, Any], naam: str | None) -> Tekst:
    """The message's words for its addressee (`naam`: the addressee's own name, or None)."""
    if soort is BerichtSoort.HUISHOUDEN_INFORMEREN:
        return Tekst(ONDERWERP[soort], "Beste bewoners,", _huishouden(inhoud))
    if soort is BerichtSoort.HUISHOUDEN_VERNIETIGINGSRECHT:
        return Tekst(ONDERWERP[soort], "Beste bewoners,", _vernietigingsrecht(inhoud))
    if soort is BerichtSoort.VERNIETIGING_UITKOMST:
        return Tekst(ONDERWERP[soort], "Beste bewoners,", _vernietiging(inhoud))
    if soort is BerichtSoort.PROFESSIONAL_INFORMEREN:
        aanhef = f"Geachte {naam}," if naam else "Geachte heer/mevrouw,"
        return Tekst(ONDERWERP[soort], aanhef, _professional(inhoud))
    aanhef = f"Beste {naam}," if naam else "Beste melder,"
    alineas = _eerste(inhoud) if soort is BerichtSoort.EERSTE_TERUGKOPPELING else _tweede(inhoud)
    return Tekst(ONDERWERP[soort], aanhef, alineas)
