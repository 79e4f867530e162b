"""A rollback is safe: the previous release replays every history this release writes (issue 18).

Kubernetes replaces workers one at a time, so for a while both releases run the same cases, and a
rollback hands every case back to the previous release. Its own code, taken from git at the
commit in `tests/replay/vorige_release` (set there by the release procedure, docs/deployment.md),
runs its own replay test against the histories this release records with its production patch
activation: the newest `v<n>_…` files, without those recorded with a prepared patch switched on
(`__met_…`, which only the release that activates it may write).

Git rather than a copy of the old package under tests/: the old code is exactly what shipped
(domain, contract and activities with it), nothing to keep in step, and the archive takes a
second. The replay runs in a subprocess, because both releases' modules have the same names.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
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


def vorige_release_in(map_: Path, commit: str) -> Path:
    """The release's tree at `commit`, without its own histories."""
    archief = subprocess.run(
        ["git", "archive", commit, ":(exclude)tests/replay/histories"],
        cwd=WORTEL,
        capture_output=True,
        check=False,
    )
    if archief.returncode != 0:
        pytest.fail(
            f"git archive {commit}: {archief.stderr.decode().strip()} (a full clone is needed)"
        )
    with tarfile.open(fileobj=io.BytesIO(archief.stdout)) as tar:
        tar.extractall(map_, filter="data")
    return map_


def replay_met_release(
    commit: str, histories: list[Path], map_: Path
) -> subprocess.CompletedProcess[str]:
    boom = vorige_release_in(map_, commit)
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
    uitslag = replay_met_release(VORIGE, histories, tmp_path)
    assert uitslag.returncode == 0, uitslag.stdout[-3000:]
    assert f"{len(histories) + 1} passed" in uitslag.stdout, uitslag.stdout[-500:]
