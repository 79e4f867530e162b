"""The worker's configuration: read from the environment, every error naming its variable."""

from __future__ import annotations

import pytest

import worker
from contract.names import TASK_QUEUE

BASIS = {
    "DATABASE_URL": "postgresql://vt:geheim@db.example:5433/veilig_thuis",
    "VT_MASTER_KEY": "ab" * 32,
    "VT_REGISTER_SLEUTEL": "test-registersleutel-alleen-voor-deze-tests",
}


def test_defaults_are_the_embedded_stack() -> None:
    """Without settings: localhost Temporal, the contract's task queue, metrics on 9464."""
    config = worker.Configuratie.uit_omgeving(BASIS)
    assert (config.temporal_adres, config.task_queue, config.metrics_poort) == (
        "localhost:7233",
        TASK_QUEUE,
        worker.STANDAARD_METRICS_POORT,
    )


def test_the_sdk_environment_configuration_is_used_for_temporal() -> None:
    """TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and an API key as the SDK reads them."""
    config = worker.Configuratie.uit_omgeving(
        {
            **BASIS,
            "TEMPORAL_ADDRESS": "vt.abcde.tmprl.cloud:7233",
            "TEMPORAL_NAMESPACE": "vt.abcde",
            "TEMPORAL_API_KEY": "sleutel",
            "VT_TASK_QUEUE": "q2",
        }
    )
    assert config.temporal["target_host"] == "vt.abcde.tmprl.cloud:7233"
    assert config.temporal["namespace"] == "vt.abcde" and config.temporal["api_key"] == "sleutel"
    assert config.task_queue == "q2"


def test_the_database_address_in_messages_has_no_password() -> None:
    """A start-up error names host, port and database, never the credentials."""
    config = worker.Configuratie.uit_omgeving(BASIS)
    assert config.database_adres == "db.example:5433/veilig_thuis"
    socket = worker.Configuratie.uit_omgeving(
        {**BASIS, "DATABASE_URL": "postgresql://postgres:@/vt?host=/tmp/pg"}
    )
    assert socket.database_adres == "/tmp/pg:5432/vt"


@pytest.mark.parametrize(
    ("env", "variabele"),
    [
        ({}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({**BASIS, "VT_METRICS_PORT": "negen"}, "VT_METRICS_PORT"),
        ({**BASIS, "VT_METRICS_PORT": "70000"}, "VT_METRICS_PORT"),
        ({**BASIS, "VT_REGISTER_SLEUTEL": "kort"}, "VT_REGISTER_SLEUTEL"),
        ({**BASIS, "VT_REGISTER_SLEUTEL": "s" * 31}, "VT_REGISTER_SLEUTEL: minstens 32 bytes"),
        ({**BASIS, "VT_REGISTER_SLEUTEL": ""}, "VT_REGISTER_SLEUTEL ontbreekt"),
        ({**BASIS, "VT_REGISTER_SLEUTEL_VERSIE": "twee"}, "VT_REGISTER_SLEUTEL_VERSIE"),
        ({**BASIS, "VT_REGISTER_SLEUTEL_VERSIE": "0"}, "VT_REGISTER_SLEUTEL_VERSIE"),
        ({**BASIS, "VT_REGISTER_SLEUTELS_OUD": "1"}, "VT_REGISTER_SLEUTELS_OUD"),
        ({**BASIS, "VT_REGISTER_SLEUTELS_OUD": "1:kort"}, "VT_REGISTER_SLEUTELS_OUD"),
        ({**BASIS, "VT_REGISTER_SLEUTELS_OUD": "x:" + "s" * 16}, "VT_REGISTER_SLEUTELS_OUD"),
        ({**BASIS, "VT_LOG_FORMAT": "xml"}, "VT_LOG_FORMAT"),
        ({**BASIS, "VT_STOP_TIMEOUT": "-1"}, "VT_STOP_TIMEOUT"),
        ({**BASIS, "VT_EXTRA_FEESTDAGEN": "2026-13-01"}, "VT_EXTRA_FEESTDAGEN"),
    ],
)
def test_a_bad_setting_is_refused_naming_the_variable(env: dict[str, str], variabele: str) -> None:
    """A configuration that cannot work stops the worker before it connects anywhere."""
    with pytest.raises(worker.ConfiguratieFout, match=variabele):
        worker.Configuratie.uit_omgeving(env)


def test_main_exits_2_with_one_line_for_a_bad_setting(capsys: pytest.CaptureFixture[str]) -> None:
    """`python worker.py` without DATABASE_URL: exit code 2 and one line on stderr."""
    assert worker.main({}) == 2
    fout = capsys.readouterr().err.strip().splitlines()
    assert len(fout) == 1 and "DATABASE_URL" in fout[0]


def test_extra_feestdagen_reach_the_calendar() -> None:
    """Days gelijkgesteld by decree (docs/architecture.md) are configuration."""
    config = worker.Configuratie.uit_omgeving({**BASIS, "VT_EXTRA_FEESTDAGEN": "2026-12-31"})
    from datetime import date

    assert not config.kalender.is_werkdag(date(2026, 12, 31))


def test_the_register_key_has_a_version_and_older_ones_stay_active_while_rotating() -> None:
    """VT_REGISTER_SLEUTEL is version VT_REGISTER_SLEUTEL_VERSIE (1 if unset); the keys of
    VT_REGISTER_SLEUTELS_OUD stay active; the same version twice is refused; no key in repr."""
    nieuw, oud = "nieuwe-registersleutel-0123456789abcdef", "oude-sleutel-4567"
    config = worker.Configuratie.uit_omgeving(
        {
            **BASIS,
            "VT_REGISTER_SLEUTEL": nieuw,
            "VT_REGISTER_SLEUTEL_VERSIE": "2",
            "VT_REGISTER_SLEUTELS_OUD": f" 1:{oud} ",
        }
    )
    sleutels = config.register_sleutel
    assert (sleutels.huidige, sleutels.actief) == (2, (1, 2))
    assert sleutels.sleutels == {1: oud.encode(), 2: nieuw.encode()}
    assert nieuw not in repr(config) and oud not in repr(config)
    assert worker.Configuratie.uit_omgeving(
        {**BASIS, "VT_REGISTER_SLEUTEL": nieuw}
    ).register_sleutel.actief == (1,)
    with pytest.raises(worker.ConfiguratieFout, match="twee keer"):
        worker.Configuratie.uit_omgeving(
            {**BASIS, "VT_REGISTER_SLEUTEL": nieuw, "VT_REGISTER_SLEUTELS_OUD": f"1:{oud}"}
        )


def test_without_a_register_key_the_worker_refuses_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 8.4: no published development key to fall back on. Without VT_REGISTER_SLEUTEL
    the worker stops with exit code 2 and one line naming it, as without VT_MASTER_KEY."""
    zonder = {k: v for k, v in BASIS.items() if k != "VT_REGISTER_SLEUTEL"}
    assert worker.main(zonder) == 2
    fout = capsys.readouterr().err.strip().splitlines()
    assert len(fout) == 1 and "VT_REGISTER_SLEUTEL ontbreekt" in fout[0]


def test_a_register_key_needs_32_bytes_but_an_old_one_of_16_can_still_be_rotated_out() -> None:
    """The current key: at least 32 bytes (a BSN has ~10^8 values, a weak key makes every hash
    reversible); an older version in VT_REGISTER_SLEUTELS_OUD may have the former minimum of
    16, so an installation with a short key can rotate it out (docs/privacy.md)."""
    config = worker.Configuratie.uit_omgeving(
        {
            **BASIS,
            "VT_REGISTER_SLEUTEL": "s" * 32,
            "VT_REGISTER_SLEUTEL_VERSIE": "2",
            "VT_REGISTER_SLEUTELS_OUD": "1:" + "k" * 16,
        }
    )
    assert config.register_sleutel.sleutels == {2: b"s" * 32, 1: b"k" * 16}
    with pytest.raises(worker.ConfiguratieFout, match="VT_REGISTER_SLEUTELS_OUD"):
        worker.Configuratie.uit_omgeving({**BASIS, "VT_REGISTER_SLEUTELS_OUD": "2:" + "k" * 15})


def test_the_bewaartermijn_policy_and_the_list_schedule_come_from_the_environment() -> None:
    config = worker.Configuratie.uit_omgeving(
        {
            **BASIS,
            "VT_BEWAAR_JAREN": "15",
            "VT_BEWAAR_TOT_JONGSTE_KIND_18": "nee",
            "VT_VERNIETIGINGSLIJST_CRON": "0 3 15 * *",
        }
    )
    assert config.bewaarbeleid.jaren_na_afsluiting == 15
    assert not config.bewaarbeleid.tot_jongste_kind_meerderjarig
    assert config.vernietigingslijst_cron == "0 3 15 * *"
    standaard = worker.Configuratie.uit_omgeving(BASIS)
    assert standaard.bewaarbeleid.jaren_na_afsluiting == 20
    assert standaard.vernietigingslijst_cron == "0 2 1 * *"
    for naam, waarde, fout in (
        ("VT_BEWAAR_JAREN", "0", "VT_BEWAAR_JAREN: 1 tot en met 115"),
        ("VT_BEWAAR_TOT_JONGSTE_KIND_18", "misschien", "VT_BEWAAR_TOT_JONGSTE_KIND_18: ja of nee"),
        ("VT_VERNIETIGINGSLIJST_CRON", "maandelijks", "VT_VERNIETIGINGSLIJST_CRON: cron: vijf"),
    ):
        with pytest.raises(worker.ConfiguratieFout, match=fout):
            worker.Configuratie.uit_omgeving({**BASIS, naam: waarde})
