"""How MeldingWorkflow applies a human decision (an update): the shared mechanism
(workflows/besluitvorming.py) with the melding's rules, its admission (a cancelled case, a run
near its bound) and its audit's history (the order and the local activity behind patches).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from contract import names
    from domain.status import MeldingStatus
    from workflows.besluitvorming import (
        Besluiten,
        Besluitregel,
        Besluitvorming,
        Toepassing,
        Vastgesteld,
        Weigering,
        auteur,
        toegepast,
    )
    from workflows.handelingen import Handelingen
    from workflows.toestand import VERZOEKEN_BEWAARD, MeldingToestand
    from workflows.weigeren import weiger_als

# Replay: v1 applied a decision and then audited it; since v2 the audit comes first.
PATCH_AUDIT_EERST = "beslissing-na-audit"
# Replay: before v7 the audit was an activity (its own server round trip and a second workflow
# task before the update completed); since v7 a local activity in the update's workflow task,
# keyed on the update ID (a retried task writes one row), the update completing in that task.
PATCH_AUDIT_LOKAAL = "audit-lokaal"

# A decision adds at most this many events to a run (accepted, the audit activity, the upserts,
# the workflow tasks, completed); a run takes a new one only while it stays below RUN_VOL with
# every decision it accepted and has not finished (then the continue-as-new fits under 200).
EVENTS_PER_BESLISSING = 12
RUN_VOL = 185

# The melding's decisions; each audited under its own update's name.
MELDINGBESLUITEN = Besluiten[MeldingToestand](
    names.MELDING_WORKFLOW,
    Besluitregel(names.UPDATE_TRIAGE, lambda t, b: t.status.triage == b, audit=names.UPDATE_TRIAGE),
    Besluitregel(
        names.UPDATE_BESLUIT, lambda t, b: t.status.besluit == b, audit=names.UPDATE_BESLUIT
    ),
    Besluitregel(
        names.UPDATE_DIENST_AFRONDEN,
        lambda t, b: t.afronding == b,
        audit=names.UPDATE_DIENST_AFRONDEN,
    ),
    Besluitregel(
        names.UPDATE_MONITORING,
        lambda t, b: not t.monitoring_open and any(m.uitkomst == b for m in t.status.monitoring),
        audit=names.UPDATE_MONITORING,
    ),
    Besluitregel(
        names.UPDATE_HUISHOUDEN_INFORMEREN,
        lambda t, b: t.huishouden_geinformeerd == b,
        audit=names.UPDATE_HUISHOUDEN_INFORMEREN,
    ),
)


class Beslissen(Besluitvorming[MeldingToestand]):
    def __init__(
        self,
        t: MeldingToestand,
        handelingen: Handelingen,
        werk_attributen_bij: Callable[[], None],
        status: Callable[[], MeldingStatus],
        sluit_run: Callable[[], bool] = lambda: False,
        geannuleerd: Callable[[], bool] = lambda: False,
    ) -> None:
        # The update IDs applied live in the state: a repeat answers as the first, also after
        # continue-as-new.
        super().__init__(
            MELDINGBESLUITEN, t, audit=None, verzoeken=t.verzoeken, bewaard=VERZOEKEN_BEWAARD
        )
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

    def valideer(self, handeling: str, beslissing: Any, weiger: Weigering) -> None:
        super().valideer(handeling, beslissing, weiger)
        self.toegelaten += 1

    def toelaten(self, handeling: str) -> None:
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
        """Apply one human decision; the search attributes follow it (unless `bijwerken` is
        off); answered with the melding's status, also for a repeat."""

        def toepassen(_: Vastgesteld) -> None:
            pas_toe()
            if bijwerken:
                self.werk_attributen_bij()

        try:
            await self.beslis(handeling, beslissing, medewerker, weiger, toepassen)
            return self.status()
        finally:
            self.toegelaten = max(0, self.toegelaten - 1)

    async def voer_uit(
        self,
        regel: Besluitregel[MeldingToestand],
        beslissing: Any,
        medewerker: str,
        pas_toe: Toepassing,
    ) -> None:
        assert regel.audit is not None
        vastgesteld = Vastgesteld(door=auteur(medewerker), op=workflow.now())
        if workflow.patched(PATCH_AUDIT_EERST):
            lokaal = workflow.patched(PATCH_AUDIT_LOKAAL)
            await self.handelingen.audit(regel.audit, vastgesteld.door, beslissing, lokaal=lokaal)
            await toegepast(pas_toe, vastgesteld)
        else:
            await toegepast(pas_toe, vastgesteld)
            await self.handelingen.audit(regel.audit, vastgesteld.door, beslissing)
