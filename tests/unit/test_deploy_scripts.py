"""The deployment scripts, run for real: deploy/secrets.sh and the search-attribute script
(with a stand-in `temporal` CLI that answers like the real one)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from contract import names

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ROOT / "deploy" / "secrets.sh"
ZOEKATTRIBUTEN = ROOT / "deploy" / "kubernetes" / "base" / "zoekattributen.sh"
GENERATED = ("TEMPORAL_DB_PASSWORD", "VT_DB_PASSWORD", "VT_REGISTER_SLEUTEL", "VT_CODEC_TOKEN")

# Answers as the `temporal` CLI gives them (temporalio/cli, commands.operator_search_attribute.go:
# an existing attribute of the same type is accepted, another type is an error).
FAKE_TEMPORAL = """#!/bin/sh
echo "$*" >>"$AANROEPEN"
case "$*" in
*"search-attribute create"*"--name $MISMATCH "*)
    echo "Error: search attribute $MISMATCH already exists and has different type Int"
    exit 1 ;;
*"search-attribute create"*"--name $TIJDELIJK "*)
    if [ ! -e "$AANROEPEN.tijdelijk" ]; then
        : >"$AANROEPEN.tijdelijk"
        echo "Error: unable to add search attributes: Namespace default is not found."
        exit 1
    fi ;;
esac
exit 0
"""


def secrets(env_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(SECRETS), str(env_file)], capture_output=True, text=True, check=False
    )


def read_env(env_file: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)


def test_secrets_are_generated_into_an_owner_only_file(tmp_path: Path) -> None:
    """Every secret, 32 random bytes as hex (URL-safe), in a file only its owner can read."""
    env_file = tmp_path / ".env"
    assert secrets(env_file).returncode == 0
    values = read_env(env_file)
    assert set(GENERATED) <= set(values)
    assert all(re.fullmatch(r"[0-9a-f]{64}", v) for v in values.values())
    assert len(set(values.values())) == len(values)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600


def test_rerunning_never_changes_an_existing_secret(tmp_path: Path) -> None:
    """A second run leaves .env as it was: PostgreSQL and the BSN hashes keep working."""
    env_file = tmp_path / ".env"
    secrets(env_file)
    before = env_file.read_text()
    assert secrets(env_file).returncode == 0
    assert env_file.read_text() == before


def test_only_missing_secrets_are_added(tmp_path: Path) -> None:
    """An operator's own value (or an older .env) is kept; what is missing is added."""
    env_file = tmp_path / ".env"
    env_file.write_text("VT_REGISTER_SLEUTEL=sleutel-uit-de-kluis-0123456789\nEIGEN=1")
    assert secrets(env_file).returncode == 0
    values = read_env(env_file)
    assert values["VT_REGISTER_SLEUTEL"] == "sleutel-uit-de-kluis-0123456789"
    assert values["EIGEN"] == "1" and set(GENERATED) <= set(values)


def test_an_empty_secret_is_refused_not_filled(tmp_path: Path) -> None:
    """`NAME=` is a mistake to look at, not a slot to overwrite silently."""
    env_file = tmp_path / ".env"
    env_file.write_text("VT_DB_PASSWORD=\n")
    result = secrets(env_file)
    assert result.returncode != 0 and "VT_DB_PASSWORD" in result.stderr
    assert env_file.read_text() == "VT_DB_PASSWORD=\n"


def register(tmp_path: Path, mismatch: str = "-", tijdelijk: str = "-") -> tuple[int, list[str]]:
    """Run the search-attribute script against the stand-in CLI; (exit code, CLI calls)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "temporal").write_text(FAKE_TEMPORAL)
    (bin_dir / "sleep").write_text("#!/bin/sh\n")
    for program in bin_dir.iterdir():
        program.chmod(0o755)
    calls = tmp_path / "aanroepen"
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "AANROEPEN": str(calls),
        "MISMATCH": mismatch,
        "TIJDELIJK": tijdelijk,
        "TEMPORAL_ADDRESS": "temporal:7233",
        "TEMPORAL_NAMESPACE": "default",
        "VT_POGINGEN": "3",
    }
    result = subprocess.run(["sh", str(ZOEKATTRIBUTEN)], env=env, capture_output=True, check=False)
    return result.returncode, calls.read_text().splitlines()


def created(calls: list[str]) -> list[str]:
    return [re.search(r"--name (\w+)", c)[1] for c in calls if "search-attribute create" in c]  # type: ignore[index]


def test_registration_creates_every_contract_attribute_in_the_namespace(tmp_path: Path) -> None:
    """Each attribute of docs/contract.md with its type, at the given address and namespace."""
    code, calls = register(tmp_path)
    assert code == 0
    assert sorted(created(calls)) == sorted(names.SEARCH_ATTRIBUTES)
    for name, kind in names.SEARCH_ATTRIBUTES.items():
        assert any(f"--name {name} --type {kind}" in c for c in calls)
    assert all("--address temporal:7233 --namespace default" in c for c in calls)


def test_a_type_mismatch_stops_registration_at_once(tmp_path: Path) -> None:
    """ "already exists and has different type": exit 3, no retry, nothing after it."""
    code, calls = register(tmp_path, mismatch="VtFase")
    assert code == 3
    assert created(calls) == ["VtRegio", "VtFase"]


def test_a_transient_error_is_retried(tmp_path: Path) -> None:
    """A namespace not yet in every cache is retried, then registration goes on."""
    code, calls = register(tmp_path, tijdelijk="VtVervolg")
    assert code == 0
    assert created(calls).count("VtVervolg") == 2


@pytest.mark.parametrize("variable", ["TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE"])
def test_registration_refuses_to_guess_where(tmp_path: Path, variable: str) -> None:
    """Without an address or namespace the script stops before calling Temporal."""
    env = {"PATH": os.environ["PATH"], "TEMPORAL_ADDRESS": "x:7233", "TEMPORAL_NAMESPACE": "d"}
    del env[variable]
    result = subprocess.run(
        ["sh", str(ZOEKATTRIBUTEN)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and variable in result.stderr
