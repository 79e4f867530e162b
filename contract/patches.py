"""Every patch of the workflows and where it stands in its lifecycle (docs/deployment.md,
*Releases and rollback*): voorbereid → actief → verouderd → verwijderd.

- **voorbereid**: both branches are in the code (`workflow.patched`), but the worker keeps new
  cases on the old branch (its patch activation callback answers no) and writes no marker. The
  release before it can still replay everything this release writes, so a rollback is safe.
- **actief**: new cases take the new branch and get the marker (and `TemporalChangeVersion`).
  Allowed once every worker runs a release that knows the patch (voorbereid or later): a rollback
  goes back at most to that release.
- **verouderd**: the code calls `workflow.deprecate_patch` and keeps only the new branch.
  Allowed when no running case is still on the old branch (`python scripts/patches.py` says
  so, from the visibility store).
- **verwijderd**: the call is gone. Allowed when no running case holds a marker written before
  the deprecation (a non-deprecated marker no code asks for fails the replay) and no kept
  history needs it.

The ids are the same strings as the `PATCH_…` constants in workflows/ (a test holds them equal);
this module is read by the worker, the report and the tests, never by workflow code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from contract import names


class Stand(StrEnum):
    VOORBEREID = "voorbereid"
    ACTIEF = "actief"
    VEROUDERD = "verouderd"


@dataclass(frozen=True)
class Patch:
    workflow: str
    stand: Stand


_M, _V = names.MELDING_WORKFLOW, names.VERNIETIGING_WORKFLOW

PATCHES: dict[str, Patch] = {
    "radar-zoekattributen-per-taak": Patch(_M, Stand.ACTIEF),
    "verder-als-nieuw-bij-events": Patch(_M, Stand.ACTIEF),
    "tweede-terugkoppeling-te-laat-eerst": Patch(_M, Stand.ACTIEF),
    "start-verklaard": Patch(_M, Stand.ACTIEF),
    "signaal-verklaard": Patch(_M, Stand.ACTIEF),
    "termijnen-lokaal": Patch(_M, Stand.ACTIEF),
    "beslissing-na-audit": Patch(_M, Stand.ACTIEF),
    "wachten-klaar-na-beslissing": Patch(_M, Stand.ACTIEF),
    "zoekattributen-geerfde-deadline-wissen": Patch(_M, Stand.ACTIEF),
    "vernietiging-besluit-audit": Patch(_V, Stand.ACTIEF),
    "vernietiging-twee-personen": Patch(_V, Stand.ACTIEF),
    "vernietiging-verder-als-nieuw": Patch(_V, Stand.VOORBEREID),
    "annulering-maakt-af": Patch(_M, Stand.ACTIEF),
    "mislukt-gesignaleerd": Patch(_M, Stand.ACTIEF),
    "vervolg-bestaat-al": Patch(_M, Stand.ACTIEF),
    "bronnen-vanaf-invoer": Patch(_M, Stand.ACTIEF),
    "registratie-op-keten": Patch(_M, Stand.ACTIEF),
    "radar-ook-zonder-zoeking": Patch(_M, Stand.ACTIEF),
    "berichten-bezorgen": Patch(_M, Stand.ACTIEF),
    # v7 (issue 21, part two of the protocol).
    "spoed-besluit-zonder-bronnen": Patch(_M, Stand.ACTIEF),
    "vernietigingsrecht-na-dienst": Patch(_M, Stand.ACTIEF),
    "huishouden-uitstel-opvolgen": Patch(_M, Stand.ACTIEF),
    "monitoring-door-na-nieuwe-melding": Patch(_M, Stand.ACTIEF),
    "tweede-terugkoppeling-op-tijd": Patch(_M, Stand.ACTIEF),
    "radar-mogelijk": Patch(_M, Stand.ACTIEF),
    "advies-beleidsinformatie": Patch(names.ADVIES_WORKFLOW, Stand.ACTIEF),
    # Issue 25 (v7): a closed case reads its bewaartermijn into its status.
    "bewaartermijn-in-status": Patch(_M, Stand.ACTIEF),
    # Issue 25 (v7): a destruction request's term, legal grounds and the letter to the requester.
    "vernietiging-termijn-gronden": Patch(_V, Stand.ACTIEF),
    # issue 22 (the chain)
    "overdracht-als-zaak": Patch(_M, Stand.ACTIEF),
    "raad-verzoek-tot-onderzoek": Patch(_M, Stand.ACTIEF),
    # Issue 26 (v7): the audit of a decision as a local activity.
    # Kept voorbereid: measured (docs/performance.md) but not switched on. With it on, the
    # time-skipping test server stopped skipping time in a case that polls for weeks
    # (tests/workflows/test_raad.py: env.sleep timed out after 30 s; off: 3 passed in 3.5 s).
    # The cause, found since: a run that continued as new while the Raad's readings had a timer
    # pending (the next patch).
    "audit-lokaal": Patch(_M, Stand.VOORBEREID),
    # v7.2: side tasks are stopped before a continue-as-new (workflows/melding.py). Voorbereid
    # in v7.2: v7.1 does not know its marker, so a rollback to v7.1 stays possible.
    "taken-stoppen-voor-verder-als-nieuw": Patch(_M, Stand.VOORBEREID),
    # v7.2: the dossier stays open during a warme overdracht (workflows/melding.py); voorbereid
    # for the same reason.
    "dossier-open-tijdens-overdracht": Patch(_M, Stand.VOORBEREID),
    # v7.2: every update of the advies through the shared decision mechanism, one lock for all
    # (workflows/advies.py); voorbereid, as the two above.
    "advies-besluitvorming": Patch(names.ADVIES_WORKFLOW, Stand.VOORBEREID),
    # v7.2 (issue 22, Q&A 10): the professionals a besluit names are informed; voorbereid.
    "professionals-informeren": Patch(_M, Stand.VOORBEREID),
    # v7.2 (issue 22): an overdracht decided at the end of a dienst becomes a zaak too;
    # voorbereid.
    "dienst-overdracht-als-zaak": Patch(_M, Stand.VOORBEREID),
}


def actief(patch_id: str) -> bool:
    """Whether new cases take the patch's new branch. A patch this release does not list is
    one a workflow asks for that nobody registered: kept inactive (the old branch is the one
    the previous release had)."""
    patch = PATCHES.get(patch_id)
    return patch is not None and patch.stand is not Stand.VOORBEREID
