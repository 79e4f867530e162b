"""Voetafdruk: history events and bytes per recorded path, and the year projection.

    .venv/bin/python -m bench.voetafdruk [--map DIR | --opnemen] [--per-s R] [--json]

Reads every recorded history (tests/replay/histories/*.json, a path of docs/architecture.md; with
`--opnemen` every path recorded anew with today's code by tests/replay/opnemen.py on the
time-skipping server, in a temporary folder) and reports its events, its size as the server
stores it (protobuf bytes) and the largest activity payload, with the longest path against the
bound of 220 events: among the newest recorded version of each path (`v3_…` over `v2_…`; the
older files are the shapes that shipped before, kept for replay), or among all with
`--opnemen`. A run whose history the time-skipping server cut short (it can leave out the last
workflow task of a run that continued as new) counts with 10 events more. With `--per-s R` (an
intake rate measured by `bench.doorvoer`) it projects a national year: 130,000 meldingen (CBS
2023).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from bench.opties import toon

MAP = Path(__file__).parent.parent / "tests" / "replay" / "histories"
GRENS_EVENTS = 220  # 150 and a besluit's aftermath (tests/workflows/test_voetafdruk.py)
MELDINGEN_PER_JAAR = 130_000  # CBS 2023: meldingen bij Veilig Thuis in a year, nationally
WEGGELATEN = 10  # events a cut run may lack (tests/workflows/runs.py)
GESLOTEN = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
}
NAAM = re.compile(r"v(\d+)_(.+?)(_run\d+)?")


def meet_geschiedenis(g: WorkflowHistory) -> dict[str, Any]:
    grootste = 0
    for e in g.events:
        payloads = []
        if e.HasField("activity_task_scheduled_event_attributes"):
            payloads = list(e.activity_task_scheduled_event_attributes.input.payloads)
        if e.HasField("activity_task_completed_event_attributes"):
            payloads = list(e.activity_task_completed_event_attributes.result.payloads)
        grootste = max([grootste, *(p.ByteSize() for p in payloads)])
    afgekapt = g.events[-1].event_type not in GESLOTEN
    return {
        "events": len(g.events),
        "afgekapt": afgekapt,
        "events_getoetst": len(g.events) + (WEGGELATEN if afgekapt else 0),
        "bytes": sum(e.ByteSize() for e in g.events),
        "grootste_payload_bytes": grootste,
    }


def nieuwste(namen: list[str]) -> list[str]:
    """The files of the newest recorded version of each path (every run of it)."""
    versie: dict[str, int] = {}
    for naam in namen:
        if m := NAAM.fullmatch(naam):
            versie[m[2]] = max(versie.get(m[2], 0), int(m[1]))
    return [n for n in namen if not (m := NAAM.fullmatch(n)) or int(m[1]) == versie.get(m[2], 0)]


def paden(map_: Path) -> dict[str, dict[str, Any]]:
    return {
        p.stem: meet_geschiedenis(WorkflowHistory.from_json(p.stem, p.read_text()))
        for p in sorted(map_.glob("*.json"))
    }


def neem_op() -> dict[str, dict[str, Any]]:
    """Every path with today's code (the recorder writes relative to the working folder)."""
    opnemen: Any = importlib.import_module("tests.replay.opnemen")  # a tool of the tests

    map_ = Path(tempfile.mkdtemp(prefix=".voetafdruk-", dir=Path.cwd()))
    try:
        opnemen.MAP = map_
        asyncio.run(opnemen.neem_op("nu"))
        return paden(map_)
    finally:
        shutil.rmtree(map_)


def projectie(per_s: float) -> dict[str, Any]:
    """A year's meldingen at this intake rate: how long the intake alone would take, and the
    average rate a year asks for."""
    seconden = MELDINGEN_PER_JAAR / per_s
    nodig = MELDINGEN_PER_JAAR / (365 * 24 * 3600)
    return {
        "meldingen_per_jaar": MELDINGEN_PER_JAAR,
        "gemeten_per_s": per_s,
        "intake_uren": round(seconden / 3600, 2),
        "gemiddeld_nodig_per_s": round(nodig, 4),
        "reserve": round(per_s / nodig),
    }


def tabel(r: dict[str, Any]) -> str:
    regels = ["", f"  {'pad':<36}{'events':>8}{'bytes':>10}{'grootste payload':>18}"]
    for naam, m in r["paden"].items():
        merk = "" if naam in r["getoetst"] else "  (oudere vorm)"
        merk += "  (afgekapt: +10 getoetst)" if m["afgekapt"] else ""
        regels.append(
            f"  {naam:<36}{m['events']:>8}{m['bytes']:>10}{m['grootste_payload_bytes']:>18}{merk}"
        )
    langste = r["langste"]
    oordeel = "onder" if langste["events_getoetst"] < GRENS_EVENTS else "NIET onder"
    regels.append(
        f"  langste (nieuwste vorm per pad): {langste['pad']},"
        f" {langste['events_getoetst']} events ({oordeel} {GRENS_EVENTS})"
    )
    if (p := r.get("projectie")) is not None:
        regels.append(
            f"  jaar: {p['meldingen_per_jaar']} meldingen bij {p['gemeten_per_s']}/s ="
            f" {p['intake_uren']} uur intake; een jaar vraagt gemiddeld"
            f" {p['gemiddeld_nodig_per_s']}/s (reserve ×{p['reserve']})"
        )
    return "\n".join(regels)


def main(argv: list[str] | None = None) -> int:
    a = argparse.ArgumentParser(prog="python -m bench.voetafdruk", description=__doc__)
    a.add_argument("--map", type=Path, default=MAP, help="folder with history JSON files")
    a.add_argument("--opnemen", action="store_true", help="record every path with today's code")
    a.add_argument("--per-s", type=float, default=None, help="measured intake meldingen/s")
    a.add_argument("--json", action="store_true", help="JSON on stdout (table on stderr)")
    args = a.parse_args(argv)
    per_pad = neem_op() if args.opnemen else paden(args.map)
    if not per_pad:
        a.error(f"geen histories in {args.map}")
    getoetst = list(per_pad) if args.opnemen else nieuwste(list(per_pad))
    naam = max(getoetst, key=lambda k: per_pad[k]["events_getoetst"])
    r: dict[str, Any] = {
        "paden": per_pad,
        "getoetst": getoetst,
        "langste": {"pad": naam, **per_pad[naam]},
    }
    if args.per_s:
        r["projectie"] = projectie(args.per_s)
    toon(tabel(r), r, args.json)
    return 0 if per_pad[naam]["events_getoetst"] < GRENS_EVENTS else 1


if __name__ == "__main__":
    sys.exit(main())
