"""The commands of `python -m starter`, as a table (OPDRACHTEN): name, help, arguments and the
action of starter/acties.py; starter/cli.py builds the parser from it."""

from __future__ import annotations

from pydantic import BaseModel

from domain.besluiten import (
    Besluit,
    DienstAfronding,
    HuishoudenInformeren,
    MonitoringUitkomst,
    Triage,
)
from domain.waarden import Fase
from starter import acties, werkvoorraad
from starter.advies_opdrachten import ADVIES_OPDRACHTEN
from starter.invoer import positief_getal
from starter.lijst_opdrachten import LIJST_OPDRACHTEN
from starter.opdrachten_basis import Argument, Opdracht, update_opdracht
from starter.opdrachten_basis import argument as _argument

__all__ = ["OPDRACHTEN", "VERZOEK_HULP", "Argument", "Opdracht"]


def _update_opdracht(
    naam: str, hulp: str, model: type[BaseModel], methode: str, wat: str, bestand: str
) -> Opdracht:
    """An update of a melding: melding_id, FILE, --json with the MeldingStatus, --verzoek-id."""
    return update_opdracht(
        naam, hulp, acties.update(model, methode, wat), bestand, "de MeldingStatus"
    )


OPDRACHTEN: tuple[Opdracht, ...] = (
    Opdracht(
        "indienen",
        "een nieuwe melding indienen (start haar MeldingWorkflow); dezelfde melding "
        "opnieuw indienen geeft hetzelfde workflow_id, een andere melding met hetzelfde "
        "melding_id wordt geweigerd: 'melding … bestaat al' (exitcode 5)",
        acties.indienen,
        bestand="de Melding",
        json_="workflow_id en melding_id",
    ),
    _update_opdracht(
        "triage",
        "de uitkomst van het triage-instrument registreren (voor het besluit)",
        Triage,
        "registreer_triage",
        "triage",
        "de Triage",
    ),
    _update_opdracht(
        "besluit",
        "het besluit over de vervolgstap registreren (na triage en bronnen)",
        Besluit,
        "neem_besluit",
        "besluit",
        "het Besluit",
    ),
    _update_opdracht(
        "dienst-afronden",
        "een dienst (voorwaarden_en_vervolg of onderzoek) afronden",
        DienstAfronding,
        "rond_dienst_af",
        "dienstafronding",
        "de DienstAfronding",
    ),
    _update_opdracht(
        "monitoring",
        "de uitkomst van een open monitoringsmoment registreren",
        MonitoringUitkomst,
        "registreer_monitoring",
        "monitoringsuitkomst",
        "de MonitoringUitkomst",
    ),
    _update_opdracht(
        "huishouden-informeren",
        "het uitgestelde informeren van het huishouden vastleggen (bericht of gesprek)",
        HuishoudenInformeren,
        "informeer_huishouden",
        "huishouden informeren",
        "de HuishoudenInformeren",
    ),
    Opdracht(
        "status",
        "de stand van een melding: fase, termijnen, bronnen, besluiten",
        acties.status,
        id_=True,
        json_="de MeldingStatus",
    ),
    Opdracht(
        "lijst",
        "meldingen zoeken op fase, regio en overschreden termijn "
        "(Temporal visibility; nieuwe wijzigingen zijn na enkele seconden zichtbaar)",
        acties.lijst,
        extra=(
            _argument(
                "--fase",
                choices=[f.value for f in Fase],
                metavar="FASE",
                help=f"alleen deze fase: {', '.join(f.value for f in Fase)}",
            ),
            _argument("--regio", help="alleen deze regio (slug, bijv. utrecht)"),
            _argument(
                "--overschreden",
                action="store_true",
                help="alleen meldingen met een overschreden wettelijke termijn",
            ),
            _argument(
                "--limiet",
                type=positief_getal,
                default=100,
                help="ten hoogste zoveel, 1 of meer (100)",
            ),
            _argument("--json", action="store_true", help="toon de regels als JSON"),
            _argument(
                "--weergave",
                choices=[*werkvoorraad.WEERGAVEN, "per_regio", "mislukt"],
                metavar="NAAM",
                help="een werkvoorraad (alleen lopende meldingen, een regel per melding): "
                f"{', '.join(werkvoorraad.WEERGAVEN)}, per_regio (met --regio); of mislukt: "
                "meldingen waarvan de workflow mislukte of werd beëindigd voordat de casus "
                "gesloten was; met --regio alleen die regio. Niet samen met --fase of "
                "--overschreden",
            ),
            _argument(
                "--ui",
                action="store_true",
                help="toon de link naar de Web UI met de zoekvraag van --weergave (zonder "
                "Temporal te bevragen)",
            ),
            _argument(
                "--ui-adres",
                metavar="URL",
                help=f"adres van de Web UI voor --ui; standaard {werkvoorraad.UI_ADRES_ENV}, "
                f"anders http://localhost:${werkvoorraad.UI_POORT_ENV} (make run zet die in "
                f".data/client.env), anders {werkvoorraad.UI_LOKAAL}",
            ),
        ),
    ),
    Opdracht(
        "vernietig",
        "verzoek tot vernietiging van een dossier (Q&A 28); melding_id en "
        "ontvangen_op mogen in FILE ontbreken (ID en nu). Het verzoek wacht op het besluit van "
        "een teamleider (opdracht vernietigingsbesluit); de uitvoer zegt dat",
        acties.vernietig,
        id_=True,
        bestand="het VernietigingsVerzoek",
        json_="het VernietigingsResultaat",
        extra=(
            _argument(
                "--wacht", type=float, default=5.0, help="seconden wachten op de uitkomst (5)"
            ),
        ),
    ),
    Opdracht(
        "vernietigingsbesluit",
        "besluit van een teamleider over een verzoek tot vernietiging (update "
        "beslis_vernietiging); de login (VT_CODEC_TOKEN) is een teamleider die het verzoek niet "
        "zelf indiende: vernietigen vraagt twee personen",
        acties.vernietigingsbesluit,
        id_=True,
        bestand="het VernietigingsBesluit",
        json_="het VernietigingsResultaat",
        verzoek=True,
    ),
    Opdracht(
        "demo",
        "voorbeeldmeldingen indienen en door elk pad sturen, zodat de Web "
        "UI meldingen in elke fase toont (een worker moet draaien)",
        acties.demo,
        json_="de task queue en de gemaakte meldingen (naam: melding_id; de voortgang op stderr)",
        extra=(
            _argument(
                "--wacht",
                type=float,
                default=30.0,
                help="seconden wachten tot een melding de bronnen heeft verzameld (30)",
            ),
        ),
    ),
    Opdracht(
        "zorgmeldingen",
        "de zorgmeldingen van de politie uit hun uitwisselmap (MAP/in/*.json) als meldingen "
        "indienen (melding_id POL-<kenmerk>); verwerkt naar MAP/verwerkt, geweigerd met de "
        "redenen naar MAP/geweigerd; hetzelfde bestand twee keer is één melding",
        acties.zorgmeldingen,
        json_="de verwerkte en geweigerde bestanden",
        extra=(
            _argument("map", metavar="MAP", help="de uitwisselmap"),
            _argument(
                "--blijf",
                type=positief_getal,
                default=0,
                metavar="S",
                help="blijf elke S seconden de map lezen (tot Ctrl-C)",
            ),
        ),
    ),
    *ADVIES_OPDRACHTEN,
    *LIJST_OPDRACHTEN,
    Opdracht(
        "post",
        "wat de postbus van make run ontving (e-mails aan melders) en welke brieven (PDF) in "
        "de map van de drukstraat liggen; uit VT_POSTBUS_MAP en VT_BRIEVEN_MAP van "
        ".data/client.env",
        acties.post,
        extra=(
            _argument("--melding", metavar="ID", help="alleen wat over deze melding ging"),
            _argument("--data", metavar="MAP", help="de datamap van make run (.data)"),
            _argument("--json", action="store_true", help="toon de post als JSON"),
        ),
    ),
    Opdracht(
        "codec-server",
        "de codec server voor de Web UI en de temporal CLI starten (VT_CODEC_TOKEN, "
        "VT_CODEC_ORIGIN, VT_CODEC_HOST, VT_CODEC_PORT, VT_MASTER_KEY, DATABASE_URL; "
        "zie docs/privacy.md)",
        None,
    ),
    Opdracht(
        "cbs",
        "beleidsinformatie voor CBS (docs/statistics.md): 'levering --halfjaar JJJJ-N' schrijft "
        "het halfjaarbestand (--uit) en/of toont spiegelrapport en logische controles "
        "(--controle); 'tabellen --jaar JJJJ --uit BESTAND' de "
        "tabellen zoals CBS ze publiceert (CSV, op 5-tallen); leest DATABASE_URL of "
        "VT_DATABASE_URL",
        None,
        extra=(
            _argument("onderdeel", choices=("levering", "tabellen"), help="levering of tabellen"),
            _argument("--halfjaar", metavar="JJJJ-N", help="levering: het halfjaar, bijv. 2026-2"),
            _argument("--jaar", metavar="JJJJ", help="tabellen: het jaar, bijv. 2026"),
            _argument("--uit", metavar="BESTAND", help="schrijf het bestand hierheen"),
            _argument(
                "--controle",
                action="store_true",
                help="levering: toon spiegelrapport (vulling per veld) en logische controles",
            ),
        ),
    ),
    Opdracht(
        "rapport",
        "managementrapportage per kwartaal: één HTML-pagina met grafieken (docs/statistics.md); "
        "leest DATABASE_URL of VT_DATABASE_URL",
        None,
        extra=(
            _argument("--kwartaal", required=True, metavar="JJJJ-N", help="bijv. 2026-4"),
            _argument("--uit", required=True, metavar="BESTAND", help="het HTML-bestand"),
        ),
    ),
)

VERZOEK_HULP = (
    "uw kenmerk van dit verzoek (het update-ID): hetzelfde verzoek opnieuw sturen met hetzelfde "
    "kenmerk voert het niet twee keer uit; zonder kenmerk maakt de CLI er een en toont het"
)
