"""Synthetic decisions, one set for the tests and the benchmarks: a triage, a besluit per
vervolg, a dienstafronding and a monitoring outcome, valid by default; keyword arguments
override fields. No real person or case; the melding builders stay with their users, since
each needs its own household and clock.
"""

from __future__ import annotations

from typing import Any

from domain.besluiten import Besluit, DienstAfronding, MonitoringUitkomst, Triage
from domain.waarden import Vervolg

MEDEWERKER = "mw-0042"
WIJKTEAM = {"soort": "wijkteam", "naam": "Wijkteam Oost"}


def triage(**over: Any) -> Triage:
    """None of the Q&A 25 conclusions: Veilig Thuis may close, advise or hand over."""
    return Triage.model_validate(
        {
            "medewerker": MEDEWERKER,
            "acute_onveiligheid": False,
            "directe_interventie_nodig": False,
            "structurele_onveiligheid": False,
            "schadelijke_leefsituatie": False,
            "informatie_toereikend": True,
            "nader_onderzoek_nodig": False,
            "urgentie": "normaal",
            "onderbouwing": "Screening A, B en C uitgevoerd.",
            **over,
        }
    )


def besluit(vervolg: Vervolg | str, **over: Any) -> Besluit:
    """Veilig Thuis contacts the household; an overdracht goes to WIJKTEAM, which contacts it.
    No advies_aan_melder: pass one for a professional melder who stays involved (Q&A 9)."""
    gegevens: dict[str, Any] = {
        "medewerker": MEDEWERKER,
        "vervolg": Vervolg(vervolg).value,
        "contact_huishouden": "veilig_thuis",
        "onderbouwing": "Besproken in het MDO.",
    }
    if Vervolg(vervolg) is Vervolg.OVERDRACHT:
        gegevens.update(ketenpartner=WIJKTEAM, contact_huishouden="wijkteam")
    return Besluit.model_validate({**gegevens, **over})


def afronding(**over: Any) -> DienstAfronding:
    """A dienst closed without veiligheidsvoorwaarden (geweld_vastgesteld unknown)."""
    return DienstAfronding.model_validate(
        {
            "medewerker": MEDEWERKER,
            "veiligheidsvoorwaarden_gesteld": False,
            "vervolg": "afsluiten",
            "samenvatting_voor_melder": "Synthetische samenvatting.",
            **over,
        }
    )


def uitkomst(*, stabiel: bool, nieuwe_melding: bool = False, **over: Any) -> MonitoringUitkomst:
    """A monitoring check: stably safe or not, a new melding needed or not."""
    return MonitoringUitkomst.model_validate(
        {
            "medewerker": MEDEWERKER,
            "stabiel_veilig": stabiel,
            "herstel_gaande": True,
            "nieuwe_melding_nodig": nieuwe_melding,
            "toelichting": "Huisbezoek en overleg met school.",
            **over,
        }
    )
