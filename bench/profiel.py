"""Where a melding's time goes, read from its closed history: events, bytes, workflow tasks,
and per activity the wait in the task queue (scheduled → started) and the run (started →
completed), per route; the same reading for ours and for the bare baseline."""

from __future__ import annotations

import contextlib
import functools
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from bench.rapport import percentiel
from bench.routes import Route

Taken = Callable[[int, Sequence[Callable[[], Awaitable[None]]]], Awaitable[None]]


def _s(e: HistoryEvent) -> float:
    return e.event_time.seconds + e.event_time.nanos / 1e9


def lees(events: Sequence[HistoryEvent]) -> dict[str, Any]:
    """One history: counts and durations (s), activities by name."""
    gepland: dict[int, tuple[str, float]] = {}
    gestart: dict[int, float] = {}
    duur: dict[str, list[float]] = defaultdict(list)
    wft_gepland: dict[int, float] = {}
    wft_gestart: dict[int, float] = {}
    wft = 0
    for e in events:
        t = _s(e)
        if e.HasField("activity_task_scheduled_event_attributes"):
            naam = e.activity_task_scheduled_event_attributes.activity_type.name
            gepland[e.event_id] = (naam, t)
        elif e.HasField("activity_task_started_event_attributes"):
            sid = e.activity_task_started_event_attributes.scheduled_event_id
            gestart[sid] = t
            naam, t0 = gepland[sid]
            duur[f"{naam} wachtrij"].append(t - t0)
        elif e.HasField("activity_task_completed_event_attributes"):
            sid = e.activity_task_completed_event_attributes.scheduled_event_id
            naam, _ = gepland[sid]
            duur[f"{naam} uitvoering"].append(t - gestart[sid])
        elif e.HasField("workflow_task_scheduled_event_attributes"):
            wft_gepland[e.event_id] = t
        elif e.HasField("workflow_task_started_event_attributes"):
            sid = e.workflow_task_started_event_attributes.scheduled_event_id
            wft_gestart[e.event_id] = t
            duur["workflowtaak wachtrij"].append(t - wft_gepland[sid])
        elif e.HasField("workflow_task_completed_event_attributes"):
            wft += 1
            sid = e.workflow_task_completed_event_attributes.started_event_id
            duur["workflowtaak uitvoering"].append(t - wft_gestart[sid])
    return {
        "events": len(events),
        "bytes": sum(e.ByteSize() for e in events),
        "workflowtaken": wft,
        "activiteiten": len(gepland),
        "duur": duur,
    }


async def profiel(
    client: Client, route: Route, melding_ids: list[str], taken: Taken
) -> dict[str, Any]:
    """Per route: mean counts per melding, and p50/p95 (ms) and total ms per melding of each
    step in the histories of these (closed) meldingen."""
    gelezen: list[dict[str, Any]] = []

    async def een(melding_id: str) -> None:
        with contextlib.suppress(Exception):
            handle = client.get_workflow_handle(route.workflow_id(melding_id))
            gelezen.append(lees((await handle.fetch_history()).events))

    await taken(10, [functools.partial(een, m) for m in melding_ids])
    if not gelezen:
        return {}
    n = len(gelezen)
    alle: dict[str, list[float]] = defaultdict(list)
    for g in gelezen:
        for k, v in g["duur"].items():
            alle[k] += v
    stappen = {
        k: {
            "per_melding": round(len(v) / n, 2),
            "p50_ms": round((percentiel(v, 50) or 0) * 1000, 1),
            "p95_ms": round((percentiel(v, 95) or 0) * 1000, 1),
            "totaal_ms_per_melding": round(sum(v) * 1000 / n, 1),
        }
        for k, v in sorted(alle.items())
    }
    gemiddeld = {
        k: round(sum(g[k] for g in gelezen) / n, 1)
        for k in ("events", "bytes", "workflowtaken", "activiteiten")
    }
    return {"meldingen": n, **gemiddeld, "stappen": stappen}


def _tellingen(x: dict[str, Any]) -> str:
    return f"{x['events']:.0f} / {x['bytes']:.0f} / {x['workflowtaken']:.0f}"


def tabel(profielen: dict[str, dict[str, Any]]) -> list[str]:
    """Side by side, ours and the baselines: mean per melding, then each step's p50 and the
    milliseconds it adds per melding (summed over its occurrences)."""
    namen = [n for n in ("ons", "kaal", "minimaal") if profielen.get(n)]
    if "ons" not in namen or len(namen) < 2:
        return []
    p = [profielen[n] for n in namen]
    regels = [
        "",
        "  profiel uit de histories (per melding)"
        + "".join(f"{n:>21}" for n in namen)
        + "\n    events / bytes / workflowtaken    "
        + "".join(f"{_tellingen(x):>21}" for x in p),
        f"  {'stap':<38}" + "".join(f"{'p50':>9}{'ms/melding':>12}" for _ in p),
    ]
    for stap in sorted(set().union(*(x["stappen"] for x in p))):
        cellen = [x["stappen"].get(stap, {}) for x in p]
        regels.append(
            f"  {stap:<38}"
            + "".join(
                f"{c.get('p50_ms', 0):>9.1f}{c.get('totaal_ms_per_melding', 0):>12.1f}"
                for c in cellen
            )
        )
    return regels
