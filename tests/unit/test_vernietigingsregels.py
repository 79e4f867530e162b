"""Issue 25's pure rules: a destruction request's term and grounds, the destruction list's
decisions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.besluiten import VernietigingsBesluit, Weigeringsgrond, weiger_grond
from domain.bewaartermijn import Grond
from domain.vernietigingslijst import (
    Behouden,
    LijstBeoordeling,
    LijstFase,
    LijstItem,
    LijstStatus,
    te_vernietigen,
    weiger_annulering,
    weiger_beoordeling,
    weiger_goedkeuring,
)
from domain.verzoektermijn import plus_maanden, termijn


def test_the_term_is_calendar_months_and_a_missing_day_is_the_months_last() -> None:
    assert plus_maanden(datetime(2026, 11, 30, 9, tzinfo=UTC), 3) == datetime(
        2027, 2, 28, 9, tzinfo=UTC
    )
    assert plus_maanden(datetime(2027, 12, 15, tzinfo=UTC), 1) == datetime(2028, 1, 15, tzinfo=UTC)
    herinnering, einde = termijn(datetime(2026, 1, 10, tzinfo=UTC), 3)
    assert (herinnering, einde) == (
        datetime(2026, 3, 27, tzinfo=UTC),
        datetime(2026, 4, 10, tzinfo=UTC),
    )


def test_a_refusal_needs_a_ground_and_a_concrete_onderbouwing() -> None:
    nee = VernietigingsBesluit(medewerker="tl-0007", toegekend=False, reden="Nee.")
    assert "grond: verplicht" in (weiger_grond(nee) or "")
    met = nee.model_copy(update={"grond": Weigeringsgrond.WETTELIJKE_PLICHT})
    assert "onderbouwing: verplicht" in (weiger_grond(met) or "")
    kort = met.model_copy(update={"onderbouwing": "Wettelijke plicht."})
    assert "onderbouwing: verplicht" in (weiger_grond(kort) or "")
    concreet = met.model_copy(
        update={"onderbouwing": "Een lopende strafzaak vraagt dit dossier tot de uitspraak."}
    )
    assert weiger_grond(concreet) is None
    ja = VernietigingsBesluit(medewerker="tl-0007", toegekend=True, reden="Ja.")
    assert weiger_grond(ja) is None
    assert "alleen bij een weigering" in (
        weiger_grond(ja.model_copy(update={"grond": Weigeringsgrond.GOED_HULPVERLENERSCHAP})) or ""
    )


def _lijst(fase: LijstFase) -> LijstStatus:
    items = [
        LijstItem(
            melding_id=m, regio="utrecht", bewaren_tot=date(2040, 1, 1), grond=Grond.NA_AFSLUITING
        )
        for m in ("VT-A-1", "VT-A-2")
    ]
    return LijstStatus(
        lijst_id="vernietigingslijst-x", fase=fase, peildatum=date(2046, 3, 1), items=items
    )


def test_a_review_keeps_only_items_of_the_list_later_than_today_once_each() -> None:
    s = _lijst(LijstFase.BEOORDELEN)
    vandaag = date(2046, 3, 1)

    def beoordeling(*behouden: tuple[str, date]) -> LijstBeoordeling:
        return LijstBeoordeling(
            medewerker="tl-0007",
            behouden=[Behouden(melding_id=m, tot=t, reden="Lopende zaak.") for m, t in behouden],
        )

    assert weiger_beoordeling(s, beoordeling(("VT-A-1", date(2050, 1, 1))), vandaag) is None
    assert "staat niet op deze lijst" in (
        weiger_beoordeling(s, beoordeling(("VT-B-9", date(2050, 1, 1))), vandaag) or ""
    )
    assert "moet na vandaag" in (
        weiger_beoordeling(s, beoordeling(("VT-A-1", vandaag)), vandaag) or ""
    )
    dubbel = beoordeling(("VT-A-1", date(2050, 1, 1)), ("VT-A-1", date(2051, 1, 1)))
    assert "staat er al eerder in" in (weiger_beoordeling(s, dubbel, vandaag) or "")
    terug = LijstBeoordeling(medewerker="tl-0007", terugsturen=True)
    assert "reden: verplicht bij terugsturen" in (weiger_beoordeling(s, terug, vandaag) or "")
    wacht = _lijst(LijstFase.WACHTTIJD)
    assert "wacht niet op een beoordeling" in (
        weiger_beoordeling(wacht, beoordeling(), vandaag) or ""
    )


def test_the_archivist_is_a_second_person_and_a_cancel_comes_before_the_destruction() -> None:
    s = _lijst(LijstFase.GOEDKEUREN).model_copy(
        update={"beoordeeld_door": "tl-0007", "behouden": ["VT-A-2"]}
    )
    assert "een tweede persoon" in (weiger_goedkeuring(s, "tl-0007") or "")
    assert weiger_goedkeuring(s, "ar-0003") is None
    assert te_vernietigen(s) == ["VT-A-1"]
    assert weiger_annulering(s) is None
    assert weiger_annulering(_lijst(LijstFase.WACHTTIJD)) is None
    assert "alleen voor de goedkeuring" in (weiger_annulering(_lijst(LijstFase.VERNIETIGEN)) or "")
