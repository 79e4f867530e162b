"""Issue 27: every update of every workflow is a decision of the one mechanism
(workflows/besluitvorming.py). A new update that is not registered as a rule of its workflow,
has no validator, or whose validator or handler does not go through the mechanism fails here."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import pytest
from temporalio import workflow

import workflows
from workflows.besluitvorming import REGISTER, Besluiten, Besluitregel

DEFINITIES = [workflow._Definition.from_class(klasse) for klasse in workflows.ALLE_WORKFLOWS]
UPDATES = [(d, naam) for d in DEFINITIES for naam in sorted(d.updates)]


def _namen(code: types.CodeType) -> set[str]:
    """The names a function's code uses, also in the functions it defines."""
    namen = set(code.co_names)
    for constante in code.co_consts:
        if isinstance(constante, types.CodeType):
            namen |= _namen(constante)
    return namen


def _code(fn: Callable[..., Any]) -> types.CodeType:
    return fn.__code__


def test_every_workflow_with_updates_has_a_table_of_rules() -> None:
    met_updates = {d.name for d in DEFINITIES if d.updates}
    assert met_updates <= set(REGISTER), f"zonder besluitregels: {met_updates - set(REGISTER)}"
    for d in DEFINITIES:
        if d.name in REGISTER:
            assert set(REGISTER[d.name].regels) == set(d.updates), d.name


@pytest.mark.parametrize(("definitie", "naam"), UPDATES, ids=[f"{d.name}.{n}" for d, n in UPDATES])
def test_every_update_goes_through_the_mechanism(definitie: Any, naam: str) -> None:
    update = definitie.updates[naam]
    regel = REGISTER[definitie.name][naam]
    assert regel.naam == naam
    assert update.validator is not None, f"{naam}: zonder validator"
    # The validator asks the mechanism (`valideer`); the handler lets it decide (`beslis`,
    # directly or through the workflow's own helper of that name).
    assert "valideer" in _namen(_code(update.validator)), f"{naam}: eigen validator"
    assert {"beslis", "_beslis"} & _namen(_code(update.fn)), f"{naam}: eigen handler"


def test_a_rule_outside_the_table_is_a_programming_error() -> None:
    tabel = Besluiten[object]("ProefWorkflow", Besluitregel("doe", lambda _s, _b: False, None))
    try:
        assert tabel["doe"].audit is None
        with pytest.raises(LookupError, match="ProefWorkflow: geen besluitregel voor laat"):
            tabel["laat"]
        with pytest.raises(ValueError, match="meer dan een besluitregel"):
            Besluiten[object](
                "ProefWorkflow",
                Besluitregel("doe", lambda _s, _b: False, None),
                Besluitregel("doe", lambda _s, _b: True, None),
            )
    finally:
        del REGISTER["ProefWorkflow"]
