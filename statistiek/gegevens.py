"""The rows of table `beleidsinformatie` as the delivery, the tables and the report read them
(`Casus`), and the periods they are asked for. Only codes, moments and counts: the table holds
nothing else (migration 015)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg

from domain.werkdagen import AMSTERDAM
from statistiek import opslag

DIENSTEN = ("voorwaarden_en_vervolg", "onderzoek")
TIEN_WEKEN = timedelta(weeks=10)


@dataclass(frozen=True)
class Casus:
    """One melding's beleidsinformatie (a row of the table)."""

    sleutel: str
    melding_id: str | None  # internal reports only (the overdue list); never in a delivery
    casus: str
    regio: str
    ontvangen_op: datetime
    melder_soort: str
    melder_categorie: str
    aard: tuple[str, ...]
    duur: str | None
    aantal_betrokkenen: int
    aantal_minderjarigen: int
    beoordeling_deadline: datetime
    eerdere: str
    acute_onveiligheid: bool | None
    structurele_onveiligheid: bool | None
    urgentie: str | None
    vervolg: str | None
    beoordeeld_op: datetime | None
    beoordeling_werkdagen: int | None
    overdracht_soort: str | None
    beoordeling_geescaleerd: bool
    dienst_einde: datetime | None
    dienst_uitkomst: str | None
    dienst_vervolg: str | None
    dienst_overdracht_soort: str | None
    dienst_voortijdig: bool
    tweede_geescaleerd: bool
    monitoring_aantal: int
    afgesloten_op: datetime | None
    vernietigd: bool
    melder_rol: str | None  # None: a row from before migration 017
    overdracht_hulp: str | None
    dienst_overdracht_hulp: str | None

    @property
    def is_dienst(self) -> bool:
        return self.vervolg in DIENSTEN

    @property
    def binnen_termijn(self) -> bool | None:
        """Beoordeeld within the 5 werkdagen (None: not yet beoordeeld)."""
        if self.beoordeeld_op is None:
            return None
        return self.beoordeeld_op <= self.beoordeling_deadline

    @property
    def tweede_op_tijd(self) -> bool | None:
        """The tweede terugkoppeling within 10 weeks: the dienst was rounded off before its
        term was escalated (None: still running, not yet late)."""
        if not self.is_dienst:
            return None
        if self.tweede_geescaleerd:
            return False
        return True if self.dienst_einde is not None else None

    def waarde(self, bron: str) -> object:
        return getattr(self, bron)


KOLOMMEN = tuple(f.name for f in fields(Casus))


@dataclass(frozen=True)
class Advies:
    """One finished advies' beleidsinformatie (a row of table adviesinformatie, migration 016)."""

    sleutel: str
    regio: str
    ontvangen_op: datetime
    afgesloten_op: datetime
    uitkomst: str
    adviesvrager_soort: str
    anoniem: bool
    rol: str
    organisatie: str
    aard: tuple[str, ...]
    duur: str | None
    gesprekken: int
    vertrouwensarts: bool

    def waarde(self, bron: str) -> object:
        return getattr(self, bron)

    def telt(self, periode: Periode) -> bool:
        """Counted as an advies of the period: closed in it with an advice. An advies omgezet
        into a melding counts as that melding (docs/contract.md), not as an advies."""
        return self.uitkomst == "afgesloten" and periode.bevat(self.afgesloten_op)


ADVIES_KOLOMMEN = tuple(f.name for f in fields(Advies))


def lokaal(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


@dataclass(frozen=True)
class Periode:
    """A half year, quarter or year: [van, tot) as Amsterdam days."""

    naam: str
    van: date
    tot: date

    def bevat(self, moment: datetime | None) -> bool:
        return moment is not None and self.van <= lokaal(moment) < self.tot


def periode(tekst: str, soort: str) -> Periode:
    """`2026-2` (halfjaar or kwartaal) or `2026` (jaar)."""
    if soort == "jaar":
        if not re.fullmatch(r"\d{4}", tekst):
            raise ValueError(f"jaar: verwacht JJJJ, niet {tekst!r}")
        j = int(tekst)
        return Periode(tekst, date(j, 1, 1), date(j + 1, 1, 1))
    delen = {"halfjaar": 2, "kwartaal": 4}[soort]
    m = re.fullmatch(r"(\d{4})-(\d)", tekst)
    if not m or not 1 <= int(m[2]) <= delen:
        raise ValueError(f"{soort}: verwacht JJJJ-N met N van 1 tot {delen}, niet {tekst!r}")
    j, n = int(m[1]), int(m[2])
    maanden = 12 // delen
    van = date(j, (n - 1) * maanden + 1, 1)
    tot = date(j + 1, 1, 1) if n == delen else date(j, n * maanden + 1, 1)
    return Periode(tekst, van, tot)


def database_url(env: Mapping[str, str] | None = None) -> str:
    """DATABASE_URL, or VT_DATABASE_URL (make run's .data/client.env)."""
    env = os.environ if env is None else env
    url = env.get("DATABASE_URL") or env.get("VT_DATABASE_URL")
    if not url:
        raise LookupError("geen database: zet DATABASE_URL (of VT_DATABASE_URL)")
    return url


async def lees(con: asyncpg.Connection, tot: date | None = None) -> list[Casus]:
    """Every row received before `tot` (all: None), oldest first."""
    return naar_casussen(await opslag.rijen(con, KOLOMMEN, opslag.VOOR_DAG, tot))


async def lees_adviezen(con: asyncpg.Connection, tot: date | None = None) -> list[Advies]:
    """Every advies finished before `tot` (all: None), oldest first."""
    rijen = await opslag.adviesrijen(con, ADVIES_KOLOMMEN, tot)
    return [
        Advies(**{**{k: r[k] for k in ADVIES_KOLOMMEN}, "aard": tuple(r["aard"])}) for r in rijen
    ]


def naar_casussen(rijen: Iterable[Mapping[str, Any]]) -> list[Casus]:
    uit = []
    for r in rijen:
        waarden: dict[str, Any] = {k: r[k] for k in KOLOMMEN}
        waarden["aard"] = tuple(r["aard"])
        uit.append(Casus(**waarden))
    return uit
