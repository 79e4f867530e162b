"""Werkdagen (docs/architecture.md): Monday to Friday minus the feestdagen of the Algemene
termijnenwet."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.werkdagen import (
    STANDAARD_KALENDER,
    Werkdagkalender,
    feestdagen,
    koningsdag,
    pasen,
)

# Easter Sundays from the published church calendars, not from the algorithm under test.
PAASZONDAGEN = {
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
}


@pytest.mark.parametrize(("jaar", "paaszondag"), sorted(PAASZONDAGEN.items()))
def test_easter_sunday_matches_the_known_date(jaar: int, paaszondag: date) -> None:
    """The computed Easter Sunday is the published one for 2025–2030."""
    assert pasen(jaar) == paaszondag
    assert paaszondag.weekday() == 6


@pytest.mark.parametrize("paaszondag", sorted(PAASZONDAGEN.values()))
def test_easter_weekend_closes_goede_vrijdag_and_tweede_paasdag_only(paaszondag: date) -> None:
    """Goede Vrijdag and Tweede Paasdag are closed; Thursday before and Tuesday after are not."""
    donderdag = paaszondag - timedelta(days=3)
    goede_vrijdag = paaszondag - timedelta(days=2)
    tweede_paasdag = paaszondag + timedelta(days=1)
    dinsdag = paaszondag + timedelta(days=2)
    assert STANDAARD_KALENDER.is_werkdag(donderdag)
    assert not STANDAARD_KALENDER.is_werkdag(goede_vrijdag)
    assert not STANDAARD_KALENDER.is_werkdag(tweede_paasdag)
    assert STANDAARD_KALENDER.is_werkdag(dinsdag)
    assert STANDAARD_KALENDER.plus_werkdagen(donderdag, 1) == dinsdag


def test_koningsdag_2025_moves_to_saturday_26_april_because_the_27th_is_a_sunday() -> None:
    """In 2025 the 27th is a Sunday, so Koningsdag is Saturday 26 April and no werkday is lost."""
    assert date(2025, 4, 27).weekday() == 6
    assert koningsdag(2025) == date(2025, 4, 26)
    assert feestdagen(2025)[date(2025, 4, 26)] == "Koningsdag"
    assert date(2025, 4, 27) not in feestdagen(2025)
    assert STANDAARD_KALENDER.is_werkdag(date(2025, 4, 25))
    assert STANDAARD_KALENDER.is_werkdag(date(2025, 4, 28))
    assert STANDAARD_KALENDER.plus_werkdagen(date(2025, 4, 25), 1) == date(2025, 4, 28)


def test_koningsdag_2026_is_monday_27_april_and_not_a_werkdag() -> None:
    """In 2026 Koningsdag stays on Monday 27 April, which is no werkdag."""
    assert koningsdag(2026) == date(2026, 4, 27)
    assert date(2026, 4, 27).weekday() == 0
    assert not STANDAARD_KALENDER.is_werkdag(date(2026, 4, 27))
    assert STANDAARD_KALENDER.plus_werkdagen(date(2026, 4, 24), 1) == date(2026, 4, 28)


@pytest.mark.parametrize(
    ("dag", "naam"),
    [
        (date(2026, 5, 14), "Hemelvaartsdag"),
        (date(2026, 5, 25), "Tweede Pinksterdag"),
    ],
)
def test_hemelvaart_and_tweede_pinksterdag_2026_are_no_werkdagen(dag: date, naam: str) -> None:
    """Hemelvaartsdag (Thu 14 May 2026) and Tweede Pinksterdag (Mon 25 May 2026) are closed."""
    assert feestdagen(2026)[dag] == naam
    assert dag.weekday() < 5
    assert not STANDAARD_KALENDER.is_werkdag(dag)
    assert STANDAARD_KALENDER.is_werkdag(dag + timedelta(days=1))


@pytest.mark.parametrize("jaar", [2025, 2026, 2027, 2028, 2029, 2030])
def test_vijf_mei_is_never_a_werkdag(jaar: int) -> None:
    """5 mei counts as a feestdag every year under the Algemene termijnenwet."""
    assert feestdagen(jaar)[date(jaar, 5, 5)] == "Bevrijdingsdag"
    assert not STANDAARD_KALENDER.is_werkdag(date(jaar, 5, 5))


def test_christmas_2027_on_a_weekend_leaves_monday_27_december_a_werkdag() -> None:
    """Christmas 2027 is on Saturday and Sunday and is not moved: Monday the 27th is a werkdag."""
    assert date(2027, 12, 25).weekday() == 5
    assert date(2027, 12, 26).weekday() == 6
    assert STANDAARD_KALENDER.is_werkdag(date(2027, 12, 27))
    assert STANDAARD_KALENDER.plus_werkdagen(date(2027, 12, 24), 1) == date(2027, 12, 27)


def test_christmas_2026_on_friday_and_saturday_makes_monday_28_the_next_werkdag() -> None:
    """Eerste Kerstdag 2026 is a Friday: after Thursday 24 Dec the next werkdag is Monday 28."""
    assert not STANDAARD_KALENDER.is_werkdag(date(2026, 12, 25))
    assert not STANDAARD_KALENDER.is_werkdag(date(2026, 12, 26))
    assert STANDAARD_KALENDER.plus_werkdagen(date(2026, 12, 24), 1) == date(2026, 12, 28)


@pytest.mark.parametrize("jaar", [2026, 2027, 2030])
def test_nieuwjaarsdag_is_no_werkdag(jaar: int) -> None:
    """1 January is a feestdag every year, whatever weekday it falls on."""
    assert date(jaar, 1, 1).weekday() < 5
    assert not STANDAARD_KALENDER.is_werkdag(date(jaar, 1, 1))


def test_after_31_december_2026_the_next_werkdag_is_monday_4_january_2027() -> None:
    """Nieuwjaarsdag 2027 is a Friday, so the next werkdag after Thursday 31 Dec is Monday 4."""
    assert STANDAARD_KALENDER.plus_werkdagen(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_weekends_are_no_werkdagen_and_ordinary_weekdays_are() -> None:
    """An ordinary week: Monday to Friday are werkdagen, Saturday and Sunday are not."""
    week = [date(2026, 11, 23) + timedelta(days=i) for i in range(7)]
    assert [STANDAARD_KALENDER.is_werkdag(d) for d in week] == [True] * 5 + [False] * 2


def test_each_year_has_nine_distinct_feestdagen() -> None:
    """The nine days of art. 3 (with Goede Vrijdag) fall on distinct dates in 2025–2030."""
    for jaar in PAASZONDAGEN:
        assert len(feestdagen(jaar)) == 9


def test_uit_tekst_makes_extra_gelijkgestelde_days_no_werkdagen() -> None:
    """Days gelijkgesteld by decree (VT_EXTRA_FEESTDAGEN) are closed; blanks are ignored."""
    kalender = Werkdagkalender.uit_tekst(" 2026-06-01, ,2026-06-02 ,")
    assert kalender.extra == frozenset({date(2026, 6, 1), date(2026, 6, 2)})
    assert not kalender.is_werkdag(date(2026, 6, 1))
    assert not kalender.is_werkdag(date(2026, 6, 2))
    assert STANDAARD_KALENDER.is_werkdag(date(2026, 6, 1))
    assert kalender.plus_werkdagen(date(2026, 5, 29), 1) == date(2026, 6, 3)


def test_uit_tekst_of_an_empty_string_adds_no_days() -> None:
    """An unset configuration gives the standard calendar."""
    assert Werkdagkalender.uit_tekst("") == STANDAARD_KALENDER


def test_met_extra_makes_the_given_days_no_werkdagen() -> None:
    """met_extra adds gelijkgestelde days on top of the statutory feestdagen."""
    kalender = Werkdagkalender.met_extra([date(2026, 11, 25)])
    assert not kalender.is_werkdag(date(2026, 11, 25))
    assert not kalender.is_werkdag(date(2026, 12, 25))
    assert kalender.werkdagen_tussen(date(2026, 11, 23), date(2026, 11, 30)) == 4


@pytest.mark.parametrize("fout", ["2026-13-01", "1 juni 2026", "2026/06/01"])
def test_uit_tekst_refuses_a_bad_date_and_names_it(fout: str) -> None:
    """A date that is not JJJJ-MM-DD is refused with a message quoting it."""
    with pytest.raises(ValueError, match="extra feestdag") as fout_info:
        Werkdagkalender.uit_tekst(f"2026-06-01,{fout}")
    assert fout in str(fout_info.value)
    assert "JJJJ-MM-DD" in str(fout_info.value)


@pytest.mark.parametrize(
    ("start", "aantal", "verwacht"),
    [
        # Goede Vrijdag and Tweede Paasdag 2026.
        (date(2026, 4, 2), 5, date(2026, 4, 13)),
        # Eerste en tweede Kerstdag 2026 and Nieuwjaarsdag 2027.
        (date(2026, 12, 24), 5, date(2027, 1, 4)),
        # Koningsdag and 5 mei 2026.
        (date(2026, 4, 24), 6, date(2026, 5, 6)),
        # Hemelvaartsdag and Tweede Pinksterdag 2026.
        (date(2026, 5, 13), 7, date(2026, 5, 26)),
        # An ordinary week: Monday + 5 is the next Monday.
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
        # Starting on a Saturday: the day itself never counts.
        (date(2026, 11, 28), 1, date(2026, 11, 30)),
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_plus_werkdagen_skips_weekends_and_several_holidays(
    start: date, aantal: int, verwacht: date
) -> None:
    """plus_werkdagen counts only werkdagen after the start, across clustered holidays."""
    assert STANDAARD_KALENDER.plus_werkdagen(start, aantal) == verwacht


def test_plus_werkdagen_refuses_a_negative_count() -> None:
    """Counting backwards is not supported and says so."""
    with pytest.raises(ValueError, match="negatief"):
        STANDAARD_KALENDER.plus_werkdagen(date(2026, 11, 23), -1)


@pytest.mark.parametrize(
    ("van", "tot", "verwacht"),
    [
        (date(2026, 11, 23), date(2026, 11, 30), 5),
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 30), date(2026, 11, 23), 0),
        (date(2026, 11, 27), date(2026, 11, 30), 1),
        (date(2026, 12, 24), date(2027, 1, 4), 5),
        (date(2026, 4, 2), date(2026, 4, 7), 1),
        (date(2026, 1, 1), date(2026, 12, 31), 253),
    ],
)
def test_werkdagen_tussen_counts_after_van_up_to_and_including_tot(
    van: date, tot: date, verwacht: int
) -> None:
    """werkdagen_tussen excludes `van`, includes `tot`, and is 0 when `tot` is not later."""
    assert STANDAARD_KALENDER.werkdagen_tussen(van, tot) == verwacht


@pytest.mark.parametrize(("start", "aantal"), [(date(2026, 4, 2), 5), (date(2026, 12, 20), 9)])
def test_werkdagen_tussen_inverts_plus_werkdagen(start: date, aantal: int) -> None:
    """Counting the werkdagen up to plus_werkdagen(start, n) gives back n."""
    eind = STANDAARD_KALENDER.plus_werkdagen(start, aantal)
    assert STANDAARD_KALENDER.werkdagen_tussen(start, eind) == aantal
