"""One owner per table (docs/architecture.md, "One owner per table"): only the module that owns a
table names it in SQL; every other module calls the owner. A statement that spans tables belongs
to the owner of the table it is about and may read the others: those reads are listed below,
each with its reason, and a listed read that is gone fails too (the list never outlives the code).

The owners are read from the docs' table, so the docs and the code cannot drift apart; the tables
from the migrations, so a new table without an owner fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts import omvang

WORTEL = Path(__file__).resolve().parents[2]
ARCHITECTUUR = (WORTEL / "docs" / "architecture.md").read_text(encoding="utf-8")

# SQL keywords as this code writes them (upper case, so English prose does not count), and
# asyncpg's COPY calls, which name their table as a string.
_SQL = re.compile(
    r"\b(DELETE\s+FROM|FROM|INTO|UPDATE|JOIN|TABLE|TRUNCATE)\s+(?:ONLY\s+)?"
    r"(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(\w+)"
    r"|\bcopy_\w*table\(\s*\"(\w+)\""
)

# (module, table): a statement of the module's own table that reads another's, and why it is
# about the module's table. Reads only: no module writes a table it does not own.
LEEST_MEE: dict[tuple[str, str], str] = {
    ("activities/vernietiging.py", "audit"): "the verslag (INSERT … SELECT) records who decoded"
    " the dossier, from its audit rows, in the destruction's transaction",
    ("statistiek/opslag.py", "audit"): "monitoring_aantal counts the monitoring's"
    " audit rows in the UPDATE itself, so a retried write counts nothing twice",
    ("statistiek/opslag.py", "meldingen"): "a melding's eerdere betrokkenheid is"
    " classified against the earlier meldingen of its household, and the meldingen without a"
    " row are filled in afterwards",
    ("statistiek/opslag.py", "betrokkenen"): "the household's earlier meldingen are"
    " found by the register's hashes",
    ("activities/meldingen.py", "vernietigingen"): "a destroyed dossier's melding_id is never"
    " registered again, checked in the registration's own statement",
    ("activities/meldingen.py", "koppelingen"): "a closing case's bewaartermijn is computed from,"
    " and passed on to, the dossiers linked to it",
    ("activities/betrokkenen.py", "meldingen"): "a match on the hashes is answered with its"
    " melding's region, dates and state; the key rotation reads the meldingen lacking hashes",
    ("activities/register.py", "meldingen"): "the radar links a new melding to the household's"
    " most recent open case",
    ("activities/register.py", "betrokkenen"): "the radar finds the household by the register's"
    " hashes",
    ("adapters/demobron.py", "betrokkenen"): "the demo source answers by the register's hashes"
    " of the melding's betrokkenen",
}

# Modules that build and measure a throwaway database of their own, not ours: bench/register.py
# loads a synthetic register of a million meldingen with COPY and times the lookup of bd27228
# (before the index joins) next to the owner's current one.
EIGEN_DATABASE = {"bench/register.py"}


def _eigenaren() -> dict[str, str]:
    sectie = ARCHITECTUUR.split("## One owner per table", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `(\w+)` \| `([\w/.]+\.py)`", sectie, re.M))


def _tabellen_uit_migraties() -> set[str]:
    tabellen = set()
    for pad in (WORTEL / "migrations").glob("*.sql"):
        tabellen |= set(re.findall(r"CREATE TABLE (\w+)", pad.read_text(encoding="utf-8")))
    return tabellen | {"schema_migraties"}  # made by the migration runner itself


def _genoemd() -> dict[str, dict[str, set[str]]]:
    """Per table: the product modules that name it in SQL, with the keywords they use."""
    tabellen = _tabellen_uit_migraties()
    gevonden: dict[str, dict[str, set[str]]] = {}
    for pad in omvang.bestanden(omvang.PRODUCT):
        module = str(pad.relative_to(WORTEL))
        if module in EIGEN_DATABASE:
            continue
        for m in _SQL.finditer(pad.read_text(encoding="utf-8")):
            woord, tabel = ("COPY", m[3]) if m[3] else (m[1].split()[0], m[2])
            if tabel in tabellen:
                gevonden.setdefault(tabel, {}).setdefault(module, set()).add(woord)
    return gevonden


def test_every_table_of_the_migrations_has_one_owner_in_the_docs_and_no_other() -> None:
    eigenaren = _eigenaren()
    assert set(eigenaren) == _tabellen_uit_migraties()
    for module in set(eigenaren.values()):
        assert (WORTEL / module).is_file(), module


@pytest.mark.parametrize("tabel", sorted(_tabellen_uit_migraties()))
def test_only_the_owner_names_its_table_in_sql(tabel: str) -> None:
    eigenaar = _eigenaren()[tabel]
    anderen = {m: w for m, w in _genoemd().get(tabel, {}).items() if m != eigenaar}
    schrijvers = {m for m, w in anderen.items() if w - {"FROM", "JOIN"}}
    lezers = set(anderen) - {m for (m, t) in LEEST_MEE if t == tabel}
    assert (schrijvers | lezers) == set(), f"{tabel} is owned by {eigenaar}: call it instead"


def test_every_listed_read_of_another_table_is_still_there() -> None:
    genoemd = _genoemd()
    weg = {(m, t) for (m, t) in LEEST_MEE if m not in genoemd.get(t, {})}
    assert weg == set()
    assert all((WORTEL / m).is_file() for m in EIGEN_DATABASE)


def test_a_statement_in_a_module_that_is_not_the_owner_is_found(tmp_path: Path) -> None:
    """The scan sees through the ways this code writes SQL: a plain literal, a literal split
    over lines, an f-string and asyncpg's COPY."""
    bronnen = [
        '"DELETE FROM audit WHERE melding_id = $1"',
        '"""DELETE\n    FROM outbox"""',
        '"SELECT count(*) FROM bron_antwoorden b"\n    " JOIN outbox o USING (melding_id)"',
        'f"UPDATE signaleringen SET {kolom} = now()"',
        'await con.copy_records_to_table("meldingen", records=rijen)',
    ]
    gevonden = [
        {(m[1].split()[0] if m[1] else "COPY", m[2] or m[3]) for m in _SQL.finditer(b)}
        for b in bronnen
    ]
    assert gevonden == [
        {("DELETE", "audit")},
        {("DELETE", "outbox")},
        {("FROM", "bron_antwoorden"), ("JOIN", "outbox")},
        {("UPDATE", "signaleringen")},
        {("COPY", "meldingen")},
    ]
