"""Per patch: how many running cases are on which side, and whether its next step may be taken.

    .venv/bin/python scripts/patches.py                       # TEMPORAL_ADDRESS etc. as the worker
    .venv/bin/python scripts/patches.py --sinds start-verklaard=2027-01-12T00:00:00Z

A running case *met marker* took the patch's new branch (the SDK recorded the marker and added
the patch to the search attribute `TemporalChangeVersion`); *zonder marker* is a case that took
the old branch or has not reached the patch yet. `--sinds PATCH=MOMENT`: when the patch's current
stand reached every worker (actief: the rollout that activated it; verouderd: the one that
deprecated it). Only a running case started before that moment can be on the branch the next
step removes, so the next step is allowed when none of those is left:

- voorbereid → actief: when every worker runs a release that knows the patch (not visible here);
- actief → verouderd (`deprecate_patch`): no running case started before `sinds` without marker;
- verouderd → verwijderd: no running case started before `sinds` at all (its marker was
  written without the deprecation flag, and a replay without the call fails on it).

docs/deployment.md, *Releases and rollback*, has the procedure. Exit code 0; 2 on bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from temporalio.client import Client

from contract.client import data_converter, verbind
from contract.patches import PATCHES, Stand


@dataclass(frozen=True)
class Telling:
    patch: str
    workflow: str
    stand: Stand
    lopend: int
    met_marker: int
    oud_voor_sinds: int | None  # running, started before `sinds` (actief: without marker)

    @property
    def volgende_stap(self) -> str:
        if self.stand is Stand.VOORBEREID:
            return "activeren: zodra elke worker deze release draait"
        if self.oud_voor_sinds is None:
            return "onbekend: geef --sinds"
        stap = "verouderen" if self.stand is Stand.ACTIEF else "verwijderen"
        if self.oud_voor_sinds == 0:
            return f"{stap} mag"
        return f"{stap} nog niet: {self.oud_voor_sinds} lopende casussen op de oude kant"


async def tel(client: Client, sinds: dict[str, datetime]) -> list[Telling]:
    tellingen = []
    for naam, patch in PATCHES.items():
        lopend = f"WorkflowType = '{patch.workflow}' AND ExecutionStatus = 'Running'"
        met = f"{lopend} AND TemporalChangeVersion = '{naam}'"
        oud: int | None = None
        if naam in sinds:
            moment = sinds[naam].isoformat()
            voor = f"{lopend} AND StartTime < '{moment}'"
            oud = await _aantal(client, voor)
            if patch.stand is Stand.ACTIEF:
                oud -= await _aantal(client, f"{voor} AND TemporalChangeVersion = '{naam}'")
        tellingen.append(
            Telling(
                naam,
                patch.workflow,
                patch.stand,
                await _aantal(client, lopend),
                await _aantal(client, met),
                oud,
            )
        )
    return tellingen


async def _aantal(client: Client, zoekvraag: str) -> int:
    return (await client.count_workflows(zoekvraag)).count


def tabel(tellingen: list[Telling]) -> str:
    kop = ("patch", "workflow", "stand", "lopend", "met marker", "zonder marker", "volgende stap")
    rijen = [kop] + [
        (
            t.patch,
            t.workflow,
            t.stand.value,
            str(t.lopend),
            str(t.met_marker),
            str(t.lopend - t.met_marker),
            t.volgende_stap,
        )
        for t in tellingen
    ]
    breedtes = [max(len(r[i]) for r in rijen) for i in range(len(kop))]
    return "\n".join(
        "  ".join(w.ljust(b) for w, b in zip(r, breedtes, strict=True)).rstrip() for r in rijen
    )


def lees_sinds(waarden: list[str]) -> dict[str, datetime]:
    uit: dict[str, datetime] = {}
    for waarde in waarden:
        naam, _, moment = waarde.partition("=")
        if naam not in PATCHES:
            raise ValueError(f"--sinds: onbekende patch {naam!r}")
        try:
            tijd = datetime.fromisoformat(moment)
        except ValueError:
            raise ValueError(f"--sinds {naam}: geen ISO-moment: {moment!r}") from None
        if tijd.tzinfo is None:
            raise ValueError(f"--sinds {naam}: het moment heeft geen tijdzone")
        uit[naam] = tijd
    return uit


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sinds", action="append", default=[], metavar="PATCH=MOMENT")
    args = parser.parse_args(argv)
    try:
        sinds = lees_sinds(args.sinds)
    except ValueError as fout:
        print(fout, file=sys.stderr)
        return 2
    client = await verbind(converter=data_converter())
    print(tabel(await tel(client, sinds)))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
