"""Deadline computation with the configured werkdagen calendar.

An activity, not workflow code, because the extra gelijkgestelde days are configuration: the
result is recorded in the history, so a later change of the list never breaks a replay.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import activity

from domain.termijnen import beoordeling_deadline, beoordeling_herinnering, bron_deadline
from domain.uitwisseling import Termijnen
from domain.werkdagen import STANDAARD_KALENDER, Werkdagkalender


class KalenderActiviteiten:
    def __init__(self, kalender: Werkdagkalender = STANDAARD_KALENDER) -> None:
        self._kalender = kalender

    @activity.defn(name="bereken_termijnen")
    async def bereken_termijnen(self, ontvangen_op: datetime) -> Termijnen:
        deadline = beoordeling_deadline(ontvangen_op, self._kalender)
        return Termijnen(
            beoordeling_deadline=deadline,
            herinnering=beoordeling_herinnering(deadline),
            bron_deadline=bron_deadline(ontvangen_op, self._kalender),
        )
