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
GENERATED = (
    "TEMPORAL_DB_PASSWORD",
    "VT_DB_PASSWORD",
    "VT_REGISTER_SLEUTEL",
    "VT_CODEC_TOKEN",
    "VT_GRAFANA_PASSWORD",
)

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


# -- certificates for mTLS with Temporal -----------------------------------------------------------
PAREN = ("ca", "server", "client")
SERVER_NAME = "temporal"  # TEMPORAL_TLS_SERVER_NAME of every client (tests/unit/test_compose.py)


def tls_dir(env_file: Path) -> Path:
    return env_file.parent / "deploy" / "tls"


def openssl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)


def extensions(cert: Path) -> str:
    return openssl("x509", "-in", str(cert), "-noout", "-text").stdout


@pytest.fixture
def tls(tmp_path: Path) -> Path:
    env_file = tmp_path / ".env"
    result = secrets(env_file)
    assert result.returncode == 0, result.stderr
    return tls_dir(env_file)


def test_a_ca_a_server_and_a_client_certificate_are_made_owner_only(tls: Path) -> None:
    """Every certificate and key 0600 in a 0700 folder that git ignores."""
    for naam in PAREN:
        for bestand in (tls / f"{naam}.pem", tls / f"{naam}-key.pem"):
            assert stat.S_IMODE(bestand.stat().st_mode) == 0o600, bestand.name
    assert stat.S_IMODE(tls.stat().st_mode) == 0o700
    assert (tls / ".gitignore").read_text().split()[0] == "*"


def test_server_and_client_certificates_verify_against_the_ca(tls: Path) -> None:
    """`openssl verify` with our CA only, each for its purpose."""
    ca = str(tls / "ca.pem")
    for naam, doel in (("server", "sslserver"), ("client", "sslclient")):
        result = openssl("verify", "-CAfile", ca, "-purpose", doel, str(tls / f"{naam}.pem"))
        assert result.returncode == 0 and result.stdout.strip().endswith(": OK"), result
    # A certificate of another CA does not verify: the check is real.
    vreemd = openssl("verify", "-CAfile", str(tls / "server.pem"), str(tls / "client.pem"))
    assert vreemd.returncode != 0


def test_the_server_certificate_names_the_server_the_clients_verify(tls: Path) -> None:
    """SAN DNS:temporal (TEMPORAL_TLS_SERVER_NAME), and localhost for the published port;
    serverAuth, and clientAuth for the server's own internode connections."""
    text = extensions(tls / "server.pem")
    assert f"DNS:{SERVER_NAME}" in text and "IP Address:127.0.0.1" in text
    assert "TLS Web Server Authentication" in text and "TLS Web Client Authentication" in text
    result = openssl("x509", "-in", str(tls / "server.pem"), "-noout", "-checkhost", SERVER_NAME)
    assert "does match" in result.stdout
    assert "CA:FALSE" in text


def test_the_client_certificate_is_for_clients_only(tls: Path) -> None:
    """clientAuth, not a server, not a CA; and the CA may sign nothing below the leaves."""
    text = extensions(tls / "client.pem")
    assert "TLS Web Client Authentication" in text
    assert "TLS Web Server Authentication" not in text and "CA:FALSE" in text
    assert "CA:TRUE, pathlen:0" in extensions(tls / "ca.pem")


def test_each_key_belongs_to_its_certificate(tls: Path) -> None:
    """The public key of each certificate is the one of its private key."""
    for naam in PAREN:
        uit_cert = openssl("x509", "-in", str(tls / f"{naam}.pem"), "-noout", "-pubkey").stdout
        uit_sleutel = openssl("pkey", "-in", str(tls / f"{naam}-key.pem"), "-pubout").stdout
        assert uit_cert and uit_cert == uit_sleutel, naam


def test_no_personal_data_in_the_certificates(tls: Path) -> None:
    """Subjects name the organisation kind and the role, never a person or a host owner."""
    for naam in PAREN:
        onderwerp = openssl("x509", "-in", str(tls / f"{naam}.pem"), "-noout", "-subject").stdout
        velden = dict(
            deel.strip().split("=", 1) for deel in onderwerp.removeprefix("subject=").split(",")
        )
        velden = {k.strip(): v.strip() for k, v in velden.items()}
        assert set(velden) == {"O", "CN"} and velden["O"] == "Veilig Thuis", onderwerp


def test_a_second_run_changes_no_certificate(tmp_path: Path) -> None:
    """Every file byte for byte as it was, and it says so."""
    env_file = tmp_path / ".env"
    secrets(env_file)
    voor = {p.name: p.read_bytes() for p in tls_dir(env_file).iterdir()}
    result = secrets(env_file)
    assert result.returncode == 0
    assert {p.name: p.read_bytes() for p in tls_dir(env_file).iterdir()} == voor
    assert result.stdout.count("bestaat al, ongewijzigd") == len(GENERATED) + 1 + len(PAREN)


def test_a_removed_leaf_is_made_again_by_the_same_ca(tmp_path: Path) -> None:
    """Rotation of the client certificate: remove the pair, run again; the CA and the server
    pair stay, the new client certificate verifies against the old CA."""
    env_file = tmp_path / ".env"
    secrets(env_file)
    tls = tls_dir(env_file)
    ca, server = (tls / "ca.pem").read_bytes(), (tls / "server.pem").read_bytes()
    oud = (tls / "client.pem").read_bytes()
    (tls / "client.pem").unlink()
    (tls / "client-key.pem").unlink()
    result = secrets(env_file)
    assert result.returncode == 0 and "tls/client.pem: aangemaakt" in result.stdout
    assert (tls / "ca.pem").read_bytes() == ca and (tls / "server.pem").read_bytes() == server
    assert (tls / "client.pem").read_bytes() != oud
    assert (
        openssl("verify", "-CAfile", str(tls / "ca.pem"), str(tls / "client.pem")).returncode == 0
    )


def test_half_a_pair_is_refused_not_overwritten(tmp_path: Path) -> None:
    """A certificate without its key (or the reverse) stops the script; nothing is replaced."""
    env_file = tmp_path / ".env"
    secrets(env_file)
    tls = tls_dir(env_file)
    (tls / "server-key.pem").unlink()
    voor = (tls / "server.pem").read_bytes()
    result = secrets(env_file)
    assert result.returncode != 0 and "tls/server" in result.stderr
    assert (tls / "server.pem").read_bytes() == voor and not (tls / "server-key.pem").exists()


def test_a_leaf_without_the_ca_key_is_refused(tmp_path: Path) -> None:
    """With ca-key.pem in the vault, a missing leaf cannot be signed: it says so."""
    env_file = tmp_path / ".env"
    secrets(env_file)
    tls = tls_dir(env_file)
    (tls / "ca-key.pem").unlink()
    assert secrets(env_file).returncode == 0  # nothing to sign: fine without the CA key
    (tls / "client.pem").unlink()
    (tls / "client-key.pem").unlink()
    result = secrets(env_file)
    assert result.returncode != 0 and "ca-key.pem" in result.stderr


def test_the_search_attribute_script_passes_the_client_certificate(tmp_path: Path) -> None:
    """With the three mTLS variables, every CLI call carries --tls and the files."""
    code, calls = register(
        tmp_path,
        extra={
            "TEMPORAL_TLS_CLIENT_CERT_PATH": "/tls/client.pem",
            "TEMPORAL_TLS_CLIENT_KEY_PATH": "/tls/client-key.pem",
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH": "/tls/ca.pem",
            "TEMPORAL_TLS_SERVER_NAME": "temporal",
        },
    )
    assert code == 0 and calls
    for call in calls:
        assert "--tls --tls-cert-path /tls/client.pem --tls-key-path /tls/client-key.pem" in call
        assert "--tls-ca-path /tls/ca.pem --tls-server-name temporal" in call


def test_half_an_mtls_configuration_stops_the_search_attribute_script(tmp_path: Path) -> None:
    """A certificate without its key stops before Temporal is called, naming what is missing."""
    env = {
        "PATH": os.environ["PATH"],
        "TEMPORAL_ADDRESS": "x:7236",
        "TEMPORAL_NAMESPACE": "d",
        "TEMPORAL_TLS_CLIENT_CERT_PATH": "/tls/client.pem",
    }
    result = subprocess.run(
        ["sh", str(ZOEKATTRIBUTEN)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "TEMPORAL_TLS_CLIENT_KEY_PATH" in result.stderr


def register(
    tmp_path: Path,
    mismatch: str = "-",
    tijdelijk: str = "-",
    extra: dict[str, str] | None = None,
) -> tuple[int, list[str]]:
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
        **(extra or {}),
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


def test_the_configured_retention_is_kept_on_an_existing_namespace(tmp_path: Path) -> None:
    """Issue 25 (docs/retention.md): VT_RETENTIE applies to a namespace that already existed,
    where we manage it; without VT_RETENTIE, or on Temporal Cloud, the script leaves it be."""
    code, calls = register(tmp_path, extra={"VT_RETENTIE": "720h"})
    assert code == 0
    assert any(
        "namespace update --address temporal:7233 --namespace default --retention 720h" in c
        for c in calls
    ), calls
    for n, extra in enumerate(({}, {"VT_RETENTIE": "720h", "VT_NAMESPACE_AANMAKEN": "false"})):
        map_ = tmp_path / f"zonder-{n}"
        map_.mkdir()
        code, calls = register(map_, extra=extra)
        assert code == 0 and not any("namespace update" in c for c in calls), calls
