"""The measured phases: intake and beoordeling, with their latencies and the CPU they cost.

Intake submits every melding and polls its status until `wacht_op_triage` (closed loop, C
starters at a time; a melding about a household with an open case waits until that case is
registered); afterwards the exact moment the workflow reached that fase is read from its
history. Beoordeling sends `registreer_triage` and `neem_besluit` and waits for the workflow
result. Each phase records per melding what it saw in an `Uitkomst`, shows its progress on
stderr and samples the CPU of this process, the Temporal dev server and PostgreSQL around it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bench.meldingen import Plan, maak_plannen, run_label
from bench.omgeving import Stack, melding_voor
from bench.routes import Route
from bench.voortgang import Cpu, Voortgang
from contract.names import SA_FASE
from domain.waarden import Fase

POLL_MIN = 0.05  # seconds between status polls: first wait, growing ×1.5 …
POLL_MAX = 0.25  # … up to this


@dataclass
class Uitkomst:
    plan: Plan
    gestart_op: datetime | None = None  # wall clock just before the start call
    start_s: float | None = None  # the start call itself
    intake_poll_s: float | None = None  # start call → a poll saw wacht_op_triage
    intake_s: float | None = None  # start call → the workflow upserted wacht_op_triage
    eerdere: int | None = None
    queries: int = 0
    triage_s: float | None = None
    besluit_s: float | None = None
    resultaat_s: float | None = None  # besluit returned → workflow result
    einde: str | None = None
    fout: str | None = None


@dataclass(frozen=True)
class Meting:
    """Wall time (s) and average cores busy per process of both phases."""

    intake_wand: float
    intake_cpu: dict[str, float]
    beoordeling_wand: float
    beoordeling_cpu: dict[str, float]

    @staticmethod
    def samen(metingen: Sequence[Meting]) -> Meting:
        """Several rounds as one: wall times added, cores busy weighted by wall time."""

        def gewogen(paren: list[tuple[float, dict[str, float]]]) -> dict[str, float]:
            totaal = sum(w for w, _ in paren)
            return {
                k: round(sum(w * c[k] for w, c in paren) / totaal, 2) if totaal else 0.0
                for k in paren[0][1]
            }

        return Meting(
            sum(m.intake_wand for m in metingen),
            gewogen([(m.intake_wand, m.intake_cpu) for m in metingen]),
            sum(m.beoordeling_wand for m in metingen),
            gewogen([(m.beoordeling_wand, m.beoordeling_cpu) for m in metingen]),
        )


async def met_c(c: int, taken: Sequence[Callable[[], Awaitable[None]]]) -> None:
    """Run the tasks with C workers taking them in order (closed loop)."""
    volgende = iter(taken)

    async def lus() -> None:
        for taak in volgende:
            await taak()

    await asyncio.gather(*(lus() for _ in range(c)))


def _fout(fase: str, fout: BaseException) -> str:
    return f"{fase}: {type(fout).__name__}: {fout}"[:300]


async def neem_op(route: Route, u: Uitkomst, timeout: float) -> None:
    """Submit the melding and poll its status until wacht_op_triage."""
    nu = datetime.now(UTC)
    u.gestart_op = nu
    t0 = time.perf_counter()
    await route.indienen(u.plan, nu)
    u.start_s = time.perf_counter() - t0
    wacht = POLL_MIN
    while True:
        await asyncio.sleep(wacht)
        wacht = min(wacht * 1.5, POLL_MAX)
        u.queries += 1
        try:
            fase, eerdere = await route.fase(u.plan.melding_id)
        except Exception as fout:  # a query before the first workflow task: try again
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"status niet leesbaar: {fout}") from fout
            continue
        if fase == Fase.WACHT_OP_TRIAGE.value:
            u.intake_poll_s = time.perf_counter() - t0
            u.eerdere = eerdere
            return
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"na {timeout:.0f} s nog in fase {fase}")


async def intake(route: Route, uitkomsten: list[Uitkomst], c: int, timeout: float) -> float:
    voortgang = Voortgang(f"intake {route.naam}", len(uitkomsten))
    klaar = [asyncio.Event() for _ in uitkomsten]

    def taak(u: Uitkomst) -> Callable[[], Awaitable[None]]:
        async def doe() -> None:
            try:
                if u.plan.basis is not None:  # the household's open case must be registered
                    await asyncio.wait_for(klaar[u.plan.basis].wait(), timeout)
                await neem_op(route, u, timeout)
            except Exception as fout:
                u.fout = _fout("intake", fout)
            finally:
                klaar[u.plan.nummer].set()
                voortgang.tel(u.fout is not None)

        return doe

    begin = time.perf_counter()
    await met_c(c, [taak(u) for u in uitkomsten])
    wand = time.perf_counter() - begin
    voortgang.klaar()
    return wand


async def beoordeel(route: Route, uitkomsten: list[Uitkomst], c: int, timeout: float) -> float:
    te_doen = [u for u in uitkomsten if u.fout is None]
    voortgang = Voortgang(f"beoordeling {route.naam}", len(te_doen))

    def taak(u: Uitkomst) -> Callable[[], Awaitable[None]]:
        async def doe() -> None:
            try:
                mid = u.plan.melding_id
                t0 = time.perf_counter()
                await route.triage(mid)
                t1 = time.perf_counter()
                await route.besluit(mid)
                t2 = time.perf_counter()
                einde = await asyncio.wait_for(route.resultaat(mid), timeout)
                t3 = time.perf_counter()
                u.triage_s, u.besluit_s, u.resultaat_s = t1 - t0, t2 - t1, t3 - t2
                u.einde = einde
            except Exception as fout:
                u.fout = _fout("beoordeling", fout)
            finally:
                voortgang.tel(u.fout is not None)

        return doe

    begin = time.perf_counter()
    await met_c(c, [taak(u) for u in te_doen])
    wand = time.perf_counter() - begin
    voortgang.klaar()
    return wand


async def exacte_intake(s: Stack, route: Route, uitkomsten: list[Uitkomst], c: int) -> None:
    """From each history: the moment the workflow upserted VtFase = wacht_op_triage."""

    async def een(u: Uitkomst) -> None:
        if u.intake_poll_s is None or u.gestart_op is None:
            return
        with contextlib.suppress(Exception):
            handle = s.client.get_workflow_handle(route.workflow_id(u.plan.melding_id))
            async for e in handle.fetch_history_events():
                if not e.HasField("upsert_workflow_search_attributes_event_attributes"):
                    continue
                velden = e.upsert_workflow_search_attributes_event_attributes.search_attributes
                fase = velden.indexed_fields.get(SA_FASE)
                if fase is not None and json.loads(fase.data) == Fase.WACHT_OP_TRIAGE.value:
                    moment = e.event_time.ToDatetime(tzinfo=UTC)
                    u.intake_s = (moment - u.gestart_op).total_seconds()
                    return

    await met_c(c, [functools.partial(een, u) for u in uitkomsten])


async def opwarmen(route: Route, aantal: int, rng: random.Random, timeout: float) -> None:
    """A few meldingen through the whole path first: imports, sandbox, pool, caches."""
    if aantal <= 0:
        return
    plannen = maak_plannen(aantal, 0.0, rng, f"w{run_label(4)}", 1)
    uitkomsten = [Uitkomst(p) for p in plannen]
    melding_voor(f"opwarmen {route.naam}: {aantal} melding(en) door het hele pad (niet meegeteld)")
    for u in uitkomsten:
        await neem_op(route, u, timeout)
        await route.triage(u.plan.melding_id)
        await route.besluit(u.plan.melding_id)
        await asyncio.wait_for(route.resultaat(u.plan.melding_id), timeout)


async def meet(
    s: Stack, route: Route, uitkomsten: list[Uitkomst], c: int, timeout: float
) -> Meting:
    """Intake, the exact intake moments from the histories, then beoordeling."""
    cpu = Cpu(s.pg.get_pid())

    v = cpu.meet()
    intake_wand = await intake(route, uitkomsten, c, timeout)
    intake_cpu = Cpu.kernen(v, cpu.meet(), intake_wand)
    await exacte_intake(s, route, uitkomsten, c)

    v = cpu.meet()
    beoordeling_wand = await beoordeel(route, uitkomsten, c, timeout)
    beoordeling_cpu = Cpu.kernen(v, cpu.meet(), beoordeling_wand)
    return Meting(intake_wand, intake_cpu, beoordeling_wand, beoordeling_cpu)
