"""The documentation says what the code does: the patches in force with their files, the ports
`make run` checks, the source bound, the `indienen` help. Each test reads the code, not a copy
of it, so a change on either side without the other fails here."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from domain.termijnen import AMSTERDAM, bron_deadline
from starter.cli import parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRACT_MD = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")


def _patches_in_de_code() -> dict[str, str]:
    gevonden: dict[str, str] = {}
    for pad in sorted((ROOT / "workflows").glob("*.py")):
        for naam in re.findall(r'^PATCH_\w+ = "([^"]+)"', pad.read_text(encoding="utf-8"), re.M):
            gevonden[naam] = f"workflows/{pad.name}"
    return gevonden


def _patches_in_het_contract() -> dict[str, str]:
    """Each backticked patch name of "The patches in force" belongs to the next backticked file."""
    versioning = CONTRACT_MD.split("## Versioning", 1)[1]
    alinea = versioning.split("The patches in force:", 1)[1].split(";\n- ", 1)[0]
    genoemd: dict[str, str] = {}
    wachtend: list[str] = []
    for woord in re.findall(r"`([^`]+)`", alinea):
        if woord.startswith("workflows/"):
            genoemd |= dict.fromkeys(wachtend, woord)
            wachtend = []
        else:
            wachtend.append(woord)
    assert not wachtend, f"patches without a file: {wachtend}"
    return genoemd


def test_het_contract_noemt_precies_de_patches_van_de_code_met_hun_bestand() -> None:
    code = _patches_in_de_code()
    assert code, "no PATCH_… constants found in workflows/"
    assert _patches_in_het_contract() == code


def _standaardpoorten() -> set[int]:
    stack = (ROOT / "stack.py").read_text(encoding="utf-8")
    poorten = {
        int(waarde)
        for naam, waarde in re.findall(
            r"^(\w+_POORT)"
            r' = int\(os\.environ\.get\("\w+", "(\d+)"\)\)',
            stack,
            re.M,
        )
    }
    # Every port make run opens itself (a port added to stack.py comes along).
    assert {7233, 8233, 8081, 8025} <= poorten, "stack.py: TEMPORAL_POORT, UI_, CODEC_, POSTBUS_"
    assert "STANDAARD_METRICS_POORT" in stack
    config = (ROOT / "runtime" / "config.py").read_text(encoding="utf-8")
    [metrics] = re.findall(r"^STANDAARD_METRICS_POORT = (\d+)", config, re.M)
    return poorten | {int(metrics)}


def test_de_readme_noemt_elke_standaardpoort_van_make_run() -> None:
    [zin] = re.findall(r"If a port is taken \(([^)]*)\)", README)
    genoemd = {int(p) for p in re.findall(r"`(\d+)`", zin)}
    assert _standaardpoorten() == genoemd


def test_de_readme_noemt_tests_ui_niet_als_niet_gebouwd() -> None:
    assert (ROOT / "tests" / "ui").is_dir()
    assert "## Not built yet" not in README


def test_temporal_show_voor_make_run_gebruikt_de_cli_uit_de_venv_en_het_adres() -> None:
    """The second example is make run's: the temporal binary lives in the venv, and the address
    comes from .data/client.env."""
    show = [r for r in README.splitlines() if "temporal workflow show" in r]
    assert len(show) == 2
    regel = show[1]
    assert regel.startswith(".venv/bin/temporal workflow show ")
    assert '--address "$TEMPORAL_ADDRESS"' in regel


def test_bronnen_krijgen_tot_het_einde_van_de_volgende_werkdag() -> None:
    # Friday morning: the bound is Monday 23:59:59, more than one werkdag of time.
    vrijdag = datetime(2026, 3, 6, 9, 0, tzinfo=AMSTERDAM)
    assert bron_deadline(vrijdag) == datetime(2026, 3, 9, 23, 59, 59, tzinfo=AMSTERDAM)
    [rij] = [r for r in CONTRACT_MD.splitlines() if r.startswith("| `informatie_verzamelen` |")]
    assert "end of the next werkdag" in rij
    andere = [
        (ROOT / "docs" / n).read_text(encoding="utf-8")
        for n in ("architecture.md", "operations.md")
    ]
    for document in [README, CONTRACT_MD, *andere]:
        assert "at most one werkdag" not in document
        assert "bounded to one werkdag" not in document


def test_indienen_help_zegt_wat_een_tweede_indiening_doet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["indienen", "--help"])
    hulp = " ".join(capsys.readouterr().out.split())
    assert "dezelfde melding opnieuw indienen geeft hetzelfde workflow_id" in hulp
    assert "een andere melding met hetzelfde melding_id wordt geweigerd" in hulp
    assert "bestaat al" in hulp


def test_de_kamers_van_architecture_md_zijn_die_van_de_code() -> None:
    """Issue 27.7: the rooms table had no row for `versleuteling/`. Every room that ships (the
    package list of pyproject, the bench and the scripts) has its row, and no row names a room
    that is gone."""
    from scripts import omvang

    tekst = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tabel = tekst[tekst.index("## The rooms") :].split("\n\n")[1]
    rijen = set(re.findall(r"^\| `([\w.]+)/?` \|", tabel, re.M))
    code = {r for r in omvang.PRODUCT if r != "scripts"}
    assert code <= rijen, code - rijen
    assert all((ROOT / r).exists() for r in rijen), [r for r in rijen if not (ROOT / r).exists()]


def test_privacy_md_names_every_encrypted_column_and_the_codec_as_the_code_has_them() -> None:
    """The statement of what is encrypted is the code's: every column `versleuteling/kolommen.py`
    encrypts, and only those, in the rows of "What is stored where" that say ciphertext; the
    payload codec's encoding and key length as the docs name them (AES-256-GCM)."""
    from versleuteling import codec, kolommen

    privacy = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
    tabel = privacy.split("## What is stored where", 1)[1].split("\n\n", 2)[1]
    versleuteld = {
        veld
        for rij in tabel.splitlines()
        if rij.startswith("| ") and "ciphertext" in rij.split("|")[2]
        for veld in re.findall(r"`([a-z_]+\.[a-z_]+)`", rij.split("|")[1])
    }
    assert versleuteld == {f"{k.tabel}.{k.kolom}" for k in kolommen.KOLOMMEN}
    assert codec.SLEUTEL_BYTES * 8 == 256 and "AES-256-GCM" in tabel
    assert f"`{codec.ENCODING.decode()}`" in privacy
    for pad in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert "not encrypted yet" not in pad.read_text(encoding="utf-8"), pad.name
