"""What the Web UI shows of an advies: its summary and current details (ids, region, phase,
counts and dates; never the question, the conversations or the adviesvrager)."""

from __future__ import annotations

from datetime import datetime

from domain import casusbeeld, termijnen, tijdlijn
from domain.advies import AdviesFase, AdviesStatus
from domain.leesbaar import Leesbaar, leesbaar
from domain.melding import Melding


@leesbaar
def samenvatting(advies_id: str, regio: str) -> str:
    return f"Advies {advies_id}, regio {regio}"


@leesbaar
def details(s: AdviesStatus, herinnering: datetime | None) -> str:
    """The current details: the phase, what the advies waits for and its commands."""
    regels: list[str] = []
    if s.lang_open and s.fase is AdviesFase.OPEN:
        regels += ["## ⚠ Advies staat lang open: afsluiten of omzetten naar een melding", ""]
    regels.append(f"### Advies `{s.advies_id}`, regio {s.regio}")
    regels.append(f"**Fase:** {s.fase.value}")
    regels.append(f"**Ontvangen:** {tijdlijn.tijdstip(s.ontvangen_op)}")
    regels.append(f"**Gesprekken:** {len(s.gesprekken)}")
    regels.append(
        f"**Vertrouwensarts geraadpleegd:** {'ja' if s.vertrouwensarts_geraadpleegd else 'nee'}"
    )
    if s.fase is AdviesFase.OPEN:
        if herinnering is not None:
            regels.append(f"**Herinnering als het open blijft:** {tijdlijn.tijdstip(herinnering)}")
        regels += [
            "",
            "Wacht op een gesprek, een vertrouwensarts, de afsluiting of de omzetting:",
            f"`python -m starter advies-gesprek {s.advies_id} GESPREK.json`",
            f"`python -m starter advies-sluiten {s.advies_id} AFSLUITING.json`",
            f"`python -m starter advies-omzetten {s.advies_id} OMZETTING.json`",
        ]
    if s.melding_id is not None:
        regels.append(f"**Omgezet naar melding:** `{s.melding_id}`")
    return "\n".join(regels)


def omzetting(melding: Melding, advies_id: str) -> tuple[Leesbaar, Leesbaar]:
    """The static summary and details of the melding an advies turns into."""
    basis = casusbeeld.statische_details(
        melding.melding_id,
        melding.regio,
        melding.melder.soort.value,
        melding.ontvangen_op,
        termijnen.beoordeling_deadline(melding.ontvangen_op),
    )
    return (
        casusbeeld.statische_samenvatting(melding.melding_id, melding.regio),
        Leesbaar(
            f"{basis}\n\n**Omgezet uit advies:** `{advies_id}` (zijn gesprekken: "
            f"`python -m starter advies-status {advies_id}`)"
        ),
    )
