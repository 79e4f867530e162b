"""The bewaartermijn policy (issue 25 item 1): the latest of 20 years after closing, the
youngest child's 18th birthday, a recorded maatregel and linked later cases."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.bewaartermijn import (
    Bewaarbeleid,
    Bewaartermijn,
    Grond,
    bereken,
    plus_jaren,
    verlopen,
)

GESLOTEN = date(2026, 12, 7)


def test_by_default_twenty_years_after_the_case_closed() -> None:
    assert bereken(GESLOTEN) == Bewaartermijn(tot=date(2046, 12, 7), grond=Grond.NA_AFSLUITING)


def test_the_youngest_child_keeps_the_dossier_until_it_is_18() -> None:
    """With the default 20 years a child of the household is always 18 before that; with a
    shorter policy the youngest child (of those with a known date of birth) decides."""
    assert bereken(GESLOTEN, [date(2026, 6, 1)]).grond is Grond.NA_AFSLUITING
    vijf = Bewaarbeleid(jaren_na_afsluiting=5)
    laat = bereken(date(2026, 1, 1), [None, date(2020, 3, 1), date(2015, 1, 1)], beleid=vijf)
    assert laat == Bewaartermijn(tot=date(2038, 3, 1), grond=Grond.JONGSTE_KIND_MEERDERJARIG)
    zonder = Bewaarbeleid(jaren_na_afsluiting=5, tot_jongste_kind_meerderjarig=False)
    assert bereken(date(2026, 1, 1), [date(2020, 3, 1)], beleid=zonder).tot == date(2031, 1, 1)


def test_a_maatregel_or_a_linked_case_extends_it() -> None:
    maatregel = bereken(GESLOTEN, maatregel_tot=date(2050, 1, 1))
    assert maatregel == Bewaartermijn(tot=date(2050, 1, 1), grond=Grond.MAATREGEL)
    later = Bewaartermijn(tot=date(2049, 3, 1), grond=Grond.NA_AFSLUITING)
    gekoppeld = bereken(GESLOTEN, gekoppelde_termijnen=[later])
    assert gekoppeld == Bewaartermijn(tot=date(2049, 3, 1), grond=Grond.GEKOPPELDE_CASUS)


def test_29_february_plus_years_stays_in_february() -> None:
    assert plus_jaren(date(2028, 2, 29), 20) == date(2048, 2, 29)
    assert plus_jaren(date(2028, 2, 29), 18) == date(2046, 2, 28)


def test_expired_only_after_the_last_day() -> None:
    termijn = bereken(GESLOTEN)
    assert not verlopen(termijn, date(2046, 12, 7))
    assert verlopen(termijn, date(2046, 12, 8))


@pytest.mark.parametrize("jaren", [0, 116])
def test_a_policy_outside_its_bounds_is_refused(jaren: int) -> None:
    with pytest.raises(ValueError):
        Bewaarbeleid(jaren_na_afsluiting=jaren)


@given(
    gesloten=st.dates(date(2015, 1, 1), date(2100, 1, 1)),
    kinderen=st.lists(st.none() | st.dates(date(1990, 1, 1), date(2100, 1, 1)), max_size=5),
    maatregel=st.none() | st.dates(date(2015, 1, 1), date(2150, 1, 1)),
    jaren=st.integers(1, 115),
)
def test_the_term_is_never_earlier_than_any_rule(
    gesloten: date, kinderen: list[date | None], maatregel: date | None, jaren: int
) -> None:
    termijn = bereken(gesloten, kinderen, maatregel, beleid=Bewaarbeleid(jaren_na_afsluiting=jaren))
    assert termijn.tot >= plus_jaren(gesloten, jaren)
    assert all(termijn.tot >= plus_jaren(k, 18) for k in kinderen if k is not None)
    assert maatregel is None or termijn.tot >= maatregel
