"""The advies commands of `python -m starter` (advies-indienen, advies-gesprek,
advies-vertrouwensarts, advies-sluiten, advies-omzetten, advies-status): input read and
checked first, then the action on an AdviesClient over the command's MeldingClient."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from domain.advies import AdviesStatus, Adviesvraag
from starter.acties import KLAAR, Actie
from starter.advies_client import AdviesClient
from starter.client import MeldingClient, nieuw_verzoek_id
from starter.invoer import lees

M = TypeVar("M", bound=BaseModel)


def tekst(s: AdviesStatus) -> str:
    """The advies as a few lines: no question, no conversation text (those are in --json)."""
    regels = [
        f"advies {s.advies_id} (regio {s.regio}): {s.fase.value}",
        f"  ontvangen op {s.ontvangen_op.isoformat()}",
        f"  gesprekken: {len(s.gesprekken)}"
        + "".join(
            f"\n    {g.datum.isoformat()} {g.soort.value} ({g.medewerker})" for g in s.gesprekken
        ),
        f"  vertrouwensarts geraadpleegd: {'ja' if s.vertrouwensarts_geraadpleegd else 'nee'}",
    ]
    if s.lang_open:
        regels.append("  staat lang open (herinnering na 4 weken)")
    if s.afsluiting is not None:
        a = s.afsluiting
        vormen = ", ".join(v.value for v in a.aard)
        organisatie = a.organisatie.value if a.organisatie else "-"
        regels.append(
            f"  afgesloten: rol {a.rol.value}, organisatie {organisatie}, aard {vormen}, "
            f"duur {a.duur.value}"
        )
    if s.melding_id is not None:
        regels.append(
            f"  omgezet naar melding {s.melding_id} (python -m starter status {s.melding_id})"
        )
    return "\n".join(regels)


def indienen(args: argparse.Namespace) -> Actie:
    vraag = lees(args.bestand, Adviesvraag)

    async def actie(client: MeldingClient) -> int:
        workflow_id = await AdviesClient(client).indienen(vraag)
        if args.json:
            print(json.dumps({"workflow_id": workflow_id, "advies_id": vraag.advies_id}))
        else:
            print(
                f"advies {vraag.advies_id} ingediend: workflow {workflow_id} "
                f"(task queue {client.task_queue})"
            )
        return KLAAR

    return actie


def update(model: type[M], methode: str) -> Callable[[argparse.Namespace], Actie]:
    def voorbereid(args: argparse.Namespace) -> Actie:
        invoer = lees(args.bestand, model)
        verzoek_id = args.verzoek_id or nieuw_verzoek_id()
        if not args.verzoek_id:
            print(
                f"verzoek-id {verzoek_id} (herhaal met --verzoek-id {verzoek_id})", file=sys.stderr
            )

        async def actie(client: MeldingClient) -> int:
            advies = AdviesClient(client)
            status: AdviesStatus = await getattr(advies, methode)(
                args.id, invoer, verzoek_id=verzoek_id
            )
            print(status.model_dump_json(indent=2) if args.json else tekst(status))
            return KLAAR

        return actie

    return voorbereid


def status(args: argparse.Namespace) -> Actie:
    async def actie(client: MeldingClient) -> int:
        s = await AdviesClient(client).status(args.id)
        print(s.model_dump_json(indent=2) if args.json else tekst(s))
        return KLAAR

    return actie
