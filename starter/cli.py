"""`python -m starter …`: the command line over MeldingClient (CONTRACT.md, "Python client and
CLI"). Input is read and validated before anything is sent; every error is one line a person
can act on, and the exit code says what kind of error it was.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from domain import names
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    MonitoringUitkomst,
    Triage,
    VernietigingsResultaat,
    VernietigingsVerzoek,
)
from domain.melding import Melding
from domain.status import MeldingStatus
from domain.termijnen import werkdagen_resterend
from domain.waarden import Fase
from domain.werkdagen import AMSTERDAM
from starter.client import MeldingClient, MeldingRegel, invoerfouten, zoekvraag_lijst
from starter.fouten import (
    Geweigerd,
    MeldingBestaatAl,
    MeldingFout,
    OnbekendeMelding,
    OngeldigeInvoer,
    VernietigingWachtOpBesluit,
)
from starter.verbinding import STANDAARD_ADRES

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


# -- input ------------------------------------------------------------------------------------
def lees_json(bron: str) -> Any:
    """The JSON in file `bron`, or on stdin for `-`."""
    naam = "stdin" if bron == "-" else bron
    try:
        tekst = sys.stdin.read() if bron == "-" else Path(bron).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OngeldigeInvoer([f"{naam}: bestand niet gevonden"]) from None
    except (OSError, UnicodeDecodeError) as fout:
        raise OngeldigeInvoer([f"{naam}: niet leesbaar ({fout})"]) from None
    try:
        return json.loads(tekst)
    except json.JSONDecodeError as fout:
        raise OngeldigeInvoer(
            [f"{naam}: geen geldige JSON op regel {fout.lineno}, kolom {fout.colno}: {fout.msg}"]
        ) from None


def lees(bron: str, model: type[M], aanvulling: Callable[[Any], Any] | None = None) -> M:
    """Read and validate one message; a Melding also against the clock (not in the future)."""
    gegevens = lees_json(bron)
    if aanvulling is not None:
        gegevens = aanvulling(gegevens)
    try:
        if model is Melding:
            return Melding.ontvang(gegevens)  # type: ignore[return-value]
        return model.model_validate(gegevens)
    except ValidationError as fout:
        raise OngeldigeInvoer(invoerfouten(fout)) from None


def _verzoek_aanvulling(melding_id: str) -> Callable[[Any], Any]:
    """The ID argument names the melding; the file may leave melding_id and ontvangen_op out."""

    def vul_aan(gegevens: Any) -> Any:
        if not isinstance(gegevens, dict):
            return gegevens
        gegevens = dict(gegevens)
        eigen = gegevens.setdefault("melding_id", melding_id)
        if eigen != melding_id:
            raise OngeldigeInvoer(
                [f"melding_id: {eigen!r} in het bestand verschilt van ID {melding_id!r}"]
            )
        gegevens.setdefault("ontvangen_op", datetime.now(UTC).isoformat())
        return gegevens

    return vul_aan


def _json(model: BaseModel | Sequence[BaseModel]) -> str:
    if isinstance(model, BaseModel):
        return model.model_dump_json(indent=2)
    return json.dumps([m.model_dump(mode="json") for m in model], indent=2)


# -- output -----------------------------------------------------------------------------------
def moment(waarde: datetime | None) -> str:
    """A moment in Amsterdam time, to the minute."""
    return waarde.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M") if waarde else "-"


def _triage(t: Triage) -> str:
    bevindingen = [
        label
        for label, ja in (
            ("A acute onveiligheid", t.acute_onveiligheid),
            ("directe interventie nodig", t.directe_interventie_nodig),
            ("B structurele onveiligheid", t.structurele_onveiligheid),
            ("C schadelijke leefsituatie", t.schadelijke_leefsituatie),
            ("informatie ontoereikend", not t.informatie_toereikend),
            ("nader onderzoek nodig", t.nader_onderzoek_nodig),
        )
        if ja
    ]
    return f"{t.medewerker}, urgentie {t.urgentie.value}: {', '.join(bevindingen) or 'geen'}"


def _besluit(b: Besluit) -> str:
    delen = [f"{b.medewerker}: {b.vervolg.value}"]
    if b.ketenpartner:
        delen[0] += f" aan {b.ketenpartner.soort.value} {b.ketenpartner.naam}"
    delen.append(f"contact huishouden: {b.contact_huishouden.value}")
    if b.advies_aan_melder:
        delen.append(f"advies aan melder: {b.advies_aan_melder.value}")
    if b.geweld_vastgesteld is not None:
        delen.append(f"geweld vastgesteld: {'ja' if b.geweld_vastgesteld else 'nee'}")
    for label, ja in (
        ("anonimiteit toegezegd", b.anonimiteit_toegezegd),
        ("verzoek tot onderzoek bij de Raad", b.raad_verzoek_tot_onderzoek),
        ("politie geinformeerd", b.politie_informeren),
        ("huishouden later informeren", b.huishouden_informeren_uitstellen is not None),
    ):
        if ja:
            delen.append(label)
    return "; ".join(delen)


def _beoordeling(s: MeldingStatus, nu: datetime) -> str:
    if s.beoordeling_deadline is None:
        return "-"
    tekst = f"uiterlijk {moment(s.beoordeling_deadline)}"
    if s.besluit is not None:
        return tekst + " (besluit genomen)"
    over = werkdagen_resterend(nu, s.beoordeling_deadline)
    if over < 0 or nu > s.beoordeling_deadline:
        return tekst + f", {-over} werkdag(en) te laat"
    return tekst + f", nog {over} werkdag(en) (vandaag meegeteld)"


def _monitoring(s: MeldingStatus) -> str:
    regels = []
    for nummer, m in enumerate(s.monitoring, start=1):
        u = m.uitkomst
        if u is None:
            stand = "open"
        elif u.stabiel_veilig:
            stand = f"{u.medewerker}: stabiel veilig"
        else:
            stand = (
                f"{u.medewerker}: niet stabiel veilig"
                + (", herstel gaande" if u.herstel_gaande else "")
                + (", nieuwe melding" if u.nieuwe_melding_nodig else "")
            )
        regels.append(f"{nummer}. {moment(m.gepland_op)}: {stand}")
    return "; ".join(regels) or "-"


def samenvatting(s: MeldingStatus, nu: datetime) -> str:
    """A readable summary of a status: only what the status holds, no free text."""
    b = s.bronnen
    rijen = [
        ("fase", s.fase.value),
        ("ontvangen op", moment(s.ontvangen_op)),
        ("beoordeling", _beoordeling(s, nu)),
        ("bronnen", f"register {b.register.value}, raad {b.raad.value}, politie {b.politie.value}"),
        ("eerdere meldingen", str(s.eerdere_meldingen)),
        ("triage", _triage(s.triage) if s.triage else "-"),
        ("besluit", _besluit(s.besluit) if s.besluit else "-"),
        (
            "terugkoppelingen",
            "; ".join(f"{t.soort.value} {moment(t.verstuurd_op)}" for t in s.terugkoppelingen)
            or "-",
        ),
        (
            "tweede terugkoppeling",
            f"uiterlijk {moment(s.tweede_terugkoppeling_deadline)}"
            if s.tweede_terugkoppeling_deadline
            else "-",
        ),
        ("monitoring", _monitoring(s)),
        (
            "gekoppeld",
            "; ".join(
                f"{k.melding_id} ({k.regio}, {moment(k.ontvangen_op)})"
                for k in s.gekoppelde_meldingen
            )
            or "-",
        ),
        ("volgende deadline", moment(s.volgende_deadline)),
    ]
    kop = f"melding {s.melding_id} (regio {s.regio})"
    if s.termijn_overschreden:
        kop += "  ** TERMIJN OVERSCHREDEN **"
    return "\n".join([kop, *(f"  {naam:<22} {waarde}" for naam, waarde in rijen)])


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

        async def actie(client: MeldingClient) -> int:
            status: MeldingStatus = await getattr(client, methode)(args.id, invoer)
            if args.json:
                print(_json(status))
            else:
                print(f"{wat} geregistreerd voor melding {args.id}; fase nu {status.fase.value}")
            return KLAAR

        return actie

    return voorbereid


def _status(args: argparse.Namespace) -> Actie:
    async def actie(client: MeldingClient) -> int:
        status = await client.status(args.id)
        print(_json(status) if args.json else samenvatting(status, datetime.now(UTC)))
        return KLAAR

    return actie


def _lijst(args: argparse.Namespace) -> Actie:
    zoekvraag_lijst(args.fase, args.regio, args.overschreden)  # invalid input: nothing sent

    async def actie(client: MeldingClient) -> int:
        regels = await client.lijst(args.fase, args.regio, args.overschreden, args.limiet)
        print(_json(regels) if args.json else tabel(regels))
        return KLAAR

    return actie


def tabel(regels: list[MeldingRegel]) -> str:
    if not regels:
        return "geen meldingen gevonden"
    rijen = [("melding", "fase", "regio", "volgende deadline", "termijn", "workflow")]
    for r in regels:
        rijen.append(
            (
                r.melding_id,
                r.fase.value if r.fase else "-",
                r.regio or "-",
                moment(r.volgende_deadline),
                "OVERSCHREDEN" if r.overschreden else "",
                r.status,
            )
        )
    breedtes = [max(len(rij[i]) for rij in rijen) for i in range(len(rijen[0]))]
    return "\n".join(
        "  ".join(cel.ljust(b) for cel, b in zip(rij, breedtes, strict=True)).rstrip()
        for rij in rijen
    )


def _vernietig(args: argparse.Namespace) -> Actie:
    verzoek = lees(args.bestand, VernietigingsVerzoek, _verzoek_aanvulling(args.id))

    async def actie(client: MeldingClient) -> int:
        try:
            resultaat = await client.vernietig(verzoek, timedelta(seconds=args.wacht))
        except VernietigingWachtOpBesluit as wacht:
            print(wacht)
            return KLAAR
        print(_json(resultaat) if args.json else uitkomst(resultaat))
        return KLAAR

    return actie


def uitkomst(r: VernietigingsResultaat) -> str:
    if r.toegekend:
        return (
            f"verzoek tot vernietiging van melding {r.melding_id} toegekend ({r.reden}); "
            f"dossier vernietigd op {moment(r.uitgevoerd_op)}"
        )
    return f"verzoek tot vernietiging van melding {r.melding_id} niet toegekend: {r.reden}"


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
        voorbereid: Callable[[argparse.Namespace], Actie],
        *,
        id_: bool = False,
        bestand: str | None = None,
        json_: bool = False,
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
            s.add_argument("--json", action="store_true", help="toon de MeldingStatus als JSON")
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
        json_=True,
    )
    opdracht(
        "besluit",
        "het besluit over de vervolgstap registreren (na triage en bronnen)",
        _update(Besluit, "neem_besluit", "besluit"),
        id_=True,
        bestand="het Besluit",
        json_=True,
    )
    opdracht(
        "dienst-afronden",
        "een dienst (voorwaarden_en_vervolg of onderzoek) afronden",
        _update(DienstAfronding, "rond_dienst_af", "dienstafronding"),
        id_=True,
        bestand="de DienstAfronding",
        json_=True,
    )
    opdracht(
        "monitoring",
        "de uitkomst van een open monitoringsmoment registreren",
        _update(MonitoringUitkomst, "registreer_monitoring", "monitoringsuitkomst"),
        id_=True,
        bestand="de MonitoringUitkomst",
        json_=True,
    )
    opdracht(
        "status",
        "de stand van een melding: fase, termijnen, bronnen, besluiten",
        _status,
        id_=True,
        json_=True,
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
    lijst.add_argument("--limiet", type=int, default=100, help="ten hoogste zoveel (100)")
    lijst.add_argument("--json", action="store_true", help="toon de regels als JSON")
    vernietig = opdracht(
        "vernietig",
        "verzoek tot vernietiging van een dossier (Q&A 28); melding_id en "
        "ontvangen_op mogen in FILE ontbreken (ID en nu). Wacht het verzoek op een besluit van "
        "een medewerker, dan zegt de uitvoer dat (update beslis_vernietiging)",
        _vernietig,
        id_=True,
        bestand="het VernietigingsVerzoek",
        json_=True,
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
    return p


def _controleer_id(melding_id: str) -> None:
    try:
        names.melding_workflow_id(melding_id)
    except ValueError as fout:
        raise OngeldigeInvoer([str(fout)]) from None


async def _voer_uit(actie: Actie, env: Mapping[str, str] | None) -> int:
    client = await MeldingClient.connect(env)
    return await actie(client)


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if getattr(args, "id", None) is not None:
            _controleer_id(args.id)
        actie = args.voorbereid(args)
        return asyncio.run(_voer_uit(actie, env))
    except OngeldigeInvoer as fout:
        print("ongeldige invoer, niets verstuurd:", file=sys.stderr)
        for regel in fout.regels:
            print(f"  {regel}", file=sys.stderr)
        return ONGELDIG
    except (OnbekendeMelding, Geweigerd, MeldingBestaatAl) as fout:
        print(fout, file=sys.stderr)
        return GEWEIGERD
    except MeldingFout as fout:
        print(fout, file=sys.stderr)
        return FOUT
    except KeyboardInterrupt:
        return 130
