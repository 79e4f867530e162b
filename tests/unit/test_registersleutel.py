"""Issue 8.4: no published register key anywhere; `make run` makes one per data folder."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

from runtime.datamap import REGISTERSLEUTEL, registersleutel
from runtime.devserver import StackFout

WORTEL = Path(__file__).resolve().parents[2]
# SHA-256 of the development key the worker once fell back to (37 bytes, published in this
# repository's history): only its hash here, so this test is no copy of it.
OUDE_SLEUTEL_SHA256 = "01a085ac6be2d3deb73bcb6a6c2909f34e80b6ca3316b5fa82540db55e196a42"
OUDE_SLEUTEL_LENGTE = 37
OUDE_SLEUTEL_BEGIN = b"ontwikkelsleutel"


def test_no_file_of_the_repository_holds_the_old_published_development_key() -> None:
    """Every tracked (or new, not ignored) file: no 37 bytes starting with its first word hash
    to the old key."""
    bestanden = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=WORTEL,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    assert len(bestanden) > 100, "git ls-files gaf (bijna) niets: test klopt niet"
    gevonden = []
    for naam in filter(None, bestanden):
        pad = WORTEL / naam.decode()
        if not pad.is_file():
            continue
        inhoud = pad.read_bytes()
        for treffer in re.finditer(re.escape(OUDE_SLEUTEL_BEGIN), inhoud, re.IGNORECASE):
            stuk = inhoud[treffer.start() : treffer.start() + OUDE_SLEUTEL_LENGTE]
            if hashlib.sha256(stuk).hexdigest() == OUDE_SLEUTEL_SHA256:
                gevonden.append(naam.decode())
    assert gevonden == []


def test_make_runs_register_key_is_made_once_owner_only_and_reused(tmp_path: Path) -> None:
    """A new data folder: 32 random bytes (64 hex), version 1, mode 0600; the next start reads
    the same file, never writes it again."""
    sleutel, versie, bestaande_map = registersleutel(tmp_path)
    pad = tmp_path / REGISTERSLEUTEL
    assert re.fullmatch(r"[0-9a-f]{64}", sleutel) and versie == "1" and not bestaande_map
    assert pad.stat().st_mode & 0o777 == 0o600
    voor = (pad.stat().st_ino, pad.stat().st_mtime_ns, pad.read_text())
    (tmp_path / "postgres").mkdir()  # a database made since does not change the key
    assert registersleutel(tmp_path) == (sleutel, "1", False)
    assert (pad.stat().st_ino, pad.stat().st_mtime_ns, pad.read_text()) == voor
    ander = tmp_path / "ander"
    ander.mkdir()
    assert registersleutel(ander)[0] != sleutel  # per installation


def test_a_folder_of_an_older_make_run_gets_the_new_key_as_version_2(tmp_path: Path) -> None:
    """PostgreSQL there but no key file: an older `make run` hashed under the published key
    (version 1), so the new key is version 2 (the stack re-hashes and retires version 1)."""
    (tmp_path / "postgres").mkdir()
    sleutel, versie, bestaande_map = registersleutel(tmp_path)
    assert (versie, bestaande_map) == ("2", True)
    assert registersleutel(tmp_path) == (sleutel, "2", False)


def test_a_damaged_key_file_stops_make_run_naming_it_and_is_left_as_it_is(tmp_path: Path) -> None:
    """An emptied or edited file is not silently replaced: a new key would orphan every hash."""
    pad = tmp_path / REGISTERSLEUTEL
    pad.write_text("\n")
    with pytest.raises(StackFout, match=REGISTERSLEUTEL):
        registersleutel(tmp_path)
    assert pad.read_text() == "\n"
