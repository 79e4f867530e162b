"""The destruction list's commands of `python -m starter` (lijst-status, lijst-beoordelen,
lijst-goedkeuren, lijst-annuleren, lijsten, lijst-plannen): ids, counts, logins and moments;
the reasons a reviewer gave only in the audit trail of each dossier."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from pydantic import BaseModel

from domain.vernietigingslijst import LijstStatus
from runtime.config import STANDAARD_LIJST_CRON
from starter.acties import KLAAR, Actie
from starter.client import MeldingClient, nieuw_verzoek_id
from starter.invoer import lees
from starter.lijst_client import LijstClient


def tekst(s: LijstStatus) -> str:
    regels = [
        f"vernietigingslijst {s.lijst_id}: {s.fase.value} (ronde {s.ronde})",
        f"  peildatum {s.peildatum.isoformat()}; {len(s.items)} dossiers op de lijst, "
        f"{len(s.behouden)} behouden, {len(s.vernietigd)} vernietigd",
    ]
    for i in s.items:
        merk = " (behouden)" if i.melding_id in s.behouden else ""
        merk = " (vernietigd)" if i.melding_id in s.vernietigd else merk
        regels.append(
            f"    {i.melding_id} regio {i.regio}, bewaren tot {i.bewaren_tot.isoformat()} "
            f"({i.grond.value}){merk}"
        )
    if s.beoordeeld_door:
        regels.append(f"  beoordeeld door {s.beoordeeld_door}")
    if s.goedgekeurd_door:
        regels.append(f"  goedgekeurd door {s.goedgekeurd_door}")
    if s.wacht_tot:
        regels.append(f"  vernietiging vanaf {s.wacht_tot.isoformat(timespec='minutes')}")
    if s.verklaring:
        v = s.verklaring
        regels.append(
            f"  verklaring van vernietiging: {v.aantal_vernietigd} vernietigd, "
            f"{v.aantal_al_weg} al weg, op {v.vernietigd_op.isoformat(timespec='minutes')}"
        )
    return "\n".join(regels)


def status(args: argparse.Namespace) -> Actie:
    async def actie(client: MeldingClient) -> int:
        s = await LijstClient(client).status(args.id)
        print(s.model_dump_json(indent=2) if args.json else tekst(s))
        return KLAAR

    return actie


def update(model: type[BaseModel], naam: str) -> Callable[[argparse.Namespace], Actie]:
    def voorbereid(args: argparse.Namespace) -> Actie:
        invoer = lees(args.bestand, model)
        verzoek_id = args.verzoek_id or nieuw_verzoek_id()
        if not args.verzoek_id:
            print(
                f"verzoek-id {verzoek_id} (herhaal met --verzoek-id {verzoek_id})", file=sys.stderr
            )

        async def actie(client: MeldingClient) -> int:
            s = await LijstClient(client).update(args.id, naam, invoer, verzoek_id)
            print(s.model_dump_json(indent=2) if args.json else tekst(s))
            return KLAAR

        return actie

    return voorbereid


def opstellen(args: argparse.Namespace) -> Actie:
    async def actie(client: MeldingClient) -> int:
        lijst_id = await LijstClient(client).stel_op()
        print(lijst_id if args.json is False else json.dumps({"lijst_id": lijst_id}))
        return KLAAR

    return actie


def lijsten(args: argparse.Namespace) -> Actie:
    async def actie(client: MeldingClient) -> int:
        rijen = await LijstClient(client).lijsten()
        if args.json:
            print(json.dumps([{"lijst_id": i, "status": s} for i, s in rijen]))
        else:
            print("\n".join(f"{i}  {s}" for i, s in rijen) or "geen vernietigingslijsten")
        return KLAAR

    return actie


def plannen(args: argparse.Namespace) -> Actie:
    async def actie(client: MeldingClient) -> int:
        cron = args.cron or STANDAARD_LIJST_CRON
        if not await LijstClient(client).plan(cron):
            print("vernietigingslijst niet gepland (zie de log)", file=sys.stderr)
            return 1
        print(f"vernietigingslijst gepland: {cron} (task queue {client.task_queue})")
        return KLAAR

    return actie
