"""The cases of the browser tests: one stack, cases in several phases, one of them overdue, and
the moments at which each werkvoorraad view must show exactly a known set of them.

A view that depends on the date (beoordeling today or tomorrow, tweede terugkoppeling this
week, monitoring this month) is asked for the day the case was built to fall on: receipt dates
in the past make a beoordeling due on the next werkdag (D) and the one after (D+1), whatever
weekday the test runs on.
"""

from __future__ import annotations

import asyncio
import time as klok
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from domain.besluiten import Besluit, DienstAfronding, Triage
from domain.melding import Melding
from domain.status import MeldingStatus
from domain.waarden import Fase
from domain.werkdagen import AMSTERDAM, STANDAARD_KALENDER
from starter.client import MeldingClient
from starter.demo import voorbeeld, wacht_op
from starter.zoeken import VT_FASE, VT_TERMIJN_OVERSCHREDEN

KALENDER = STANDAARD_KALENDER
WACHT = 60.0
ZICHTBAAR = 15.0
# Two regions: every case in one, except the two in the other (the view per region).
REGIO = "utrecht"
ANDERE_REGIO = "twente"


@dataclass(frozen=True)
class Plan:
    melding: str  # example file
    regio: str
    ontvangen: date | None = None  # None: now
    triage: str | None = None
    besluit: str | None = None
    afronding: str | None = None


@dataclass
class Casussen:
    """The made cases: name -> melding_id, their last status, and the moments of the views."""

    ids: dict[str, str]
    status: dict[str, MeldingStatus] = field(default_factory=dict)
    dag: date = date.min  # D: the werkdag on which `vandaag` is due (`morgen` the day after)

    def workflow_id(self, naam: str) -> str:
        return f"melding-{self.ids[naam]}"

    def workflow_ids(self, *namen: str) -> set[str]:
        return {self.workflow_id(n) for n in namen}

    @property
    def alle(self) -> set[str]:
        return self.workflow_ids(*self.ids)


def volgende_werkdag_met_werkdag_erna(vandaag: date) -> date:
    """D: the first day after today that is a werkdag followed by a werkdag."""
    dag = vandaag + timedelta(days=1)
    while not (KALENDER.is_werkdag(dag) and KALENDER.is_werkdag(dag + timedelta(days=1))):
        dag += timedelta(days=1)
    return dag


def ontvangen_voor_deadline(deadline_dag: date, vandaag: date) -> date:
    """A day of receipt before today whose beoordeling falls due on `deadline_dag`."""
    for terug in range(1, 30):
        dag = vandaag - timedelta(days=terug)
        if KALENDER.plus_werkdagen(dag, 5) == deadline_dag:
            return dag
    raise AssertionError(f"geen ontvangstdag voor een deadline op {deadline_dag}")


def plannen(vandaag: date) -> tuple[dict[str, Plan], date]:
    d = volgende_werkdag_met_werkdag_erna(vandaag)
    return {
        "nieuw": Plan("melding_spoed", REGIO),
        "triage": Plan("melding_ex_partner", REGIO, triage="triage"),
        "vandaag": Plan("melding_onderzoek", REGIO, ontvangen_voor_deadline(d, vandaag)),
        "morgen": Plan(
            "melding_afsluiten", ANDERE_REGIO, ontvangen_voor_deadline(d + timedelta(1), vandaag)
        ),
        # Received two weeks ago: the beoordeling passed a week ago, nobody registered a triage.
        "te-laat": Plan("melding_advies", REGIO, vandaag - timedelta(days=14)),
        "voorwaarden": Plan(
            "melding_voorwaarden",
            REGIO,
            triage="triage_structureel",
            besluit="besluit_voorwaarden_en_vervolg",
        ),
        "monitoring": Plan(
            "melding_monitoring",
            ANDERE_REGIO,
            triage="triage_structureel",
            besluit="besluit_voorwaarden_en_vervolg",
            afronding="dienst_afronding",
        ),
        "afgesloten": Plan(
            "melding_overdracht", REGIO, triage="triage", besluit="besluit_overdracht"
        ),
    }, d


EINDFASE = {
    "nieuw": Fase.WACHT_OP_TRIAGE,
    "triage": Fase.WACHT_OP_BESLUIT,
    "vandaag": Fase.WACHT_OP_TRIAGE,
    "morgen": Fase.WACHT_OP_TRIAGE,
    "te-laat": Fase.WACHT_OP_TRIAGE,
    "voorwaarden": Fase.VOORWAARDEN_EN_VERVOLG,
    "monitoring": Fase.MONITORING,
    "afgesloten": Fase.AFGESLOTEN,
}


def melding(plan: Plan, melding_id: str, nu: datetime) -> Melding:
    ontvangen = (
        nu
        if plan.ontvangen is None
        else datetime.combine(plan.ontvangen, time(10, 0), tzinfo=AMSTERDAM)
    )
    gegevens = {
        **voorbeeld(plan.melding),
        "melding_id": melding_id,
        "regio": plan.regio,
        "ontvangen_op": ontvangen.isoformat(),
    }
    return Melding.ontvang(gegevens, nu=nu)


async def maak_casussen(client: MeldingClient) -> Casussen:
    """Submit every case and drive it to its phase; the overdue one until it is marked so."""
    nu = datetime.now(UTC)
    vandaag = nu.astimezone(AMSTERDAM).date()
    alle, d = plannen(vandaag)
    reeks = f"UI-{uuid.uuid4().hex[:6].upper()}"
    # Numbers, not names: an id part holds at most four letters in a row (domain/kenmerken.py).
    casussen = Casussen(ids={naam: f"{reeks}-{n + 1:02d}" for n, naam in enumerate(alle)}, dag=d)
    for naam, plan in alle.items():
        await client.indienen(melding(plan, casussen.ids[naam], nu))
    await asyncio.gather(*(_volg(client, casussen, naam, plan) for naam, plan in alle.items()))
    await asyncio.gather(*(_zichtbaar(client, casussen, naam) for naam in alle))
    return casussen


async def _zichtbaar(client: MeldingClient, casussen: Casussen, naam: str) -> None:
    """Wait until Temporal's visibility store (what the Web UI lists) holds the search
    attributes the case has now: it follows the workflow a moment later. After ZICHTBAAR
    seconds without them the tests go on and their own checks say what is missing."""
    status = casussen.status[naam]
    zoekvraag = f'WorkflowId = "{casussen.workflow_id(naam)}"'
    einde = klok.monotonic() + ZICHTBAAR
    while klok.monotonic() < einde:
        async for wf in client.client.list_workflows(zoekvraag):
            sa = wf.typed_search_attributes
            if (
                wf.status is not None
                and (wf.status.name == "RUNNING") is (status.fase is not Fase.AFGESLOTEN)
                and sa.get(VT_FASE) == status.fase.value
                and bool(sa.get(VT_TERMIJN_OVERSCHREDEN)) is status.termijn_overschreden
            ):
                return
        await asyncio.sleep(0.2)


async def _volg(client: MeldingClient, casussen: Casussen, naam: str, plan: Plan) -> None:
    melding_id = casussen.ids[naam]
    await wacht_op(client, melding_id, lambda s: s.fase is not Fase.INFORMATIE_VERZAMELEN, WACHT)
    if plan.triage:
        await client.registreer_triage(melding_id, Triage.model_validate(voorbeeld(plan.triage)))
    if plan.besluit:
        await client.neem_besluit(melding_id, Besluit.model_validate(voorbeeld(plan.besluit)))
    if plan.afronding:
        await wacht_op(client, melding_id, lambda s: bool(s.terugkoppelingen), WACHT)
        afronding = DienstAfronding.model_validate(voorbeeld(plan.afronding))
        await client.rond_dienst_af(melding_id, afronding)
    eindfase = EINDFASE[naam]

    def klaar(s: MeldingStatus) -> bool:
        if s.fase is not eindfase:
            return False
        if naam == "te-laat":
            return s.termijn_overschreden
        if eindfase is Fase.MONITORING:
            return bool(s.monitoring)
        if eindfase is Fase.VOORWAARDEN_EN_VERVOLG:
            return s.tweede_terugkoppeling_deadline is not None
        return True

    casussen.status[naam] = await wacht_op(client, melding_id, klaar, WACHT)
