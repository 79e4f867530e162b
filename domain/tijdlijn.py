"""The Web UI's timeline of a case: the summaries of its activities and timers, and how a
moment is written (`do 3 dec 2026 23:59 (Europe/Amsterdam)`, the zone named).

Pure, like domain/casusbeeld.py (which draws the case's summary and details): only ids, kinds,
dates and codes; never a name, BSN, address or free text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from domain.leesbaar import Leesbaar, leesbaar
from domain.termijnen import MONITORING_MAANDEN, monitoring_maanden
from domain.uitwisseling import BerichtSoort, SignaleringSoort, Termijnsoort
from domain.werkdagen import AMSTERDAM

ZONE = "Europe/Amsterdam"
DAGEN = ("ma", "di", "wo", "do", "vr", "za", "zo")
MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

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
