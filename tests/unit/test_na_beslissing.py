"""The CLI's answer to a decision says what follows from it (starter.weergave.na_beslissing),
not the phase the update answered in: an advies closes seconds after its besluit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.besluiten import Besluit, DienstAfronding, MonitoringUitkomst, Triage
from domain.status import MeldingStatus, MonitoringRegel
from domain.waarden import Fase
from starter.demo import voorbeeld
from starter.weergave import na_beslissing

NU = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def status(fase: Fase, **velden: Any) -> MeldingStatus:
    return MeldingStatus(melding_id="VT-1", regio="utrecht", fase=fase, ontvangen_op=NU, **velden)


def besluit(naam: str) -> Besluit:
    return Besluit.model_validate(voorbeeld(naam))


@pytest.mark.parametrize(
    ("naam", "volgt"),
    [
        ("besluit_advies", "vervolg advies: de eerste terugkoppeling gaat uit en de casus sluit"),
        (
            "besluit_afsluiten",
            "vervolg afsluiten: de eerste terugkoppeling gaat uit en de casus sluit",
        ),
        ("besluit_overdracht", "de eerste terugkoppeling gaat uit en de casus wordt overgedragen"),
        (
            "besluit_voorwaarden_en_vervolg",
            "fase nu voorwaarden_en_vervolg tot de dienst is afgerond",
        ),
        ("besluit_onderzoek", "fase nu onderzoek tot de dienst is afgerond"),
    ],
)
def test_a_besluit_says_what_follows_not_the_phase_it_was_taken_in(naam: str, volgt: str) -> None:
    b = besluit(naam)
    # The update answers with the status of its own moment: before the case moved on.
    tekst = na_beslissing("besluit", b, status(Fase.WACHT_OP_BESLUIT, besluit=b))
    assert tekst.startswith("besluit geregistreerd voor melding VT-1, vervolg ")
    assert volgt in tekst
    assert "fase nu wacht_op_besluit" not in tekst


def test_a_triage_says_whether_the_sources_are_still_asked() -> None:
    t = Triage.model_validate(voorbeeld("triage"))
    assert "fase nu wacht_op_besluit: het besluit over de vervolgstap volgt" in na_beslissing(
        "triage", t, status(Fase.WACHT_OP_BESLUIT, triage=t)
    )
    assert "de bronnen worden nog bevraagd" in na_beslissing(
        "triage", t, status(Fase.INFORMATIE_VERZAMELEN, triage=t)
    )


def test_a_dienstafronding_says_monitoring_or_closing() -> None:
    b = besluit("besluit_voorwaarden_en_vervolg")
    s = status(Fase.VOORWAARDEN_EN_VERVOLG, besluit=b)
    met = DienstAfronding.model_validate(voorbeeld("dienst_afronding"))
    assert "de monitoring begint" in na_beslissing("dienstafronding", met, s)
    zonder = met.model_copy(update={"veiligheidsvoorwaarden_gesteld": False})
    assert "de casus wordt overgedragen en sluit" in na_beslissing("dienstafronding", zonder, s)


def test_a_monitoring_outcome_says_the_next_check_or_the_end() -> None:
    uitkomst = MonitoringUitkomst.model_validate(voorbeeld("monitoring"))
    regels = [MonitoringRegel(gepland_op=NU, uitkomst=uitkomst)]
    s = status(Fase.MONITORING, monitoring=regels)
    assert "het volgende monitoringsmoment wordt gepland" in na_beslissing("m", uitkomst, s)
    veilig = uitkomst.model_copy(update={"stabiel_veilig": True, "herstel_gaande": False})
    tweede = status(Fase.MONITORING, monitoring=[*regels, MonitoringRegel(gepland_op=NU)])
    assert "stabiel veilig, de casus sluit" in na_beslissing("m", veilig, tweede)
    assert "monitoringsmoment" in na_beslissing("m", veilig, s)  # the first check: not yet
    nieuw = uitkomst.model_copy(update={"nieuwe_melding_nodig": True})
    assert "gekoppeld aan deze casus; de monitoring gaat door" in na_beslissing("m", nieuw, s)


def test_a_retry_answered_after_the_case_closed_says_so() -> None:
    b = besluit("besluit_advies")
    assert na_beslissing("besluit", b, status(Fase.AFGESLOTEN, besluit=b)).endswith(
        "de casus is afgesloten"
    )
