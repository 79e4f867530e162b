"""The worker image and its dependencies: a pinned base, a locked and hash-checked dependency
layer before the source, and pyproject.toml bounds that are true."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text().splitlines()
LOCK = (ROOT / "requirements.lock").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

# The first temporalio whose environment configuration (temporalio.envconfig, new in 1.14)
# loads without a config file, as contract/client.py uses it: 1.14 and 1.15 raise
# "Profile 'default' not found"; 1.14.x also pulls a nexus-rpc it cannot import.
TEMPORALIO_MINIMUM = Version("1.16")


def instructions(name: str) -> list[tuple[int, str]]:
    """(line number, arguments) of every Dockerfile instruction `name`."""
    return [
        (number, line.split(None, 1)[1])
        for number, line in enumerate(DOCKERFILE)
        if line.upper().startswith(name + " ")
    ]


def locked() -> dict[str, Version]:
    """Package -> version pinned in requirements.lock."""
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", LOCK, re.M)
    return {canonicalize_name(name): Version(version) for name, version in pins}


def runtime_requirements() -> list[Requirement]:
    return [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]


def test_base_image_is_pinned_to_a_patch_release() -> None:
    """FROM names python 3.11.x on a fixed Debian release (and a digest when one is added)."""
    ((_, base),) = instructions("FROM")
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base)


def test_dependencies_are_installed_from_the_lock_before_the_source_is_copied() -> None:
    """Their own layer: a code change does not reinstall them."""
    runs = instructions("RUN")
    copies = instructions("COPY")
    (lock_copy,) = [n for n, args in copies if "requirements.lock" in args]
    (install,) = [n for n, args in runs if "requirements.lock" in args]
    source_copies = [n for n, args in copies if "requirements.lock" not in args]
    assert lock_copy < install < min(source_copies)


def test_dependencies_are_hash_checked() -> None:
    """pip refuses anything whose hash the lock does not name."""
    (install,) = [args for _, args in instructions("RUN") if "requirements.lock" in args]
    assert "--require-hashes" in install
    for block in re.split(r"\n(?=[A-Za-z0-9_.-]+==)", LOCK.split("\n\n", 1)[-1]):
        if "==" in block.split("\n", 1)[0]:
            assert "--hash=sha256:" in block, block.split()[0]


def test_nothing_after_the_lock_installs_a_package() -> None:
    """The source is copied, not pip-installed, so no build step fetches past the lock."""
    installs = [args for _, args in instructions("RUN") if "pip install" in args]
    assert len(installs) == 1


def test_the_lock_pins_every_runtime_dependency_within_its_bounds() -> None:
    """requirements.lock satisfies pyproject.toml: a stale lock fails here."""
    pins = locked()
    for requirement in runtime_requirements():
        version = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), (requirement, version)


def test_every_runtime_dependency_has_a_lower_bound() -> None:
    """`>=` on each: the oldest version we claim to work with is stated."""
    for requirement in runtime_requirements():
        assert any(spec.operator == ">=" for spec in requirement.specifier), requirement


def test_temporalio_lower_bound_is_a_version_the_code_works_with() -> None:
    """temporalio>=1.9 was false: the code needs temporalio.envconfig working without a file."""
    (temporalio,) = [r for r in runtime_requirements() if r.name == "temporalio"]
    lower = [Version(s.version) for s in temporalio.specifier if s.operator == ">="]
    assert lower and min(lower) >= TEMPORALIO_MINIMUM


def test_the_lock_is_for_the_python_of_the_image() -> None:
    """pip-compile ran with the image's Python minor version."""
    ((_, base),) = instructions("FROM")
    minor = re.search(r"python:(3\.\d+)", base)[1]  # type: ignore[index]
    assert f"pip-compile with Python {minor}" in LOCK


def test_the_image_holds_every_room_that_ships() -> None:
    """A room added to pyproject's package list (adapters, keten, …) is copied into the image;
    without it the worker fails at its first import in Kubernetes, never in the tests."""
    from scripts import omvang

    tekst = (omvang.WORTEL / "Dockerfile").read_text(encoding="utf-8")
    gekopieerd = {
        deel.rstrip("/")
        for regel in tekst.splitlines()
        if regel.startswith("COPY ")
        for deel in regel.split()[1:-1]
    }
    nodig = set(omvang.PRODUCT) - {"bench", "scripts"}
    assert nodig <= gekopieerd, nodig - gekopieerd
