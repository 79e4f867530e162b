"""The asyncpg pool and the migration runner: numbered .sql files applied once, in order,
recorded in `schema_migraties` with a checksum, under an advisory lock so many workers can start
together.

Every statement on the pool is bounded: the server cancels it after `statement_timeout`
(`VT_DB_STATEMENT_TIMEOUT` seconds, default 10), the client gives up a little later. Migrations
run without that bound (an index on a big table takes longer), but wait at most `slot_wachttijd`
seconds for the migration lock and `lock_timeout` for a table lock.

A migration runs in one transaction, unless its leading comment says `-- vt: geen-transactie`:
then its statements run one by one outside a transaction (`CREATE INDEX CONCURRENTLY`), and it is
recorded only when all of them succeeded, so such a file must be safe to run again
(`IF [NOT] EXISTS`). A recorded migration whose file changed afterwards is refused: write a new
one instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import structlog

log = structlog.get_logger(__name__)

_BESTAND = re.compile(r"^(\d{3,})_[a-z0-9_]+\.sql$")
_GEEN_TRANSACTIE = re.compile(r"^--\s*vt:\s*geen-transactie\s*$")
_DOLLAR = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")
# pg_advisory_lock key: "VT" migrations.
_SLOT = 0x5654_0001

STATEMENT_TIMEOUT_ENV = "VT_DB_STATEMENT_TIMEOUT"
STANDAARD_STATEMENT_TIMEOUT = 10.0
# The client gives the server this much longer, so the server's clear error comes first.
_CLIENT_MARGE = 5.0


class MigratieFout(RuntimeError):
    """The migrations cannot be applied; the message says why and what to do."""


def migratiemap() -> Path:
    """`migrations/` beside the packages (checkout), or in the working directory (image)."""
    for kandidaat in (
        Path(__file__).resolve().parents[1] / "migrations",
        Path.cwd() / "migrations",
    ):
        if kandidaat.is_dir():
            return kandidaat
    raise FileNotFoundError("migrations/: map met SQL-migraties niet gevonden")


@dataclass(frozen=True)
class Migratie:
    versie: int
    naam: str
    sql: str

    @property
    def controlegetal(self) -> str:
        """sha256 of the text (newlines as read by Python: a CRLF checkout changes nothing)."""
        return hashlib.sha256(self.sql.encode()).hexdigest()

    @property
    def in_transactie(self) -> bool:
        """False when the leading comment block holds `-- vt: geen-transactie`."""
        for regel in self.sql.splitlines():
            regel = regel.strip()
            if not regel:
                continue
            if not regel.startswith("--"):
                return True
            if _GEEN_TRANSACTIE.match(regel):
                return False
        return True


def lees_migraties(map_: Path | None = None) -> list[Migratie]:
    migraties = []
    for pad in sorted((map_ or migratiemap()).iterdir()):
        treffer = _BESTAND.match(pad.name)
        if pad.suffix == ".sql" and not treffer:
            raise ValueError(f"{pad.name}: migratie heet NNN_naam.sql")
        if treffer:
            migraties.append(Migratie(int(treffer.group(1)), pad.name, pad.read_text()))
    versies = [m.versie for m in migraties]
    if len(set(versies)) != len(versies):
        raise ValueError("migrations/: twee migraties met hetzelfde nummer")
    return migraties


def statements(sql: str) -> list[str]:
    """The statements of a script, split at semicolons outside quotes, comments and dollar
    quotes; parts holding only comments are dropped."""
    delen: list[str] = []
    begin = i = 0
    while i < len(sql):
        if sql.startswith("--", i):
            einde = sql.find("\n", i)
            i = len(sql) if einde < 0 else einde + 1
        elif sql.startswith("/*", i):
            einde = sql.find("*/", i + 2)
            i = len(sql) if einde < 0 else einde + 2
        elif sql[i] in "'\"":
            teken, i = sql[i], i + 1
            while i < len(sql):
                if sql[i] == teken and sql.startswith(teken * 2, i):
                    i += 2
                elif sql[i] == teken:
                    break
                else:
                    i += 1
            i += 1
        elif (tag := _DOLLAR.match(sql, i)) is not None:
            einde = sql.find(tag.group(), tag.end())
            i = len(sql) if einde < 0 else einde + len(tag.group())
        elif sql[i] == ";":
            delen.append(sql[begin:i])
            begin = i = i + 1
        else:
            i += 1
    delen.append(sql[begin:])
    return [deel.strip() for deel in delen if _code(deel)]


def _code(deel: str) -> bool:
    zonder = re.sub(r"/\*.*?\*/", "", deel, flags=re.DOTALL)
    return any(r.strip() and not r.strip().startswith("--") for r in zonder.splitlines())


async def _neem_slot(con: asyncpg.Connection, wachttijd: float) -> None:
    """The advisory lock, or MigratieFout naming who holds it after `wachttijd` seconds."""
    grens = time.monotonic() + wachttijd
    while not await con.fetchval("SELECT pg_try_advisory_lock($1)", _SLOT):
        if time.monotonic() >= grens:
            raise MigratieFout(
                f"migraties: het migratieslot is na {wachttijd:g} s nog bezet door "
                f"{await _houder(con)}; draait daar een migratie die vastzit, "
                "stop die sessie (pg_terminate_backend) of wacht en start opnieuw"
            )
        await asyncio.sleep(min(0.25, max(grens - time.monotonic(), 0)))


async def _houder(con: asyncpg.Connection) -> str:
    rij = await con.fetchrow(
        "SELECT a.pid, a.application_name, a.client_addr::text AS adres, a.backend_start,"
        " a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        " AND ((l.classid::bigint << 32) | l.objid::bigint) = $1",
        _SLOT,
    )
    if rij is None:
        return "een sessie die al weg is"
    sinds = f"{rij['backend_start']:%Y-%m-%d %H:%M:%S%z}"
    return (
        f"pid {rij['pid']} ({rij['application_name'] or 'zonder naam'}"
        f" van {rij['adres'] or 'lokaal'}, verbonden sinds {sinds}, {rij['state']})"
    )


async def _controleer(con: asyncpg.Connection, migraties: list[Migratie]) -> set[int]:
    """The versions applied; refuses when an applied file was renamed or changed. A version
    recorded before checksums existed gets the checksum of its file now."""
    bestanden = {m.versie: m for m in migraties}
    gedaan: set[int] = set()
    for rij in await con.fetch("SELECT versie, naam, controlegetal FROM schema_migraties"):
        gedaan.add(rij["versie"])
        m = bestanden.get(rij["versie"])
        if m is None:  # a newer worker applied it; this older one does not know the file
            continue
        if m.naam != rij["naam"]:
            raise MigratieFout(
                f"migraties: versie {m.versie} is toegepast als {rij['naam']}, maar het bestand"
                f" heet nu {m.naam}; hernoem een toegepaste migratie niet"
            )
        if rij["controlegetal"] is None:
            await con.execute(
                "UPDATE schema_migraties SET controlegetal = $2 WHERE versie = $1",
                m.versie,
                m.controlegetal,
            )
        elif rij["controlegetal"] != m.controlegetal:
            raise MigratieFout(
                f"migraties: {m.naam} is gewijzigd nadat het is toegepast (controlegetal"
                f" {rij['controlegetal'][:12]}…, bestand nu {m.controlegetal[:12]}…);"
                " zet de wijziging in een nieuwe migratie en herstel dit bestand"
            )
    return gedaan


async def _pas_toe(con: asyncpg.Connection, migratie: Migratie, duur: float) -> None:
    registreer = (
        "INSERT INTO schema_migraties (versie, naam, controlegetal) VALUES ($1, $2, $3)",
        migratie.versie,
        migratie.naam,
        migratie.controlegetal,
    )
    if migratie.in_transactie:
        async with con.transaction():
            await con.execute(migratie.sql, timeout=duur)
            await con.execute(*registreer)
        return
    for statement in statements(migratie.sql):
        await con.execute(statement, timeout=duur)
    await con.execute(*registreer)


async def migreer(
    pool: asyncpg.Pool,
    map_: Path | None = None,
    *,
    slot_wachttijd: float = 60.0,
    lock_timeout: float = 30.0,
    duur: float = 3600.0,
) -> list[str]:
    """Apply the migrations not yet recorded; returns the names applied now.

    Waits at most `slot_wachttijd` s for another worker's migrations, each DDL statement at most
    `lock_timeout` s for its table lock; a statement may run `duur` s."""
    migraties = lees_migraties(map_)
    toegepast_nu: list[str] = []
    async with pool.acquire() as con:
        await _neem_slot(con, slot_wachttijd)
        try:
            # Session settings; the pool resets them (RESET ALL) when the connection returns.
            await con.execute("SET statement_timeout = 0")
            await con.execute(f"SET lock_timeout = {int(lock_timeout * 1000)}")
            await con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migraties ("
                " versie integer PRIMARY KEY, naam text NOT NULL,"
                " toegepast_op timestamptz NOT NULL DEFAULT now())"
            )
            await con.execute(
                "ALTER TABLE schema_migraties ADD COLUMN IF NOT EXISTS controlegetal text"
            )
            gedaan = await _controleer(con, migraties)
            for migratie in migraties:
                if migratie.versie in gedaan:
                    continue
                await _pas_toe(con, migratie, duur)
                toegepast_nu.append(migratie.naam)
                log.info(
                    "migratie toegepast",
                    migratie=migratie.naam,
                    in_transactie=migratie.in_transactie,
                )
        finally:
            await con.execute("SELECT pg_advisory_unlock($1)", _SLOT)
    return toegepast_nu


def lees_statement_timeout(tekst: str) -> float:
    """`VT_DB_STATEMENT_TIMEOUT` in seconds (> 0); empty: the default, 10."""
    tekst = tekst.strip()
    if not tekst:
        return STANDAARD_STATEMENT_TIMEOUT
    try:
        waarde = float(tekst)
    except ValueError:
        waarde = -1.0
    if not 0 < waarde < 86_400:
        raise ValueError(f"{STATEMENT_TIMEOUT_ENV}: een aantal seconden groter dan 0")
    return waarde


async def maak_pool(
    dsn: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    statement_timeout: float | None = None,
) -> asyncpg.Pool:
    """The pool; every statement bounded by `statement_timeout` s (default: from
    `VT_DB_STATEMENT_TIMEOUT`, else 10): the server cancels it (QueryCanceledError), and the
    client stops waiting a few seconds later (TimeoutError) should the server not answer."""
    grens = (
        lees_statement_timeout(os.environ.get(STATEMENT_TIMEOUT_ENV, ""))
        if statement_timeout is None
        else statement_timeout
    )
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        command_timeout=grens + _CLIENT_MARGE,
        server_settings={
            "statement_timeout": str(int(grens * 1000)),
            "application_name": f"veilig-thuis {socket.gethostname()}:{os.getpid()}"[:63],
        },
    )
    assert pool is not None
    return pool
