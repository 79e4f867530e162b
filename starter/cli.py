"""`python -m starter …`: the command line over MeldingClient (CONTRACT.md, "Python client and
CLI"): the arguments, the dispatch to a command, and the exit codes. Input is read and
validated before anything is sent (starter.invoer) and shown by starter.weergave; every error is
one line a person can act on, and the exit code says what kind of error it was.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel

from domain import names
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    MonitoringUitkomst,
    Triage,
    VernietigingsVerzoek,
)
from domain.melding import Melding
from domain.status import MeldingStatus
from domain.waarden import Fase
from starter import werkvoorraad
from starter.client import MeldingClient, nieuw_verzoek_id
from starter.fouten import (
    Geweigerd,
    MeldingBestaatAl,
    MeldingFout,
    OnbekendeMelding,
    OngeldigeInvoer,
    VernietigingWachtOpBesluit,
)
from starter.invoer import (
    controleer_id,
    foutmelding,
    lees,
    positief_getal,
    verzoek_aanvulling,
)
from starter.verbinding import STANDAARD_ADRES
from starter.weergave import als_json, samenvatting, tabel, uitkomst
from starter.zoeken import zoekvraag_lijst
from versleuteling.codec import SleutelFout

M = TypeVar("M", bound=BaseModel)
Actie = Callable[[MeldingClient], Awaitable[int]]

KLAAR, FOUT, ONGELDIG, GEWEIGERD = 0, 1, 2, 3

EPILOOG = f"""\
exitcodes:
  0  gelukt
  2  ongeldige invoer: elke regel noemt het veld en de regel die het schendt; ook ongeldige
     JSON (met regel en kolom) of een bestand dat niet bestaat. Er is dan niets verstuurd.
  3  onbekende melding; of geweigerd in de huidige fase (de reden van de workflow wordt
     getoond); of "melding … bestaat al" bij een tweede indiening met hetzelfde melding_id
  1  al het andere, bijv. "kan Temporal op <adres> niet bereiken"

omgeving:
  TEMPORAL_ADDRESS (standaard {STANDAARD_ADRES}), TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
  TEMPORAL_TLS*, TEMPORAL_PROFILE: zoals de Temporal SDK ze leest.
  {names.TASK_QUEUE_ENV}: de task queue van de worker (standaard {names.TASK_QUEUE}).

FILE is een JSON-bestand, of - voor stdin. Voorbeelden: starter/examples/*.json."""


_VERZOEK_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def controleer_verzoek_id(waarde: str) -> str:
    """--verzoek-id: an opaque key (it is the update ID, visible in Temporal)."""
    if not _VERZOEK_ID.fullmatch(waarde):
        raise argparse.ArgumentTypeError("1-128 tekens A-Z a-z 0-9 . _ : -")
    return waarde


# -- commands: each reads its input first and returns the action to run on a client -----------
def _indienen(args: argparse.Namespace) -> Actie:
    melding = lees(args.bestand, Melding)

    async def actie(client: MeldingClient) -> int:
        workflow_id = await client.indienen(melding)
        print(
            f"melding {melding.melding_id} ingediend: workflow {workflow_id} "
            f"(task queue {client.task_queue})"
        )
        return KLAAR

    return actie


def _update(model: type[M], methode: str, wat: str) -> Callable[[argparse.Namespace], Actie]:
    def voorbereid(args: argparse.Namespace) -> Actie:
        invoer = lees(args.bestand, model)
        verzoek_id = args.verzoek_id or nieuw_verzoek_id()
        if not args.verzoek_id:
            # Printed first, so a retry after a time-out can send the same request again.
            print(
                f"verzoek-id {verzoek_id} (herhaal met --verzoek-id {verzoek_id})", file=sys.stderr
            )

        async def actie(client: MeldingClient) -> int:
            status: MeldingStatus = await getattr(client, methode)(
                args.id, invoer, verzoek_id=verzoek_id
            )
            if args.json:
                print(als_json(status))
            else:
                # A besluit without a dienst closes the case right after the eerste
                # terugkoppeling: the update's status shows the phase it was taken in.
                vervolg = f", vervolg {status.besluit.vervolg.value}" if status.besluit else ""
                print(
                    f"{wat} geregistreerd voor melding {args.id}{vervolg}; "
                    f"fase nu {status.fase.value}"
                )
            return KLAAR

        return actie

    return voorbereid


def _status(args: argparse.Namespace) -> Actie:
    async def actie(client: MeldingClient) -> int:
        status = await client.status(args.id)
        print(als_json(status) if args.json else samenvatting(status, datetime.now(UTC)))
        return KLAAR

    return actie


def _lijst(args: argparse.Namespace) -> Actie | None:
    if args.weergave:
        if args.fase or args.overschreden:
            raise OngeldigeInvoer(["--weergave: niet samen met --fase of --overschreden"])
        zoekvraag = werkvoorraad_vraag(args.weergave, args.regio, datetime.now(UTC))
        if args.ui:
            namespace = os.environ.get("TEMPORAL_NAMESPACE") or "default"
            print(werkvoorraad.ui_link(args.ui_adres, namespace, zoekvraag))
            return None

        async def weergave(client: MeldingClient) -> int:
            regels = await client.zoek(zoekvraag, args.limiet)
            print(als_json(regels) if args.json else tabel(regels))
            return KLAAR

        return weergave
    if args.ui:
        raise OngeldigeInvoer(["--ui: alleen met --weergave"])
    zoekvraag_lijst(args.fase, args.regio, args.overschreden)  # invalid input: nothing sent

    async def actie(client: MeldingClient) -> int:
        regels = await client.lijst(args.fase, args.regio, args.overschreden, args.limiet)
        print(als_json(regels) if args.json else tabel(regels))
        return KLAAR

    return actie


def werkvoorraad_vraag(weergave: str, regio: str | None, nu: datetime) -> str:
    """The query of a werkvoorraad view by name (`per_regio` needs --regio), narrowed to a
    region when one is given; OngeldigeInvoer for an unknown region."""
    try:
        if weergave == "per_regio":
            if not regio:
                raise OngeldigeInvoer(["--weergave per_regio: geef --regio"])
            return werkvoorraad.per_regio(regio)
        zoekvraag = werkvoorraad.weergaven(nu)[weergave]
        return werkvoorraad.met_regio(zoekvraag, regio) if regio else zoekvraag
    except ValueError as fout:
        raise OngeldigeInvoer([f"regio: {fout}"]) from fout


def _vernietig(args: argparse.Namespace) -> Actie:
    verzoek = lees(args.bestand, VernietigingsVerzoek, verzoek_aanvulling(args.id))

    async def actie(client: MeldingClient) -> int:
        try:
            resultaat = await client.vernietig(verzoek, timedelta(seconds=args.wacht))
        except VernietigingWachtOpBesluit as wacht:
            print(wacht)
            return KLAAR
        print(als_json(resultaat) if args.json else uitkomst(resultaat))
        return KLAAR

    return actie


def _demo(args: argparse.Namespace) -> Actie:
    from starter.demo import voer_demo_uit

    async def actie(client: MeldingClient) -> int:
        return await voer_demo_uit(client, timedelta(seconds=args.wacht))

    return actie


# -- parser -----------------------------------------------------------------------------------
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m starter",
        description="Meldingen bij Veilig Thuis indienen, besluiten registreren en status lezen "
        "via Temporal (MeldingWorkflow).",
        epilog=EPILOOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="opdracht", required=True, metavar="OPDRACHT")

    def opdracht(
        naam: str,
        hulp: str,
        voorbereid: Callable[[argparse.Namespace], Actie | None],
        *,
        id_: bool = False,
        bestand: str | None = None,
        json_: str = "",
        verzoek: bool = False,
    ) -> argparse.ArgumentParser:
        s = sub.add_parser(
            naam,
            help=hulp,
            description=hulp,
            epilog=EPILOOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if id_:
            s.add_argument("id", metavar="ID", help="melding_id, bijv. VT-UTR-2026-000123")
        if bestand:
            s.add_argument("bestand", metavar="FILE", help=f"{bestand} als JSON; - leest stdin")
        if json_:
            s.add_argument("--json", action="store_true", help=f"toon {json_} als JSON")
        if verzoek:
            s.add_argument(
                "--verzoek-id",
                metavar="V",
                type=controleer_verzoek_id,
                help="uw kenmerk van dit verzoek (het update-ID): hetzelfde verzoek opnieuw "
                "sturen met hetzelfde kenmerk voert het niet twee keer uit; zonder kenmerk maakt "
                "de CLI er een en toont het",
            )
        s.set_defaults(voorbereid=voorbereid)
        return s

    opdracht(
        "indienen",
        "een nieuwe melding indienen (start haar MeldingWorkflow); een tweede "
        "indiening met hetzelfde melding_id wordt geweigerd: 'melding … bestaat al' "
        "(exitcode 3)",
        _indienen,
        bestand="de Melding",
    )
    opdracht(
        "triage",
        "de uitkomst van het triage-instrument registreren (voor het besluit)",
        _update(Triage, "registreer_triage", "triage"),
        id_=True,
        bestand="de Triage",
        json_="de MeldingStatus",
        verzoek=True,
    )
    opdracht(
        "besluit",
        "het besluit over de vervolgstap registreren (na triage en bronnen)",
        _update(Besluit, "neem_besluit", "besluit"),
        id_=True,
        bestand="het Besluit",
        json_="de MeldingStatus",
        verzoek=True,
    )
    opdracht(
        "dienst-afronden",
        "een dienst (voorwaarden_en_vervolg of onderzoek) afronden",
        _update(DienstAfronding, "rond_dienst_af", "dienstafronding"),
        id_=True,
        bestand="de DienstAfronding",
        json_="de MeldingStatus",
        verzoek=True,
    )
    opdracht(
        "monitoring",
        "de uitkomst van een open monitoringsmoment registreren",
        _update(MonitoringUitkomst, "registreer_monitoring", "monitoringsuitkomst"),
        id_=True,
        bestand="de MonitoringUitkomst",
        json_="de MeldingStatus",
        verzoek=True,
    )
    opdracht(
        "status",
        "de stand van een melding: fase, termijnen, bronnen, besluiten",
        _status,
        id_=True,
        json_="de MeldingStatus",
    )
    lijst = opdracht(
        "lijst",
        "meldingen zoeken op fase, regio en overschreden termijn "
        "(Temporal visibility; nieuwe wijzigingen zijn na enkele seconden zichtbaar)",
        _lijst,
    )
    lijst.add_argument(
        "--fase",
        choices=[f.value for f in Fase],
        metavar="FASE",
        help=f"alleen deze fase: {', '.join(f.value for f in Fase)}",
    )
    lijst.add_argument("--regio", help="alleen deze regio (slug, bijv. utrecht)")
    lijst.add_argument(
        "--overschreden",
        action="store_true",
        help="alleen meldingen met een overschreden wettelijke termijn",
    )
    lijst.add_argument(
        "--limiet", type=positief_getal, default=100, help="ten hoogste zoveel, 1 of meer (100)"
    )
    lijst.add_argument("--json", action="store_true", help="toon de regels als JSON")
    lijst.add_argument(
        "--weergave",
        choices=[*werkvoorraad.WEERGAVEN, "per_regio"],
        metavar="NAAM",
        help="een werkvoorraad (alleen lopende meldingen, een regel per melding): "
        f"{', '.join(werkvoorraad.WEERGAVEN)}, per_regio (met --regio); met --regio alleen "
        "die regio. Niet samen met --fase of --overschreden",
    )
    lijst.add_argument(
        "--ui",
        action="store_true",
        help="toon de link naar de Web UI met de zoekvraag van --weergave (zonder Temporal "
        "te bevragen)",
    )
    lijst.add_argument(
        "--ui-adres",
        default=werkvoorraad.UI_LOKAAL,
        metavar="URL",
        help=f"adres van de Web UI voor --ui ({werkvoorraad.UI_LOKAAL})",
    )
    vernietig = opdracht(
        "vernietig",
        "verzoek tot vernietiging van een dossier (Q&A 28); melding_id en "
        "ontvangen_op mogen in FILE ontbreken (ID en nu). Wacht het verzoek op een besluit van "
        "een medewerker, dan zegt de uitvoer dat (update beslis_vernietiging)",
        _vernietig,
        id_=True,
        bestand="het VernietigingsVerzoek",
        json_="het VernietigingsResultaat",
    )
    vernietig.add_argument(
        "--wacht", type=float, default=5.0, help="seconden wachten op de uitkomst (5)"
    )
    demo = opdracht(
        "demo",
        "voorbeeldmeldingen indienen en door elk pad sturen, zodat de Web "
        "UI meldingen in elke fase toont (een worker moet draaien)",
        _demo,
    )
    demo.add_argument(
        "--wacht",
        type=float,
        default=30.0,
        help="seconden wachten tot een melding de bronnen heeft verzameld (30)",
    )
    sub.add_parser(
        "codec-server",
        help="de codec server voor de Web UI en de temporal CLI starten (VT_CODEC_TOKEN, "
        "VT_CODEC_ORIGIN, VT_CODEC_HOST, VT_CODEC_PORT, VT_MASTER_KEY, DATABASE_URL; "
        "zie docs/privacy.md)",
    )
    return p


async def _voer_uit(actie: Actie, env: Mapping[str, str] | None) -> int:
    client = await MeldingClient.connect(env)
    return await actie(client)


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.opdracht == "codec-server":
        from starter import codec_server

        return codec_server.main(env)
    try:
        if getattr(args, "id", None) is not None:
            controleer_id(args.id)
        actie = args.voorbereid(args)
        if actie is None:  # done without Temporal (lijst --ui)
            return KLAAR
        return asyncio.run(_voer_uit(actie, env))
    except OngeldigeInvoer as fout:
        print(foutmelding(fout), file=sys.stderr)
        return ONGELDIG
    except (OnbekendeMelding, Geweigerd, MeldingBestaatAl) as fout:
        print(fout, file=sys.stderr)
        return GEWEIGERD
    except (MeldingFout, SleutelFout) as fout:
        print(fout, file=sys.stderr)
        return FOUT
    except KeyboardInterrupt:
        return 130
