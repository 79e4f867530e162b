"""`python -m starter …`: the command line over MeldingClient (docs/contract.md, "Python client and
CLI"): the arguments, the dispatch to a command, and the exit codes. Input is read and
validated before anything is sent (starter.invoer) and shown by starter.weergave; every error is
one line a person can act on, and the exit code says what kind of error it was (SOORTEN).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from contract import ids, names
from contract.client import STANDAARD_ADRES
from starter.acties import (
    BESTAAT_AL,
    GEWEIGERD,
    INTERN,
    KLAAR,
    NIET_BESCHIKBAAR,
    ONBEKEND,
    ONGELDIG,
    Actie,
    controleer_verzoek_id,
)
from starter.client import MeldingClient
from starter.codec_client import CodecServerOnbereikbaar, VerklaringOnbereikbaar
from starter.demo import DemoZonderWorker
from starter.fouten import (
    GeenAntwoord,
    GeenVerbinding,
    GeenWorker,
    Geweigerd,
    MeldingBestaatAl,
    MeldingFout,
    OnbekendeMelding,
    OngeldigeInvoer,
    Vastgelopen,
)
from starter.invoer import controleer_id, foutmelding
from starter.opdrachten import OPDRACHTEN, VERZOEK_HULP, Opdracht
from versleuteling.codec import SleutelFout, SleutelopslagOnbereikbaar

# Each kind of outcome: the errors that are it, its name (`fout` of --json) and exit code. The
# first row an error is an instance of counts; any other MeldingFout or SleutelFout is INTERN.
SOORTEN: tuple[tuple[tuple[type[BaseException], ...], str, int], ...] = (
    ((OngeldigeInvoer,), "ongeldige_invoer", ONGELDIG),
    ((OnbekendeMelding,), "onbekende_melding", ONBEKEND),
    ((Geweigerd,), "geweigerd", GEWEIGERD),
    ((MeldingBestaatAl,), "bestaat_al", BESTAAT_AL),
    (
        (
            GeenVerbinding,  # Temporal
            GeenWorker,
            DemoZonderWorker,
            GeenAntwoord,  # no answer: no worker, or it waits on PostgreSQL (Vastgelopen)
            SleutelopslagOnbereikbaar,  # the data keys' PostgreSQL
            CodecServerOnbereikbaar,
            VerklaringOnbereikbaar,
        ),
        "niet_beschikbaar",
        NIET_BESCHIKBAAR,
    ),
)
INTERN_SOORT = "intern"
# For niet_beschikbaar: the part that is down, as `--json` names it in `onderdeel`.
ONDERDELEN: tuple[tuple[type[BaseException], str], ...] = (
    (GeenVerbinding, "temporal"),
    (GeenWorker, "worker"),
    (DemoZonderWorker, "worker"),
    (SleutelopslagOnbereikbaar, "postgresql"),
    (CodecServerOnbereikbaar, "codec_server"),
)


def onderdeel(fout: BaseException) -> str | None:
    """Which part is not available (`temporal`, `postgresql`, `codec_server`, `worker`), or
    None: not an outage, or Temporal would not tell why no answer came."""
    if isinstance(fout, Vastgelopen):
        return "postgresql" if fout.database else "worker"
    if isinstance(fout, VerklaringOnbereikbaar | GeenAntwoord):
        return fout.onderdeel
    return next((naam for klasse, naam in ONDERDELEN if isinstance(fout, klasse)), None)


def soort(fout: BaseException) -> tuple[str, int]:
    """The kind of outcome of an error and its exit code (SOORTEN; else intern, 1)."""
    for klassen, naam, code in SOORTEN:
        if isinstance(fout, klassen):
            return naam, code
    return INTERN_SOORT, INTERN


def _geldig_id(melding_id: object) -> str | None:
    """A melding_id to repeat in an error: only one the ID rules accept (never a name or BSN)."""
    if not isinstance(melding_id, str):
        return None
    try:
        ids.melding_workflow_id(melding_id)
    except ValueError:
        return None
    return melding_id


def fout_als_json(fout: BaseException, melding_id: str | None = None) -> str:
    """An error as the one line `--json` prints on stdout (docs/contract.md, "Errors as JSON"):
    its kind, the message, the melding it is about (when known) and, for invalid input, one
    `field: rule` line per problem."""
    naam, _ = soort(fout)
    velden = fout.regels if isinstance(fout, OngeldigeInvoer) else []
    if isinstance(fout, OngeldigeInvoer):
        tekst = "ongeldige invoer, niets verstuurd"
    elif naam == INTERN_SOORT and not isinstance(fout, MeldingFout | SleutelFout):
        tekst = f"interne fout ({type(fout).__name__})"  # an unexpected error: not its text
    else:
        tekst = str(fout)
    return json.dumps(
        {
            "fout": naam,
            "onderdeel": onderdeel(fout),
            "melding": tekst,
            "melding_id": _geldig_id(getattr(fout, "melding_id", None) or melding_id),
            "velden": velden,
        },
        ensure_ascii=False,
    )


class _Parser(argparse.ArgumentParser):
    """argparse, whose usage errors (exit 2) are one JSON line on stdout with `--json`."""

    def __init__(self, *args: Any, json_fouten: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.json_fouten = json_fouten

    def error(self, message: str) -> NoReturn:
        if self.json_fouten:
            print(fout_als_json(OngeldigeInvoer([f"{self.prog}: {message}"])))
            self.exit(ONGELDIG)
        super().error(message)


EPILOOG = f"""\
exitcodes:
  0  gelukt
  2  ongeldige invoer: elke regel noemt het veld en de regel die het schendt; ook ongeldige
     JSON (met regel en kolom), een bestand dat niet bestaat of een verkeerd argument. Er is
     dan niets verstuurd.
  3  onbekende melding (nooit ingediend, of het dossier is vernietigd)
  4  geweigerd door het protocol in de huidige fase (de reden van de workflow wordt getoond),
     ook: de casus is afgesloten
  5  "melding … bestaat al": een andere melding onder dit melding_id
  6  een onderdeel is niet beschikbaar: Temporal, PostgreSQL, de codec server, of geen
     worker op de task queue (geen antwoord)
  1  al het andere (intern)

omgeving:
  TEMPORAL_ADDRESS (standaard {STANDAARD_ADRES}), TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
  TEMPORAL_TLS*, TEMPORAL_PROFILE: zoals de Temporal SDK ze leest.
  {names.TASK_QUEUE_ENV}: de task queue van de worker (standaard {names.TASK_QUEUE}).

FILE is een JSON-bestand, of - voor stdin. Voorbeelden: starter/examples/*.json."""


def _voeg_toe(sub: Any, opdracht: Opdracht) -> None:
    """One row of OPDRACHTEN as a subcommand."""
    if opdracht.voorbereid is None:  # a command of its own (main): its extra arguments only
        eigen = sub.add_parser(opdracht.naam, help=opdracht.hulp, description=opdracht.hulp)
        for argument in opdracht.extra:
            eigen.add_argument(*argument.vlaggen, **argument.opties)
        return
    s = sub.add_parser(
        opdracht.naam,
        help=opdracht.hulp,
        description=opdracht.hulp,
        epilog=EPILOOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if opdracht.id_:
        voorbeeld = (
            "advies_id, bijv. AV-UTR-2026-000123"
            if opdracht.naam.startswith("advies-")
            else "het workflow-ID van de lijst (python -m starter lijsten)"
            if opdracht.naam.startswith("lijst-")
            else "melding_id, bijv. VT-UTR-2026-000123"
        )
        s.add_argument("id", metavar="ID", help=voorbeeld)
    if opdracht.bestand:
        s.add_argument(
            "bestand", metavar="FILE", help=f"{opdracht.bestand} als JSON; - leest stdin"
        )
    if opdracht.json_:
        s.add_argument("--json", action="store_true", help=f"toon {opdracht.json_} als JSON")
    if opdracht.verzoek:
        s.add_argument("--verzoek-id", metavar="V", type=controleer_verzoek_id, help=VERZOEK_HULP)
    for argument in opdracht.extra:
        s.add_argument(*argument.vlaggen, **argument.opties)
    s.set_defaults(voorbereid=opdracht.voorbereid)


def parser(json_fouten: bool = False) -> argparse.ArgumentParser:
    """The parser; `json_fouten`: a usage error is printed as JSON (the arguments hold --json)."""
    p = _Parser(
        json_fouten=json_fouten,
        prog="python -m starter",
        description="Meldingen bij Veilig Thuis indienen, besluiten registreren en status lezen "
        "via Temporal (MeldingWorkflow).",
        epilog=EPILOOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="opdracht", required=True, metavar="OPDRACHT")
    for opdracht in OPDRACHTEN:
        _voeg_toe(sub, opdracht)
    for sub_parser in sub.choices.values():
        if isinstance(sub_parser, _Parser):
            sub_parser.json_fouten = json_fouten
    return p


async def _voer_uit(actie: Actie, env: Mapping[str, str] | None) -> int:
    client = await MeldingClient.connect(env)
    return await actie(client)


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    argumenten = sys.argv[1:] if argv is None else list(argv)
    als_json = "--json" in argumenten
    args = parser(als_json).parse_args(argumenten)
    if args.opdracht == "codec-server":
        from starter import codec_server

        return codec_server.main(env)
    if args.opdracht in ("cbs", "rapport"):  # PostgreSQL, not Temporal: statistiek/
        from statistiek import cli as statistiek_cli

        return statistiek_cli.main(args, env)
    melding_id = getattr(args, "id", None)
    try:
        if melding_id is not None:
            controleer_id(melding_id, lijst=args.opdracht.startswith("lijst-"))
        actie = args.voorbereid(args)
        if actie is None:  # done without Temporal (lijst --ui)
            return KLAAR
        return asyncio.run(_voer_uit(actie, env))
    except KeyboardInterrupt:
        return 130
    except (MeldingFout, SleutelFout) as fout:
        return _meld(fout, melding_id, als_json)
    except Exception as fout:
        if not als_json:
            raise  # the traceback, exit 1
        return _meld(fout, melding_id, als_json)


def _meld(fout: BaseException, melding_id: str | None, als_json: bool) -> int:
    """Tell the error, on stderr, or as one JSON line on stdout; its kind's exit code."""
    if als_json:
        print(fout_als_json(fout, melding_id))
    elif isinstance(fout, OngeldigeInvoer):
        print(foutmelding(fout), file=sys.stderr)
    else:
        print(fout, file=sys.stderr)
    return soort(fout)[1]
