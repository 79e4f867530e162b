"""What an operator reads of a case in the Temporal Web UI: the static summary and details of a
run and its current details (markdown). The summaries of its activities and timers, and how a
moment is written, are domain/tijdlijn.py's.

Pure: plain data in, text out; the workflow calls it at every step (workflow.set_current_details
is not a command, so rendering more or less never changes a history). Only ids, the region, the
melder's kind, the phase, dates and codes appear: never a name, BSN, address or free text, and
never who decided (the audit trail holds that).

Every moment is shown in Europe/Amsterdam with the zone named: `do 3 dec 2026 23:59
(Europe/Amsterdam)`. The first line of the current details of a case whose legal term passed
contains `TERMIJN VERSTREKEN`.
"""

from __future__ import annotations

from datetime import datetime

from domain.leesbaar import leesbaar
from domain.levensloop import FASEN, Beslissing
from domain.tijdlijn import TERMIJN_IN_WOORDEN, tijdstip
from domain.uitwisseling import Termijnsoort
from domain.waarden import Fase
from domain.wachtpunten import Casus, wachtpunt

BANNER = "TERMIJN VERSTREKEN"
CLI = "python -m starter"

# The phases' names come from the lifecycle (domain/levensloop.py).
FASE_IN_WOORDEN: dict[Fase, str] = {f: beeld.in_woorden for f, beeld in FASEN.items()}


# -- static summary and details --------------------------------------------------------------
def cli_beslissing(melding_id: str, beslissing: Beslissing | None) -> str | None:
    """The CLI command for the decision the case waits for now, with the example of its input
    file in the repository; None when it waits for none (a closed case, a case whose sources
    are still asked, a planned monitoring check)."""
    if beslissing is None:
        return None
    return (
        f"`{CLI} {beslissing.cli} {melding_id} <bestand.json>` "
        f"(voorbeeld: `starter/examples/{beslissing.voorbeeld}`)"
    )


@leesbaar
def statische_samenvatting(melding_id: str, regio: str) -> str:
    """The run's summary in the Web UI's list and header (as the contract names it)."""
    return f"Melding {melding_id}, regio {regio}"


@leesbaar
def statische_details(
    melding_id: str,
    regio: str,
    melder_soort: str,
    ontvangen_op: datetime,
    beoordeling_deadline: datetime | None,
    *,
    vervolg_op: str | None = None,
) -> str:
    """The run's details: what never changes in it, and the CLI for this melding.

    The Web UI shows them as long as the run exists, closed or not: so only `status`, which
    answers at any time; the decision the case waits for is offered in the current details
    while it is open (`huidige_details`)."""
    regels = [
        f"**Melding** `{melding_id}` · **regio** {regio} · **melder** {melder_soort}",
        f"**Ontvangen:** {tijdstip(ontvangen_op)}",
    ]
    if beoordeling_deadline is not None:
        regels.append(
            f"**Beoordeling uiterlijk:** {tijdstip(beoordeling_deadline)} "
            "(standaardkalender; de geldende termijn staat in de huidige details)"
        )
    if vervolg_op is not None:
        regels.append(f"**Vervolgmelding van:** `{vervolg_op}` (monitoring: nieuwe melding nodig)")
    regels.append("")
    regels.append(f"**CLI:** `{CLI} status {melding_id}`")
    regels.append("De opdracht voor de volgende beslissing staat in de huidige details.")
    return "\n".join(regels)


# -- current details --------------------------------------------------------------------------
def _banner(c: Casus) -> str | None:
    if not (c.termijn_overschreden or c.verstreken) or c.fase is Fase.AFGESLOTEN:
        return None
    delen = []
    for soort in c.verstreken or ("wettelijke termijn",):
        if soort == Termijnsoort.BEOORDELING:
            stand = "besluit genomen" if c.vervolg else "besluit nog niet genomen"
            delen.append(f"beoordeling uiterlijk {tijdstip(c.beoordeling_deadline)} ({stand})")
        elif soort == Termijnsoort.TWEEDE_TERUGKOPPELING:
            delen.append(
                f"tweede terugkoppeling uiterlijk {tijdstip(c.tweede_deadline)} "
                "(met de stand van dat moment verstuurd)"
            )
        else:
            delen.append(TERMIJN_IN_WOORDEN.get(soort, soort))
    return f"## ⚠ {BANNER}: " + "; ".join(delen)


def _bronnen(c: Casus) -> str:
    b = c.bronnen
    n = c.eerdere_meldingen
    eerdere = f"{n} eerdere {'melding' if n == 1 else 'meldingen'}"
    return (
        f"register {b.register.value} ({eerdere}) · "
        f"Raad voor de Kinderbescherming {b.raad.value} · politie {b.politie.value}"
    )


@leesbaar
def huidige_details(c: Casus) -> str:
    """The current details (markdown). First line: the overdue banner, else the phase."""
    w = wachtpunt(c)
    regels: list[str] = []
    banner = _banner(c)
    if banner:
        regels += [banner, ""]
    regels.append(f"### {FASE_IN_WOORDEN[c.fase]} (`{c.fase.value}`)")
    regels.append(f"**Wacht op:** {w.wacht_op}")
    regels.append(f"**Sinds:** {tijdstip(c.sinds)}")
    if w.uiterlijk is not None:
        regels.append(f"**Uiterlijk:** {tijdstip(w.uiterlijk)}")
    if w.herinnering is not None:
        regels.append(f"**Herinnering:** {tijdstip(w.herinnering)}")
    if w.bij_termijn is not None:
        regels.append(f"**Bij de termijn:** {w.bij_termijn}")
    regels.append("")
    regels.append(
        f"**Melding** `{c.melding_id}` · **regio** {c.regio} · **melder** {c.melder_soort} · "
        f"**ontvangen** {tijdstip(c.ontvangen_op)}"
    )
    if c.beoordeling_deadline is not None:
        regels.append(f"**Beoordeling uiterlijk:** {tijdstip(c.beoordeling_deadline)}")
    regels.append(f"**Bronnen:** {_bronnen(c)}")
    if c.triage_urgentie or c.vervolg:
        regels.append(
            f"**Triage:** urgentie {c.triage_urgentie or '-'} · **besluit:** {c.vervolg or '-'}"
        )
    if c.eerste_verstuurd_op is not None:
        tweede = (
            "verstuurd"
            if c.tweede_verstuurd
            else (f"uiterlijk {tijdstip(c.tweede_deadline)}" if c.tweede_deadline else "-")
        )
        regels.append(
            f"**Eerste terugkoppeling:** {tijdstip(c.eerste_verstuurd_op)} · **tweede:** {tweede}"
        )
    for m in c.monitoring:
        stand = "geregistreerd" if m.geregistreerd else ("open" if m.open else "gepland")
        regels.append(
            f"**Monitoring {m.nummer}** ({m.maanden} maanden): {tijdstip(m.gepland_op)}, {stand}"
        )
    if c.gekoppeld:
        regels.append(f"**Gekoppelde meldingen (radar):** {c.gekoppeld}")
    if c.mogelijk_gekoppeld:
        regels.append(
            f"**Mogelijk gekoppeld (alleen op naam, niet automatisch behandeld):** "
            f"{c.mogelijk_gekoppeld}"
        )
    if c.overdracht is not None:
        regels.append(f"**Overdracht als zaak:** {c.overdracht[0]}, {c.overdracht[1]}")
    for soort, kanaal, uitkomst, op in c.bezorgingen:
        wanneer = f" {tijdstip(op)}" if op is not None else ""
        regels.append(f"**Bezorging {soort.replace('_', ' ')}:** {kanaal}, {uitkomst}{wanneer}")
    regels.append("")
    beslissing = cli_beslissing(c.melding_id, w.beslissing)
    if beslissing is not None:
        regels.append(f"**Volgende beslissing (CLI):** {beslissing}")
    regels.append(f"Stand van {tijdstip(c.nu)} · **CLI:** `{CLI} status {c.melding_id}`")
    return "\n".join(regels)


@leesbaar
def vernietiging_details(
    melding_id: str,
    stand: str,
    *,
    deadline: datetime | None = None,
    verstreken: bool = False,
) -> str:
    """The current details of a request to destroy a dossier (VernietigingWorkflow)."""
    regels = []
    if verstreken:
        regels += [f"## ⚠ {BANNER}: antwoord op het verzoek uiterlijk {tijdstip(deadline)}", ""]
    regels.append(f"### Verzoek tot vernietiging, melding `{melding_id}`")
    regels.append(f"**Stand:** {stand}")
    if deadline is not None:
        regels.append(f"**Antwoord uiterlijk:** {tijdstip(deadline)} (AVG art. 12(3))")
    regels.append(f"**CLI:** `{CLI} status {melding_id}`")
    return "\n".join(regels)
