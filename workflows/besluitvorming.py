"""One decision mechanism for every update of every workflow (issue 27).

A workflow names its decisions as data: one `Besluitregel` per update (its name, how an
identical repeat of the decision in force is recognised, the action its audit row records), the
workflow's rules together in one `Besluiten` table, registered under the workflow's name (a test
holds every workflow's updates to it). Every update then goes through one `Besluitvorming`:

- the validator (`valideer`): an attested author, the workflow's own admission (`toelaten`), the
  contract's intake rules, a verzoek_id used for another request; then, unless the decision
  repeats the one in force, the protocol. A refusal is the contract's `Geweigerd`
  (workflows/weigeren.py) and never enters the history.
- the handler (`beslis`): inside one lock, where no other decision can be half-way, a repeat
  (the same update ID, or the decision in force again) is answered as the first was, with no
  second audit row; otherwise the protocol is checked again, the audit is written first, the
  decision applied, and its update ID remembered.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contract import ids, verklaring
    from domain.invoer import ONBEKEND_VELD, foutregels, streng
    from domain.model import onbekend_bij_aankomst
    from workflows.weigeren import weiger_als

S = TypeVar("S")
# The protocol's check of one decision: the reason it is refused, or None.
Weigering = Callable[[Any], str | None]
# Writes one audit row: (action, who decided, the decision).
Auditeer = Callable[[str, str, BaseModel], Awaitable[None]]


@dataclass(frozen=True)
class Vastgesteld:
    """Who took a decision and when, fixed as it passed the lock (before its audit, which may
    take a workflow task of its own)."""

    door: str
    op: datetime


# Applies the decision (after its audit); a workflow's step may wait (an activity, a phase).
Toepassing = Callable[[Vastgesteld], Awaitable[None] | None]


@dataclass(frozen=True)
class Besluitregel(Generic[S]):
    """One update's decision: `herhaling(state, decision)` is true for an identical repeat of
    the decision in force; `audit` is the action its audit row records (None: the decision
    writes no row of its own, its record is elsewhere, and the rule says where)."""

    naam: str
    herhaling: Callable[[S, Any], bool]
    audit: str | None


class Besluiten(Generic[S]):
    """One workflow's decisions, by update name, registered under the workflow's name."""

    def __init__(self, workflow_naam: str, *regels: Besluitregel[S]) -> None:
        self.workflow = workflow_naam
        self.regels = {regel.naam: regel for regel in regels}
        if len(self.regels) != len(regels):
            raise ValueError(f"{workflow_naam}: een update heeft meer dan een besluitregel")
        REGISTER[workflow_naam] = self

    def __getitem__(self, naam: str) -> Besluitregel[S]:
        regel = self.regels.get(naam)
        if regel is None:
            # A programming error, never a caller's: an update outside the mechanism.
            raise LookupError(f"{self.workflow}: geen besluitregel voor {naam}")
        return regel


# Every workflow's decisions, by workflow name (tests/unit/test_besluitvorming.py).
REGISTER: dict[str, Besluiten[Any]] = {}


def auteur(medewerker: str) -> str:
    """Who decided, for the audit: the attested login (since v5); the payload's field only in an
    older history, whose update carried no verklaring."""
    wie = verklaring.auteur()
    return wie.id if wie is not None else medewerker


def zonder_auteur(handeling: str) -> str | None:
    """Fail closed: without an author the worker's interceptor attested (runtime/auteurschap.py),
    nothing is decided."""
    if verklaring.auteur() is None:
        return f"{handeling}: zonder geldige verklaring van de auteur geweigerd"
    return None


def intake(beslissing: Any) -> str | None:
    """What the contract's intake rules say of a decision (None: nothing), by today's clock; a
    field the contract does not know, which decoding dropped, is refused as intake does (never
    named: a person may have typed anything there)."""
    if onbekend_bij_aankomst(beslissing):
        return f"{ONBEKEND_VELD}: niet toegestaan (geen bekend veld)"
    try:
        streng(beslissing, workflow.now())
    except ValidationError as fout:
        return "; ".join(foutregels(fout, type(beslissing)))
    return None


class Besluitvorming(Generic[S]):
    """The mechanism, for one workflow run: its rules, the state they read, the update IDs
    already applied (bounded by `bewaard`), and how it audits."""

    def __init__(
        self,
        besluiten: Besluiten[S],
        stand: S,
        *,
        audit: Auditeer | None,
        verzoeken: list[str] | None = None,
        bewaard: int = 200,
        verzoek_in_slot: bool = True,
    ) -> None:
        self.besluiten = besluiten
        # A reused verzoek_id is refused by the validator, and checked again inside the lock
        # unless the workflow's histories applied one before it was refused (then re-checking
        # it on replay would refuse what they applied).
        self.verzoek_in_slot = verzoek_in_slot
        self.stand = stand
        self.auditeer = audit
        self.verzoeken: list[str] = [] if verzoeken is None else verzoeken
        self.bewaard = bewaard
        self.slot = asyncio.Lock()

    # -- the validator ---------------------------------------------------------------------
    def valideer(self, handeling: str, beslissing: Any, weiger: Weigering) -> None:
        """Every intake rule of the contract (those that may change are not applied when a
        history is decoded, so they are applied here), then the protocol; a repeat of an
        applied decision passes (the handler answers it)."""
        regel = self.besluiten[handeling]
        weiger_als(zonder_auteur(handeling))
        self.toelaten(handeling)
        weiger_als(intake(beslissing))
        weiger_als(self.ander_verzoek(handeling))
        if not self.herhaling(regel, beslissing):
            weiger_als(weiger(beslissing))

    def toelaten(self, handeling: str) -> None:
        """The workflow's own admission before the intake rules (none here)."""

    def ander_verzoek(self, handeling: str) -> str | None:
        """A verzoek_id names one request: used before with another payload, or for another
        decision, it is refused (a caller's bug, never silently dropped)."""
        verzoek = workflow.current_update_info()
        gelezen = ids.lees_update_id(verzoek.id) if verzoek is not None else None
        if gelezen is None:
            return None
        naam, verzoek_id, inhoud = gelezen
        if naam != handeling:
            return f"{handeling}: de update-ID hoort bij {naam}; gebruik een nieuwe verzoek_id"
        for eerder in self.verzoeken:
            vorig = ids.lees_update_id(eerder)
            if vorig is not None and vorig[:2] == (naam, verzoek_id) and vorig[2] != inhoud:
                return (
                    f"{handeling}: verzoek_id {verzoek_id} is al gebruikt met een andere inhoud; "
                    "een ander besluit vraagt een nieuwe verzoek_id"
                )
        return None

    def herhaling(self, regel: Besluitregel[S], beslissing: Any) -> bool:
        """A client's retry: the same update ID, or an identical repeat of the decision in
        force (a retry after a timeout that was applied all the same)."""
        verzoek = workflow.current_update_info()
        if verzoek is not None and verzoek.id in self.verzoeken:
            return True
        return regel.herhaling(self.stand, beslissing)

    # -- the handler -----------------------------------------------------------------------
    async def beslis(
        self,
        handeling: str,
        beslissing: Any,
        medewerker: str,
        weiger: Weigering,
        pas_toe: Toepassing,
    ) -> bool:
        """Apply one decision: once, audited first, re-checked inside the lock (the validator
        ran before any decision in flight started). False: a repeat, answered as the first."""
        regel = self.besluiten[handeling]
        async with self.slot:
            if self.herhaling(regel, beslissing):
                return False
            if self.verzoek_in_slot:
                weiger_als(self.ander_verzoek(handeling))
            weiger_als(weiger(beslissing))
            await self.voer_uit(regel, beslissing, medewerker, pas_toe)
            self.onthoud()
            return True

    async def voer_uit(
        self, regel: Besluitregel[S], beslissing: Any, medewerker: str, pas_toe: Toepassing
    ) -> None:
        """The audit first, then the decision."""
        vastgesteld = Vastgesteld(door=auteur(medewerker), op=workflow.now())
        if regel.audit is not None:
            if self.auditeer is None:
                raise LookupError(f"{regel.naam}: de regel vraagt een audit, de workflow geen")
            await self.auditeer(regel.audit, vastgesteld.door, beslissing)
        await toegepast(pas_toe, vastgesteld)

    def onthoud(self) -> None:
        verzoek = workflow.current_update_info()
        if verzoek is not None:
            self.verzoeken.append(verzoek.id)
            del self.verzoeken[: -self.bewaard]


async def toegepast(pas_toe: Toepassing, vastgesteld: Vastgesteld) -> None:
    uitkomst = pas_toe(vastgesteld)
    if inspect.isawaitable(uitkomst):
        await uitkomst
