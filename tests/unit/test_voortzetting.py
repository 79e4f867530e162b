"""What continue-as-new carries stays bounded (workflows/toestand.py): a household that collects
thousands of radar links cannot push a case's input past Temporal's payload limit (issue 18)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.besluiten import Koppeling
from tests.workflows import scenario
from workflows.toestand import KOPPELINGEN_BEWAARD, VERZOEKEN_BEWAARD, MeldingToestand

NU = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _toestand(links: int) -> MeldingToestand:
    t = MeldingToestand.nieuw(scenario.melding())
    t.status.gekoppelde_meldingen = [
        Koppeling(melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=NU)
        for n in range(links)
    ]
    t.verzoeken = [f"verzoek-{n}" for n in range(VERZOEKEN_BEWAARD)]
    return t


def test_the_carried_state_keeps_the_newest_links_and_counts_the_rest() -> None:
    """Reproduction: the whole list travelled through every continue-as-new, unbounded."""
    t = _toestand(5000)
    voort = t.voor_voortzetting()
    assert len(voort.status.gekoppelde_meldingen) == KOPPELINGEN_BEWAARD
    assert voort.status.gekoppelde_meldingen[-1].melding_id == "VT-HGL-2027-004999"
    assert voort.status.gekoppeld() == 5000 == t.status.gekoppeld()
    assert len(voort.model_dump_json()) < 120_000
    # Carried twice, the count stays right.
    tweede = voort.voor_voortzetting()
    assert tweede.status.gekoppeld() == 5000


def test_below_the_bound_the_state_travels_as_it_is() -> None:
    t = _toestand(KOPPELINGEN_BEWAARD)
    assert t.voor_voortzetting() is t
    assert t.status.eerdere_koppelingen == 0
