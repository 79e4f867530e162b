"""The documentation is self-contained: every relative link in README.md and docs/*.md reaches a
file of this repository (and a heading there, when it names one), and nothing points outside the
repository to the requirements material it was built from, which a clone does not have."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTEN = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])

# Local state, caches and build output: not part of the repository a reader clones.
OVERGESLAGEN_MAPPEN = {
    ".git",
    ".venv",
    ".data",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "build",
    "dist",
    "node_modules",
}
# Spelled in two parts, so this file does not contain what it looks for.
BUITEN_DE_REPOSITORY = "../" + "shared"
# The requirements documents the code was built from, by the names a reference would use (their
# file names, a section sign, the numbered seed texts): a clone has none of them, so code, tests
# and docs cite docs/ instead. Spelled in parts, as above.
_EISEN = re.compile(
    r"\b(?:" + "|".join(["CON" + "TRACT", "DES" + "IGN", "STY" + "LE"]) + r")\b"
    r"|\b" + "[Ss]" + r"eed \d{3}\b"
    r"|" + "shared" + r"/(?:seeds|[A-Z]+\.md)"
)

_CODEBLOK = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_KOP = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _zonder_code(tekst: str) -> str:
    """Fenced blocks and inline code spans hold examples, not links."""
    return _CODE.sub("", _CODEBLOK.sub("", tekst))


def _links(tekst: str) -> list[str]:
    return _LINK.findall(_zonder_code(tekst))


def _slug(kop: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    kop = re.sub(r"[`*_]|<[^>]+>", "", kop)
    kop = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", kop)
    kop = re.sub(r"[^\w\- ]", "", kop.strip().lower())
    return kop.replace(" ", "-")


def ankers(pad: Path) -> set[str]:
    """Every heading anchor of a Markdown file, repeated headings numbered as GitHub does."""
    gezien: dict[str, int] = {}
    uitkomst: set[str] = set()
    for kop in _KOP.findall(_CODEBLOK.sub("", pad.read_text(encoding="utf-8"))):
        slug = _slug(kop)
        n = gezien.get(slug, 0)
        gezien[slug] = n + 1
        uitkomst.add(slug if n == 0 else f"{slug}-{n}")
    return uitkomst


def gebroken_links(document: Path, root: Path = ROOT) -> list[str]:
    """The relative links of `document` that reach no file of `root`, or no heading in it."""
    gebroken: list[str] = []
    for doel in _links(document.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", doel, re.IGNORECASE):
            continue  # https:, mailto: …: not a file of this repository
        pad_deel, _, anker = doel.partition("#")
        pad = (document.parent / unquote(pad_deel)).resolve() if pad_deel else document
        if not pad.exists():
            gebroken.append(f"{doel}: bestaat niet")
        elif not pad.is_relative_to(root):
            gebroken.append(f"{doel}: buiten de repository")
        elif anker and pad.suffix == ".md" and unquote(anker).lower() not in ankers(pad):
            gebroken.append(f"{doel}: geen kop #{anker} in {pad.relative_to(root)}")
    return gebroken


def repository_bestanden() -> list[Path]:
    bestanden: list[Path] = []
    for pad in ROOT.rglob("*"):
        deel = pad.relative_to(ROOT).parts
        if any(d in OVERGESLAGEN_MAPPEN or d.endswith(".egg-info") for d in deel):
            continue
        if pad.is_file() and not (pad.name == ".env" or pad.name.startswith(".env.")):
            bestanden.append(pad)
    return bestanden


def test_the_documents_are_there() -> None:
    """README.md and the reference documents in docs/ exist (an empty glob would pass)."""
    namen = {p.relative_to(ROOT).as_posix() for p in DOCUMENTEN}
    assert {"README.md", "docs/contract.md", "docs/architecture.md"} <= namen


@pytest.mark.parametrize("document", DOCUMENTEN, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_reaches_a_file_and_heading_of_the_repository(
    document: Path,
) -> None:
    """A link to a file that moved, or to a heading that was renamed, fails here."""
    assert gebroken_links(document) == []


def test_no_file_points_to_the_requirements_material_outside_the_repository() -> None:
    """A clone has no sibling folder with the requirements: docs and code stand on their own."""
    gevonden = [
        pad.relative_to(ROOT).as_posix()
        for pad in repository_bestanden()
        if BUITEN_DE_REPOSITORY.encode() in pad.read_bytes()
    ]
    assert gevonden == []


def eisverwijzingen(tekst: str) -> list[str]:
    """Each citation of a requirements document in `tekst`, with its line number."""
    return [
        f"{nummer}: {regel.strip()[:80]}"
        for nummer, regel in enumerate(tekst.splitlines(), 1)
        if _EISEN.search(regel)
    ]


def test_no_product_file_test_or_document_cites_the_requirements_documents() -> None:
    """Code, tests and docs cite docs/contract.md, docs/architecture.md … and the protocol's
    public sources, never the requirements documents a clone does not have."""
    gevonden = {
        pad.relative_to(ROOT).as_posix(): verwijzingen
        for pad in repository_bestanden()
        if (tekst := pad.read_bytes().decode("utf-8", "replace"))
        and (verwijzingen := eisverwijzingen(tekst))
    }
    assert gevonden == {}


def test_the_citation_check_finds_each_kind_of_reference() -> None:
    """The check itself: file names, section signs and seed numbers are found; the protocol's
    Q&A, docs/contract.md and an ordinary seed option are not."""
    namen = ["CON" + "TRACT.md", "DES" + "IGN §5", "STY" + "LE §10", "se" + "ed 004"]
    tekst = "\n".join(
        [*(f"zie {naam}" for naam in namen), "Q&A 28", "docs/contract.md", "--seed 1", "design"]
    )
    assert [r.split(":")[0] for r in eisverwijzingen(tekst)] == ["1", "2", "3", "4"]


def test_the_link_checker_finds_a_missing_file_and_a_missing_heading(tmp_path: Path) -> None:
    """The checker itself: a broken link and a broken anchor are reported, code is ignored."""
    (tmp_path / "doel.md").write_text("# Een kop, met `code`\n\n## Twee\n## Twee\n")
    document = tmp_path / "bron.md"
    document.write_text(
        "[a](doel.md#een-kop-met-code) [b](doel.md#twee-1) [c](doel.md#drie)\n"
        "[d](weg.md) [e](https://example.org/x) `[f](ook-weg.md)`\n"
        "```\n[g](in-een-codeblok.md)\n```\n"
    )
    fouten = [f.split(":")[0] for f in gebroken_links(document, tmp_path)]
    assert fouten == ["doel.md#drie", "weg.md"]


# A file of this repository named in inline code (`contract/client.py`, `docs/privacy.md`):
# product packages, docs, tests, scripts, deploy files.
_PAD = re.compile(
    r"`((?:activities|bench|contract|deploy|docs|domain|migrations|runtime|scripts|starter|tests"
    r"|versleuteling|workflows)/[\w./-]*\w\.(?:py|md|sql|json|yaml|yml|sh|png))"
    r"(?::\d+)?`"
)


@pytest.mark.parametrize("document", DOCUMENTEN, ids=lambda p: p.name)
def test_every_repository_file_a_document_names_in_code_exists(document: Path) -> None:
    """A module moved or renamed leaves no doc naming its old path (`starter/verbinding.py` was
    named by the README after it had become `contract/client.py`)."""
    ontbrekend = sorted(
        {pad for pad in _PAD.findall(document.read_text()) if not (ROOT / pad).exists()}
    )
    assert ontbrekend == [], f"{document.name} names files that do not exist: {ontbrekend}"
