"""bench/register.py runs end to end on a small synthetic register: it loads, measures every
lookup it names and reports them (no figure is asserted: performance claims live in the bench,
not in tests). The bench had stopped loading when migrations 008 and 009 made `gegevens` and
`ketenpartner` bytea, and nothing ran it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

WORTEL = Path(__file__).resolve().parents[2]
ARGUMENTEN = [
    "--meldingen",
    "400",
    "--metingen",
    "10",
    "--oud",
    "2",
    "--huishouden",
    "20",
    "--json",
]


def test_the_register_bench_loads_measures_and_reports() -> None:
    uit = subprocess.run(
        [sys.executable, "-m", "bench.register", *ARGUMENTEN],
        cwd=WORTEL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert uit.returncode in (0, 1), uit.stderr[-2000:]  # 1: the p95 goal missed
    rapport = json.loads(uit.stdout)
    assert rapport["opzet"]["meldingen"] == 400 and rapport["opzet"]["huishouden_groot"] == 20
    metingen = rapport["metingen"]
    assert {"zoek_eerdere_meldingen", "koppel_aan_open_meldingen"} <= set(metingen)
    assert all(m["aantal"] > 0 and m["p50_ms"] > 0 for m in metingen.values()), metingen
    assert set(rapport["naamtreffers"]) >= {"mogelijke_treffers", "waarvan_ander_huishouden"}
