"""The verzoek tot onderzoek to the Raad voor de Kinderbescherming (issue 22): a besluit with
`raad_verzoek_tot_onderzoek` sends one, and the case records the Raad's acknowledgement and its
decision, each awaited with a term, a reminder and an escalation to the teamleider.

In reality a VTO travels over CORV, whose message specification is not public: the port
`Raadkanaal` has a clear interface, and `keten/raadmap.py` is one honest transport behind it
(a folder shared with the Raad's intake, JSON files in the format of docs/contract.md, *Verzoek
tot onderzoek*), so a CORV adapter can replace it later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from domain.besluiten import Besluit
from domain.melding import Melding
from domain.model import Model
from domain.termijnen import begin_van_dag, einde_van_dag
from domain.werkdagen import AMSTERDAM, Werkdagkalender

# Default terms (werkdagen after sending): the acknowledgement, then the Raad's decision whether
# it starts an onderzoek; the team is reminded at the start of the last werkdag of each.
ONTVANGST_WERKDAGEN = 2
BESLISSING_WERKDAGEN = 10


class RaadUitkomst(StrEnum):
    VERSTUURD = "verstuurd"
    # The worker has no channel to the Raad configured (VT_RAAD_MAP): a human sends it.
    NIET_INGESTELD = "niet_ingesteld"
    # Every attempt to send failed: a human sends it.
    MISLUKT = "mislukt"


class RaadBeslissing(StrEnum):
    ONDERZOEK = "onderzoek"
    GEEN_ONDERZOEK = "geen_onderzoek"


class VtoOpdracht(Model):
    melding_id: str
    besluit: Besluit
    op: datetime


class RaadVerzoek(Model, extra="ignore"):
    """The VTO in the case's status (no personal data): sent when, and what came back."""

    uitkomst: RaadUitkomst
    kenmerk: str | None = None
    verzonden_op: datetime | None = None
    ontvangst_voor: datetime | None = None
    beslissing_voor: datetime | None = None
    ontvangen_op: datetime | None = None
    beslissing: RaadBeslissing | None = None
    beslist_op: datetime | None = None
    fout: str | None = None


class RaadAntwoord(Model):
    """What the Raad answered so far (the polling activity's result)."""

    ontvangen_op: datetime | None = None
    beslissing: RaadBeslissing | None = None
    beslist_op: datetime | None = None


def vto_kenmerk(melding_id: str) -> str:
    return f"VTO-{melding_id}"


def termijn(verzonden: datetime, werkdagen: int, kalender: Werkdagkalender) -> datetime:
    """The end of the `werkdagen`-th werkdag after the (local) day of sending."""
    return einde_van_dag(kalender.plus_werkdagen(verzonden.astimezone(AMSTERDAM).date(), werkdagen))


def herinnering(deadline: datetime) -> datetime:
    """The start of the deadline's day."""
    return begin_van_dag(deadline.astimezone(AMSTERDAM).date())


def vto_inhoud(melding: Melding, besluit: Besluit, kenmerk: str, op: datetime) -> dict[str, Any]:
    """The VTO itself (personal data: only in the message, never in the case's state): the
    minors it is about, the household's address, Veilig Thuis' onderbouwing."""
    dag: date = melding.ontvangen_op.astimezone(AMSTERDAM).date()
    return {
        "kenmerk": kenmerk,
        "melding_id": melding.melding_id,
        "regio": melding.regio,
        "verzonden_op": op.isoformat(),
        "onderbouwing": besluit.onderbouwing,
        "minderjarigen": [
            {
                "voornaam": b.voornaam,
                "achternaam": b.achternaam,
                "geboortedatum": b.geboortedatum.isoformat() if b.geboortedatum else None,
                "bsn": b.bsn,
            }
            for b in melding.betrokkenen
            if b.is_minderjarig_op(dag)
        ],
        "adres": melding.adres.model_dump(mode="json") if melding.adres else None,
    }


@dataclass(frozen=True)
class Vto:
    kenmerk: str
    inhoud: dict[str, Any]


class RaadTijdelijk(Exception):
    """Nothing was sent; a later attempt may succeed."""


class Raadkanaal(Protocol):
    async def verstuur(self, vto: Vto) -> None:
        """Send once: a VTO with this kenmerk that was sent before is not sent again."""
        ...

    async def antwoord(self, kenmerk: str) -> RaadAntwoord:
        """The Raad's acknowledgement and decision so far."""
        ...
