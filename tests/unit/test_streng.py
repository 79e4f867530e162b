"""Decode is lenient, intake is strict: the contract rules that may change (region list, time
bounds, size, melding_id-BSN) run at intake (Melding.ontvang, domain.invoer.streng), never when
a worker decodes a model from a history (plain model_validate, as the data converter does)."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from domain import regio
from domain.besluiten import Besluit, Koppeling, Triage
from domain.invoer import intake_context, streng, valideer_streng
from domain.melding import Melding
from starter.demo import VOORBEELDEN, voorbeeld
from tests.unit.test_cli_invoer import MODELLEN

HISTORIES = Path(__file__).parents[1] / "replay" / "histories"


def melding_uit_geschiedenis(naam: str) -> bytes:
    """The workflow input (JSON bytes) of a recorded history."""
    geschiedenis = json.loads((HISTORIES / f"{naam}.json").read_text())
    start = geschiedenis["events"][0]["workflowExecutionStartedEventAttributes"]
    return base64.b64decode(start["input"]["payloads"][0]["data"])


@pytest.fixture
def zonder_utrecht(monkeypatch: pytest.MonkeyPatch) -> None:
    """The region list after a (hypothetical) merger that removed 'utrecht'."""
    monkeypatch.setattr(regio, "REGIOS", tuple(r for r in regio.REGIOS if r != "utrecht"))


@pytest.mark.usefixtures("zonder_utrecht")
def test_a_recorded_melding_of_a_removed_region_decodes_but_is_refused_at_intake() -> None:
    """Reproduction: with 'utrecht' removed from the list, the melding of v1_advies.json no
    longer decoded, so its history could not replay."""
    ruw = melding_uit_geschiedenis("v1_advies")
    melding = Melding.model_validate_json(ruw)
    assert melding.regio == "utrecht"
    nu = melding.ontvangen_op
    with pytest.raises(ValidationError, match=r"onbekende regio \(verwacht"):
        Melding.ontvang(ruw, nu=nu)
    with pytest.raises(ValidationError, match=r"onbekende regio \(verwacht"):
        streng(melding, nu)


@pytest.mark.usefixtures("zonder_utrecht")
def test_a_recorded_koppeling_of_a_removed_region_decodes_but_is_refused_strictly() -> None:
    """The radar signal of a history decodes whatever the list says now."""
    data = {"melding_id": "VT-1", "regio": "utrecht", "ontvangen_op": "2026-11-23T10:00Z"}
    koppeling = Koppeling.model_validate(data)
    with pytest.raises(ValidationError, match="regio"):
        streng(koppeling, koppeling.ontvangen_op)


@pytest.mark.parametrize("pad", sorted(HISTORIES.glob("v1_*.json")), ids=lambda p: p.stem)
def test_every_recorded_melding_decodes_and_passed_intake_when_it_was_received(pad: Path) -> None:
    """The recorded inputs are valid under today's intake rules, at their own moment."""
    ruw = melding_uit_geschiedenis(pad.stem)
    melding = Melding.model_validate_json(ruw)
    assert Melding.ontvang(ruw, nu=melding.ontvangen_op) == melding


@pytest.mark.parametrize("pad", sorted(VOORBEELDEN.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_passes_streng(pad: Path) -> None:
    """Each example file is valid under every intake rule (a melding at its own moment)."""
    soort = next(s for s in sorted(MODELLEN, key=len, reverse=True) if pad.stem.startswith(s))
    model: type[BaseModel] = MODELLEN[soort]
    gegevens: dict[str, Any] = voorbeeld(pad.stem)
    nu = datetime.fromisoformat(gegevens.get("ontvangen_op", "2026-11-27T12:00:00+01:00"))
    gevalideerd = valideer_streng(model, gegevens, nu)
    assert streng(gevalideerd, nu) == gevalideerd == model.model_validate(gegevens)


def test_streng_refuses_an_update_payload_that_plain_validation_accepts() -> None:
    """An update payload decoded leniently (as in a workflow) is refused by streng."""
    data = {**voorbeeld("triage"), "onderbouwing": "  \x07 "}
    triage = Triage.model_validate(data)
    with pytest.raises(ValidationError) as fout:
        streng(triage)
    assert [e["loc"] for e in fout.value.errors()] == [("onderbouwing",)]


def test_streng_reports_every_problem_of_a_payload_by_field() -> None:
    """Each broken field is one error with its own location."""
    data = {**voorbeeld("besluit_overdracht"), "onderbouwing": " ", "medewerker": "mw-1"}
    data["ketenpartner"] = {"soort": "wijkteam", "naam": "\t"}
    with pytest.raises(ValidationError) as fout:
        streng(Besluit.model_validate(data))
    assert {e["loc"] for e in fout.value.errors()} == {("onderbouwing",), ("ketenpartner", "naam")}


def test_streng_uses_the_clock_when_no_moment_is_given() -> None:
    """Without `nu`, the intake context holds the current time (aware)."""
    nu = intake_context()["nu"]
    assert isinstance(nu, datetime) and nu.tzinfo is not None


def test_streng_refuses_a_naive_clock() -> None:
    """A naive `nu` cannot be compared with aware moments: refused at once."""
    with pytest.raises(ValueError, match="nu: moet een tijdzone hebben"):
        streng(Triage.model_validate(voorbeeld("triage")), datetime(2026, 11, 27, 12))


def test_plain_validation_with_another_context_is_lenient() -> None:
    """Only the intake context switches the intake rules on."""
    data = json.loads(melding_uit_geschiedenis("v1_advies"))
    data["ontvangen_op"] = "0001-01-01T00:00:00Z"
    assert Melding.model_validate(data, context={"iets": "anders"}).ontvangen_op.year == 1


def test_a_melding_id_carrying_a_name_decodes_but_is_refused_by_streng() -> None:
    """Issue 17: `Zwartkopvlinder-Tjitske-2018` would land in temporal.db, PostgreSQL and logs;
    a recorded history with it decodes, intake (streng, Melding.ontvang) refuses it."""
    data = json.loads(melding_uit_geschiedenis("v1_advies"))
    data["melding_id"] = "Zwartkopvlinder-Tjitske-2018"
    melding = Melding.model_validate(data)
    nu = melding.ontvangen_op
    for poging in (lambda: streng(melding, nu), lambda: Melding.ontvang(data, nu=nu)):
        with pytest.raises(ValidationError) as fout:
            poging()
        assert [e["loc"] for e in fout.value.errors()] == [("melding_id",)]
