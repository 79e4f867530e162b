"""The advies' rows of the command table (starter/opdrachten.py): its intake, its updates and
its status, each acting through starter/advies_acties.py."""

from __future__ import annotations

from pydantic import BaseModel

from domain.advies import AdviesAfsluiting, Gesprek, Omzetting, VertrouwensartsConsult
from starter import advies_acties
from starter.opdrachten_basis import Opdracht, update_opdracht


def _advies_update(
    naam: str, hulp: str, model: type[BaseModel], methode: str, bestand: str
) -> Opdracht:
    """An update of an advies: advies_id, FILE, --json with the AdviesStatus, --verzoek-id."""
    return update_opdracht(
        naam, hulp, advies_acties.update(model, methode), bestand, "de AdviesStatus"
    )


ADVIES_OPDRACHTEN: tuple[Opdracht, ...] = (
    Opdracht(
        "advies-indienen",
        "een adviesvraag registreren (start haar AdviesWorkflow, ID advies-<advies_id>); "
        "dezelfde vraag opnieuw geeft hetzelfde workflow_id, een andere onder hetzelfde "
        "advies_id wordt geweigerd (exitcode 5)",
        advies_acties.indienen,
        bestand="de Adviesvraag",
        json_="workflow_id en advies_id",
    ),
    _advies_update(
        "advies-gesprek",
        "een gesprek met de adviesvrager registreren (ID: het advies_id)",
        Gesprek,
        "registreer_gesprek",
        "het Gesprek",
    ),
    _advies_update(
        "advies-vertrouwensarts",
        "de raadpleging van een vertrouwensarts registreren (ID: het advies_id)",
        VertrouwensartsConsult,
        "raadpleeg_vertrouwensarts",
        "het VertrouwensartsConsult",
    ),
    _advies_update(
        "advies-sluiten",
        "het advies afsluiten met het gegeven advies en de CBS-gegevens (rol, organisatie, "
        "aard, duur) (ID: het advies_id)",
        AdviesAfsluiting,
        "sluit",
        "de AdviesAfsluiting",
    ),
    _advies_update(
        "advies-omzetten",
        "het advies omzetten naar een melding: start haar MeldingWorkflow, gekoppeld aan het "
        "advies (ID: het advies_id); een gebruikt melding_id geeft exitcode 5",
        Omzetting,
        "zet_om",
        "de Omzetting (met de volledige Melding)",
    ),
    Opdracht(
        "advies-status",
        "de stand van een advies: fase, gesprekken, vertrouwensarts, afsluiting of omzetting "
        "(ID: het advies_id)",
        advies_acties.status,
        id_=True,
        json_="de AdviesStatus",
    ),
)
