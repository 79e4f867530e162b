"""Deadline computation with the configured werkdagen calendar.

An activity, not workflow code, because the extra gelijkgestelde days are configuration: the
result is recorded in the history, so a later change of the list never breaks a replay.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import TypeAdapter
from temporalio import activity

from domain.termijnen import beoordeling_deadline, beoordeling_herinnering, bron_deadline
from domain.uitwisseling import Termijnen
from domain.werkdagen import STANDAARD_KALENDER, Werkdagkalender

_MOMENT = TypeAdapter(datetime)


class KalenderActiviteiten:
    def __init__(self, kalender: Werkdagkalender = STANDAARD_KALENDER) -> None:
        self._kalender = kalender

    @activity.defn(name="bereken_termijnen")
    async def bereken_termijnen(
        self, ontvangen_op: datetime, ingevoerd_op: datetime | None = None
    ) -> Termijnen:
        """The beoordeling runs from receipt (Q&A 3); the sources' bound from intake
        (`ingevoerd_op`, the workflow's start; None in a history before v6: from receipt), so a
        melding entered days after receipt still gives its sources a full werkdag."""
        # The SDK applies type hints only when the argument count matches them (a v5 history
        # passes one argument): decode what arrived untyped.
        ontvangen_op = _MOMENT.validate_python(ontvangen_op)
        deadline = beoordeling_deadline(ontvangen_op, self._kalender)
        bronnen_vanaf = ontvangen_op if ingevoerd_op is None else max(ontvangen_op, ingevoerd_op)
        return Termijnen(
            beoordeling_deadline=deadline,
            herinnering=beoordeling_herinnering(deadline),
            bron_deadline=bron_deadline(bronnen_vanaf, self._kalender),
        )
