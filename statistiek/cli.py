"""`python -m starter cbs levering|tabellen` and `python -m starter rapport` (issue 24; their
arguments are rows of starter/opdrachten.py): read
table `beleidsinformatie` from PostgreSQL (DATABASE_URL or VT_DATABASE_URL) and write the
delivery file, the tables or the report. Messages in Dutch; exit 0 done, 2 invalid input,
6 the database is not reachable. The controle lists its findings and exits 0: it is read by
a person before delivering (its last line counts the findings)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg

from statistiek import gegevens, levering, rapport, tabellen
from statistiek.indeling import laad

KLAAR, ONGELDIG, NIET_BESCHIKBAAR = 0, 2, 6


async def _casussen(
    env: Mapping[str, str] | None, tot: date
) -> tuple[list[gegevens.Casus], list[gegevens.Advies]]:
    con = await asyncpg.connect(gegevens.database_url(env), timeout=10)
    try:
        return await gegevens.lees(con, tot), await gegevens.lees_adviezen(con, tot)
    finally:
        await con.close()


def main(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    try:
        if args.opdracht == "rapport":
            soort, tekst = "kwartaal", args.kwartaal
        elif args.onderdeel == "levering":
            soort, tekst = "halfjaar", args.halfjaar
        else:
            soort, tekst = "jaar", args.jaar
        if tekst is None:
            raise ValueError(f"cbs {args.onderdeel}: --{soort} is verplicht")
        if soort == "jaar" and not args.uit:
            raise ValueError("cbs tabellen: --uit BESTAND is verplicht")
        periode = gegevens.periode(tekst, soort)
        if soort == "halfjaar" and not (args.uit or args.controle):
            raise ValueError("levering: geef --uit BESTAND en/of --controle")
        casussen, adviezen = asyncio.run(_casussen(env, periode.tot))
    except (ValueError, LookupError) as fout:
        print(fout, file=sys.stderr)
        return ONGELDIG
    except (OSError, asyncpg.PostgresError) as fout:
        print(f"database niet bereikbaar: {type(fout).__name__}", file=sys.stderr)
        return NIET_BESCHIKBAAR
    d = laad()
    if args.opdracht == "rapport":
        nu = datetime.now(UTC)
        Path(args.uit).write_text(
            rapport.html_rapport(rapport.cijfers(casussen, tekst, nu, adviezen)), encoding="utf-8"
        )
        print(f"rapport {tekst} geschreven naar {args.uit}")
        return KLAAR
    if args.onderdeel == "tabellen":
        cellen = tabellen.cellen(casussen, tabellen.perioden_van_jaar(tekst), adviezen)
        Path(args.uit).write_text(tabellen.tabellen_csv(cellen, d), encoding="utf-8")
        print(f"{len(cellen)} cellen ({tekst}) geschreven naar {args.uit}")
        return KLAAR
    regels = levering.records(casussen, periode, d, adviezen)
    if args.controle:
        controle = levering.controleer(regels, casussen, d, adviezen)
        print(levering.controle_tekst(controle, d), end="")
    if args.uit:
        Path(args.uit).write_bytes(levering.schrijf(regels, d))
        print(f"{len(regels)} records ({tekst}) geschreven naar {args.uit}")
    return KLAAR
