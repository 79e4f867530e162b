"""The destruction list's rows of the command table (starter/opdrachten.py)."""

from __future__ import annotations

from contract import names
from domain.vernietigingslijst import LijstAnnulering, LijstBeoordeling, LijstGoedkeuring
from starter import lijst_acties
from starter.invoer import cron
from starter.opdrachten_basis import Opdracht, argument, update_opdracht


def _update(naam: str, hulp: str, model: type, update: str, bestand: str) -> Opdracht:
    return update_opdracht(
        naam, hulp, lijst_acties.update(model, update), bestand, "de LijstStatus"
    )


LIJST_OPDRACHTEN: tuple[Opdracht, ...] = (
    Opdracht(
        "lijsten",
        "de vernietigingslijsten, nieuwste eerst (ID's en de stand van hun workflow)",
        lijst_acties.lijsten,
        json_="de lijsten",
    ),
    Opdracht(
        "lijst-status",
        "een vernietigingslijst: fase, ronde, dossiers met hun bewaartermijn, wie beoordeelde "
        "en goedkeurde, de wachttijd, de verklaring (ID: het workflow-ID van de lijst, of laatste)",
        lijst_acties.status,
        id_=True,
        json_="de LijstStatus",
    ),
    _update(
        "lijst-beoordelen",
        "de beoordeling door een teamleider: dossiers behouden (met datum en reden) of de lijst "
        "terugsturen (ID: het workflow-ID van de lijst)",
        LijstBeoordeling,
        names.UPDATE_LIJST_BEOORDELEN,
        "de LijstBeoordeling",
    ),
    _update(
        "lijst-goedkeuren",
        "de goedkeuring door een archivaris die de lijst niet beoordeelde; daarna zeven dagen "
        "wachttijd (ID: het workflow-ID van de lijst)",
        LijstGoedkeuring,
        names.UPDATE_LIJST_GOEDKEUREN,
        "de LijstGoedkeuring",
    ),
    _update(
        "lijst-annuleren",
        "de vernietiging stoppen voor de goedkeuring of in de wachttijd; de lijst wordt opnieuw "
        "opgesteld en beoordeeld (ID: het workflow-ID van de lijst)",
        LijstAnnulering,
        names.UPDATE_LIJST_ANNULEREN,
        "de LijstAnnulering",
    ),
    Opdracht(
        "lijst-opstellen",
        "nu een vernietigingslijst opstellen, niet pas op het volgende moment van het Schedule "
        "(niet terwijl er een loopt); toont het ID van de nieuwe lijst",
        lijst_acties.opstellen,
        json_="het ID van de nieuwe lijst",
    ),
    Opdracht(
        "lijst-plannen",
        "het Schedule van de vernietigingslijst maken of bijwerken (zoals de worker bij zijn "
        "start doet)",
        lijst_acties.plannen,
        extra=(
            argument(
                "--cron",
                metavar="CRON",
                type=cron,
                help="vijf cron-velden (minuut uur dag maand weekdag), standaard maandelijks",
            ),
        ),
    ),
)
