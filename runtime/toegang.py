"""Who may use the codec server of `make run`: made anew on every start, written owner-only into
the data folder (issue 17 item 6).

- a secret path segment for the Web UI (`VT_CODEC_UI_PAD`): the dev server's UI calls
  `http://127.0.0.1:<codec port>/<segment>/decode` and needs no token there;
- a bearer token per example principal: `mw-0042` (medewerker, the `medewerker` of the files in
  starter/examples) and `tl-0007` (teamleider), their SHA-256 in `codec-tokens.json`
  (`VT_CODEC_TOKENS`), their text only in `client.env`, which a shell in another terminal reads
  with `set -a; . .data/client.env; set +a`.

Both files are written atomically (a temporary file, created 0600, renamed over the old one), so
no other local user can read them, not even for an instant, and a reader never sees half a file.
Called by stack.py only, after it holds the data folder's lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shlex
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from contract import names

TOKENS = "codec-tokens.json"  # VT_CODEC_TOKENS: hashes only
CLIENT_ENV = "client.env"  # the environment of a client in another terminal: secret


@dataclass(frozen=True)
class Principaal:
    """A login of `make run`: the variable of client.env holding its token, and who it is."""

    variabele: str
    id: str
    soort: str  # persoon | systeem
    rollen: tuple[str, ...]


PRINCIPALEN = (
    Principaal("VT_CODEC_TOKEN", "mw-0042", "persoon", ("medewerker",)),
    Principaal("VT_CODEC_TOKEN_TEAMLEIDER", "tl-0007", "persoon", ("teamleider",)),
)


@dataclass(frozen=True)
class Toegang:
    """This run's secrets (never in a repr or a log line)."""

    ui_pad: str = field(repr=False)
    tokens: Mapping[str, str] = field(repr=False)  # variable of client.env -> token text


def nieuwe_toegang() -> Toegang:
    """Fresh secrets: 24 random bytes for the UI segment, 32 for each token."""
    return Toegang(
        ui_pad=secrets.token_urlsafe(24),
        tokens={p.variabele: secrets.token_urlsafe(32) for p in PRINCIPALEN},
    )


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_json(toegang: Toegang) -> str:
    """`codec-tokens.json` as the codec server reads it (VT_CODEC_TOKENS): hashes only."""
    regels = [
        {
            "sha256": sha256(toegang.tokens[p.variabele]),
            "id": p.id,
            "soort": p.soort,
            "rollen": list(p.rollen),
            "organisaties": ["*"],  # one developer plays every region (docs/privacy.md)
        }
        for p in PRINCIPALEN
    ]
    return json.dumps({"tokens": regels}, indent=2) + "\n"


def client_env(pad: Path, waarden: Mapping[str, str]) -> str:
    """client.env: a header saying what it is, then `KEY=value` lines a shell can source."""
    wie = ", ".join(f"{p.variabele}: {p.id} ({'/'.join(p.rollen)})" for p in PRINCIPALEN)
    kop = [
        f"# `make run` ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC): de omgeving van een client in",
        "# een andere terminal. GEHEIM: de tokens ontsleutelen meldingen; alleen voor jou (0600),",
        "# niet kopiëren of delen. Elke `make run` maakt nieuwe; na Ctrl-C werken deze niet meer.",
        f"# {wie}.",
        f"# Gebruik: set -a; . {shlex.quote(str(pad))}; set +a",
    ]
    return "\n".join([*kop, *(f"{k}={shlex.quote(v)}" for k, v in waarden.items())]) + "\n"


def client_waarden(
    toegang: Toegang,
    env: Mapping[str, str],
    temporal_adres: str,
    codec_poort: int,
    ui_poort: int | None,
) -> dict[str, str]:
    """What a client needs to reach this stack: address, codec server, tokens; the UI's port
    when it runs one; task queue and namespace when set."""
    waarden = {
        "TEMPORAL_ADDRESS": temporal_adres,
        "VT_CODEC_ENDPOINT": f"http://127.0.0.1:{codec_poort}",
        **{p.variabele: toegang.tokens[p.variabele] for p in PRINCIPALEN},
    }
    if ui_poort:
        waarden["VT_UI_PORT"] = str(ui_poort)
    for naam in (names.TASK_QUEUE_ENV, "TEMPORAL_NAMESPACE"):
        if env.get(naam):
            waarden[naam] = env[naam]
    return waarden


def schrijf_geheim(pad: Path, tekst: str) -> None:
    """Replace `pad` with `tekst` atomically; the new file is 0600 from its creation on
    (mkstemp creates it so, whatever the umask), the old one stays whole until the rename."""
    fd, tijdelijk = tempfile.mkstemp(prefix=f".{pad.name}.", suffix=".tmp", dir=pad.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as bestand:
            os.fchmod(bestand.fileno(), 0o600)
            bestand.write(tekst)
            bestand.flush()
            os.fsync(bestand.fileno())
        os.replace(tijdelijk, pad)
    except BaseException:
        Path(tijdelijk).unlink(missing_ok=True)
        raise


def schrijf_toegang(data: Path, toegang: Toegang, waarden: Mapping[str, str]) -> Path:
    """`codec-tokens.json` and `client.env` in `data`, both 0600; returns client.env's path."""
    schrijf_geheim(data / TOKENS, tokens_json(toegang))
    pad = data / CLIENT_ENV
    schrijf_geheim(pad, client_env(pad, waarden))
    return pad


def codec_omgeving(data: Path, toegang: Toegang, codec_poort: int, ui_poort: int) -> dict[str, str]:
    """The codec server's settings (CodecInstellingen.uit_omgeving) for this run: the tokens
    file, the UI's segment, the UI's origin, loopback."""
    return {
        "VT_CODEC_TOKENS": str(data / TOKENS),
        "VT_CODEC_UI_PAD": toegang.ui_pad,
        # A browser sends the UI's origin as typed: localhost or 127.0.0.1 (issue 19.5).
        "VT_CODEC_ORIGIN": f"http://localhost:{ui_poort},http://127.0.0.1:{ui_poort}",
        "VT_CODEC_HOST": "127.0.0.1",
        "VT_CODEC_PORT": str(codec_poort),
    }


def ui_codec_endpoint(toegang: Toegang, codec_poort: int) -> str:
    """What the dev server's Web UI calls (`--ui-codec-endpoint`): the secret segment."""
    return f"http://127.0.0.1:{codec_poort}/{toegang.ui_pad}"


def lees_client_env(pad: Path) -> dict[str, str]:
    """client.env's values as a shell would set them (for tests and tools)."""
    waarden: dict[str, str] = {}
    for regel in pad.read_text(encoding="utf-8").splitlines():
        if regel.strip() and not regel.lstrip().startswith("#"):
            sleutel, _, waarde = regel.partition("=")
            [waarden[sleutel]] = shlex.split(waarde) or [""]
    return waarden
