"""Both sides of every patch are recorded: forced to its new side, a history of its old side
fails to replay, and forced to its old side, a history of its new side fails (issue 18).

Without such a history the patch's other branch could be anything: the replay suite would pass
whatever it did. Each side stops at the first history that breaks, so this stays fast."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.replay.patchzijden import eerste_die_breekt, patches_in_de_code

ZIJDEN = [(p, kant) for p in patches_in_de_code() for kant in (True, False)]
WORTEL = Path(__file__).resolve().parents[2]

# Sides that differ from the other only in what an activity is given: a replay compares the
# kind and order of commands, never an activity's arguments, so no history can tell them apart
# (and a rollback across them is safe for the same reason). Their behaviour is tested where it
# shows: the named test file.
ALLEEN_ARGUMENTEN = {
    # The local calendar activity also gets the moment of intake.
    ("bronnen-vanaf-invoer", False): "tests/workflows/test_termijnen.py",
    # The registration activity gets the chain's first run ID instead of this run's.
    ("registratie-op-keten", True): "tests/integration/test_spookcasussen.py",
    ("registratie-op-keten", False): "tests/integration/test_spookcasussen.py",
}


def test_there_are_patches_to_force() -> None:
    assert len(patches_in_de_code()) >= 10


@pytest.mark.parametrize(
    ("patch", "kant"), ZIJDEN, ids=[f"{p}-gedwongen-{'nieuw' if k else 'oud'}" for p, k in ZIJDEN]
)
async def test_a_recorded_history_breaks_when_the_patch_takes_the_other_side(
    patch: str, kant: bool
) -> None:
    """Reproduction: `vernietiging-besluit-audit` and `wachten-klaar-na-beslissing` forced to
    their old side, `zoekattributen-geerfde-deadline-wissen` forced either way: every history
    still replayed (4 of 16 sides had no recorded history)."""
    breekt = await eerste_die_breekt(patch, kant)
    if (patch, kant) in ALLEEN_ARGUMENTEN:
        # Listed as arguments-only: then no history may break either (else the entry is stale).
        assert breekt is None, f"{patch}: {breekt} tells the sides apart; drop the exemption"
        assert (WORTEL / ALLEEN_ARGUMENTEN[(patch, kant)]).exists()
        return
    kant_zonder = "old" if kant else "new"
    assert breekt is not None, (
        f"no recorded history holds the {kant_zonder} side of {patch}: record one "
        f"(python -m tests.replay.opnemen, docs/deployment.md)"
    )
