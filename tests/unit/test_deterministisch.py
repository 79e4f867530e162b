"""Our own modules reach the workflow sandbox passed through (`imports_passed_through`), so the
sandbox does not stop them from reading the clock, randomness or the outside world: a
`datetime.now()` in a domain function a workflow calls would go unnoticed until a replay
failed. This test reads every module the workflows import (transitively, our packages only)
and finds each such read; every one must be listed below with the reason no workflow reaches
it, and a read of the intake clock (`intake_context`) must get the workflow's own `nu`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

WORTEL = Path(__file__).resolve().parents[2]
EIGEN = ("domain", "contract", "workflows", "activities", "versleuteling", "runtime")

# Module-qualified names whose use reads time, randomness or the world outside the history.
VERBODEN = re.compile(
    r"^(datetime\.(now|utcnow|today)|date\.today|time\.\w+|random\.\w+|secrets\.\w+"
    r"|uuid\.uuid[14]|os\.(environ|getenv|urandom)|open|socket\.\w+|subprocess\.\w+"
    r"|Path\.(read_text|read_bytes|write_text|open))$"
)

# (module, function) → why no workflow reaches it.
TOEGESTAAN = {
    ("domain/invoer.py", "intake_context"): "the intake clock: workflows pass nu=workflow.now() "
    "(checked below)",
    ("contract/verklaring.py", "_Uitgaand.start_workflow_update"): "client side: the update "
    "ID of an integrator's request (a client interceptor; workflows read only `auteur()`)",
    ("contract/verklaring.py", "LokaleUitgever.verklaar"): "client side: the issue time of a "
    "verklaring made with a local key (the worker's client signing its radar signal, tests)",
}


def _bestand(module: str) -> Path | None:
    pad = WORTEL / Path(*module.split("."))
    for kandidaat in (pad.with_suffix(".py"), pad / "__init__.py"):
        if kandidaat.exists():
            return kandidaat
    return None


def _imports(pad: Path) -> set[str]:
    gevonden: set[str] = set()
    for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(knoop, ast.ImportFrom) and knoop.module and knoop.level == 0:
            gevonden.add(knoop.module)
            gevonden |= {f"{knoop.module}.{a.name}" for a in knoop.names}
        elif isinstance(knoop, ast.Import):
            gevonden |= {a.name for a in knoop.names}
    return {m for m in gevonden if m.split(".")[0] in EIGEN}


def workflow_modules() -> set[Path]:
    """Every module of ours the workflow modules load, activities excluded: a workflow only
    names an activity's method (its code runs in the activity worker, not in the sandbox)."""
    te_doen = sorted((WORTEL / "workflows").glob("*.py"))
    gezien: set[Path] = set()
    while te_doen:
        pad = te_doen.pop()
        if pad in gezien:
            continue
        gezien.add(pad)
        for module in _imports(pad):
            if module.startswith("activities"):
                continue
            if (doel := _bestand(module)) is not None:
                te_doen.append(doel)
    return gezien


def _naam(knoop: ast.expr, aliassen: dict[str, str]) -> str:
    if isinstance(knoop, ast.Name):
        return aliassen.get(knoop.id, knoop.id)
    if isinstance(knoop, ast.Attribute):
        return f"{_naam(knoop.value, aliassen)}.{knoop.attr}"
    return "?"


def _lezingen(pad: Path) -> set[tuple[str, str, str]]:
    """(file, function, name) of every forbidden read in the module."""
    boom = ast.parse(pad.read_text(encoding="utf-8"))
    aliassen = {
        a.asname or a.name: f"{k.module.split('.')[-1]}.{a.name}"
        if k.module in ("datetime", "time", "random", "uuid", "os", "pathlib")
        else a.name
        for k in ast.walk(boom)
        if isinstance(k, ast.ImportFrom) and k.module
        for a in k.names
    }
    aliassen |= {"datetime": "datetime", "date": "date", "Path": "Path"}
    uit: set[tuple[str, str, str]] = set()

    def bezoek(knoop: ast.AST, functie: str) -> None:
        for kind in ast.iter_child_nodes(knoop):
            if isinstance(kind, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bezoek(kind, f"{functie}.{kind.name}" if functie else kind.name)
                continue
            # A call (`open(…)`, `datetime.now()`), or a module attribute read (`os.environ`);
            # a field called `open` is neither.
            if isinstance(kind, ast.Call) or (
                isinstance(kind, ast.Attribute) and isinstance(kind.value, ast.Name)
            ):
                naam = _naam(kind.func if isinstance(kind, ast.Call) else kind, aliassen)
                if VERBODEN.match(naam):
                    uit.add((str(pad.relative_to(WORTEL)), functie or "<module>", naam))
            bezoek(kind, functie)

    bezoek(boom, "")
    return uit


def test_the_workflows_load_our_domain_and_contract_modules() -> None:
    namen = {str(p.relative_to(WORTEL)) for p in workflow_modules()}
    assert {"domain/invoer.py", "domain/termijnen.py", "contract/verklaring.py"} <= namen


def test_no_module_a_workflow_loads_reads_time_randomness_or_io_unless_listed() -> None:
    """Reproduction (issue 18): `intake_context()` read the wall clock, passed through the
    sandbox unchecked; now every such read is found here and each has its reason."""
    gevonden = {(b, f) for p in workflow_modules() for b, f, _ in _lezingen(p)}
    assert gevonden == set(TOEGESTAAN)


def test_the_scan_finds_a_clock_read() -> None:
    """The scan itself can fail: a clock read in a file is found."""
    pad = WORTEL / "domain" / "invoer.py"
    assert ("domain/invoer.py", "intake_context", "datetime.now") in _lezingen(pad)


def test_workflow_code_gives_the_intake_rules_its_own_clock() -> None:
    """`streng` and `valideer_streng` read the wall clock when no `nu` is given: every call in
    a module the workflows load passes one (the workflow's `workflow.now()`, or the caller's
    own `nu` passed on)."""
    zonder: list[str] = []
    for pad in workflow_modules():
        for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
            if not isinstance(knoop, ast.Call):
                continue
            naam = _naam(knoop.func, {})
            if naam.split(".")[-1] not in (
                "streng",
                "valideer_streng",
                "intake_context",
                "ontvang",
            ):
                continue
            posities = {"streng": 1, "valideer_streng": 2, "intake_context": 0, "ontvang": 1}
            positie = posities[naam.split(".")[-1]]
            if len(knoop.args) <= positie and not any(k.arg == "nu" for k in knoop.keywords):
                zonder.append(f"{pad.relative_to(WORTEL)}:{knoop.lineno} {naam}")
    assert zonder == []
