"""What the worker reads from its environment, derived from worker.py and the modules it
imports (runtime/config.py reads the configuration).

The compose files and the Kubernetes manifests are checked against this set, so a variable
added to worker.py (or to a project module it imports) without a place in the deployments
fails the tests instead of being forgotten in production.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("domain", "contract", "workflows", "activities", "starter", "runtime")
VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]+$")

# Variables the worker reads that a deployment leaves unset on purpose, with the reason.
PROFILE = {
    "TEMPORAL_PROFILE": "we configure the SDK by variables, not by a profile in a config file",
    "TEMPORAL_CONFIG_FILE": "idem",
}
# The mTLS settings of the SDK's environment configuration (temporalio.envconfig): a
# self-hosted Temporal requires them (docs/deployment.md, "mTLS and the authorizer").
MTLS = (
    "TEMPORAL_TLS_CLIENT_CERT_PATH",
    "TEMPORAL_TLS_CLIENT_KEY_PATH",
    "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
    "TEMPORAL_TLS_SERVER_NAME",
)
SDK_ALTERNATIVES = PROFILE | dict.fromkeys(
    MTLS, "Temporal Cloud: an API key instead of mTLS (docs/deployment.md says how to switch)"
)
SELF_HOSTED_UNSET = PROFILE | {
    "TEMPORAL_API_KEY": "self-hosted: the client certificate authenticates workers (mTLS)",
}


def _constant(node: ast.expr, module: str) -> str | None:
    """A string constant, or `names.X` resolved by importing the module that defines it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        tree_imports = _imports(module)
        target = tree_imports.get(node.value.id)
        if target:
            value = getattr(importlib.import_module(target), node.attr, None)
            return value if isinstance(value, str) else None
    return None


@cache
def _source(module: str) -> ast.Module:
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT / module.replace(".", "/") / "__init__.py"
    return ast.parse(path.read_text())


@cache
def _imports(module: str) -> dict[str, str]:
    """Local name -> project module, for `import x.y as z` and `from x import y`."""
    found: dict[str, str] = {}
    for node in ast.walk(_source(module)):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if _is_project_module(candidate):
                    found[alias.asname or alias.name] = candidate
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_project_module(alias.name):
                    found[alias.asname or alias.name] = alias.name
    return found


def _is_project_module(name: str) -> bool:
    if name.split(".")[0] not in PROJECT_PACKAGES:
        return False
    path = ROOT / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _is_environment(node: ast.expr) -> bool:
    """`env`, `environ`, `os.environ`: the receivers of an environment read."""
    if isinstance(node, ast.Name):
        return node.id in {"env", "environ", "omgeving"}
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def _reads(module: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(_source(module)):
        key: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in {"get", "pop"}:
                key = node.args[0] if _is_environment(func.value) else None
            elif isinstance(func, ast.Attribute | ast.Name) and getattr(
                func, "attr", getattr(func, "id", "")
            ) in {"getenv"}:
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and _is_environment(node.value):
            key = node.slice
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "OMGEVINGSVARIABELEN" for t in targets):
                value = node.value
                if isinstance(value, ast.Tuple | ast.List):
                    for element in value.elts:
                        name = _constant(element, module)
                        if name:
                            found.add(name)
        if key is not None:
            name = _constant(key, module)
            if name and VARIABLE.match(name):
                found.add(name)
    return found


def _imported_modules(module: str) -> set[str]:
    """The project modules `module` imports (not transitively: the worker's bootstrap reads its
    configuration itself; deeper modules receive values, not the environment)."""
    found = set(_imports(module).values())
    for node in ast.walk(_source(module)):
        if isinstance(node, ast.ImportFrom) and node.module and _is_project_module(node.module):
            found.add(node.module)
    return found


@cache
def gelezen_door_worker() -> frozenset[str]:
    """Every environment variable worker.py, and the project modules it imports, read."""
    found: set[str] = set()
    for module in sorted({"worker", *_imported_modules("worker")}):
        found |= _reads(module)
    return frozenset(found)


def test_the_derived_set_holds_what_the_worker_needs_to_run() -> None:
    """Database, register key, Temporal address and task queue are found by parsing."""
    assert {"DATABASE_URL", "VT_REGISTER_SLEUTEL", "TEMPORAL_ADDRESS", "VT_TASK_QUEUE"} <= (
        gelezen_door_worker()
    )


def test_the_derived_set_includes_the_workers_own_list() -> None:
    """worker.OMGEVINGSVARIABELEN, the list the worker documents, is part of what is read."""
    worker = importlib.import_module("worker")
    assert set(worker.OMGEVINGSVARIABELEN) <= gelezen_door_worker()


def test_every_variable_read_by_env_get_is_found() -> None:
    """Reads through `env.get(...)` in worker.py are found even when no list names them."""
    assert {"VT_STOP_TIMEOUT", "VT_METRICS_PORT", "VT_LOG_FORMAT", "VT_EXTRA_FEESTDAGEN"} <= (
        gelezen_door_worker()
    )


def test_exemptions_name_only_variables_the_worker_reads() -> None:
    """A variable left unset on purpose must be one the worker reads (no stale exemptions)."""
    assert set(SELF_HOSTED_UNSET) <= gelezen_door_worker()


def test_the_worker_reads_the_sdks_mtls_settings() -> None:
    """The four mTLS variables the deployments set are ones the worker passes to the SDK."""
    assert set(MTLS) | {"TEMPORAL_TLS"} <= gelezen_door_worker()
