"""scripts/omvang.py: the size report finds long files and long functions, methods and nested
functions included, and only those over the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import omvang


def test_the_size_report_lists_a_long_file_and_long_functions_by_their_dotted_name(
    tmp_path: Path,
) -> None:
    lang = "\n".join(["def lang():", *(["    x = 1"] * 5)])
    (tmp_path / "pakket").mkdir()
    (tmp_path / "pakket" / "a.py").write_text(
        f"{lang}\n\nclass K:\n    def kort(self):\n        pass\n\n"
        "    def methode(self):\n" + "\n".join(["        y = 2"] * 5) + "\n"
    )
    (tmp_path / "b.py").write_text("def f():\n    pass\n")
    paden = omvang.bestanden(("pakket", "b.py", "weg"), tmp_path)
    assert [p.name for p in paden] == ["a.py", "b.py"]
    functies = [
        f
        for p in paden
        for f in omvang.functies(omvang.ast.parse(p.read_text()), p.name)
        if f.lengte > 4
    ]
    assert [(f.naam, f.regel, f.lengte) for f in functies] == [
        ("lang", 1, 6),
        ("K.methode", 12, 6),
    ]
    assert omvang.rapport("product", paden, 10, 5, tmp_path) == [
        "## product: 2 files",
        "files over 10 lines: 1",
        "     17  pakket/a.py",
        "functions over 5 lines: 2",
        "      6  pakket/a.py:1 lang",
        "      6  pakket/a.py:12 K.methode",
    ]


def test_the_size_report_counts_the_product_and_the_tests_apart() -> None:
    uit = omvang.rapport("tests", omvang.bestanden(omvang.TESTS), 10_000, 10_000)
    assert uit[0].startswith("## tests: ")
    assert uit[1:] == ["files over 10000 lines: 0", "functions over 10000 lines: 0"]


def test_the_report_covers_every_room_with_python_code() -> None:
    """Issue 27.6: the report scanned a folder `werking` that does not exist and skipped
    `runtime/`, `contract/` (and later `statistiek/`, `bezorging/`). The rooms now come from
    pyproject's package list: every top-level folder or module with Python code is in it."""
    wortel = omvang.WORTEL
    ruimtes = {
        p.name
        for p in wortel.iterdir()
        if not p.name.startswith(".")
        and p.name not in {"tests", "build"}
        and not p.name.endswith(".egg-info")
        and ((p.is_dir() and any(p.rglob("*.py"))) or p.suffix == ".py")
    }
    assert ruimtes <= set(omvang.PRODUCT), ruimtes - set(omvang.PRODUCT)
    assert all((wortel / r).exists() for r in omvang.PRODUCT)


def test_make_lint_type_checks_every_room() -> None:
    """A room added to the package list is type-checked by `make lint` too."""
    makefile = (omvang.WORTEL / "Makefile").read_text(encoding="utf-8")
    regel = next(r for r in makefile.splitlines() if "/mypy " in r)
    assert set(omvang.PRODUCT) <= set(regel.split()), set(omvang.PRODUCT) - set(regel.split())


def test_the_strict_size_check_fails_on_a_product_file_over_the_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`make lint` runs it: today every product file is within 300 lines, and a lower limit
    that some file exceeds makes it exit 1 and say how many."""
    assert omvang.main(["--streng"]) == 0
    assert omvang.main(["--streng", "--bestand", "100"]) == 1
    assert "product files over 100 lines:" in capsys.readouterr().err
