"""The destruction list's cron expression is checked before it is sent (break-it of issue 25:
`lijst-plannen --cron` with a NUL or Arabic-Indic digits left with exit 1 and a log line with
Temporal's error; the contract's bad input is exit 2 with the field and its rule)."""

from __future__ import annotations

import pytest

from domain.cron import cron_fout
from runtime.config import ConfiguratieFout, _cron
from starter.cli import parser


@pytest.mark.parametrize(
    "tekst", ["0 2 1 * *", "*/15 * * * MON-FRI", "0 0 1 JAN,jul *", "5-10/5 0-23 1-31 1-12 0-7"]
)
def test_valid_cron_passes(tekst: str) -> None:
    assert cron_fout(tekst) is None


@pytest.mark.parametrize(
    ("tekst", "regel"),
    [
        ("0 2 1 *", "vijf velden"),
        ("0 2 1 * * *", "vijf velden"),
        ("0 0 1 * \x00", "ASCII"),
        ("\u0660 0 1 * *", "ASCII"),
        ("\u0966 0 1 * *", "ASCII"),
        ("60 2 1 * *", "cron.minuut"),
        ("0 24 1 * *", "cron.uur"),
        ("0 2 0 * *", "cron.dag"),
        ("0 2 1 13 *", "cron.maand"),
        ("0 2 1 * 8", "cron.weekdag"),
        ("*/0 2 1 * *", "stap"),
        ("0 2 1 FOO *", "cron.maand"),
        ("0 2 L * *", "cron.dag"),
    ],
)
def test_a_bad_cron_names_its_field_and_rule(tekst: str, regel: str) -> None:
    fout = cron_fout(tekst)
    assert fout is not None and regel in fout


def test_the_cli_refuses_a_bad_cron_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as uitgang:
        parser().parse_args(["lijst-plannen", "--cron", "\u0660 0 1 * *"])
    assert uitgang.value.code == 2
    assert "ASCII" in capsys.readouterr().err


def test_the_worker_refuses_a_bad_cron_naming_its_variable() -> None:
    with pytest.raises(ConfiguratieFout, match=r"VT_VERNIETIGINGSLIJST_CRON: cron\.uur"):
        _cron("0 24 1 * *")
