"""The advies' decisions as rules of the shared mechanism (workflows/besluitvorming.py): each
only while the advies is open, with its own protocol check. None writes an audit row: the advies
lives only in its workflow (its payloads encrypted with the key `advies/<advies_id>`), its record
is its status and, when it ends, its beleidsinformatie. A conversation or a consultation is added,
never set, so only the same update ID repeats it; a closing repeats the closing in force."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contract import names
    from domain.advies import (
        AdviesAfsluiting,
        AdviesFase,
        AdviesStatus,
        Adviesvraag,
        Gesprek,
        Omzetting,
        VertrouwensartsConsult,
        weiger_afsluiting,
        weiger_omzetting,
    )
    from workflows.besluitvorming import Besluiten, Besluitregel


class Adviesstand(Protocol):
    """What the rules read of an AdviesWorkflow."""

    vraag: Adviesvraag
    stand: AdviesStatus


ADVIESBESLUITEN = Besluiten[Adviesstand](
    names.ADVIES_WORKFLOW,
    Besluitregel(names.UPDATE_GESPREK, lambda _a, _b: False, audit=None),
    Besluitregel(names.UPDATE_VERTROUWENSARTS, lambda _a, _b: False, audit=None),
    Besluitregel(names.UPDATE_ADVIES_SLUITEN, lambda a, b: a.stand.afsluiting == b, audit=None),
    Besluitregel(names.UPDATE_OMZETTEN, lambda _a, _b: False, audit=None),
)


def niet_open(a: Adviesstand, naam: str) -> str | None:
    if a.stand.fase is not AdviesFase.OPEN:
        return f"{naam}: het advies is al {a.stand.fase.value}"
    return None


def weiger_gesprek(a: Adviesstand, gesprek: Gesprek) -> str | None:
    naam = names.UPDATE_GESPREK
    if gesprek.datum < a.vraag.ontvangen_op.date():
        return niet_open(a, naam) or f"{naam}: datum voor de ontvangst van de adviesvraag"
    if gesprek.datum > workflow.now().date() + timedelta(days=1):
        return niet_open(a, naam) or f"{naam}: datum in de toekomst"
    return niet_open(a, naam)


def weiger_consult(a: Adviesstand, consult: VertrouwensartsConsult) -> str | None:
    naam = names.UPDATE_VERTROUWENSARTS
    if consult.datum < a.vraag.ontvangen_op.date():
        return niet_open(a, naam) or f"{naam}: datum voor de ontvangst van de adviesvraag"
    return niet_open(a, naam)


def weiger_sluiten(a: Adviesstand, afsluiting: AdviesAfsluiting) -> str | None:
    return niet_open(a, names.UPDATE_ADVIES_SLUITEN) or weiger_afsluiting(
        afsluiting, len(a.stand.gesprekken), a.vraag.adviesvrager.soort
    )


def weiger_omzetten(a: Adviesstand, omzetting: Omzetting) -> str | None:
    return niet_open(a, names.UPDATE_OMZETTEN) or weiger_omzetting(a.vraag, omzetting.melding)
