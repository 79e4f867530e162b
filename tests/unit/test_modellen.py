"""One base for every model (domain/model.py) and one switch: strict unless the model is read
back from histories; importing the models changes nothing global; no class name twice."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

import domain.besluiten
import domain.status
import domain.uitwisseling
import starter.zoeken
import workflows.toestand
from domain.besluiten import Triage
from domain.model import Model
from domain.status import MeldingStatus

WORTEL = Path(__file__).resolve().parents[2]
PRODUCT = ("domain", "contract", "workflows", "activities", "starter", "versleuteling", "runtime")
MODULES = (domain.besluiten, domain.status, domain.uitwisseling, starter.zoeken, workflows.toestand)

# Produced by the workflows and read back from their histories or by older clients: unknown
# fields ignored (docs/contract.md, Versioning). Every other model refuses them.
SOEPEL = {
    "Bronnen",
    "TerugkoppelingRegel",
    "MonitoringRegel",
    "MeldingStatus",
    "MeldingAfloop",
    "Annulering",
    "VernietigingsResultaat",
    "MeldingToestand",
}


def _modellen() -> dict[str, type[BaseModel]]:
    import domain.melding

    gevonden: dict[str, type[BaseModel]] = {}
    for module in (*MODULES, domain.melding):
        for naam, waarde in vars(module).items():
            if (
                isinstance(waarde, type)
                and issubclass(waarde, BaseModel)
                and waarde.__module__ == module.__name__
            ):
                gevonden[naam] = waarde
    return gevonden


def test_every_model_derives_from_the_one_base() -> None:
    modellen = _modellen()
    assert len(modellen) > 30
    assert [n for n, m in modellen.items() if not issubclass(m, Model) and m is not Model] == []


def test_only_the_models_read_back_from_histories_ignore_unknown_fields() -> None:
    soepel = {n for n, m in _modellen().items() if m.model_config.get("extra") == "ignore"}
    assert soepel == SOEPEL
    assert {n for n, m in _modellen().items() if m.model_config.get("extra") != "forbid"} == SOEPEL


def test_an_unknown_field_is_refused_in_a_decision_and_ignored_in_a_status() -> None:
    triage = json.loads((WORTEL / "starter" / "examples" / "triage.json").read_text())
    Triage.model_validate(triage)
    with pytest.raises(ValidationError) as fout:
        Triage.model_validate({**triage, "nieuw_veld": 1})
    assert [(e["loc"], e["type"]) for e in fout.value.errors()] == [
        (("nieuw_veld",), "extra_forbidden")
    ]
    status = MeldingStatus.model_validate(
        {
            "melding_id": "VT-1",
            "regio": "utrecht",
            "fase": "wacht_op_triage",
            "ontvangen_op": datetime(2026, 11, 23, tzinfo=UTC),
            "veld_van_een_latere_versie": 1,
        }
    )
    assert status.melding_id == "VT-1"


def test_importing_the_models_changes_no_global_warning_filter() -> None:
    """A library module that silences warnings for the whole process hides them from everyone
    who imports it; the `register` field's warning is silenced at its definition only."""
    code = (
        "import warnings; voor = list(warnings.filters); "
        "import domain.status, workflows.toestand, domain.uitwisseling, domain.besluiten; "
        "assert warnings.filters == voor, warnings.filters[: len(warnings.filters) - len(voor)]"
    )
    uit = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], cwd=WORTEL, capture_output=True, text=True
    )
    assert uit.returncode == 0, uit.stderr


def test_no_class_name_is_defined_twice_in_the_product() -> None:
    """Two classes of one name (a `Geweigerd` in the workflow and one in the client) make a
    reader guess which is meant."""
    plekken: dict[str, list[str]] = defaultdict(list)
    paden = [p for deel in PRODUCT for p in (WORTEL / deel).rglob("*.py")]
    for pad in [*paden, WORTEL / "worker.py", WORTEL / "stack.py"]:
        for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
            if isinstance(knoop, ast.ClassDef):
                plekken[knoop.name].append(pad.relative_to(WORTEL).as_posix())
    assert {naam: p for naam, p in plekken.items() if len(p) > 1} == {}
