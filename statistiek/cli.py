"""`python -m starter cbs levering|tabellen` and `python -m starter rapport` (issue 24): read
table `beleidsinformatie` from PostgreSQL (DATABASE_URL or VT_DATABASE_URL) and write the
delivery file, the tables or the report. Messages in Dutch; exit 0 done, 2 invalid input,
4 the controle found logical errors, 6 the database is not reachable."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from statistiek import gegevens, levering, rapport, tabellen
from statistiek.indeling import laad

KLAAR, ONGELDIG, BEVINDINGEN, NIET_BESCHIKBAAR = 0, 2, 4, 6


def voeg_toe(sub: Any) -> None:
    """The commands `cbs` (levering, tabellen) and `rapport` in the CLI's parser."""
    cbs = sub.add_parser("cbs", help="beleidsinformatie voor CBS: levering en tabellen")
    cbs_sub = cbs.add_subparsers(dest="cbs_opdracht", required=True, metavar="OPDRACHT")
    lev = cbs_sub.add_parser(
        "levering",
        help="het halfjaarbestand voor CBS (ASCII, recordindeling statistiek/definitie/)",
    )
    lev.add_argument("--halfjaar", required=True, metavar="JJJJ-N", help="bijv. 2026-2")
    lev.add_argument("--uit", metavar="BESTAND", help="schrijf het leveringsbestand hierheen")
    lev.add_argument(
        "--controle",
        action="store_true",
        help="toon spiegelrapport (vulling per veld) en logische controles; exitcode 4 bij "
        "bevindingen",
    )
    tab = cbs_sub.add_parser("tabellen", help="tabellen zoals CBS ze publiceert (CSV, op 5-tallen)")
    tab.add_argument("--jaar", required=True, metavar="JJJJ")
    tab.add_argument("--uit", required=True, metavar="BESTAND")
    rap = sub.add_parser("rapport", help="managementrapportage per kwartaal (HTML met grafieken)")
    rap.add_argument("--kwartaal", required=True, metavar="JJJJ-N", help="bijv. 2026-4")
    rap.add_argument("--uit", required=True, metavar="BESTAND")


async def _casussen(env: Mapping[str, str] | None, tot: Any) -> list[gegevens.Casus]:
    con = await asyncpg.connect(gegevens.database_url(env), timeout=10)
    try:
        return await gegevens.lees(con, tot)
    finally:
        await con.close()


def main(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    try:
        if args.opdracht == "rapport":
            soort, tekst = "kwartaal", args.kwartaal
        elif args.cbs_opdracht == "levering":
            soort, tekst = "halfjaar", args.halfjaar
        else:
            soort, tekst = "jaar", args.jaar
        periode = gegevens.periode(tekst, soort)
        if args.opdracht == "cbs" and args.cbs_opdracht == "levering":
            if not (args.uit or args.controle):
                raise ValueError("levering: geef --uit BESTAND en/of --controle")
        casussen = asyncio.run(_casussen(env, periode.tot))
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
            rapport.html_rapport(rapport.cijfers(casussen, tekst, nu)), encoding="utf-8"
        )
        print(f"rapport {tekst} geschreven naar {args.uit}")
        return KLAAR
    if args.cbs_opdracht == "tabellen":
        cellen = tabellen.cellen(casussen, tabellen.perioden_van_jaar(tekst))
        Path(args.uit).write_text(tabellen.tabellen_csv(cellen, d), encoding="utf-8")
        print(f"{len(cellen)} cellen ({tekst}) geschreven naar {args.uit}")
        return KLAAR
    regels = levering.records(casussen, periode, d)
    code = KLAAR
    if args.controle:
        controle = levering.controleer(regels, casussen, d)
        print(levering.controle_tekst(controle, d), end="")
        code = BEVINDINGEN if controle.bevindingen else KLAAR
    if args.uit:
        Path(args.uit).write_bytes(levering.schrijf(regels, d))
        print(f"{len(regels)} records ({tekst}) geschreven naar {args.uit}")
    return code
