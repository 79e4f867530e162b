"""Ours against the two baselines of the same run: the mirror of our shape (`kaal`) and the
minimal workflow of this process (`minimaal`, issue 26's yardstick), per figure, with both
ratios and whether issue 26's target is met against the minimal workflow. Plain functions of
the phases' summaries (bench.rapport.fasen), rendered for the table by `regels`.
"""

from __future__ import annotations

from typing import Any

# Issue 26's targets, against the minimal workflow in the same run.
DOEL_DOORVOER = 0.8  # intake and decision throughput, at least this share of the minimal's
DOEL_P50 = 1.5  # update p50 at most this multiple of the minimal's

ROUTES = ("ons", "kaal", "minimaal")


def verhouding(a: float | None, b: float | None) -> float | None:
    """a / b to two decimals; None when either is missing or b is zero."""
    return round(a / b, 2) if a is not None and b else None


def cpu_ms(fase: dict[str, Any], aantal: int) -> float | None:
    """CPU milliseconds of every process per melding of this phase."""
    kernen: dict[str, float | None] = fase.get("cpu_kernen") or {}
    wand: float = fase["wand_s"]
    if not aantal or not kernen:
        return None
    return round(sum(v for v in kernen.values() if v is not None) * wand * 1000 / aantal, 1)


def _figuren(f: dict[str, Any]) -> dict[str, float | None]:
    """The compared figures of one route's phases."""
    i, b = f["intake"], f["beoordeling"]
    u = b["updates_latentie"]
    return {
        "intake_meldingen_per_s": i["meldingen_per_s"],
        "updates_per_s": b["updates_per_s"],
        "update_p50_ms": u["p50_ms"],
        "update_p95_ms": u["p95_ms"],
        "update_p99_ms": u["p99_ms"],
        "intake_p50_ms": i["latentie"]["p50_ms"],
        "intake_p95_ms": i["latentie"]["p95_ms"],
        "intake_p99_ms": i["latentie"]["p99_ms"],
        # CPU (worker and starters, Temporal, PostgreSQL) per melding: less bent by a machine
        # shared with other work than the rates are (a busy machine slows every route's clock).
        "intake_cpu_ms_per_melding": cpu_ms(i, i["klaar"]),
        "beoordeling_cpu_ms_per_melding": cpu_ms(b, b["klaar"]),
    }


DOELEN: dict[str, float] = {
    "intake_meldingen_per_s": DOEL_DOORVOER,
    "updates_per_s": DOEL_DOORVOER,
    "update_p50_ms": DOEL_P50,
}


def gehaald(naam: str, v: float | None) -> bool | None:
    """Whether ours / minimal meets the figure's target (None: no target, or no ratio)."""
    doel = DOELEN.get(naam)
    if doel is None or v is None:
        return None
    return v >= doel if naam.endswith("per_s") else v <= doel


def vergelijking(
    ons: dict[str, Any], kaal: dict[str, Any], minimaal: dict[str, Any]
) -> dict[str, Any]:
    """Per figure: the three values, ours / mirror, ours / minimal, mirror / minimal, the
    target (against the minimal workflow) and whether it is met."""
    o, k, m = _figuren(ons), _figuren(kaal), _figuren(minimaal)
    uit: dict[str, Any] = {}
    for naam in o:
        v = verhouding(o[naam], m[naam])
        uit[naam] = {
            "ons": o[naam],
            "kaal": k[naam],
            "minimaal": m[naam],
            "ons_kaal": verhouding(o[naam], k[naam]),
            "ons_minimaal": v,
            "kaal_minimaal": verhouding(k[naam], m[naam]),
            "doel": DOELEN.get(naam),
            "gehaald": gehaald(naam, v),
        }
    return uit


def getal(w: float | None) -> str:
    return "-" if w is None else f"{w:.2f}" if w < 10 else f"{w:.1f}"


def regels(v: dict[str, Any]) -> list[str]:
    """The comparison as table lines: ours / mirror / minimal, both ratios, the target."""
    uit = [
        "",
        f"  {'ons / kaal / minimaal':<32}{'ons':>8}{'kaal':>8}{'minimaal':>10}"
        f"{'ons/kaal':>10}{'ons/min':>9}{'kaal/min':>10}{'doel':>8}",
    ]
    for naam, r in v.items():
        doel = r["doel"]
        teken = "≥" if naam.endswith("per_s") else "≤"
        doeltekst = "" if doel is None else f"{teken} {doel:.2f}"
        oordeel = {True: " gehaald", False: " NIET gehaald", None: ""}[r["gehaald"]]
        uit.append(
            f"  {naam:<32}{getal(r['ons']):>8}{getal(r['kaal']):>8}{getal(r['minimaal']):>10}"
            f"{getal(r['ons_kaal']):>10}{getal(r['ons_minimaal']):>9}"
            f"{getal(r['kaal_minimaal']):>10}{doeltekst:>8}{oordeel}"
        )
    return uit
