"""`--json`: a failure is one JSON line on stdout (kind, message, melding_id, field rules) with
the exit code of its kind; nothing on stdout is prose then. TEMPORAL_ADDRESS points at a port
nothing listens on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from starter.cli import main
from starter.client import MeldingClient
from starter.demo import VOORBEELDEN, voorbeeld

NERGENS = {"TEMPORAL_ADDRESS": "127.0.0.1:1"}


def draai_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"], env=NERGENS)
    uit = capsys.readouterr().out
    [regel] = uit.splitlines()  # one line
    return code, json.loads(regel)


def test_invalid_input_is_kind_ongeldige_invoer_with_its_field_rules(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    gegevens = voorbeeld("melding_advies")
    gegevens["melder"]["meldnorm"] = 1
    gegevens["betrokkenen"][0]["bsn"] = "123456789"
    pad = tmp_path / "melding.json"
    pad.write_text(json.dumps(gegevens), encoding="utf-8")
    code, fout = draai_json(capsys, "indienen", str(pad))
    assert code == 2 and fout["fout"] == "ongeldige_invoer" and fout["melding_id"] is None
    assert "melder.meldnorm: niet toegestaan voor een burger" in fout["velden"]
    assert any(v.startswith("betrokkenen.0.bsn: moet 9 cijfers zijn") for v in fout["velden"])
    assert "123456789" not in json.dumps(fout)


def test_a_usage_error_of_argparse_is_json_too(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as uitgang:
        main(["lijst", "--fase", "klaar", "--json"], env=NERGENS)
    assert uitgang.value.code == 2
    fout = json.loads(capsys.readouterr().out)
    assert fout["fout"] == "ongeldige_invoer" and "invalid choice" in fout["velden"][0]


def test_an_id_that_is_no_melding_id_is_not_repeated_as_melding_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, fout = draai_json(capsys, "status", "VT 1/2")
    assert code == 2 and fout["melding_id"] is None and fout["velden"]


def test_temporal_away_is_kind_niet_beschikbaar_naming_the_melding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (
        ("status", "VT-UTR-2026-000123"),
        ("triage", "VT-UTR-2026-000123", str(VOORBEELDEN / "triage.json")),
    ):
        code, fout = draai_json(capsys, *argv)
        assert (code, fout) == (
            6,
            {
                "fout": "niet_beschikbaar",
                "onderdeel": "temporal",
                "melding": "kan Temporal op 127.0.0.1:1 niet bereiken: verbinding geweigerd",
                "melding_id": "VT-UTR-2026-000123",
                "velden": [],
            },
        )


def test_every_command_that_reaches_temporal_takes_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    verzoek = tmp_path / "verzoek.json"
    verzoek.write_text('{"verzoeker_rol": "ouder_verzorger"}', encoding="utf-8")
    for argv in (
        ("indienen", str(VOORBEELDEN / "melding_advies.json")),
        ("besluit", "VT-1", str(VOORBEELDEN / "besluit_advies.json")),
        ("dienst-afronden", "VT-1", str(VOORBEELDEN / "dienst_afronding.json")),
        ("monitoring", "VT-1", str(VOORBEELDEN / "monitoring.json")),
        ("lijst",),
        ("lijst", "--weergave", "te_laat"),
        ("vernietig", "VT-1", str(verzoek)),
        ("vernietigingsbesluit", "VT-1", str(VOORBEELDEN / "vernietigingsbesluit.json")),
        ("demo",),
    ):
        code, fout = draai_json(capsys, *argv)
        assert (code, fout["fout"]) == (6, "niet_beschikbaar"), argv


def test_an_unexpected_error_is_kind_intern_without_its_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def kapot(*_: object) -> MeldingClient:
        raise RuntimeError("geheim detail")

    monkeypatch.setattr(MeldingClient, "connect", kapot)
    code, fout = draai_json(capsys, "status", "VT-1")
    assert (code, fout["fout"], fout["melding_id"]) == (1, "intern", "VT-1")
    assert "geheim" not in fout["melding"]
    with pytest.raises(RuntimeError):  # without --json: the traceback, as before
        main(["status", "VT-1"], env=NERGENS)
