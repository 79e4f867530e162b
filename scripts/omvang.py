"""Files over 300 lines and functions over 50 lines, for the product and, apart, the tests.

    .venv/bin/python scripts/omvang.py            # the default limits: 300 and 50
    .venv/bin/python scripts/omvang.py --bestand 200 --functie 40

A function counts from its `def` line (decorators excluded) to its last line, docstring and
comments included; methods and nested functions are listed by their dotted name. The product
is the packages and modules that ship (pyproject's packages and py-modules) and the scripts
around them; the tests are counted apart. Exit code 0: a report; with `--streng` (make lint)
exit code 1 when a product file is over the file limit, the gate that keeps every room small.
"""

from __future__ import annotations

import argparse
import ast
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WORTEL = Path(__file__).resolve().parent.parent


def _ruimtes(wortel: Path = WORTEL) -> tuple[str, ...]:
    """The rooms that ship, read from pyproject (its package patterns and py-modules), and the
    bench and scripts around them: a room added to the package list is counted at once."""
    with (wortel / "pyproject.toml").open("rb") as f:
        setuptools = tomllib.load(f)["tool"]["setuptools"]
    pakketten = [p.rstrip("*") for p in setuptools["packages"]["find"]["include"]]
    modules = [f"{m}.py" for m in setuptools["py-modules"]]
    return (*pakketten, *modules, "bench", "scripts")


PRODUCT = _ruimtes()
TESTS = ("tests",)


@dataclass(frozen=True)
class Functie:
    bestand: str
    naam: str
    regel: int
    lengte: int


def bestanden(delen: tuple[str, ...], wortel: Path = WORTEL) -> list[Path]:
    """The .py files of `delen` (folders or modules) below `wortel`, sorted."""
    gevonden: list[Path] = []
    for deel in delen:
        pad = wortel / deel
        if pad.is_file():
            gevonden.append(pad)
        elif pad.is_dir():
            gevonden += sorted(pad.rglob("*.py"))
    return gevonden


def functies(boom: ast.AST, bestand: str) -> Iterator[Functie]:
    """Every function and method, nested ones included, with its dotted name."""

    def bezoek(knoop: ast.AST, voorvoegsel: str) -> Iterator[Functie]:
        for kind in ast.iter_child_nodes(knoop):
            if isinstance(kind, ast.FunctionDef | ast.AsyncFunctionDef):
                naam = f"{voorvoegsel}{kind.name}"
                lengte = (kind.end_lineno or kind.lineno) - kind.lineno + 1
                yield Functie(bestand, naam, kind.lineno, lengte)
                yield from bezoek(kind, f"{naam}.")
            elif isinstance(kind, ast.ClassDef):
                yield from bezoek(kind, f"{voorvoegsel}{kind.name}.")
            else:
                yield from bezoek(kind, voorvoegsel)

    yield from bezoek(boom, "")


def _regels(pad: Path) -> int:
    return len(pad.read_text(encoding="utf-8").splitlines())


def rapport(
    titel: str, paden: list[Path], max_bestand: int, max_functie: int, wortel: Path = WORTEL
) -> list[str]:
    lange_bestanden: list[tuple[int, str]] = []
    lange_functies: list[Functie] = []
    for pad in paden:
        tekst = pad.read_text(encoding="utf-8")
        naam = pad.relative_to(wortel).as_posix()
        regels = _regels(pad)
        if regels > max_bestand:
            lange_bestanden.append((regels, naam))
        lange_functies += [
            f for f in functies(ast.parse(tekst, naam), naam) if f.lengte > max_functie
        ]
    uit = [
        f"## {titel}: {len(paden)} files",
        f"files over {max_bestand} lines: {len(lange_bestanden)}",
        *(f"  {regels:5d}  {naam}" for regels, naam in sorted(lange_bestanden, reverse=True)),
        f"functions over {max_functie} lines: {len(lange_functies)}",
        *(
            f"  {f.lengte:5d}  {f.bestand}:{f.regel} {f.naam}"
            for f in sorted(lange_functies, key=lambda f: (-f.lengte, f.bestand, f.regel))
        ),
    ]
    return uit


def main(argv: list[str] | None = None) -> int:
    ontleder = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    ontleder.add_argument("--bestand", type=int, default=300, help="max lines of a file")
    ontleder.add_argument("--functie", type=int, default=50, help="max lines of a function")
    ontleder.add_argument(
        "--streng",
        action="store_true",
        help="exit 1 when a product file is over --bestand lines (make lint's gate)",
    )
    args = ontleder.parse_args(argv)
    for titel, delen in (("product", PRODUCT), ("tests", TESTS)):
        print("\n".join(rapport(titel, bestanden(delen), args.bestand, args.functie)))
        print()
    te_lang = [p for p in bestanden(PRODUCT) if _regels(p) > args.bestand]
    if args.streng and te_lang:
        print(f"product files over {args.bestand} lines: {len(te_lang)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
