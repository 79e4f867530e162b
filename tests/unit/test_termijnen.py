"""The deadlines of one melding (docs/architecture.md), in Europe/Amsterdam and across DST."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from activities.kalender import KalenderActiviteiten
from domain.termijnen import (
    beoordeling_deadline,
    beoordeling_herinnering,
    bron_deadline,
    einde_van_dag,
    monitoring_maanden,
    monitoring_moment,
    plus_maanden,
    tweede_terugkoppeling_deadline,
    tweede_terugkoppeling_herinnering,
    werkdagen_resterend,
)
from domain.werkdagen import AMSTERDAM, Werkdagkalender

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))


def lokaal(jaar: int, maand: int, dag: int, uur: int = 0, minuut: int = 0) -> datetime:
    return datetime(jaar, maand, dag, uur, minuut, tzinfo=AMSTERDAM)


def einde(jaar: int, maand: int, dag: int) -> datetime:
    return datetime(jaar, maand, dag, 23, 59, 59, tzinfo=AMSTERDAM)


def test_einde_van_dag_is_23_59_59_amsterdam_time() -> None:
    """A statutory day ends at 23:59:59 local time, winter (+01:00) or summer (+02:00)."""
    winter = einde_van_dag(date(2026, 12, 4))
    zomer = einde_van_dag(date(2026, 6, 4))
    assert winter.time() == time(23, 59, 59)
    assert winter.utcoffset() == timedelta(hours=1)
    assert zomer.utcoffset() == timedelta(hours=2)
    assert winter.astimezone(UTC) == datetime(2026, 12, 4, 22, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ontvangen_op", "deadline"),
    [
        # Monday morning: five werkdagen later is the next Monday.
        (datetime(2026, 11, 23, 9, 0, tzinfo=CET), einde(2026, 11, 30)),
        # Friday evening: the day of receipt still counts as Friday, so the next Friday.
        (datetime(2026, 11, 27, 22, 30, tzinfo=CET), einde(2026, 12, 4)),
        # Saturday: the first werkdag is Monday.
        (datetime(2026, 11, 28, 11, 0, tzinfo=CET), einde(2026, 12, 4)),
        # Over Easter 2026: Goede Vrijdag 3 April and Tweede Paasdag 6 April are skipped.
        (datetime(2026, 4, 1, 10, 0, tzinfo=CEST), einde(2026, 4, 10)),
        # Over Christmas 2026 and Nieuwjaarsdag 2027.
        (datetime(2026, 12, 23, 14, 0, tzinfo=CET), einde(2026, 12, 31)),
        (datetime(2026, 12, 24, 14, 0, tzinfo=CET), einde(2027, 1, 4)),
    ],
)
def test_beoordeling_deadline_is_the_end_of_the_fifth_werkdag_after_the_day_of_receipt(
    ontvangen_op: datetime, deadline: datetime
) -> None:
    """Q&A 3, Werkwijze: the beoordeling is due 23:59:59 local on the 5th werkdag after receipt."""
    uitkomst = beoordeling_deadline(ontvangen_op)
    assert uitkomst == deadline
    assert uitkomst.tzinfo is AMSTERDAM
    assert uitkomst.time() == time(23, 59, 59)


def test_friday_evening_receipt_is_due_friday_4_december_2026_at_23_59_59_local() -> None:
    """Q&A 3: a melding of Fri 2026-11-27 22:30 +01:00 is due Fri 2026-12-04 23:59:59 +01:00."""
    deadline = beoordeling_deadline(datetime(2026, 11, 27, 22, 30, tzinfo=CET))
    assert deadline.isoformat() == "2026-12-04T23:59:59+01:00"


def test_a_utc_receipt_that_is_already_the_next_day_in_amsterdam_counts_from_that_day() -> None:
    """Thu 23:30 UTC is Fri 00:30 in Amsterdam: the day of receipt is Friday, not Thursday."""
    ontvangen_op = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert beoordeling_deadline(ontvangen_op) == einde(2026, 12, 4)
    # The same instant written in local time gives the same deadline.
    assert beoordeling_deadline(ontvangen_op.astimezone(AMSTERDAM)) == einde(2026, 12, 4)


def test_a_utc_receipt_still_on_the_same_amsterdam_day_counts_from_that_day() -> None:
    """Thu 22:30 UTC is Thu 23:30 in Amsterdam: the day of receipt is still Thursday."""
    ontvangen_op = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    assert beoordeling_deadline(ontvangen_op) == einde(2026, 12, 3)


@pytest.mark.parametrize(
    "ontvangen_op",
    [
        datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # 00:30 +01:00, before the change
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 03:30 +02:00, after the change
        datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # 23:59 +02:00
    ],
)
def test_a_receipt_on_the_day_dst_starts_counts_from_sunday_29_march_2026(
    ontvangen_op: datetime,
) -> None:
    """Sunday 2026-03-29 (DST starts): five werkdagen past Easter end Tuesday 7 April, +02:00."""
    assert ontvangen_op.astimezone(AMSTERDAM).date() == date(2026, 3, 29)
    deadline = beoordeling_deadline(ontvangen_op)
    assert deadline == einde(2026, 4, 7)
    assert deadline.isoformat() == "2026-04-07T23:59:59+02:00"


def test_a_deadline_across_the_dst_change_has_the_summer_offset() -> None:
    """Received Wed 2026-03-25 at +01:00, due Wed 2026-04-01 23:59:59 at +02:00."""
    deadline = beoordeling_deadline(datetime(2026, 3, 25, 10, 0, tzinfo=CET))
    assert deadline.isoformat() == "2026-04-01T23:59:59+02:00"
    assert deadline.astimezone(UTC) == datetime(2026, 4, 1, 21, 59, 59, tzinfo=UTC)


def test_a_deadline_across_the_end_of_dst_has_the_winter_offset() -> None:
    """Received Thu 2026-10-22 at +02:00, due Thu 2026-10-29 23:59:59 at +01:00."""
    deadline = beoordeling_deadline(datetime(2026, 10, 22, 10, 0, tzinfo=CEST))
    assert deadline.isoformat() == "2026-10-29T23:59:59+01:00"


def test_beoordeling_deadline_honours_extra_gelijkgestelde_days() -> None:
    """A day gelijkgesteld by decree pushes the deadline one werkdag further."""
    kalender = Werkdagkalender.met_extra([date(2026, 11, 25)])
    ontvangen_op = datetime(2026, 11, 23, 9, 0, tzinfo=CET)
    assert beoordeling_deadline(ontvangen_op, kalender) == einde(2026, 12, 1)


@pytest.mark.parametrize(
    ("deadline", "herinnering"),
    [
        (einde(2026, 12, 4), "2026-12-04T00:00:00+01:00"),
        (einde(2026, 4, 7), "2026-04-07T00:00:00+02:00"),
        # A deadline given in UTC: the reminder is midnight of its Amsterdam day.
        (einde(2026, 12, 4).astimezone(UTC), "2026-12-04T00:00:00+01:00"),
    ],
)
def test_beoordeling_herinnering_is_midnight_local_on_the_deadline_day(
    deadline: datetime, herinnering: str
) -> None:
    """docs/architecture.md: the reminder is due at 00:00 Europe/Amsterdam of the deadline day."""
    assert beoordeling_herinnering(deadline).isoformat() == herinnering


@pytest.mark.parametrize(
    ("ontvangen_op", "deadline"),
    [
        (datetime(2026, 11, 23, 9, 0, tzinfo=CET), einde(2026, 11, 24)),
        (datetime(2026, 11, 27, 22, 30, tzinfo=CET), einde(2026, 11, 30)),
        (datetime(2026, 4, 2, 16, 0, tzinfo=CEST), einde(2026, 4, 7)),
        (datetime(2026, 12, 31, 9, 0, tzinfo=CET), einde(2027, 1, 4)),
    ],
)
def test_bron_deadline_is_the_end_of_the_next_werkdag(
    ontvangen_op: datetime, deadline: datetime
) -> None:
    """docs/architecture.md: each source (register, Raad, politie) gets one werkdag to answer."""
    assert bron_deadline(ontvangen_op) == deadline


@pytest.mark.parametrize(
    ("eerste", "deadline", "herinnering"),
    [
        # Winter to summer time: the wall-clock time stays 10:00.
        (
            datetime(2026, 3, 2, 10, 0, tzinfo=CET),
            "2026-05-11T10:00:00+02:00",
            "2026-04-27T10:00:00+02:00",
        ),
        # Summer to winter time.
        (
            datetime(2026, 9, 1, 10, 0, tzinfo=CEST),
            "2026-11-10T10:00:00+01:00",
            "2026-10-27T10:00:00+01:00",
        ),
        # Given in UTC: 09:00 UTC is 10:00 local in winter.
        (
            datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
            "2026-05-11T10:00:00+02:00",
            "2026-04-27T10:00:00+02:00",
        ),
    ],
)
def test_tweede_terugkoppeling_is_due_ten_weeks_after_the_first_at_the_same_local_time(
    eerste: datetime, deadline: str, herinnering: str
) -> None:
    """Q&A 8: tweede terugkoppeling 10 weeks after the first, reminder at 8 weeks, across DST."""
    assert tweede_terugkoppeling_deadline(eerste).isoformat() == deadline
    assert tweede_terugkoppeling_herinnering(eerste).isoformat() == herinnering


@pytest.mark.parametrize(
    ("nummer", "maanden"), [(1, 3), (2, 12), (3, 15), (4, 18), (5, 21), (10, 36)]
)
def test_monitoring_maanden_are_3_and_12_then_every_3_months(nummer: int, maanden: int) -> None:
    """Seeds 000 and 004: checks at 3 and 12 months, then every 3 months until stably safe."""
    assert monitoring_maanden(nummer) == maanden


def test_monitoring_maanden_refuses_check_zero() -> None:
    """Checks are numbered from 1."""
    with pytest.raises(ValueError, match="begint bij 1"):
        monitoring_maanden(0)


@pytest.mark.parametrize(
    ("nummer", "moment"),
    [
        (1, "2026-09-15T14:00:00+02:00"),
        (2, "2027-06-15T14:00:00+02:00"),
        (3, "2027-09-15T14:00:00+02:00"),
        (4, "2027-12-15T14:00:00+01:00"),
        (5, "2028-03-15T14:00:00+01:00"),
    ],
)
def test_monitoring_moment_is_3_and_12_months_after_the_dienst_ends(
    nummer: int, moment: str
) -> None:
    """Werkwijze: 'in elk geval na 3 en na 12 maanden', same local time, then every 3 months."""
    dienst_einde = datetime(2026, 6, 15, 14, 0, tzinfo=CEST)
    assert monitoring_moment(dienst_einde, nummer).isoformat() == moment


@pytest.mark.parametrize(
    ("moment", "maanden", "verwacht"),
    [
        (lokaal(2027, 1, 31, 9), 1, "2027-02-28T09:00:00+01:00"),
        (lokaal(2028, 1, 31, 9), 1, "2028-02-29T09:00:00+01:00"),
        (lokaal(2027, 11, 30, 9), 3, "2028-02-29T09:00:00+01:00"),
        (lokaal(2026, 1, 31, 9), 3, "2026-04-30T09:00:00+02:00"),
        (lokaal(2026, 10, 31, 9), 12, "2027-10-31T09:00:00+01:00"),
        (lokaal(2026, 12, 15, 9), 3, "2027-03-15T09:00:00+01:00"),
        (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), 1, "2026-03-01T00:30:00+01:00"),
    ],
)
def test_plus_maanden_clamps_to_the_last_day_of_a_shorter_month(
    moment: datetime, maanden: int, verwacht: str
) -> None:
    """31 January plus one month is the end of February (29 February in the leap year 2028)."""
    assert plus_maanden(moment, maanden).isoformat() == verwacht


@pytest.mark.parametrize(
    ("nu", "resterend"),
    [
        # Monday, the day of receipt: today and the five werkdagen after it.
        (lokaal(2026, 11, 23, 9), 6),
        (lokaal(2026, 11, 27, 16), 2),
        # A Saturday does not count itself.
        (lokaal(2026, 11, 28, 12), 1),
        # The deadline day itself, before 23:59:59.
        (lokaal(2026, 11, 30, 9), 1),
        (lokaal(2026, 11, 30, 23, 59), 1),
        # Late: negative werkdagen past the deadline.
        (lokaal(2026, 12, 1, 0, 0), -1),
        (lokaal(2026, 12, 3, 15), -3),
    ],
)
def test_werkdagen_resterend_counts_today_when_a_werkdag_and_is_negative_when_late(
    nu: datetime, resterend: int
) -> None:
    """Werkdagen left until the deadline (today included), negative once it passed."""
    deadline = einde(2026, 11, 30)
    assert werkdagen_resterend(nu, deadline) == resterend


def test_werkdagen_resterend_is_negative_when_late_over_a_weekend() -> None:
    """Overdue must be impossible to miss: Saturday after a Friday deadline is late."""
    deadline = einde(2026, 12, 4)
    assert werkdagen_resterend(lokaal(2026, 12, 5, 10), deadline) < 0


def test_werkdagen_resterend_compares_instants_not_wall_clocks() -> None:
    """A moment in UTC just before the local deadline is on time; a second after it is late."""
    deadline = einde(2026, 11, 30)
    assert werkdagen_resterend(datetime(2026, 11, 30, 22, 59, tzinfo=UTC), deadline) == 1
    assert werkdagen_resterend(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), deadline) == -1


@pytest.mark.parametrize(
    "functie",
    [
        beoordeling_deadline,
        beoordeling_herinnering,
        bron_deadline,
        tweede_terugkoppeling_deadline,
        tweede_terugkoppeling_herinnering,
        lambda moment: plus_maanden(moment, 3),
        lambda moment: monitoring_moment(moment, 1),
        lambda moment: werkdagen_resterend(moment, einde(2026, 11, 30)),
    ],
)
def test_a_naive_datetime_is_refused(functie: Callable[[datetime], object]) -> None:
    """Deadline arithmetic needs a time zone: a naive moment raises instead of guessing."""
    with pytest.raises(ValueError, match="tijdzone"):
        functie(datetime(2026, 11, 23, 9, 0))


async def test_the_sources_bound_runs_from_intake_not_from_receipt() -> None:
    """Issue 18.5: a melding received on Monday and entered the next Monday gave its sources
    the one-minute minimum (their bound, Tuesday 23:59:59, had passed). Now the beoordeling
    still runs from receipt, the sources' bound from intake: the end of the next werkdag."""
    ontvangen = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
    ingevoerd = datetime(2026, 3, 9, 10, 0, tzinfo=AMSTERDAM)
    t = await KalenderActiviteiten().bereken_termijnen(ontvangen, ingevoerd)
    assert t.bron_deadline == datetime(2026, 3, 10, 23, 59, 59, tzinfo=AMSTERDAM)
    assert t.beoordeling_deadline == beoordeling_deadline(ontvangen)


async def test_a_v5_call_with_receipt_only_still_bounds_the_sources_from_receipt() -> None:
    """A history before v6 passes one argument, which the SDK then decodes untyped (a string)."""
    ontvangen = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
    t = await KalenderActiviteiten().bereken_termijnen(ontvangen.isoformat())  # type: ignore[arg-type]
    assert t.bron_deadline == bron_deadline(ontvangen)
