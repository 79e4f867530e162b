"""What each command of `python -m starter` does: it reads and checks its input first (nothing is
sent when that fails) and returns the action to run on a client; the exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from domain.besluiten import (
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.kenmerken import verzoek_id_fout
from domain.melding import Melding
from domain.status import MeldingStatus
from starter import werkvoorraad
from starter.client import MeldingClient, nieuw_verzoek_id
from starter.fouten import (
    OngeldigeInvoer,
    VernietigingWachtOpBesluit,
)
from starter.invoer import (
    lees,
    verzoek_aanvulling,
)
from starter.weergave import als_json, na_beslissing, samenvatting, tabel, uitkomst
from starter.zoeken import zoekvraag_lijst

M = TypeVar("M", bound=BaseModel)
Actie = Callable[[MeldingClient], Awaitable[int]]

# The exit codes, one per kind of outcome (docs/contract.md, "Exit codes"); starter/cli.py maps
# each error to its kind (SOORTEN).
KLAAR, INTERN, ONGELDIG, ONBEKEND, GEWEIGERD, BESTAAT_AL, NIET_BESCHIKBAAR = 0, 1, 2, 3, 4, 5, 6


def controleer_verzoek_id(waarde: str) -> str:
    """--verzoek-id: the update ID, readable in Temporal: a UUID or a number with a short letter
    prefix, never a name or a BSN (domain/kenmerken.py). Refused: exit 2, value not repeated."""
    fout = verzoek_id_fout(waarde)
    if fout is not None:
        raise argparse.ArgumentTypeError(fout)
    return waarde


def indienen(args: argparse.Namespace) -> Actie:
    melding = lees(args.bestand, Melding)

    async def actie(client: MeldingClient) -> int:
        workflow_id = await client.indienen(melding)
        if args.json:
            print(json.dumps({"workflow_id": workflow_id, "melding_id": melding.melding_id}))
            return KLAAR
        print(
            f"melding {melding.melding_id} ingediend: workflow {workflow_id} "
            f"(task queue {client.task_queue})"
        )
        return KLAAR

    return actie


def update(model: type[M], methode: str, wat: str) -> Callable[[argparse.Namespace], Actie]:
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
            # Not the phase the update answered with: what follows (an advies closes seconds
            # after its besluit).
            print(als_json(status) if args.json else na_beslissing(wat, invoer, status))
            return KLAAR

        return actie

    return voorbereid


def status(args: argparse.Namespace) -> Actie:
    async def actie(client: MeldingClient) -> int:
        status = await client.status(args.id)
        print(als_json(status) if args.json else samenvatting(status, datetime.now(UTC)))
        return KLAAR

    return actie


def post(args: argparse.Namespace) -> Actie | None:
    """What make run's mail sink and print folder received (no Temporal needed)."""
    from starter import post as postbus

    postbus.main(args.data, args.melding, args.json)
    return None


def lijst(args: argparse.Namespace) -> Actie | None:
    if args.weergave:
        if args.fase or args.overschreden:
            raise OngeldigeInvoer(["--weergave: niet samen met --fase of --overschreden"])
        zoekvraag = werkvoorraad_vraag(args.weergave, args.regio, datetime.now(UTC))
        if args.ui:
            namespace = os.environ.get("TEMPORAL_NAMESPACE") or "default"
            try:
                basis = args.ui_adres or werkvoorraad.ui_adres(os.environ)
            except ValueError as fout:
                raise OngeldigeInvoer([str(fout)]) from None
            link = werkvoorraad.ui_link(basis, namespace, zoekvraag)
            print(json.dumps({"ui": link}) if args.json else link)
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
        if weergave == "mislukt":
            zoekvraag = werkvoorraad.MISLUKT
        else:
            zoekvraag = werkvoorraad.weergaven(nu)[weergave]
        return werkvoorraad.met_regio(zoekvraag, regio) if regio else zoekvraag
    except ValueError as fout:
        raise OngeldigeInvoer([f"regio: {fout}"]) from fout


def vernietig(args: argparse.Namespace) -> Actie:
    verzoek = lees(args.bestand, VernietigingsVerzoek, verzoek_aanvulling(args.id))

    async def actie(client: MeldingClient) -> int:
        try:
            resultaat = await client.vernietig(verzoek, timedelta(seconds=args.wacht))
        except VernietigingWachtOpBesluit as wacht:
            if args.json:
                print(
                    json.dumps(
                        {
                            "wacht_op_besluit": True,
                            "melding_id": wacht.melding_id,
                            "workflow_id": wacht.workflow_id,
                            "melding": str(wacht),
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                print(wacht)
            return KLAAR
        print(als_json(resultaat) if args.json else uitkomst(resultaat))
        return KLAAR

    return actie


def vernietigingsbesluit(args: argparse.Namespace) -> Actie:
    """A teamleider's decision on a pending request (update beslis_vernietiging): the login
    (VT_CODEC_TOKEN) must be a teamleider who did not file the request."""
    besluit = lees(args.bestand, VernietigingsBesluit)
    verzoek_id = args.verzoek_id or nieuw_verzoek_id()
    if not args.verzoek_id:
        print(f"verzoek-id {verzoek_id} (herhaal met --verzoek-id {verzoek_id})", file=sys.stderr)

    async def actie(client: MeldingClient) -> int:
        resultaat = await client.beslis_vernietiging(args.id, besluit, verzoek_id=verzoek_id)
        print(als_json(resultaat) if args.json else uitkomst(resultaat))
        return KLAAR

    return actie


def zorgmeldingen(args: argparse.Namespace) -> Actie:
    """The politie's zorgmeldingen from their file drop (starter/zorgmeldingen.py)."""
    from keten.uitwisselmap import Uitwisselmap
    from starter import zorgmeldingen as zm

    kanaal = Uitwisselmap(Path(args.map))

    async def actie(client: MeldingClient) -> int:
        if args.blijf:
            await zm.blijf_verwerken(kanaal, client, args.blijf, args.json)
        zm.toon(await zm.verwerk(kanaal, client), args.json)
        return KLAAR

    return actie


def demo(args: argparse.Namespace) -> Actie:
    from starter.demo import voer_demo_uit

    async def actie(client: MeldingClient) -> int:
        if not args.json:
            return await voer_demo_uit(client, timedelta(seconds=args.wacht))
        # --json: the progress on stderr, on stdout only the meldingen it made.
        meldingen: dict[str, str] = {}
        code = await voer_demo_uit(
            client,
            timedelta(seconds=args.wacht),
            lambda regel: print(regel, file=sys.stderr),
            meldingen,
        )
        print(json.dumps({"task_queue": client.task_queue, "meldingen": meldingen}))
        return code

    return actie
