"""The pure parts of bench.doorvoer: its arguments, the routes' order, the percentiles and
ratios of the report, and the shape of its JSON with the three routes (ours, the mirror, the
minimal workflow). Nothing here is timed: the outcomes are made up, the arithmetic is checked."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from bench.doorvoer import ROUTES, argumenten, volgorde
from bench.meldingen import maak_plannen, run_label
from bench.meting import Meting, Uitkomst
from bench.rapport import percentiel, samenvatting, verdeling
from bench.vergelijking import gehaald, verhouding
from domain.kenmerken import melding_id_fout

CPU = {"python": 0.5, "temporal": 0.4, "postgres": 0.1}


def _uitkomsten(
    label: str, n: int, intake_s: float, update_s: float, einde: str = "advies"
) -> list[Uitkomst]:
    begin = datetime(2026, 12, 7, 12, tzinfo=UTC)
    uit = []
    for i, plan in enumerate(maak_plannen(n, 0.0, random.Random(1), label, 2)):
        u = Uitkomst(plan, gestart_op=begin + timedelta(seconds=i))
        u.start_s, u.intake_poll_s, u.intake_s = 0.01, intake_s, intake_s
        u.eerdere, u.triage_s, u.besluit_s, u.resultaat_s = 0, update_s, update_s, 0.1
        u.einde = einde
        uit.append(u)
    return uit


def _meting(intake_wand: float, beoordeling_wand: float) -> Meting:
    return Meting(intake_wand, CPU, beoordeling_wand, CPU)


def _rapport(minimaal_einde: str = "advies") -> dict[str, object]:
    n = 10
    return samenvatting(
        {"cpu_count": 2},
        {"meldingen": n},
        _uitkomsten("100001o0", n, 0.4, 0.2),
        _meting(1.0, 1.0),  # 10 meldingen/s, 20 updates/s
        {"meldingen": n, "afgesloten": n, "audit": 2 * n, "outbox": 2 * n, "koppelingen": 0},
        {},
        0.0,
        (_uitkomsten("100001k0", n, 0.3, 0.15), _meting(0.8, 0.5)),  # 12.5/s, 40/s
        (_uitkomsten("100001m0", n, 0.2, 0.1, minimaal_einde), _meting(0.5, 0.25)),  # 20/s, 80/s
    )


def test_doorvoer_defaults_to_the_issues_load() -> None:
    """Without options: 200 meldingen per route, 20 starters, two rounds, a table (no JSON)."""
    a = argumenten([])
    assert (a.meldingen, a.gelijktijdig, a.rondes, a.json) == (200, 20, 2, False)
    b = argumenten(["--meldingen", "30", "--gelijktijdig", "5", "--json"])
    assert (b.meldingen, b.gelijktijdig, b.json) == (30, 5, True)


@pytest.mark.parametrize(
    "argv", [["--meldingen", "0"], ["--gelijktijdig", "0"], ["--aandeel", "1"]]
)
def test_doorvoer_refuses_a_load_that_makes_no_sense(argv: list[str]) -> None:
    """No melding, no starter, or every melding about an open case: a usage error (exit 2)."""
    with pytest.raises(SystemExit) as fout:
        argumenten(argv)
    assert fout.value.code == 2


def test_rounds_alternate_the_order_of_all_three_routes() -> None:
    """Ours, the mirror and the minimal workflow each run in every round, the order reversed
    in odd rounds, so a drifting load does not favour one of them."""
    assert ROUTES == ("ons", "kaal", "minimaal")
    assert volgorde(0) == ["ons", "kaal", "minimaal"]
    assert volgorde(1) == ["minimaal", "kaal", "ons"]
    assert volgorde(2) == volgorde(0)


def test_percentiles_interpolate_between_the_ranks() -> None:
    """p50 of 1..4 is 2.5; p99 of 0..100 is 99; p95 of 1..20 lies between 19 and 20; none of
    nothing."""
    assert percentiel([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentiel([float(x) for x in range(101)], 99) == pytest.approx(99.0)
    assert percentiel([float(x) for x in range(1, 21)], 95) == pytest.approx(19.05)
    assert percentiel([], 50) is None


def test_a_distribution_gives_p50_p95_p99_and_max_in_milliseconds() -> None:
    """Seconds in, milliseconds out (one decimal); missing values are left out of the count."""
    d = verdeling([0.001 * x for x in range(1, 101)] + [None])
    assert d == {"aantal": 100, "p50_ms": 50.5, "p95_ms": 95.0, "p99_ms": 99.0, "max_ms": 100.0}
    assert verdeling([]) == {
        "aantal": 0,
        "p50_ms": None,
        "p95_ms": None,
        "p99_ms": None,
        "max_ms": None,
    }


def test_a_ratio_needs_both_figures_and_a_nonzero_divisor() -> None:
    assert verhouding(8.0, 10.0) == 0.8
    assert verhouding(1.0, 3.0) == 0.33
    assert verhouding(None, 3.0) is None
    assert verhouding(1.0, 0.0) is None


def test_throughput_targets_are_floors_and_the_latency_target_a_ceiling() -> None:
    """Issue 26: intake and updates at least 0.8 × the minimal workflow's, update p50 at most
    1.5 ×; a figure without a target is not judged."""
    assert gehaald("intake_meldingen_per_s", 0.8) is True
    assert gehaald("updates_per_s", 0.79) is False
    assert gehaald("update_p50_ms", 1.5) is True
    assert gehaald("update_p50_ms", 1.51) is False
    assert gehaald("update_p95_ms", 9.0) is None
    assert gehaald("updates_per_s", None) is None


def test_the_report_compares_ours_with_the_mirror_and_the_minimal_workflow() -> None:
    """Each figure carries the three values, ours/mirror, ours/minimal and mirror/minimal, and
    the target is judged against the minimal workflow."""
    v = _rapport()["vergelijking"]
    assert isinstance(v, dict)
    intake = v["intake_meldingen_per_s"]
    assert (intake["ons"], intake["kaal"], intake["minimaal"]) == (10.0, 12.5, 20.0)
    assert (intake["ons_kaal"], intake["ons_minimaal"], intake["kaal_minimaal"]) == (
        0.8,
        0.5,
        0.62,
    )
    assert (intake["doel"], intake["gehaald"]) == (0.8, False)
    updates = v["updates_per_s"]
    assert (updates["ons"], updates["kaal"], updates["minimaal"]) == (20.0, 40.0, 80.0)
    p50 = v["update_p50_ms"]
    assert (p50["ons"], p50["minimaal"], p50["ons_minimaal"], p50["gehaald"]) == (
        200.0,
        100.0,
        2.0,
        False,
    )
    assert v["update_p99_ms"]["ons_minimaal"] == 2.0
    assert v["update_p99_ms"]["doel"] is None


def test_the_json_carries_all_three_routes() -> None:
    """--json: ours at the top level as before, the mirror under `kaal`, the minimal workflow
    under `minimaal`, each with intake and beoordeling and their p50/p95/p99; it survives JSON."""
    r = json.loads(json.dumps(_rapport()))
    for deel in (r, r["kaal"], r["minimaal"]):
        assert set(deel["intake"]["latentie"]) == {"aantal", "p50_ms", "p95_ms", "p99_ms", "max_ms"}
        assert set(deel["beoordeling"]["updates_latentie"]) >= {"p50_ms", "p95_ms", "p99_ms"}
    assert r["minimaal"]["beoordeling"]["updates_per_s"] == 80.0
    assert r["geslaagd"] is True


def test_a_minimal_workflow_that_ends_otherwise_fails_the_run() -> None:
    """A baseline that did not finish as the driver expects is a fault, not a figure."""
    r = _rapport(minimaal_einde="iets anders")
    assert r["geslaagd"] is False
    assert any(str(f).startswith("minimaal: einde") for f in r["fouten"])  # type: ignore[attr-defined]


def test_a_runs_melding_ids_pass_the_contracts_rule_whatever_route_letter_follows() -> None:
    """The run label is digits: a hex label such as `abcdef` followed by a route's letter was
    refused by the melding_id rule (more than 4 letters in a part)."""
    for _ in range(200):
        for letter in "okm":
            for plan in maak_plannen(2, 0.0, random.Random(1), f"{run_label()}{letter}1", 1):
                assert melding_id_fout(plan.melding_id) is None
    assert melding_id_fout("VT-BNCH-abcdefo1-00000") is not None
    assert melding_id_fout(f"VT-BNCH-w{run_label(4)}-00000") is None
