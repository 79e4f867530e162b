"""The CLI's input: read and validated before any connection, exit 2 naming field and rule.

TEMPORAL_ADDRESS points at a port nothing listens on: reaching Temporal would exit 6, so an
exit 2 proves nothing was sent.
"""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from domain.advies import AdviesAfsluiting, Adviesvraag, Gesprek, Omzetting, VertrouwensartsConsult
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    HuishoudenInformeren,
    MonitoringUitkomst,
    Triage,
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.melding import Melding
from domain.zorgmelding import Zorgmelding
from starter.cli import main
from starter.demo import CASUSSEN, VOORBEELDEN, voorbeeld

NERGENS = {"TEMPORAL_ADDRESS": "127.0.0.1:1"}
MODELLEN: dict[str, type[BaseModel]] = {
    "melding": Melding,
    "triage": Triage,
    "besluit": Besluit,
    "dienst": DienstAfronding,
    "monitoring": MonitoringUitkomst,
    "vernietigingsbesluit": VernietigingsBesluit,
    "vernietiging": VernietigingsVerzoek,
    "advies_vraag": Adviesvraag,
    "advies_gesprek": Gesprek,
    "advies_vertrouwensarts": VertrouwensartsConsult,
    "advies_afsluiting": AdviesAfsluiting,
    "advies_omzetting": Omzetting,
    "zorgmelding": Zorgmelding,
    "huishouden_informeren": HuishoudenInformeren,
}


def draai(
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    stdin: str | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> tuple[int, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv), env=NERGENS)
    return code, capsys.readouterr().err


def bestand(map_: Path, gegevens: Any) -> str:
    pad = map_ / "invoer.json"
    pad.write_text(json.dumps(gegevens), encoding="utf-8")
    return str(pad)


@pytest.mark.parametrize("pad", sorted(VOORBEELDEN.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_is_valid_against_its_model(pad: Path) -> None:
    """Each file in starter/examples validates against the model its name says."""
    soort = next(s for s in sorted(MODELLEN, key=len, reverse=True) if pad.stem.startswith(s))
    model = MODELLEN[soort]
    if model is Melding:
        Melding.ontvang(voorbeeld(pad.stem))
    else:
        model.model_validate(voorbeeld(pad.stem))


def test_every_demo_case_names_existing_examples() -> None:
    """The demo's cases refer only to example files that exist."""
    for casus in CASUSSEN:
        for naam in (casus.melding, casus.triage, casus.besluit, casus.afronding):
            assert naam is None or (VOORBEELDEN / f"{naam}.json").is_file()


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A FILE that does not exist exits 2 and says so."""
    code, fout = draai(capsys, "indienen", str(tmp_path / "weg.json"))
    assert code == 2 and "weg.json: bestand niet gevonden" in fout


def test_bad_json_exits_2_naming_line_and_column(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON that does not parse exits 2 naming the line and column of the problem."""
    code, fout = draai(
        capsys,
        "triage",
        "VT-1",
        "-",
        stdin='{\n  "medewerker": "mw-1",\n  oeps\n}',
        monkeypatch=monkeypatch,
    )
    assert code == 2 and "stdin: geen geldige JSON op regel 3, kolom 3" in fout


def test_melding_errors_name_each_field_on_its_own_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Every broken field of a melding is reported on its own line, by its path and rule."""
    gegevens = voorbeeld("melding_voorwaarden")
    gegevens["regio"] = "atlantis"
    gegevens["melder"]["meldnorm"] = 4
    gegevens["betrokkenen"][1]["rol"] = "buurman"
    gegevens["zorgen"]["kleur"] = "rood"
    code, fout = draai(capsys, "indienen", bestand(tmp_path, gegevens))
    regels = fout.splitlines()
    assert code == 2 and regels[0] == "ongeldige invoer, niets verstuurd:"
    assert "  regio: onbekende regio (verwacht een van de 26 slugs)" in regels
    assert any(r.strip().startswith("melder.meldnorm: moet kleiner") for r in regels)
    assert any(r.strip().startswith("betrokkenen.1.rol: moet een van deze") for r in regels)
    assert "  zorgen.(onbekend veld): niet toegestaan (geen bekend veld)" in regels


def test_a_melding_received_in_the_future_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """ontvangen_op a day ahead is refused by the intake rule, naming the field."""
    gegevens = voorbeeld("melding_advies")
    gegevens["ontvangen_op"] = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    code, fout = draai(capsys, "indienen", bestand(tmp_path, gegevens))
    assert code == 2 and "ontvangen_op: mag niet in de toekomst liggen" in fout


def test_a_model_rule_message_is_shown_once_with_its_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An overdracht without ketenpartner names the field and the rule, without repeats."""
    gegevens = {k: v for k, v in voorbeeld("besluit_overdracht").items() if k != "ketenpartner"}
    code, fout = draai(capsys, "besluit", "VT-1", bestand(tmp_path, gegevens))
    assert code == 2
    assert fout.splitlines()[1:] == ["  ketenpartner: verplicht bij vervolg overdracht (Q&A 10)"]


def test_a_nested_rule_names_the_full_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bad bsn names betrokkenen.<n>.bsn and the elfproef, never the number itself."""
    gegevens = voorbeeld("melding_spoed")
    gegevens["betrokkenen"][0]["bsn"] = "999990008"
    code, fout = draai(capsys, "indienen", bestand(tmp_path, gegevens))
    assert code == 2 and "betrokkenen.0.bsn: moet 9 cijfers zijn en de elfproef doorstaan" in fout
    assert "999990008" not in fout


@pytest.mark.parametrize(
    ("opdracht", "gegevens", "veld"),
    [
        ("triage", {"medewerker": "mw-1"}, "acute_onveiligheid: verplicht veld ontbreekt"),
        ("dienst-afronden", {"medewerker": "mw 1"}, "medewerker: heeft niet de vorm"),
        (
            "monitoring",
            {
                "medewerker": "mw-1",
                "stabiel_veilig": True,
                "herstel_gaande": True,
                "nieuwe_melding_nodig": True,
                "toelichting": "x",
            },
            "nieuwe_melding_nodig: kan niet samen met stabiel_veilig",
        ),
    ],
)
def test_each_update_command_validates_its_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, opdracht: str, gegevens: Any, veld: str
) -> None:
    """triage, dienst-afronden and monitoring each check their own model before sending."""
    code, fout = draai(capsys, opdracht, "VT-1", bestand(tmp_path, gegevens))
    assert code == 2 and veld in fout


def test_vernietig_refuses_a_melding_id_other_than_the_id_argument(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ID argument and the file's melding_id must agree."""
    code, fout = draai(
        capsys,
        "vernietig",
        "VT-2",
        "-",
        stdin=json.dumps(voorbeeld("vernietiging")),
        monkeypatch=monkeypatch,
    )
    assert code == 2 and "verschilt van ID 'VT-2'" in fout


def test_a_malformed_melding_id_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An ID outside the contract's character set is refused before connecting."""
    code, fout = draai(capsys, "status", "VT 1/2")
    assert code == 2 and "1-64 characters" in fout


def test_lijst_refuses_an_unknown_regio(capsys: pytest.CaptureFixture[str]) -> None:
    """lijst --regio with a slug that is no region exits 2 naming the regio."""
    code, fout = draai(capsys, "lijst", "--regio", "atlantis")
    assert code == 2 and "regio: onbekende regio (verwacht een van de 26 slugs)" in fout


def test_an_unknown_fase_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse refuses a fase outside the contract with exit 2."""
    with pytest.raises(SystemExit) as uitgang:
        main(["lijst", "--fase", "klaar"], env=NERGENS)
    assert uitgang.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_valid_input_reaches_the_connection_and_names_the_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Input that passes goes on to connect; nobody listens, so exit 6 names the address."""
    code, fout = draai(capsys, "triage", "VT-1", str(VOORBEELDEN / "triage.json"))
    regels = fout.strip().splitlines()
    assert code == 6
    assert regels[-1] == "kan Temporal op 127.0.0.1:1 niet bereiken: verbinding geweigerd"
    assert regels[0].startswith("verzoek-id verzoek-")  # printed first, for a safe retry


# --- hostile input (docs/contract.md, Limits of intake) -------------------------------------------


def test_a_duplicate_key_exits_2_naming_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Reproduction: with a key twice, json.loads kept the last one silently."""
    pad = tmp_path / "dubbel.json"
    tekst = json.dumps(voorbeeld("melding_advies"))
    pad.write_text(tekst.replace('"regio": ', '"regio": "utrecht", "regio": ', 1), encoding="utf-8")
    code, fout = draai(capsys, "indienen", str(pad))
    assert code == 2 and "sleutel 'regio' komt twee keer voor" in fout


def test_a_duplicate_key_in_a_nested_object_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Duplicates are refused at every depth, also on stdin."""
    besluit = json.dumps(voorbeeld("besluit_overdracht"))
    besluit = besluit.replace('"naam": ', '"naam": "Wijkteam West", "naam": ', 1)
    code, fout = draai(capsys, "besluit", "VT-1", "-", stdin=besluit, monkeypatch=monkeypatch)
    assert code == 2 and "stdin: sleutel 'naam' komt twee keer voor" in fout


def test_deeply_nested_json_exits_2_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Reproduction: 100,000 '[' (200 KB) raised RecursionError out of the CLI."""
    pad = tmp_path / "diep.json"
    pad.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, fout = draai(capsys, "indienen", str(pad))
    assert code == 2 and "diep.json: JSON te diep genest" in fout
    assert "Traceback" not in fout


def test_an_input_file_over_one_mib_is_refused_before_parsing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file larger than 1 MiB is not parsed at all (here it is not even JSON)."""
    pad = tmp_path / "groot.json"
    pad.write_bytes(b"{" + b" " * (1024 * 1024))
    code, fout = draai(capsys, "indienen", str(pad))
    assert code == 2 and "groot.json: groter dan 1048576 bytes (1024 KiB), niet gelezen" in fout


def test_a_4_mb_melding_exits_2_naming_the_limit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproduction: a 4 MB melding on stdin was read whole and validated."""
    gegevens = voorbeeld("melding_advies")
    gegevens["zorgen"]["omschrijving"] = "x" * 4_000_000
    code, fout = draai(capsys, "indienen", "-", stdin=json.dumps(gegevens), monkeypatch=monkeypatch)
    assert code == 2 and "stdin: groter dan 1048576 bytes" in fout


def test_a_melding_over_256_kib_exits_2_naming_limit_and_size(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Under the file bound but over the melding's: the model names both sizes."""
    gegevens = voorbeeld("melding_advies")
    gegevens["betrokkenen"] = [{"rol": "kind", "voornaam": "x" * 9_000}] * 40
    code, fout = draai(capsys, "indienen", bestand(tmp_path, gegevens))
    assert code == 2 and "melding: JSON is" in fout and "(256 KiB)" in fout


@pytest.mark.parametrize(
    ("veld", "waarde", "bericht"),
    [
        ("omschrijving", "a\x00b", "zorgen.omschrijving: mag geen NUL-teken"),
        ("omschrijving", "a\ud800b", "zorgen.omschrijving: mag geen losse surrogaat"),
    ],
    ids=["nul", "surrogaat"],
)
def test_unstorable_text_in_a_melding_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, veld: str, waarde: str, bericht: str
) -> None:
    """JSON escapes \\u0000 and a lone \\ud800 are refused by name, nothing sent."""
    gegevens = voorbeeld("melding_advies")
    gegevens["zorgen"][veld] = waarde
    code, fout = draai(capsys, "indienen", bestand(tmp_path, gegevens))
    assert code == 2 and bericht in fout


def test_nul_in_a_triage_onderbouwing_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Reproduction: the CLI sent a triage with a NUL in its onderbouwing."""
    gegevens = {**voorbeeld("triage"), "onderbouwing": "Geen acuut gevaar\u0000"}
    code, fout = draai(capsys, "triage", "VT-1", bestand(tmp_path, gegevens))
    assert code == 2 and "onderbouwing: mag geen NUL-teken" in fout


def test_an_update_payload_is_checked_with_the_intake_rules(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A blank ketenpartner name passes plain validation but not the CLI (streng)."""
    gegevens = voorbeeld("besluit_overdracht")
    gegevens["ketenpartner"]["naam"] = "   "
    code, fout = draai(capsys, "besluit", "VT-1", bestand(tmp_path, gegevens))
    assert code == 2 and "ketenpartner.naam: mag niet leeg zijn" in fout


def test_a_fullwidth_bsn_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Reproduction: '１１１２２２３３３' passed the elfproef through int()."""
    gegevens = voorbeeld("melding_spoed")
    gegevens["betrokkenen"][0]["bsn"] = "１１１２２２３３３"
    code, fout = draai(capsys, "indienen", bestand(tmp_path, gegevens))
    assert code == 2 and "betrokkenen.0.bsn: moet 9 cijfers zijn" in fout


@pytest.mark.parametrize("limiet", ["0", "-5", "tien", "５"])
def test_lijst_limiet_below_one_or_not_a_number_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], limiet: str
) -> None:
    """Reproduction: --limiet 0 and -5 were sent to Temporal; now exit 2 naming the rule."""
    with pytest.raises(SystemExit) as uitgang:
        main(["lijst", "--limiet", limiet], env=NERGENS)
    assert uitgang.value.code == 2
    assert "argument --limiet:" in capsys.readouterr().err


def test_lijst_limiet_of_one_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    """The smallest limit goes on to connect (and fails there: nobody listens)."""
    code, fout = draai(capsys, "lijst", "--limiet", "1")
    assert code == 6 and "kan Temporal op 127.0.0.1:1 niet bereiken" in fout


def test_every_row_of_the_command_table_is_a_subcommand_with_its_arguments() -> None:
    """starter/opdrachten.py is the CLI: each row becomes a subcommand with ID, FILE, --json and
    --verzoek-id as the row says, and its extra arguments."""
    from starter.cli import parser
    from starter.opdrachten import OPDRACHTEN

    sub = next(a for a in parser()._actions if a.dest == "opdracht")
    keuzes: dict[str, Any] = sub.choices  # type: ignore[assignment]
    assert list(keuzes) == [o.naam for o in OPDRACHTEN]
    for opdracht in OPDRACHTEN:
        acties = {a.dest for a in keuzes[opdracht.naam]._actions}
        verwacht = {
            "id": opdracht.id_,
            "bestand": bool(opdracht.bestand),
            "json": bool(opdracht.json_) or any("--json" in a.vlaggen for a in opdracht.extra),
            "verzoek_id": opdracht.verzoek,
        }
        assert {naam for naam, ja in verwacht.items() if ja} == acties & set(verwacht)
        for argument in opdracht.extra:
            assert argument.vlaggen[0].lstrip("-").replace("-", "_") in acties


# --- identifiers in clear (issue 17, domain/kenmerken.py) ---------------------------------------


@pytest.mark.parametrize("verzoek_id", ["Zwartkopvlinder-628194821", "628194821", "a b"])
def test_a_verzoek_id_with_a_name_or_a_bsn_exits_2_without_repeating_it(
    capsys: pytest.CaptureFixture[str], verzoek_id: str
) -> None:
    """--verzoek-id is the update ID, readable in Temporal: refused before anything is sent."""
    with pytest.raises(SystemExit) as uitgang:
        main(
            ["triage", "VT-1", str(VOORBEELDEN / "triage.json"), "--verzoek-id", verzoek_id],
            env=NERGENS,
        )
    fout = capsys.readouterr().err
    assert uitgang.value.code == 2
    assert "argument --verzoek-id: verzoek_id:" in fout
    assert "Zwartkopvlinder" not in fout and "628194821" not in fout


def test_a_verzoek_id_of_a_uuid_or_a_short_prefix_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An accepted --verzoek-id reaches the connection (exit 6: nobody listens)."""
    for verzoek_id in ("ticket-81", "verzoek-de2b582b-dd20-4bfd-8a6c-a69d31b3e089"):
        code, fout = draai(
            capsys, "triage", "VT-1", str(VOORBEELDEN / "triage.json"), "--verzoek-id", verzoek_id
        )
        assert code == 6 and "kan Temporal op 127.0.0.1:1 niet bereiken" in fout


def test_the_verzoek_id_the_cli_makes_is_one_it_would_accept(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A made uuid whose digits hold a BSN (about 1 in 200) is drawn again, so the printed
    `--verzoek-id` of a retry is never refused."""
    gemaakt = iter(
        [
            uuid.UUID("de2b582b-dd20-4bfd-8a6c-628194821000"),
            uuid.UUID("00000000-0000-4000-8000-000000000001"),
        ]
    )
    monkeypatch.setattr("starter.verbinding.uuid.uuid4", lambda: next(gemaakt))
    code, fout = draai(capsys, "triage", "VT-1", str(VOORBEELDEN / "triage.json"))
    assert code == 6
    tweede = "verzoek-00000000-0000-4000-8000-000000000001"
    assert fout.splitlines()[0].startswith(f"verzoek-id {tweede} ")


def test_a_melding_whose_id_carries_a_name_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """indienen: the melding_id is a registration number, not a name; the name is not echoed."""
    gegevens = {**voorbeeld("melding_advies"), "melding_id": "Zwartkopvlinder-Tjitske-2018"}
    code, fout = draai(capsys, "indienen", bestand(tmp_path, gegevens))
    assert code == 2 and "melding_id: ten hoogste 4 letters achter elkaar" in fout
    assert "Tjitske" not in fout and "Zwartkopvlinder" not in fout


def test_a_decision_of_a_medewerker_with_a_bsn_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """medewerker mw-628194821 (nine digits, a BSN) is refused at intake, not echoed."""
    gegevens = {**voorbeeld("triage"), "medewerker": "mw-628194821"}
    code, fout = draai(capsys, "triage", "VT-1", bestand(tmp_path, gegevens))
    assert code == 2 and "medewerker: 1-4 letters" in fout and "628194821" not in fout
