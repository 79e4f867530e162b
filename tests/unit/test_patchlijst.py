"""docs/contract.md lists every patch in force, each with the file that holds it (issue 27: the
list had 5 of 8 patches and put one in the wrong file, and nothing failed)."""

from __future__ import annotations

import re
from pathlib import Path

from contract.patches import PATCHES

WORTEL = Path(__file__).resolve().parents[2]


def _lijst() -> str:
    tekst = (WORTEL / "docs" / "contract.md").read_text(encoding="utf-8")
    begin = tekst.index("The patches in force:")
    return tekst[begin : tekst.index("- each patch goes through", begin)]


def _toegewezen() -> dict[str, str]:
    """Each patch id of the list with the first file named after it."""
    toegewezen: dict[str, str] = {}
    wachtend: list[str] = []
    for woord in re.findall(r"`([^`]+)`", _lijst()):
        if re.fullmatch(r"workflows/\w+\.py", woord):
            toegewezen.update(dict.fromkeys(wachtend, woord))
            wachtend = []
        elif re.fullmatch(r"[a-z]+(-[a-z]+)+", woord):
            wachtend.append(woord)
    assert wachtend == [], f"no file named after {wachtend}"
    return toegewezen


def test_the_list_names_every_patch_and_nothing_else() -> None:
    assert set(_toegewezen()) == set(PATCHES)


def test_each_listed_patch_is_defined_in_the_file_named_with_it() -> None:
    for patch, bestand in _toegewezen().items():
        code = (WORTEL / bestand).read_text(encoding="utf-8")
        assert re.search(rf'^PATCH_\w+ = "{re.escape(patch)}"', code, re.M), (patch, bestand)
