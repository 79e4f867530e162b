"""The term of a request to destroy a dossier (issue 25): the Jeugdwet's three months by default
(art. 7.3.9 via Wmo 2015 art. 5.3.5; the AVG's one month, extendable by two, fits within it),
configurable per organisation (VT_VERNIETIGING_TERMIJN_MAANDEN); a reminder two weeks before
the end, an escalation at the end, and the request keeps waiting for its decision."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

STANDAARD_MAANDEN = 3
HERINNERING_VOOR_EINDE = timedelta(weeks=2)


def plus_maanden(moment: datetime, maanden: int) -> datetime:
    """`moment` plus whole calendar months; a day the month lacks becomes its last day."""
    maand = moment.month - 1 + maanden
    jaar, maand = moment.year + maand // 12, maand % 12 + 1
    dag = min(moment.day, calendar.monthrange(jaar, maand)[1])
    return moment.replace(year=jaar, month=maand, day=dag)


def termijn(ontvangen_op: datetime, maanden: int) -> tuple[datetime, datetime]:
    """(reminder, deadline) of a request received at `ontvangen_op`."""
    einde = plus_maanden(ontvangen_op, maanden)
    return einde - HERINNERING_VOOR_EINDE, einde
