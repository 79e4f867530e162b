"""The lifecycle in one place (domain/levensloop.py): every phase and every decision has all
its parts, and what is derived from it matches the workflow, the CLI and the examples."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.workflow import _Definition

from domain import levensloop as ll
from domain import wachtpunten
from domain.casusbeeld import FASE_IN_WOORDEN
from domain.status import MeldingStatus, MonitoringRegel
from domain.waarden import Fase
from starter.opdrachten import OPDRACHTEN
from workflows import MeldingWorkflow

VOORBEELDEN = Path(__file__).parents[2] / "starter" / "examples"
NU = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_every_phase_and_decision_has_all_its_parts() -> None:
    assert ll.gebreken() == []
    assert set(FASE_IN_WOORDEN) == set(Fase)


def test_a_phase_left_out_or_a_part_missing_is_named() -> None:
    """The check the first test relies on fails for each kind of gap."""
    zonder: dict[Fase, ll.Fasebeeld] = {f: b for f, b in ll.FASEN.items() if f != Fase.MONITORING}
    assert ll.gebreken(fasen=zonder) == ["fase monitoring: ontbreekt"]
    leeg = dict(ll.FASEN) | {Fase.ONDERZOEK: replace(ll.FASEN[Fase.ONDERZOEK], wacht_op=" ")}
    assert ll.gebreken(fasen=leeg) == ["fase onderzoek: wacht_op ontbreekt"]
    vreemd = replace(ll.TRIAGE, update="registreer_iets")
    andere = dict(ll.FASEN) | {
        Fase.WACHT_OP_TRIAGE: replace(ll.FASEN[Fase.WACHT_OP_TRIAGE], einde=vreemd)
    }
    assert ll.gebreken(fasen=andere) == [
        "fase wacht_op_triage: beslissing registreer_iets onbekend"
    ]
    zonder_cli = dict(ll.BESLISSINGEN) | {ll.TRIAGE.update: replace(ll.TRIAGE, cli="")}
    assert "beslissing registreer_triage: cli ontbreekt" in ll.gebreken(beslissingen=zonder_cli)


def test_every_update_of_the_workflow_is_a_decision_of_the_lifecycle() -> None:
    """Each update has its decision with the same input model and the derived description;
    a decision without an update (or the reverse) fails here."""
    updates = _Definition.from_class(MeldingWorkflow)
    assert updates is not None
    assert set(updates.updates) == set(ll.BESLISSINGEN)
    for naam, definitie in updates.updates.items():
        assert naam is not None
        beslissing = ll.BESLISSINGEN[naam]
        assert definitie.arg_types == [beslissing.invoer], naam
        assert definitie.description == beslissing.beschrijving(), naam


@pytest.mark.parametrize("beslissing", list(ll.BESLISSINGEN.values()), ids=lambda b: b.update)
def test_every_decision_has_its_cli_command_and_a_valid_example(beslissing: ll.Beslissing) -> None:
    opdracht = next(o for o in OPDRACHTEN if o.naam == beslissing.cli)
    assert opdracht.verzoek and opdracht.id_
    assert opdracht.bestand is not None and beslissing.invoer.__name__ in opdracht.bestand
    gegevens = json.loads((VOORBEELDEN / beslissing.voorbeeld).read_text(encoding="utf-8"))
    beslissing.invoer.model_validate(gegevens)


def test_the_description_lists_every_field_of_the_model() -> None:
    """A field added to a decision's model shows in its description without a hand copy."""
    for b in ll.BESLISSINGEN.values():
        for veld in b.invoer.model_fields:
            assert f" {veld}" in b.beschrijving(), (b.update, veld)
    assert "urgentie (spoed|hoog|normaal)" in ll.TRIAGE.beschrijving()
    assert (
        "veiligheidsvoorwaarden [{wat, met_wie, hoe_getoetst}]" in ll.DIENST_AFRONDEN.beschrijving()
    )


def _status(fase: Fase) -> MeldingStatus:
    return MeldingStatus(
        melding_id="VT-UTR-2027-000001",
        regio="utrecht",
        fase=fase,
        ontvangen_op=NU,
        beoordeling_deadline=NU + timedelta(days=7),
        tweede_terugkoppeling_deadline=NU + timedelta(weeks=10),
        monitoring=[MonitoringRegel(gepland_op=NU + timedelta(days=90))],
    )


@pytest.mark.parametrize(
    ("fase", "verwacht"),
    [
        (Fase.INFORMATIE_VERZAMELEN, NU + timedelta(days=7)),
        (Fase.WACHT_OP_TRIAGE, NU + timedelta(days=7)),
        (Fase.WACHT_OP_BESLUIT, NU + timedelta(days=7)),
        (Fase.VOORWAARDEN_EN_VERVOLG, NU + timedelta(weeks=10)),
        (Fase.ONDERZOEK, NU + timedelta(weeks=10)),
        (Fase.MONITORING, NU + timedelta(days=90)),
        (Fase.WARME_OVERDRACHT, None),
        (Fase.AFGESLOTEN, None),
    ],
)
def test_the_next_deadline_is_the_phases(fase: Fase, verwacht: datetime | None) -> None:
    assert ll.volgende_deadline(ll.Fasestand(_status(fase))) == verwacht
    if fase in (Fase.VOORWAARDEN_EN_VERVOLG, Fase.ONDERZOEK):
        assert ll.volgende_deadline(ll.Fasestand(_status(fase), tweede_verstuurd=True)) is None


def test_a_phase_without_a_rendering_of_its_own_is_drawn_from_the_lifecycle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As if a new phase were added with only its lifecycle entry: the current details say
    what it waits for, from whom, and offer its decision's CLI command."""
    from domain import casusbeeld as cb

    monkeypatch.setattr(
        wachtpunten, "_EIGEN_WACHTPUNT", wachtpunten._EIGEN_WACHTPUNT - {Fase.ONDERZOEK}
    )
    casus = wachtpunten.Casus(
        melding_id="VT-UTR-2027-000001",
        regio="utrecht",
        melder_soort="professional",
        fase=Fase.ONDERZOEK,
        ontvangen_op=NU,
        nu=NU,
        geregistreerd=True,
    )
    punt = wachtpunten.wachtpunt(casus)
    assert punt.wacht_op == (
        "de afronding van de dienst, door de medewerker van de dienst (update `rond_dienst_af`)"
    )
    tekst = cb.huidige_details(casus)
    assert "python -m starter dienst-afronden VT-UTR-2027-000001" in tekst
