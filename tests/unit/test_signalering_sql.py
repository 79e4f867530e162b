"""The statement that writes a row and closes the terms it ends (issue 27: the terms' parameter
was numbered by hand, `sluit(7, …)`, so a column added to the INSERT would shift it silently)."""

from __future__ import annotations

import pytest

from activities.signalering import schrijf_en_sluit
from domain.uitwisseling import Termijnsoort

SCHRIJF = "UPDATE meldingen SET vervolg = $2, afgesloten = $3 WHERE melding_id = $1"


def test_the_terms_parameter_follows_the_statements_own() -> None:
    sql, waarden = schrijf_en_sluit(
        SCHRIJF, ("VT-1", "advies", True), [Termijnsoort.MONITORING, Termijnsoort.BEOORDELING]
    )
    assert sql.startswith(f"WITH geschreven AS ({SCHRIJF}) UPDATE signaleringen")
    assert "termijn = ANY($4::text[])" in sql and "$5" not in sql
    assert waarden == ["VT-1", "advies", True, ["beoordeling", "monitoring"]]


@pytest.mark.parametrize("args", [("VT-1", "advies"), ("VT-1", "advies", True, "te veel")])
def test_arguments_that_do_not_match_the_statements_parameters_are_refused(
    args: tuple[object, ...],
) -> None:
    with pytest.raises(ValueError, match="argumenten voor parameters"):
        schrijf_en_sluit(SCHRIJF, args, [Termijnsoort.MONITORING])
