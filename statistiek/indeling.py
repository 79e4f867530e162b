"""The delivery's definition files (statistiek/definitie/): the code lists and the record
layout, read and checked (positions contiguous, every code list known, every source known)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from domain.regio import REGIOS

MAP = Path(__file__).resolve().parent / "definitie"
VORMEN = frozenset({"vast", "tekst", "getal", "datum", "code", "vlaggen"})


class DefinitieFout(ValueError):
    """The definition files disagree with themselves or with the sources."""


@dataclass(frozen=True)
class Codelijst:
    naam: str
    codes: dict[str, tuple[str, str]]  # our code -> (CBS code, label)

    def code(self, waarde: str) -> str:
        return self.codes[waarde][0]

    def label(self, waarde: str) -> str:
        return self.codes[waarde][1]

    def waarde(self, code: str) -> str:
        """Our code for a CBS code (parsing a file back)."""
        for eigen, (cbs, _) in self.codes.items():
            if cbs == code:
                return eigen
        raise KeyError(f"{self.naam}: onbekende code {code!r}")


@dataclass(frozen=True)
class Veld:
    naam: str
    positie: int
    lengte: int
    vorm: str
    bron: str | None = None
    codelijst: str | None = None
    waarde: str | None = None

    @property
    def einde(self) -> int:
        return self.positie + self.lengte - 1


@dataclass(frozen=True)
class Recordsoort:
    soort: str
    naam: str
    velden: tuple[Veld, ...]

    @property
    def lengte(self) -> int:
        return self.velden[-1].einde


@dataclass(frozen=True)
class Definitie:
    versie: str
    codelijsten_versie: str
    regeleinde: str
    records: dict[str, Recordsoort]
    lijsten: dict[str, Codelijst]


def _lijsten(ruw: dict[str, Any]) -> dict[str, Codelijst]:
    lijsten = {
        naam: Codelijst(naam, {k: (str(v[0]), str(v[1])) for k, v in codes.items()})
        for naam, codes in ruw["lijsten"].items()
    }
    lijsten["regio"] = Codelijst("regio", {r: (f"{i:02d}", r) for i, r in enumerate(REGIOS, 1)})
    return lijsten


def _controleer(soort: Recordsoort, lijsten: dict[str, Codelijst]) -> None:
    volgende = 1
    for v in soort.velden:
        if v.positie != volgende:
            raise DefinitieFout(f"{soort.naam}.{v.naam}: positie {v.positie}, verwacht {volgende}")
        if v.vorm not in VORMEN:
            raise DefinitieFout(f"{soort.naam}.{v.naam}: onbekende vorm {v.vorm}")
        if v.vorm == "vast" and (v.waarde is None or len(v.waarde) != v.lengte):
            raise DefinitieFout(f"{soort.naam}.{v.naam}: vaste waarde past niet")
        if v.vorm != "vast" and v.bron is None:
            raise DefinitieFout(f"{soort.naam}.{v.naam}: geen bron")
        if v.vorm in ("code", "vlaggen"):
            if v.codelijst not in lijsten:
                raise DefinitieFout(f"{soort.naam}.{v.naam}: onbekende codelijst {v.codelijst}")
            lijst = lijsten[v.codelijst]
            breedte = (
                len(lijst.codes)
                if v.vorm == "vlaggen"
                else max(len(c) for c, _ in lijst.codes.values())
            )
            if breedte != v.lengte:
                raise DefinitieFout(f"{soort.naam}.{v.naam}: lengte {v.lengte}, codes {breedte}")
        volgende = v.einde + 1


@cache
def laad(map_: Path = MAP) -> Definitie:
    codes = tomllib.loads((map_ / "codelijsten.toml").read_text(encoding="utf-8"))
    indeling = tomllib.loads((map_ / "recordindeling.toml").read_text(encoding="utf-8"))
    lijsten = _lijsten(codes)
    records = {}
    for r in indeling["record"]:
        soort = Recordsoort(r["soort"], r["naam"], tuple(Veld(**v) for v in r["velden"]))
        _controleer(soort, lijsten)
        records[soort.soort] = soort
    return Definitie(
        versie=indeling["versie"],
        codelijsten_versie=codes["versie"],
        regeleinde=indeling["regeleinde"],
        records=records,
        lijsten=lijsten,
    )
