"""Layering: which of our packages may import which (checked on the source, not at runtime).

`domain` is pure; `activities` (the worker's side) and `starter` (the clients' side) do not
import each other; `versleuteling` (the codec and the data keys) is shared by both and imports
neither."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WORTEL = Path(__file__).resolve().parents[2]
EIGEN = {
    "domain",
    "contract",
    "workflows",
    "activities",
    "starter",
    "versleuteling",
    "runtime",
    "worker",
    "stack",
}
VERBODEN = {
    "domain": EIGEN - {"domain"},
    "activities": {"starter", "workflows", "runtime", "worker", "stack"},
    "versleuteling": {"activities", "starter", "workflows", "runtime", "worker", "stack"},
    "contract": {"workflows", "activities", "starter", "runtime", "worker", "stack"},
    "starter": {"workflows", "activities", "worker", "stack"},
    "runtime": {"starter", "worker", "stack"},
    "workflows": {"starter", "runtime", "worker", "stack"},
    # `make run` is a script, not a library: tests and benchmarks start what they need through
    # runtime/ (runtime.devserver, runtime.assembly).
    "tests": {"stack"},
    "bench": {"stack"},
}


def _imports(pad: Path) -> set[str]:
    namen: set[str] = set()
    for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(knoop, ast.Import):
            namen |= {a.name.split(".")[0] for a in knoop.names}
        elif isinstance(knoop, ast.ImportFrom) and knoop.level == 0 and knoop.module:
            namen.add(knoop.module.split(".")[0])
    return namen & EIGEN


@pytest.mark.parametrize("pakket", sorted(VERBODEN))
def test_a_package_imports_only_what_its_layer_allows(pakket: str) -> None:
    fout = {
        str(pad.relative_to(WORTEL)): sorted(_imports(pad) & VERBODEN[pakket])
        for pad in sorted((WORTEL / pakket).rglob("*.py"))
    }
    assert {pad: namen for pad, namen in fout.items() if namen} == {}


# The codec finds a melding's key by its workflow ID: versleuteling reads contract.ids, which
# (with contract.names) imports nothing of ours but domain, so no package imports back.
ONDERSTE_CONTRACT = {"contract/ids.py", "contract/names.py", "contract/__init__.py"}


def _modules(pad: Path) -> set[str]:
    namen: set[str] = set()
    for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(knoop, ast.Import):
            namen |= {a.name for a in knoop.names}
        elif isinstance(knoop, ast.ImportFrom) and knoop.level == 0 and knoop.module:
            namen |= {f"{knoop.module}.{a.name}" for a in knoop.names} | {knoop.module}
    return namen


def test_the_codec_reads_only_the_lowest_part_of_the_contract() -> None:
    """versleuteling imports contract.ids/names only, and those import only domain."""
    van_codec = {
        m
        for pad in (WORTEL / "versleuteling").rglob("*.py")
        for m in _modules(pad)
        if m.split(".")[0] == "contract"
    }
    assert van_codec <= {"contract", "contract.ids", "contract.names"}
    for naam in ONDERSTE_CONTRACT:
        assert _imports(WORTEL / naam) <= {"domain", "contract"}, naam
        assert {m for m in _modules(WORTEL / naam) if m.startswith("contract.")} <= {
            "contract.names"
        }, naam
