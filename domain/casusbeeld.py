"""What an operator reads of a case in the Temporal Web UI: the static summary and details of a
run, its current details (markdown), and the summaries of its activities and timers.

Pure: plain data in, text out; the workflow calls it at every step (workflow.set_current_details
is not a command, so rendering more or less never changes a history). Only ids, the region, the
melder's kind, the phase, dates and codes appear: never a name, BSN, address or free text, and
never who decided (the audit trail holds that).

Every moment is shown in Europe/Amsterdam with the zone named: `do 3 dec 2026 23:59
(Europe/Amsterdam)`. The first line of the current details of a case whose legal term passed
contains `TERMIJN VERSTREKEN`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain import namen
from domain.leesbaar import Leesbaar, leesbaar
from domain.status import Bronnen
from domain.termijnen import (
    MONITORING_ESCALATIE,
    MONITORING_HERINNERING,
    MONITORING_MAANDEN,
    monitoring_maanden,
    tweede_terugkoppeling_herinnering,
)
from domain.uitwisseling import BerichtSoort, SignaleringSoort, Termijnsoort
from domain.waarden import BronStatus, Fase
from domain.werkdagen import AMSTERDAM

ZONE = "Europe/Amsterdam"
BANNER = "TERMIJN VERSTREKEN"
DAGEN = ("ma", "di", "wo", "do", "vr", "za", "zo")
MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
CLI = "python -m starter"

FASE_IN_WOORDEN: dict[Fase, str] = {
    Fase.INFORMATIE_VERZAMELEN: "Informatie verzamelen",
    Fase.WACHT_OP_TRIAGE: "Wacht op triage",
    Fase.WACHT_OP_BESLUIT: "Wacht op besluit",
    Fase.VOORWAARDEN_EN_VERVOLG: "Dienst: voorwaarden en vervolg",
    Fase.ONDERZOEK: "Dienst: onderzoek",
    Fase.MONITORING: "Monitoring",
    Fase.WARME_OVERDRACHT: "Warme overdracht",
    Fase.AFGESLOTEN: "Afgesloten",
}

TERMIJN_IN_WOORDEN: dict[str, str] = {
    Termijnsoort.BEOORDELING: "beoordeling",
    Termijnsoort.TWEEDE_TERUGKOPPELING: "tweede terugkoppeling",
    Termijnsoort.MONITORING: "monitoring",
    Termijnsoort.HUISHOUDEN_INFORMEREN: "huishouden informeren",
    Termijnsoort.VERNIETIGING: "besluit vernietiging",
    Termijnsoort.CASUS: "casus",
    Termijnsoort.BEZORGING: "bezorging bericht",
    Termijnsoort.NAGEKOMEN_INFORMATIE: "nagekomen informatie",
    Termijnsoort.OVERDRACHT: "overdracht als zaak",
    Termijnsoort.RAAD: "verzoek tot onderzoek Raad",
}


# -- moments ----------------------------------------------------------------------------------
def datum_kort(moment: datetime) -> str:
    """`do 3 dec`: the day in Amsterdam (a timer's summary)."""
    lokaal = moment.astimezone(AMSTERDAM)
    return f"{DAGEN[lokaal.weekday()]} {lokaal.day} {MAANDEN[lokaal.month - 1]}"


def tijdstip(moment: datetime | None) -> str:
    """`do 3 dec 2026 23:59 (Europe/Amsterdam)`; `-` for no moment."""
    if moment is None:
        return "-"
    lokaal = moment.astimezone(AMSTERDAM)
    return f"{datum_kort(lokaal)} {lokaal.year} {lokaal:%H:%M} ({ZONE})"


# -- summaries of activities and timers --------------------------------------------------------
REGISTER_RAADPLEGEN = Leesbaar("Landelijk register raadplegen")
RADAR = Leesbaar("Radar: open meldingen van het huishouden koppelen")
BRON_BEVRAGEN = {
    "politie": "Politie bevragen",
    "raad": "Raad voor de Kinderbescherming bevragen",
}
TERMIJNEN_BEREKENEN = Leesbaar("Termijnen berekenen (werkdagenkalender)")
VERKLARING_CONTROLEREN = Leesbaar("Verklaring controleren (wie schrijft)")
MELDING_VASTLEGGEN = Leesbaar("Melding vastleggen in het dossier")
DOSSIER_BIJWERKEN = Leesbaar("Dossier bijwerken")
BERICHT_VERSTUREN = {
    BerichtSoort.EERSTE_TERUGKOPPELING: "Eerste terugkoppeling aan de melder",
    BerichtSoort.TWEEDE_TERUGKOPPELING: "Tweede terugkoppeling aan de melder",
    BerichtSoort.HUISHOUDEN_INFORMEREN: "Huishouden informeren",
    BerichtSoort.HUISHOUDEN_VERNIETIGINGSRECHT: "Huishouden wijzen op het recht op vernietiging",
    BerichtSoort.VERNIETIGING_UITKOMST: "Uitkomst van het verzoek tot vernietiging",
    BerichtSoort.PROFESSIONAL_INFORMEREN: "Betrokken professional informeren",
}
BERICHT_BEZORGEN = {
    BerichtSoort.EERSTE_TERUGKOPPELING: "Eerste terugkoppeling bezorgen",
    BerichtSoort.TWEEDE_TERUGKOPPELING: "Tweede terugkoppeling bezorgen",
    BerichtSoort.HUISHOUDEN_INFORMEREN: "Brief aan het huishouden bezorgen",
    BerichtSoort.HUISHOUDEN_VERNIETIGINGSRECHT: "Brief over het recht op vernietiging bezorgen",
    BerichtSoort.VERNIETIGING_UITKOMST: "Uitkomst van het verzoek bezorgen",
    BerichtSoort.PROFESSIONAL_INFORMEREN: "Bericht aan een betrokken professional bezorgen",
}
VERZOEK_BEOORDELEN = Leesbaar("Verzoek tot vernietiging beoordelen")
VERNIETIGEN = Leesbaar("Dossier en workflowgeschiedenis vernietigen")
VERNIETIGING_OPNIEUW = Leesbaar("Vernietiging opnieuw proberen (de casus loopt nog)")
# Readable by construction (domain/leesbaar.py), every name of these three lists.
_NAMEN: tuple[dict[Any, str], ...] = (BRON_BEVRAGEN, BERICHT_VERSTUREN, BERICHT_BEZORGEN)
for _namen in _NAMEN:
    _namen.update({sleutel: Leesbaar(naam) for sleutel, naam in _namen.items()})


@leesbaar
def signalering(soort: SignaleringSoort | str, termijn: Termijnsoort | str) -> str:
    """`Escalatie beoordeling signaleren`."""
    woord = TERMIJN_IN_WOORDEN.get(str(termijn), str(termijn))
    return f"{str(soort).capitalize()} {woord} signaleren"


@leesbaar
def audit(handeling: str) -> str:
    """`Beslissing vastleggen in de audit: registreer_triage`."""
    return f"Beslissing vastleggen in de audit: {handeling}"


@leesbaar
def herinnering(wat: str, moment: datetime) -> str:
    """A reminder timer: `Herinnering beoordeling do 3 dec`."""
    return f"Herinnering {wat} {datum_kort(moment)}"


@leesbaar
def termijn(wat: str, moment: datetime) -> str:
    """A legal term's timer: `Termijn beoordeling do 3 dec`."""
    return f"Termijn {wat} {datum_kort(moment)}"


@leesbaar
def escalatie(wat: str, moment: datetime) -> str:
    """An escalation that is no legal term: `Escalatie monitoring 1 do 3 dec`."""
    return f"Escalatie {wat} {datum_kort(moment)}"


@leesbaar
def monitoringsmoment(nummer: int, afspraak: Sequence[int] = MONITORING_MAANDEN) -> str:
    """The timer of a monitoring check: `Monitoring 1 (3 maanden)` (the agreed moments)."""
    return f"Monitoring {nummer} ({monitoring_maanden(nummer, afspraak)} maanden)"


# -- static summary and details --------------------------------------------------------------
# The decision a case waits for (the key of its Wachtpunt) and the CLI command that gives it,
# with the example of its input file in the repository.
_BESLISSINGEN: dict[str, tuple[str, str]] = {
    "triage": ("triage", "triage.json"),
    "besluit": ("besluit", "besluit_voorwaarden_en_vervolg.json"),
    "dienst": ("dienst-afronden", "dienst_afronding.json"),
    "dienst-na-tweede": ("dienst-afronden", "dienst_afronding.json"),
}


def cli_beslissing(melding_id: str, sleutel: str) -> str | None:
    """The CLI command for the decision the case waits for now; None when it waits for none
    (a closed case, a case whose sources are still asked, a planned monitoring check)."""
    if sleutel.startswith("monitoring-") and sleutel.endswith("-open"):
        opdracht, voorbeeld = "monitoring", "monitoring.json"
    elif sleutel in _BESLISSINGEN:
        opdracht, voorbeeld = _BESLISSINGEN[sleutel]
    else:
        return None
    return (
        f"`{CLI} {opdracht} {melding_id} <bestand.json>` "
        f"(voorbeeld: `starter/examples/{voorbeeld}`)"
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
@dataclass(frozen=True)
class Monitoringmoment:
    nummer: int
    gepland_op: datetime
    open: bool = False
    geregistreerd: bool = False
    # The months after the dienst as agreed (Q&A 23); None: the default moments.
    afgesproken_maanden: int | None = None

    @property
    def maanden(self) -> int:
        return self.afgesproken_maanden or monitoring_maanden(self.nummer)


@dataclass(frozen=True)
class Casus:
    """What the current details are made of: ids, region, kinds, phase, dates, codes."""

    melding_id: str
    regio: str
    melder_soort: str
    fase: Fase
    ontvangen_op: datetime
    nu: datetime
    geregistreerd: bool = False
    beoordeling_deadline: datetime | None = None
    beoordeling_herinnering: datetime | None = None
    bron_deadline: datetime | None = None
    bronnen: Bronnen = field(default_factory=Bronnen)
    bronnen_klaar: bool = False
    eerdere_meldingen: int = 0
    triage_urgentie: str | None = None
    vervolg: str | None = None
    eerste_verstuurd_op: datetime | None = None
    tweede_deadline: datetime | None = None
    tweede_verstuurd: bool = False
    dienst_afgerond: bool = False
    monitoring: tuple[Monitoringmoment, ...] = ()
    gekoppeld: int = 0
    # Name-only radar links (issue 21.7): possibly the same household, not acted on.
    mogelijk_gekoppeld: int = 0
    # Legal terms that passed ("beoordeling", "tweede_terugkoppeling"); the search attribute
    # VtTermijnOverschreden says the same.
    verstreken: tuple[str, ...] = ()
    termijn_overschreden: bool = False
    einde: str | None = None
    # Since when the case waits for what it waits for now (set by the workflow).
    sinds: datetime | None = None
    # Issue 20: each message delivered or not: (bericht soort, kanaal, uitkomst, verzonden_op).
    bezorgingen: tuple[tuple[str, str, str, datetime | None], ...] = ()
    # Issue 22: the overdracht as a zaak: (zaak identificatie or "-", its stand or outcome),
    # the acceptance's reminder and deadline.
    overdracht: tuple[str, str] | None = None
    aanvaarding_herinnering: datetime | None = None
    aanvaarding_deadline: datetime | None = None


@dataclass(frozen=True)
class Wachtpunt:
    """What a case waits for: a key (a change restarts `sinds`) and its lines."""

    sleutel: str
    wacht_op: str
    uiterlijk: datetime | None = None
    bij_termijn: str | None = None
    herinnering: datetime | None = None


def wachtpunt(c: Casus) -> Wachtpunt:
    """What the case waits for now, from whom, until when, and what happens then: the first
    phase of `_FASEN` that has an answer."""
    for fase in _FASEN:
        if (punt := fase(c)) is not None:
            return punt
    return Wachtpunt("verwerken", "de volgende stap (wordt verwerkt)")


_BEOORDELING_TE_LAAT = (
    "de casus wordt gemarkeerd als te laat (VtTermijnOverschreden) en geëscaleerd naar "
    "de teamleider; hij blijft wachten"
)


def _afgesloten(c: Casus) -> Wachtpunt | None:
    if c.fase is not Fase.AFGESLOTEN:
        return None
    return Wachtpunt("afgesloten", f"niets: de casus is afgesloten (einde: {c.einde or '-'})")


def _registratie(c: Casus) -> Wachtpunt | None:
    if c.geregistreerd:
        return None
    return Wachtpunt("registratie", "de registratie: de melding wordt vastgelegd")


def _beoordeling(c: Casus) -> Wachtpunt | None:
    if c.vervolg is not None:
        return None
    if c.fase is Fase.INFORMATIE_VERZAMELEN and not c.bronnen_klaar:
        sleutel = "bronnen"
        wacht_op = (
            "de bronnen: landelijk register, politie"
            + (", Raad voor de Kinderbescherming" if c.bronnen.raad is BronStatus.BEZIG else "")
            + f" (uiterlijk {tijdstip(c.bron_deadline)}; wie zwijgt: niet_ontvangen)"
        )
    elif c.triage_urgentie is None:
        sleutel, wacht_op = (
            "triage",
            f"de triage van een medewerker (update `{namen.UPDATE_TRIAGE}`)",
        )
    else:
        sleutel = "besluit"
        wacht_op = f"het besluit over het vervolg, na het MDO (update `{namen.UPDATE_BESLUIT}`)"
    return Wachtpunt(
        sleutel, wacht_op, c.beoordeling_deadline, _BEOORDELING_TE_LAAT, c.beoordeling_herinnering
    )


def _eerste(c: Casus) -> Wachtpunt | None:
    if c.eerste_verstuurd_op is not None:
        return None
    return Wachtpunt("eerste", "de eerste terugkoppeling aan de melder (wordt verstuurd)")


def _dienst(c: Casus) -> Wachtpunt | None:
    if c.fase not in (Fase.VOORWAARDEN_EN_VERVOLG, Fase.ONDERZOEK) or c.dienst_afgerond:
        return None
    eerste = c.eerste_verstuurd_op  # set: `_eerste` comes before
    if not c.tweede_verstuurd and c.tweede_deadline is not None and eerste is not None:
        return Wachtpunt(
            "dienst",
            "de afronding van de dienst door de medewerker van de dienst "
            f"(update `{namen.UPDATE_DIENST_AFRONDEN}`); daarna de tweede terugkoppeling",
            c.tweede_deadline,
            "de tweede terugkoppeling gaat met de stand van dat moment naar de melder; "
            "de casus wordt gemarkeerd als te laat en geëscaleerd; de dienst loopt door",
            tweede_terugkoppeling_herinnering(eerste),
        )
    return Wachtpunt(
        "dienst-na-tweede",
        "de afronding van de dienst door de medewerker van de dienst "
        f"(update `{namen.UPDATE_DIENST_AFRONDEN}`); de tweede terugkoppeling is verstuurd",
    )


def _monitoring(c: Casus) -> Wachtpunt | None:
    if c.fase is not Fase.MONITORING or not c.monitoring:
        return None
    m = c.monitoring[-1]
    if m.geregistreerd:
        return None
    if m.open:
        return Wachtpunt(
            f"monitoring-{m.nummer}-open",
            f"de uitkomst van monitoringsmoment {m.nummer} "
            f"({m.maanden} maanden), door de medewerker monitoring "
            f"(update `{namen.UPDATE_MONITORING}`)",
            m.gepland_op + MONITORING_ESCALATIE,
            "escalatie naar de teamleider (geen wettelijke termijn); de casus blijft wachten",
            m.gepland_op + MONITORING_HERINNERING,
        )
    return Wachtpunt(
        f"monitoring-{m.nummer}-gepland",
        f"monitoringsmoment {m.nummer} ({m.maanden} maanden), "
        f"gepland: nog niet open, `{namen.UPDATE_MONITORING}` wordt tot dan geweigerd",
        m.gepland_op,
        f"het monitoringsmoment gaat open; dan wacht de casus op `{namen.UPDATE_MONITORING}`",
    )


# The phases in the order a case passes them; each answers only for its own.
def _warme_overdracht(c: Casus) -> Wachtpunt | None:
    if c.fase is not Fase.WARME_OVERDRACHT:
        return None
    return Wachtpunt(
        "warme_overdracht",
        "de aanvaarding van de zaak door de ketenpartner (status in behandeling; de zaak wordt "
        "regelmatig gelezen)",
        c.aanvaarding_deadline,
        "escalatie naar de teamleider; Veilig Thuis houdt zicht op veiligheid en blijft wachten",
        c.aanvaarding_herinnering,
    )


_FASEN: tuple[Callable[[Casus], Wachtpunt | None], ...] = (
    _warme_overdracht,
    _afgesloten,
    _registratie,
    _beoordeling,
    _eerste,
    _dienst,
    _monitoring,
)


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
    beslissing = cli_beslissing(c.melding_id, w.sleutel)
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
