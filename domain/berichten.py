"""What the melder, the household and the professionals around the child are told, as data
(Q&A 4, 5, 8, 9, 10, 11, 28).

The content is structured fields, never prose: the outbox (or a front end) renders them. No
names or addresses: the outbox finds the addressee in the dossier by melding_id (and a
professional's message the child it is about, `kinderen`, at the moment of delivery).
"""

from __future__ import annotations

from typing import Any

from domain import regels
from domain.besluiten import Besluit, DienstAfronding, Triage
from domain.melding import Melding
from domain.uitwisseling import Bericht, BerichtSoort, RegisterResultaat
from domain.waarden import MelderSoort
from domain.werkdagen import AMSTERDAM


def _contact(besluit: Besluit) -> dict[str, Any]:
    """Q&A 5: who contacts the household: Veilig Thuis, a wijkteam or an involved professional."""
    inhoud: dict[str, Any] = {"contact_huishouden": besluit.contact_huishouden.value}
    if besluit.ketenpartner is not None:
        inhoud["ketenpartner"] = besluit.ketenpartner.model_dump(mode="json")
    return inhoud


def _eerdere(register: RegisterResultaat | None) -> dict[str, Any]:
    """Q&A 9, 11: whether there were prior meldingen, and what of them the melder needs. Only
    BSN matches: a match on name and date of birth alone may be another household and is not
    disclosed until a person has confirmed it."""
    if register is None:
        return {"eerdere_meldingen": None}
    return {
        "eerdere_meldingen": register.aantal_zeker,
        "eerdere_regios": register.regios_zeker,
        "eerdere": [
            {
                "regio": e.regio,
                "ontvangen_op": e.ontvangen_op.astimezone(AMSTERDAM).date().isoformat(),
                "vervolg": e.vervolg.value if e.vervolg else None,
                "ketenpartner_soort": e.ketenpartner.soort.value if e.ketenpartner else None,
            }
            for e in register.eerdere
            if not e.mogelijk
        ],
    }


def eerste_terugkoppeling(
    melding: Melding, triage: Triage, besluit: Besluit, register: RegisterResultaat | None
) -> Bericht:
    """Right after the besluit (Q&A 4, 8). A professional who keeps helping also hears of prior
    meldingen, the veiligheidsbeoordeling and the advies (Q&A 9); a burger only what is not
    confidential (docs/architecture.md)."""
    melder = melding.melder
    inhoud: dict[str, Any] = {
        "melder_soort": melder.soort.value,
        "veiligheidsbeoordeling_afgerond": True,
        "vervolg": besluit.vervolg.value,
        **_contact(besluit),
    }
    if melder.soort is MelderSoort.PROFESSIONAL and melder.blijft_betrokken:
        inhoud.update(_eerdere(register))
        inhoud["veiligheidsbeoordeling"] = {
            "acute_onveiligheid": triage.acute_onveiligheid,
            "structurele_onveiligheid": triage.structurele_onveiligheid,
            "schadelijke_leefsituatie": triage.schadelijke_leefsituatie,
            "urgentie": triage.urgentie.value,
        }
        assert besluit.advies_aan_melder is not None  # the validator requires it (Q&A 9)
        inhoud["advies"] = besluit.advies_aan_melder.value
    return Bericht(
        melding_id=melding.melding_id, soort=BerichtSoort.EERSTE_TERUGKOPPELING, inhoud=inhoud
    )


def huishouden_bericht(
    melding: Melding, besluit: Besluit, afronding: DienstAfronding | None = None
) -> Bericht:
    """Q&A 4, 7: the household hears of the melding and the follow-up; never who reported when
    anonymity was asked or promised; Q&A 28: the right to destruction when no violence found
    (by the besluit, or by the dienst's afronding when the informing was postponed past it)."""
    anoniem = besluit.anonimiteit_toegezegd or melding.melder.anonimiteit_gevraagd
    inhoud: dict[str, Any] = {
        "melding_ontvangen_op": melding.ontvangen_op.astimezone(AMSTERDAM).date().isoformat(),
        "vervolg": besluit.vervolg.value,
        **_contact(besluit),
        "melder": "anoniem" if anoniem else melding.melder.soort.value,
    }
    if not anoniem and melding.melder.beroepsgroep is not None:
        inhoud["melder_beroepsgroep"] = melding.melder.beroepsgroep.value
    if regels.vernietigingsrecht(besluit, afronding):
        inhoud["vernietigingsrecht"] = True
    return Bericht(
        melding_id=melding.melding_id, soort=BerichtSoort.HUISHOUDEN_INFORMEREN, inhoud=inhoud
    )


def vernietigingsrecht_bericht(melding: Melding) -> Bericht:
    """Q&A 28: Veilig Thuis concluded there is no domestic violence or child abuse (mostly: the
    dienst's afronding) and "actief wijzen op dit recht" (to have the dossier destroyed; a
    request is granted). The household already heard of the melding (Q&A 4), so this says only
    the conclusion and the right."""
    return Bericht(
        melding_id=melding.melding_id,
        soort=BerichtSoort.HUISHOUDEN_VERNIETIGINGSRECHT,
        inhoud={
            "melding_ontvangen_op": melding.ontvangen_op.astimezone(AMSTERDAM).date().isoformat(),
            "geweld_vastgesteld": False,
            "vernietigingsrecht": True,
            "verzoek_wordt_ingewilligd": True,
        },
    )


def tweede_terugkoppeling(
    melding: Melding, besluit: Besluit, afronding: DienstAfronding | None
) -> Bericht:
    """Q&A 8: within 10 weeks of the first; sent with the state of that moment when the dienst
    is still running (`loopt_nog`)."""
    inhoud: dict[str, Any] = {"dienst": besluit.vervolg.value, "loopt_nog": afronding is None}
    if afronding is not None:
        inhoud["vervolg"] = afronding.vervolg.value
        inhoud["samenvatting"] = afronding.samenvatting_voor_melder
        if afronding.ketenpartner is not None:
            inhoud["ketenpartner"] = afronding.ketenpartner.model_dump(mode="json")
        if melding.melder.soort is MelderSoort.PROFESSIONAL and melding.melder.blijft_betrokken:
            inhoud["veiligheidsvoorwaarden_gesteld"] = afronding.veiligheidsvoorwaarden_gesteld
    return Bericht(
        melding_id=melding.melding_id, soort=BerichtSoort.TWEEDE_TERUGKOPPELING, inhoud=inhoud
    )


def professional_bericht(melding: Melding, besluit: Besluit, nummer: int) -> Bericht:
    """Q&A 10: professional `nummer` of the melding (a huisarts, JGZ, a school) hears that
    Veilig Thuis has a melding about a child in their care, what follows and whom to contact;
    never who reported it (the melder's identity is protected), nor the worries themselves."""
    professional = melding.professionals[nummer - 1]
    return Bericht(
        melding_id=melding.melding_id,
        soort=BerichtSoort.PROFESSIONAL_INFORMEREN,
        ontvanger=nummer,
        inhoud={
            "professional_soort": professional.soort.value,
            "kenmerk": melding.melding_id,
            "regio": melding.regio,
            "melding_ontvangen_op": melding.ontvangen_op.astimezone(AMSTERDAM).date().isoformat(),
            "vervolg": besluit.vervolg.value,
            **_contact(besluit),
        },
    )


def kinderen(melding: Melding) -> list[str]:
    """Who a professional's message is about, read from the dossier at delivery (never from a
    history): each child (a `kind`, or a minor on the day of receipt) by name and date of
    birth, as a huisarts, JGZ or school knows them; never a BSN."""
    dag = melding.ontvangen_op.astimezone(AMSTERDAM).date()
    regels = []
    for b in melding.betrokkenen:
        if b.rol.value != "kind" and not b.is_minderjarig_op(dag):
            continue
        naam = " ".join(n for n in (b.voornaam, b.achternaam) if n) or "(naam onbekend)"
        geboren = f" (geboren {b.geboortedatum.isoformat()})" if b.geboortedatum else ""
        regels.append(naam + geboren)
    return regels
