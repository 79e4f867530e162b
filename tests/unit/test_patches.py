"""The patch register (contract/patches.py) names exactly the patches of the code, and the
worker activates only those past their first release (docs/deployment.md, Releases and
rollback)."""

from __future__ import annotations

import re
from pathlib import Path

from contract import names
from contract.patches import PATCHES, Stand, actief

WORTEL = Path(__file__).resolve().parents[2]


def _in_de_code() -> dict[str, str]:
    """patch id → the workflow module that calls it (`PATCH_… = "<id>"`)."""
    gevonden: dict[str, str] = {}
    for pad in sorted((WORTEL / "workflows").glob("*.py")):
        for naam in re.findall(r'^PATCH_\w+ = "([^"]+)"', pad.read_text(encoding="utf-8"), re.M):
            gevonden[naam] = pad.name
    return gevonden


def test_the_register_names_every_patch_of_the_code_and_no_other() -> None:
    assert set(PATCHES) == set(_in_de_code())


def test_each_patch_is_registered_for_the_workflow_that_calls_it() -> None:
    per_bestand = {
        "vernietiging.py": names.VERNIETIGING_WORKFLOW,
        "advies.py": names.ADVIES_WORKFLOW,
    }
    for naam, bestand in _in_de_code().items():
        verwacht = per_bestand.get(bestand, names.MELDING_WORKFLOW)
        assert PATCHES[naam].workflow == verwacht, naam


def test_a_deprecated_patch_is_called_with_deprecate_patch_and_no_other_is() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (WORTEL / "workflows").glob("*.py"))
    verouderd = {n for n, p in PATCHES.items() if p.stand is Stand.VEROUDERD}
    gevonden = re.findall(r'^(PATCH_\w+) = "([^"]+)"', code, re.M)
    assert len(gevonden) == len(PATCHES)
    assert re.search(r"patched\(PATCH_TE_LAAT_EERST\)", code)  # the search finds calls
    for constante, naam in gevonden:
        aangeroepen = re.search(rf"deprecate_patch\({constante}\)", code) is not None
        assert aangeroepen == (naam in verouderd), naam


def test_a_prepared_patch_stays_inactive_for_new_cases_and_an_unknown_one_too() -> None:
    for naam, patch in PATCHES.items():
        assert actief(naam) == (patch.stand is not Stand.VOORBEREID)
    assert not actief("een-patch-die-niemand-registreerde")
