"""A rollback is safe: the previous release replays every history this release writes (issue 18).

Kubernetes replaces workers one at a time, so for a while both releases run the same cases, and a
rollback hands every case back to the previous release. Its own code, taken from git at the
commit in `tests/replay/vorige_release` (set there by the release procedure, docs/deployment.md),
runs its own replay test against the histories this release records with its production patch
activation: the newest `v<n>_…` files, without those recorded with a prepared patch switched on
(`__met_…`, which only the release that activates it may write).

The previous release's code is `tests/replay/vorige_release.tar.gz`: `git archive` of that
commit (its packages, pyproject.toml and its replay test), made by the release procedure
(docs/deployment.md) and committed, so the gate needs no git history (a shallow clone, a
source tarball). It is checked to be the commit named in `vorige_release` where git has it.
The replay runs in a subprocess, because both releases' modules have the same names.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

WORTEL = Path(__file__).resolve().parents[2]
HISTORIES = Path(__file__).parent / "histories"
VORIGE = (Path(__file__).parent / "vorige_release").read_text().strip()


def histories_van_deze_release() -> list[Path]:
    versies = {
        int(m.group(1)) for b in HISTORIES.glob("v*_*.json") if (m := re.match(r"v(\d+)_", b.name))
    }
    nieuwste = max(versies)
    return sorted(b for b in HISTORIES.glob(f"v{nieuwste}_*.json") if "__met_" not in b.name)


ARCHIEF = Path(__file__).parent / "vorige_release.tar.gz"
# What the archive holds besides the packages of that release (its pyproject's package list, so
# a room a release adds comes along): the old replay test and its pytest settings.
TESTBESTANDEN = (
    "pyproject.toml",
    "tests/__init__.py",
    "tests/replay/__init__.py",
    "tests/replay/test_replay.py",
    "tests/replay/patchzijden.py",
)


def pakketten_van(commit: str) -> list[str]:
    """The package folders the release at `commit` ships (pyproject, tool.setuptools)."""
    tekst = subprocess.run(
        ["git", "show", f"{commit}:pyproject.toml"],
        cwd=WORTEL,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    patronen = tomllib.loads(tekst)["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({p.rstrip("*").rstrip(".") for p in patronen})


def maak_archief(commit: str, doel: Path = ARCHIEF) -> None:
    """The release procedure's step: `python -m tests.replay.test_terugrol <commit>`."""
    subprocess.run(
        [
            "git",
            "archive",
            "--format=tar.gz",
            "-o",
            str(doel),
            commit,
            *TESTBESTANDEN,
            *pakketten_van(commit),
        ],
        cwd=WORTEL,
        check=True,
    )


def vorige_release_in(map_: Path) -> Path:
    """The previous release's tree from the committed archive."""
    with tarfile.open(ARCHIEF) as tar:
        tar.extractall(map_, filter="data")
    return map_


def replay_met_release(histories: list[Path], map_: Path) -> subprocess.CompletedProcess[str]:
    boom = vorige_release_in(map_)
    doel = boom / "tests" / "replay" / "histories"
    doel.mkdir(parents=True, exist_ok=True)
    for bestand in histories:
        shutil.copy(bestand, doel / bestand.name)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/replay/test_replay.py",
        ],
        cwd=boom,
        env={**os.environ, "PYTHONPATH": str(boom)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_previous_release_replays_every_history_this_release_writes(tmp_path: Path) -> None:
    """Reproduction: `v4_advies.json` replayed with the release before `termijnen-lokaal`
    (git 430b0fa^) failed with "Non-deprecated patch marker encountered": that rollback would
    have wedged every case started on the newer release."""
    histories = histories_van_deze_release()
    assert len(histories) >= 10
    uitslag = replay_met_release(histories, tmp_path)
    assert uitslag.returncode == 0, uitslag.stdout[-3000:]
    assert f"{len(histories) + 1} passed" in uitslag.stdout, uitslag.stdout[-500:]


def test_the_archive_is_the_release_named_in_vorige_release(tmp_path: Path) -> None:
    """Where git has the commit (a full clone), the archive holds exactly its files."""
    bekend = subprocess.run(
        ["git", "cat-file", "-e", f"{VORIGE}^{{commit}}"], cwd=WORTEL, capture_output=True
    )
    if bekend.returncode != 0:
        pytest.skip(f"git has no commit {VORIGE} here (a shallow clone): the archive counts")
    vers = tmp_path / "vers.tar.gz"
    maak_archief(VORIGE, vers)

    def inhoud(pad: Path) -> dict[str, bytes]:
        with tarfile.open(pad) as tar:
            return {
                m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
                for m in tar.getmembers()
                if m.isfile()
            }

    assert inhoud(vers) == inhoud(ARCHIEF)


if __name__ == "__main__":
    maak_archief(sys.argv[1])
    (Path(__file__).parent / "vorige_release").write_text(sys.argv[1] + "\n")
