"""`python -m starter demo`: the example meldingen of starter/examples, each driven along its
own path with the decisions a medewerker would take, so a newcomer sees cases in every phase in
the Web UI within a minute.

Real time on a real server: the monitoring months are not reached, but every phase up to them
is. The protocol is respected: a besluit only after the triage and after the sources; Veilig
Thuis keeps the case when the triage says so; an advies to the melder only for a professional
who stays involved; an overdracht names its ketenpartner; no violence found only with afsluiten.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from contract.ids import melding_workflow_id
from contract.names import MELDING_WORKFLOW
from domain.besluiten import Besluit, DienstAfronding, Triage
from domain.melding import Melding
from domain.status import MeldingStatus
from domain.waarden import Fase
from starter.client import MeldingClient
from starter.fouten import GeenVerbinding, MeldingFout
from starter.weergave import moment

VOORBEELDEN = Path(__file__).parent / "examples"


def voorbeeld(naam: str) -> Any:
    """The JSON of example `naam` (starter/examples/<naam>.json)."""
    return json.loads((VOORBEELDEN / f"{naam}.json").read_text(encoding="utf-8"))


def verse_melding(naam: str, melding_id: str, nu: datetime | None = None) -> Melding:
    """Example melding `naam`, received now under a new melding_id."""
    nu = nu or datetime.now(UTC)
    gegevens = {**voorbeeld(naam), "melding_id": melding_id, "ontvangen_op": nu.isoformat()}
    return Melding.ontvang(gegevens, nu=nu)


@dataclass(frozen=True)
class Voorbeeldcasus:
    naam: str
    uitleg: str
    eindfase: Fase
    melding: str
    triage: str | None = None
    besluit: str | None = None
    afronding: str | None = None
    # Received this many days before the demo runs (entered late): intake accepts a receipt in
    # the past, and the deadlines count from the receipt, so the beoordeling term has passed.
    dagen_geleden: int = 0


def demo_id(reeks: str, n: int) -> str:
    """The melding_id of the demo's n-th case: a number, not its name (an id part holds at most
    four letters in a row, so no id can carry a name; domain/kenmerken.py)."""
    return f"{reeks}-{n + 1:02d}"


CASUSSEN: tuple[Voorbeeldcasus, ...] = (
    Voorbeeldcasus(
        "nieuw",
        "politiemelding na een incident, wacht op triage",
        Fase.WACHT_OP_TRIAGE,
        "melding_spoed",
    ),
    Voorbeeldcasus(
        "te_laat",
        "politiemelding van 12 dagen geleden, pas nu ingevoerd: de beoordelingstermijn "
        "(5 werkdagen) is verstreken, de casus is gemarkeerd en geescaleerd",
        Fase.WACHT_OP_TRIAGE,
        "melding_spoed",
        dagen_geleden=12,
    ),
    Voorbeeldcasus(
        "triage",
        "ex-partnergeweld, triage gedaan, besluit volgt in het MDO",
        Fase.WACHT_OP_BESLUIT,
        "melding_ex_partner",
        "triage",
    ),
    Voorbeeldcasus(
        "voorwaarden",
        "structurele onveiligheid: Veilig Thuis stelt veiligheidsvoorwaarden",
        Fase.VOORWAARDEN_EN_VERVOLG,
        "melding_voorwaarden",
        "triage_structureel",
        "besluit_voorwaarden_en_vervolg",
    ),
    Voorbeeldcasus(
        "onderzoek",
        "anonieme melder, nader onderzoek nodig",
        Fase.ONDERZOEK,
        "melding_onderzoek",
        "triage_onderzoek",
        "besluit_onderzoek",
    ),
    Voorbeeldcasus(
        "monitoring",
        "voorwaarden gesteld, dienst afgerond: monitoring na 3 en 12 maanden",
        Fase.MONITORING,
        "melding_monitoring",
        "triage_structureel",
        "besluit_voorwaarden_en_vervolg",
        "dienst_afronding",
    ),
    Voorbeeldcasus(
        "advies",
        "burger vraagt advies over ouderenmishandeling",
        Fase.AFGESLOTEN,
        "melding_advies",
        "triage",
        "besluit_advies",
    ),
    Voorbeeldcasus(
        "afsluiten",
        "geen geweld vastgesteld: afgesloten, recht op vernietiging",
        Fase.AFGESLOTEN,
        "melding_afsluiten",
        "triage",
        "besluit_afsluiten",
    ),
    Voorbeeldcasus(
        "overdracht",
        "overgedragen aan het wijkteam",
        Fase.AFGESLOTEN,
        "melding_overdracht",
        "triage",
        "besluit_overdracht",
    ),
)

POLL = 0.2


class DemoMislukt(MeldingFout):
    """The demo cannot go on; the message says why and what to do."""


class DemoZonderWorker(DemoMislukt):
    """No worker polls the task queue: the demo submitted nothing (CLI: niet_beschikbaar)."""


async def wacht_op(
    client: MeldingClient,
    melding_id: str,
    klaar: Callable[[MeldingStatus], bool],
    seconden: float,
) -> MeldingStatus:
    """Poll the status until `klaar` holds; a clear error after `seconden` without it."""
    einde = time.monotonic() + seconden
    laatste: MeldingStatus | None = None
    while time.monotonic() < einde:
        try:
            laatste = await asyncio.wait_for(
                client.status(melding_id), max(einde - time.monotonic(), 0.1)
            )
        except GeenVerbinding:
            raise
        except (MeldingFout, TimeoutError):
            laatste = None  # not yet answerable: the first workflow task is still to run
        if laatste is not None and klaar(laatste):
            return laatste
        await asyncio.sleep(POLL)
    fase = laatste.fase.value if laatste else "onbekend (geen antwoord op de status-query)"
    raise DemoMislukt(
        f"melding {melding_id} staat na {seconden:.0f} s nog in fase {fase}: draait er een "
        f"worker op task queue {client.task_queue!r}? Start er een (python worker.py, of make "
        "run) en probeer het opnieuw"
    )


async def voer_demo_uit(
    client: MeldingClient,
    wacht: timedelta = timedelta(seconds=30),
    uit: Callable[[str], None] = print,
    meldingen: dict[str, str] | None = None,
) -> int:
    """Submit every example and drive it along its path, telling each step; `meldingen` gets
    each example's name and melding_id."""
    if not await _worker_gezien(client):
        raise DemoZonderWorker(
            f"geen worker op task queue {client.task_queue!r} (Temporal {client.adres}): start er "
            "een (python worker.py, of make run) en probeer het opnieuw; niets ingediend"
        )
    nu = datetime.now(UTC)
    reeks = f"DEMO-{nu:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
    uit(
        f"Demo: {len(CASUSSEN)} meldingen {reeks}-* op task queue {client.task_queue} "
        f"(Temporal {client.adres})"
    )
    ids = {c.naam: demo_id(reeks, n) for n, c in enumerate(CASUSSEN)}
    if meldingen is not None:
        meldingen.update(ids)
    for c in CASUSSEN:
        melding = verse_melding(c.melding, ids[c.naam], nu - timedelta(days=c.dagen_geleden))
        workflow_id = await client.indienen(melding)
        uit(
            f"[{c.naam}] ingediend: {c.melding}.json als {workflow_id} (regio {melding.regio}): "
            f"{c.uitleg}"
        )
    seconden = wacht.total_seconds()
    for c in CASUSSEN:
        await _volg_pad(client, c, ids[c.naam], seconden, uit)
    uit("")
    uit(
        f'Klaar. In de Web UI: WorkflowType = "{MELDING_WORKFLOW}" AND WorkflowId '
        f'STARTS_WITH "{melding_workflow_id(reeks)}"; of: python -m starter lijst; '
        "de werkvoorraad: python -m starter lijst --weergave te_laat (--ui: de link voor de Web UI)"
    )
    return 0


async def _volg_pad(
    client: MeldingClient,
    c: Voorbeeldcasus,
    melding_id: str,
    seconden: float,
    uit: Callable[[str], None],
) -> None:
    status = await wacht_op(
        client, melding_id, lambda s: s.fase is not Fase.INFORMATIE_VERZAMELEN, seconden
    )
    b = status.bronnen
    uit(
        f"[{c.naam}] bronnen verzameld (register {b.register.value}, raad {b.raad.value}, "
        f"politie {b.politie.value}; eerdere meldingen {status.eerdere_meldingen}): "
        f"fase {status.fase.value}"
    )
    if c.triage:
        triage = Triage.model_validate(voorbeeld(c.triage))
        status = await client.registreer_triage(melding_id, triage)
        uit(
            f"[{c.naam}] triage door {triage.medewerker}, urgentie {triage.urgentie.value}: "
            f"fase {status.fase.value}"
        )
    if c.besluit:
        besluit = Besluit.model_validate(voorbeeld(c.besluit))
        status = await client.neem_besluit(melding_id, besluit)
        uit(
            f"[{c.naam}] besluit door {besluit.medewerker}: {besluit.vervolg.value}; "
            "eerste terugkoppeling aan de melder"
        )
    if c.afronding:
        await wacht_op(client, melding_id, lambda s: bool(s.terugkoppelingen), seconden)
        afronding = DienstAfronding.model_validate(voorbeeld(c.afronding))
        await client.rond_dienst_af(melding_id, afronding)
        uit(f"[{c.naam}] dienst afgerond door {afronding.medewerker}; tweede terugkoppeling")
    status = await wacht_op(client, melding_id, partial(_bereikt, c), seconden)
    te_laat = "; TERMIJN OVERSCHREDEN" if status.termijn_overschreden else ""
    uit(
        f"[{c.naam}] fase {status.fase.value}; volgende deadline "
        f"{moment(status.volgende_deadline)}{te_laat}"
    )


def _bereikt(c: Voorbeeldcasus, s: MeldingStatus) -> bool:
    """In its final phase, with the deadline of that phase known (a closed case has none), and
    marked overdue when its term has passed. A case handed over to a gemeente that waits for
    its acceptance (`make run`'s zaakloket: the warme overdracht) rests there until the
    ketenpartner answers (README: `python -m keten.wijkteam aanvaard`): as far as the demo goes."""
    if s.fase is Fase.WARME_OVERDRACHT:
        return s.volgende_deadline is not None
    return (
        s.fase is c.eindfase
        and (s.volgende_deadline is not None or c.eindfase is Fase.AFGESLOTEN)
        and (s.termijn_overschreden or not c.dagen_geleden)
    )


async def _worker_gezien(client: MeldingClient) -> bool:
    """A worker polled the task queue lately; unknown (True) when the server won't tell."""
    try:
        return await client.worker_actief()
    except GeenVerbinding:
        raise
    except MeldingFout:
        return True
