"""Deadlines of the process (docs/architecture.md), in Europe/Amsterdam and correct across DST.

- beoordeling: the end (23:59:59 local) of the 5th werkdag after the day of receipt (Q&A 3);
  reminder at the start (00:00 local) of the deadline day;
- a source's answer is due at the end (23:59:59 local) of the next werkdag after the day of receipt;
- tweede terugkoppeling: 10 weeks after the first, reminder at 8 weeks (Q&A 8);
- monitoring: 3 and 12 months after the dienst ends, then every 3 months (Werkwijze; Radarfunctie);
  other moments when agreed at the start of monitoring (Q&A 23);
- a postponed informing of the household: a reminder every 2 weeks until it is done (Q&A 4).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from domain.werkdagen import AMSTERDAM, STANDAARD_KALENDER, Werkdagkalender

BEOORDELING_WERKDAGEN = 5
BRON_WERKDAGEN = 1
TWEEDE_TERUGKOPPELING = timedelta(weeks=10)
TWEEDE_HERINNERING = timedelta(weeks=8)
MONITORING_MAANDEN = (3, 12)
MONITORING_INTERVAL_MAANDEN = 3
# A monitoring check that stays open: a reminder after a week, an escalation after two.
MONITORING_HERINNERING = timedelta(weeks=1)
MONITORING_ESCALATIE = timedelta(weeks=2)
# Q&A 4 ("in alle gevallen") sets no term for a postponed informing: the team is reminded every
# two weeks until it is done, as often as a monitoring check that stays open is escalated.
HUISHOUDEN_HERINNERING = timedelta(weeks=2)


def _lokaal(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("moment: moet een tijdzone hebben")
    return moment.astimezone(AMSTERDAM)


def einde_van_dag(dag: date) -> datetime:
    """23:59:59 on `dag` in Amsterdam: a statutory day ends at midnight, local time."""
    return datetime.combine(dag, time(23, 59, 59), tzinfo=AMSTERDAM)


def begin_van_dag(dag: date) -> datetime:
    return datetime.combine(dag, time(0, 0), tzinfo=AMSTERDAM)


def beoordeling_deadline(
    ontvangen_op: datetime, kalender: Werkdagkalender = STANDAARD_KALENDER
) -> datetime:
    """The end of the 5th werkdag after the (local) day of receipt (Q&A 3, Werkwijze)."""
    dag = kalender.plus_werkdagen(_lokaal(ontvangen_op).date(), BEOORDELING_WERKDAGEN)
    return einde_van_dag(dag)


def beoordeling_herinnering(deadline: datetime) -> datetime:
    """The start of the deadline day: the team is reminded a day's work ahead."""
    return begin_van_dag(_lokaal(deadline).date())


def bron_deadline(
    ontvangen_op: datetime, kalender: Werkdagkalender = STANDAARD_KALENDER
) -> datetime:
    """Sources answer within one werkdag: by the end of the next werkdag after receipt."""
    dag = kalender.plus_werkdagen(_lokaal(ontvangen_op).date(), BRON_WERKDAGEN)
    return einde_van_dag(dag)


def tweede_terugkoppeling_deadline(eerste: datetime) -> datetime:
    """10 weeks after the eerste terugkoppeling (Q&A 8), same local wall-clock time."""
    return _lokaal(eerste) + TWEEDE_TERUGKOPPELING


def tweede_terugkoppeling_herinnering(eerste: datetime) -> datetime:
    return _lokaal(eerste) + TWEEDE_HERINNERING


def tweede_terugkoppeling_te_laat(verstuurd_op: datetime, deadline: datetime) -> bool:
    """Q&A 8 "binnen 10 weken": a tweede terugkoppeling sent at the deadline (the workflow
    sends it then with the state of that moment) is within the term; late only when it left
    after the end of the deadline's day (a day ends at midnight, local time, as for the
    beoordeling)."""
    return verstuurd_op > einde_van_dag(_lokaal(deadline).date())


def plus_maanden(moment: datetime, maanden: int) -> datetime:
    """Calendar months later at the same local time; the 31st becomes the month's last day."""
    lokaal = _lokaal(moment)
    jaar, maand = divmod(lokaal.month - 1 + maanden, 12)
    jaar += lokaal.year
    maand += 1
    dag = min(lokaal.day, calendar.monthrange(jaar, maand)[1])
    return datetime.combine(date(jaar, maand, dag), lokaal.timetz().replace(tzinfo=AMSTERDAM))


def monitoring_maanden(nummer: int, afspraak: Sequence[int] = MONITORING_MAANDEN) -> int:
    """Months after the dienst of check `nummer` (1-based): the agreed moments (by default 3,
    12), then every 3 months: 3, 12, 15, 18, …"""
    if nummer < 1:
        raise ValueError("nummer: begint bij 1")
    if nummer <= len(afspraak):
        return afspraak[nummer - 1]
    extra = nummer - len(afspraak)
    return afspraak[-1] + extra * MONITORING_INTERVAL_MAANDEN


def monitoring_moment(
    dienst_einde: datetime, nummer: int, afspraak: Sequence[int] = MONITORING_MAANDEN
) -> datetime:
    """When monitoring check `nummer` is due (Werkwijze: 3 and 12 months after the dienst;
    Q&A 23: the moments agreed at the start)."""
    return plus_maanden(dienst_einde, monitoring_maanden(nummer, afspraak))


def werkdagen_resterend(
    nu: datetime, deadline: datetime, kalender: Werkdagkalender = STANDAARD_KALENDER
) -> int:
    """Werkdagen left until `deadline`, counting today when it is a werkdag (negative: late)."""
    vandaag, laatste = _lokaal(nu).date(), _lokaal(deadline).date()
    if nu > deadline:
        return -max(1, kalender.werkdagen_tussen(laatste, vandaag))
    return kalender.werkdagen_tussen(vandaag, laatste) + int(kalender.is_werkdag(vandaag))
