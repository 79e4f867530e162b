"""A rollback drill on a dev server (docs/deployment.md, *Releases and rollback*).

    .venv/bin/python scripts/terugroloefening.py [--twee-terug COMMIT]

Release N is this checkout; release N−1 is the previous release of the rollback gate (the
commit in `tests/replay/vorige_release`, taken from git: run it in a full clone). On one
Temporal dev server and one embedded PostgreSQL, with the real worker of each release as its own
process (`python worker.py` in its tree):

1. N−1 runs; meldingen come in and are decided on.
2. Rollout: N starts beside N−1, then N−1 stops; new meldingen take N's new branches.
3. Rollback, as the procedure says (one release back): N−1 starts, N stops; every case goes on,
   those that took N's branches included.
4. Forward again: N starts, N−1 stops; every case goes on.
5. With `--twee-terug COMMIT` (a release two back, which the procedure forbids): that release
   alone takes the cases; a case holding a marker it does not know stands still; N, started
   again, raises it (signalering `vastgelopen`, gauge `vt_workflows_niet_deterministisch`) and
   takes it on, and the signalering closes.

After each step it checks that no workflow task fails (no attempt above 1), no case failed,
and every decision sent was answered; it prints what it saw and exits 1 on the first surprise.
The data is synthetic; everything runs in a temporary folder and stops at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runtime.bewaking import ZOEKVRAAG, controleer
from scripts.oefenstack import VOORBEELDEN, WORTEL, Oefening, uitpakken

VORIGE = (WORTEL / "tests" / "replay" / "vorige_release").read_text().strip()


async def oefen(twee_terug: str | None) -> None:
    map_ = Path(tempfile.mkdtemp(prefix="vt-terugrol-"))
    map_.chmod(0o755)
    vorige = uitpakken(map_ / "release-n-1", VORIGE)
    o = Oefening(map_)
    await o.start()
    try:
        o.stap("1. release N−1 in productie")
        o.worker("N-1", vorige)
        d1, d2, d3, d4 = (
            o.melding(v)
            for v in (
                "melding_advies",
                "melding_voorwaarden",
                "melding_onderzoek",
                "melding_overdracht",
            )
        )
        time.sleep(3)
        o.triage(d1)
        await o.controleer([d1, d2, d3, d4])

        o.stap("2. uitrol van N: N naast N−1, dan N−1 weg")
        o.worker("N", WORTEL)
        o.stop("N-1")
        d5, d6 = o.melding("melding_advies"), o.melding("melding_voorwaarden")
        time.sleep(3)
        o.triage(d2, "triage_structureel")
        o.triage(d5)
        o.besluit(d1, "besluit_advies")
        await o.controleer([d1, d2, d3, d4, d5, d6])

        o.stap("3. terugrol naar N−1 (een release terug, zoals de procedure zegt)")
        o.worker("N-1", vorige)
        o.stop("N")
        o.triage(d3, "triage_onderzoek")
        o.triage(d6, "triage_structureel")
        o.besluit(d2, "besluit_voorwaarden_en_vervolg")
        o.besluit(d5, "besluit_advies")
        await o.controleer([d2, d3, d4, d5, d6])

        o.stap("4. weer vooruit naar N")
        o.worker("N", WORTEL)
        o.stop("N-1")
        o.besluit(d3, "besluit_onderzoek")
        o.besluit(d6, "besluit_voorwaarden_en_vervolg")
        o.triage(d4)
        await o.controleer([d2, d3, d4, d6])

        if twee_terug:
            o.stap(f"5. twee releases terug ({twee_terug}), wat de procedure verbiedt")
            oud = uitpakken(map_ / "release-n-2", twee_terug)
            o.worker("N-2", oud)
            o.stop("N")
            o.cli("dienst-afronden", d6, str(VOORBEELDEN / "dienst_afronding.json"), verwacht=6)
            einde = time.monotonic() + 60
            while not [w async for w in o.client.list_workflows(ZOEKVRAAG)]:
                if time.monotonic() > einde:
                    beschrijving = await o.client.get_workflow_handle(f"melding-{d6}").describe()
                    raise SystemExit(
                        "Temporal markeerde de casus niet: "
                        f"{beschrijving.raw_description.workflow_execution_info.search_attributes}"
                        f", workflow-taak poging "
                        f"{beschrijving.raw_description.pending_workflow_task.attempt}"
                    )
                await asyncio.sleep(2)
            # What every worker of N (or later) does once a minute, on any task queue: here
            # once, while only N−2 runs (it has no such watch: the forbidden rollback's blind
            # spot, docs/deployment.md).
            vast = await controleer(o.client, o.pool, None)
            rijen = await o.vastgelopen()
            if not rijen:
                raise SystemExit("de bewaking signaleerde de stilstaande casus niet")
            print(f"  stil: {vast}; signalering vastgelopen: {[r['melding_id'] for r in rijen]}")
            o.worker("N", WORTEL)
            o.stop("N-2")
            # Temporal retries a task that failed a few times with a backoff: N takes the case
            # at its next attempt.
            einde = time.monotonic() + 300
            while o.cli("status", d6, verwacht=None) is None:
                if time.monotonic() > einde:
                    raise SystemExit("N nam de stilstaande casus niet over binnen 300 s")
                await asyncio.sleep(10)
            einde = time.monotonic() + 150
            while any(r["afgehandeld_op"] is None for r in await o.vastgelopen()):
                if time.monotonic() > einde:
                    raise SystemExit("de signalering vastgelopen sloot niet")
                await asyncio.sleep(5)
            print("  de casus liep weer; de signalering is gesloten")
            await o.controleer([d2, d3, d4, d6])
        print("\nOefening geslaagd: geen casus mislukt, geen verloren, elke beslissing beantwoord.")
    finally:
        await o.sluit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--twee-terug", help="a release two back (a git commit), to see the alert")
    asyncio.run(oefen(parser.parse_args().twee_terug))


if __name__ == "__main__":
    main()
