"""How MeldingWorkflow applies a human decision (an update): checked by its validator (a refusal
never enters the history), checked again inside one lock (two decisions in flight at once cannot
both pass), audited, applied once; an identical repeat answers as the first did.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from contract import ids, names, verklaring
    from domain.invoer import ONBEKEND_VELD, foutregels, streng
    from domain.model import onbekend_bij_aankomst
    from domain.status import MeldingStatus
    from workflows.handelingen import Handelingen
    from workflows.toestand import VERZOEKEN_BEWAARD, MeldingToestand
    from workflows.weigeren import weiger_als

# Replay: v1 applied a decision and then audited it; since v2 the audit comes first.
PATCH_AUDIT_EERST = "beslissing-na-audit"
# Replay: before v7 the audit was an activity (its own server round trip and a second workflow
# task before the update completed); since v7 a local activity in the update's workflow task,
# keyed on the update ID (a retried task writes one row), the update completing in that task.
PATCH_AUDIT_LOKAAL = "audit-lokaal"

Weigering = Callable[[Any], str | None]
# A decision adds at most this many events to a run (accepted, the audit activity, the upserts,
# the workflow tasks, completed); a run takes a new one only while it stays below RUN_VOL with
# every decision it accepted and has not finished (then the continue-as-new fits under 200).
EVENTS_PER_BESLISSING = 12
RUN_VOL = 185


def _zonder_auteur(handeling: str) -> str | None:
    """Fail closed: without an author the worker's interceptor attested (runtime/auteurschap.py),
    nothing is decided."""
    if verklaring.auteur() is None:
        return f"{handeling}: zonder geldige verklaring van de auteur geweigerd"
    return None


def _intake(beslissing: Any) -> str | None:
    """What the contract's intake rules say of a decision (None: nothing), by today's clock;
    a field the contract does not know, which decoding dropped, is refused as intake does
    (never named: a person may have typed anything there)."""
    if onbekend_bij_aankomst(beslissing):
        return f"{ONBEKEND_VELD}: niet toegestaan (geen bekend veld)"
    try:
        streng(beslissing, workflow.now())
    except ValidationError as fout:
        return "; ".join(foutregels(fout, type(beslissing)))
    return None


class Beslissen:
    def __init__(
        self,
        t: MeldingToestand,
        handelingen: Handelingen,
        werk_attributen_bij: Callable[[], None],
        status: Callable[[], MeldingStatus],
        sluit_run: Callable[[], bool] = lambda: False,
        geannuleerd: Callable[[], bool] = lambda: False,
    ) -> None:
        self.toestand = t
        self.sluit_run = sluit_run
        self.geannuleerd = geannuleerd
        # Decisions this worker's validators let in that have not finished. Read by validators
        # only, which never run on replay, so no command depends on it (after a replay it
        # starts at 0 again: a bound a little looser, never a different history).
        self.toegelaten = 0
        self.handelingen = handelingen
        self.werk_attributen_bij = werk_attributen_bij
        self.status = status
        self.slot = asyncio.Lock()

    def valideer(self, handeling: str, beslissing: Any, weiger: Weigering) -> None:
        """The validator: every intake rule of the contract (those that may change are not
        applied when a history is decoded, so they are applied here), then the protocol; a
        repeat of an applied decision passes (the handler answers it)."""
        weiger_als(_zonder_auteur(handeling))
        if self.geannuleerd():
            # A cancel finishes the decisions in flight and accepts no new one.
            weiger_als(f"{handeling}: de melding is geannuleerd; er wordt niets meer besloten")
        lengte = workflow.info().get_current_history_length()
        if self.sluit_run() or lengte + EVENTS_PER_BESLISSING * (self.toegelaten + 1) >= RUN_VOL:
            # Every decision accepted now would add to a run at its bound (a burst of them took
            # one to 238 events): the next run takes it, a moment later.
            raise ApplicationError(
                f"{handeling}: de casus gaat verder in een nieuwe run; probeer het zo opnieuw",
                type=names.FOUT_NIEUWE_RUN,
                non_retryable=True,
            )
        weiger_als(_intake(beslissing))
        weiger_als(self._ander_verzoek(handeling))
        if not self._herhaling(handeling, beslissing):
            weiger_als(weiger(beslissing))
        self.toegelaten += 1

    def _ander_verzoek(self, handeling: str) -> str | None:
        """A verzoek_id names one request: used before with another payload, or for another
        decision, it is refused (a caller's bug, never silently dropped)."""
        verzoek = workflow.current_update_info()
        gelezen = ids.lees_update_id(verzoek.id) if verzoek is not None else None
        if gelezen is None:
            return None
        naam, verzoek_id, inhoud = gelezen
        if naam != handeling:
            return f"{handeling}: de update-ID hoort bij {naam}; gebruik een nieuwe verzoek_id"
        for eerder in self.toestand.verzoeken:
            vorig = ids.lees_update_id(eerder)
            if vorig is not None and vorig[:2] == (naam, verzoek_id) and vorig[2] != inhoud:
                return (
                    f"{handeling}: verzoek_id {verzoek_id} is al gebruikt met een andere inhoud; "
                    "een ander besluit vraagt een nieuwe verzoek_id"
                )
        return None

    @staticmethod
    def auteur(medewerker: str) -> str:
        """Who decided, for the audit: the attested login (since v5); the payload's field only
        in an older history, whose update carried no verklaring."""
        wie = verklaring.auteur()
        return wie.id if wie is not None else medewerker

    async def __call__(
        self,
        handeling: str,
        beslissing: Any,
        medewerker: str,
        weiger: Weigering,
        pas_toe: Callable[[], None],
        *,
        bijwerken: bool = True,
    ) -> MeldingStatus:
        """Apply one human decision: once, audited, and re-checked inside the lock, where no
        other decision can be half-way (the validator ran before any of them started)."""
        try:
            return await self._pas_toe(
                handeling, beslissing, medewerker, weiger, pas_toe, bijwerken
            )
        finally:
            self.toegelaten = max(0, self.toegelaten - 1)

    async def _pas_toe(
        self,
        handeling: str,
        beslissing: Any,
        medewerker: str,
        weiger: Weigering,
        pas_toe: Callable[[], None],
        bijwerken: bool,
    ) -> MeldingStatus:
        async with self.slot:
            if self._herhaling(handeling, beslissing):
                return self.status()
            weiger_als(self._ander_verzoek(handeling) or weiger(beslissing))
            if workflow.patched(PATCH_AUDIT_EERST):
                lokaal = workflow.patched(PATCH_AUDIT_LOKAAL)
                await self.handelingen.audit(
                    handeling, self.auteur(medewerker), beslissing, lokaal=lokaal
                )
                pas_toe()
                if bijwerken:
                    self.werk_attributen_bij()
            else:
                pas_toe()
                if bijwerken:
                    self.werk_attributen_bij()
                await self.handelingen.audit(handeling, self.auteur(medewerker), beslissing)
            self._onthoud()
            return self.status()

    def _herhaling(self, handeling: str, beslissing: Any) -> bool:
        """A client's retry: the same update ID, or an identical repeat of the decision in
        force (a retry after a timeout that was applied all the same)."""
        verzoek = workflow.current_update_info()
        if verzoek is not None and verzoek.id in self.toestand.verzoeken:
            return True
        t = self.toestand
        if handeling == names.UPDATE_BESLUIT:
            return bool(t.status.besluit == beslissing)
        if handeling == names.UPDATE_DIENST_AFRONDEN:
            return bool(t.afronding == beslissing)
        if handeling == names.UPDATE_MONITORING:
            return not t.monitoring_open and any(
                m.uitkomst == beslissing for m in t.status.monitoring
            )
        if handeling == names.UPDATE_HUISHOUDEN_INFORMEREN:
            return bool(t.huishouden_geinformeerd == beslissing)
        return handeling == names.UPDATE_TRIAGE and t.status.triage == beslissing

    def _onthoud(self) -> None:
        verzoek = workflow.current_update_info()
        if verzoek is not None:
            self.toestand.verzoeken.append(verzoek.id)
            del self.toestand.verzoeken[:-VERZOEKEN_BEWAARD]
