"""The parts of `make run` (stack.py) that need nothing but runtime/: whether a port is free, the
Temporal dev server with our search attributes, the local mail sink, the banner, and a start
error that says where the failing service came from. stack.py passes its data folder and ports."""

from __future__ import annotations

import shlex
import socket
import subprocess
from pathlib import Path
from typing import Any

from contract.search_attributes import registreer_zoekattributen
from runtime.connections import StartFout
from runtime.devserver import StackFout, start_temporal, wacht_op_temporal
from runtime.toegang import Toegang, ui_codec_endpoint


def vrij(poort: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", poort))
        except OSError:
            return False
    return True


def controleer_poorten(poorten: dict[int, tuple[str, str]]) -> None:
    """Each port: what runs there and the variable that moves it."""
    bezet = {poort: d for poort, d in poorten.items() if poort and not vrij(poort)}
    if bezet:
        raise StackFout(
            f"poort {', '.join(f'{p} ({wat})' for p, (wat, _) in bezet.items())} is al in "
            "gebruik: draait `make run` al in een ander venster? Stop dat, of kies een andere "
            f"poort met {' / '.join(v for _, v in bezet.values())}."
        )


def _relatief(pad: Path) -> Path:
    """The path as typed in this folder (`.data/…`), or absolute when it lies elsewhere."""
    try:
        return pad.relative_to(Path.cwd())
    except ValueError:
        return pad


def welkom(adres: str, ui: str | None, client_env: Path, voorbeelden: Path) -> str:
    """The banner: where it runs, and the commands for a second terminal as they work there
    (client.env carries address, codec server and token, whatever the ports)."""
    regels = ["", "Veilig Thuis meldingen draait."]
    if ui:
        regels.append(f"  Temporal Web UI : {ui}")
    regels += [
        f"  Temporal        : {adres}",
        f"  Client-omgeving : {client_env} (geheim: je codec-token; alleen voor jou)",
        "",
        "Probeer in een tweede terminal, in deze map:",
        f"  set -a; . {shlex.quote(str(client_env))}; set +a",
        "  .venv/bin/python -m starter demo",
        "  .venv/bin/python -m starter lijst",
        "  .venv/bin/python -m starter post",
        "  (post: de terugkoppelingen en brieven die de worker bezorgde)",
        "  .venv/bin/python -m starter indienen "
        + shlex.quote(str(_relatief(voorbeelden / "melding_advies.json"))),
        f"  (voorbeelden, vandaag ontvangen: {_relatief(voorbeelden)}/)",
        "",
        "Ctrl-C stopt alles; `make run` pakt de lopende meldingen daarna weer op (met nieuwe",
        "tokens: lees client.env dan opnieuw in).",
        "",
    ]
    return "\n".join(regels)


async def start_eigen_temporal(
    env: dict[str, str],
    toegang: Toegang,
    data: Path,
    poorten: tuple[int, int, int],
) -> subprocess.Popen[bytes]:
    """The dev server on `poorten` (Temporal, Web UI, codec server) with our search attributes,
    its Web UI decoding through the codec server's secret UI path; sets TEMPORAL_ADDRESS."""
    temporal_poort, ui_poort, codec_poort = poorten
    env["TEMPORAL_ADDRESS"] = f"127.0.0.1:{temporal_poort}"
    server = start_temporal(data, temporal_poort, ui_poort, ui_codec_endpoint(toegang, codec_poort))
    client = await wacht_op_temporal(server, env["TEMPORAL_ADDRESS"], data / "temporal.log")
    nieuw = await registreer_zoekattributen(client)
    print(
        f"Temporal dev server op {env['TEMPORAL_ADDRESS']}"
        f" (zoekattributen nieuw: {', '.join(nieuw) or 'geen'})",
        flush=True,
    )
    return server


async def start_eigen_postbus(
    env: dict[str, str], data: Path, postbus_poort: int
) -> tuple[Any, dict[str, str]]:
    """The local mail sink (unless VT_SMTP_HOST names a server) and the letters folder; sets
    the worker's VT_SMTP_* and VT_DRUKSTRAAT_MAP, returns the server and client.env's values."""
    from bezorging.postbus import maak_certificaat, start_postbus

    env.setdefault("VT_DRUKSTRAAT_MAP", str(data / "brieven"))
    waarden = {"VT_BRIEVEN_MAP": env["VT_DRUKSTRAAT_MAP"]}
    if env.get("VT_SMTP_HOST"):
        return None, waarden
    certificaat = maak_certificaat(data / "postbus")
    server = await start_postbus(data / "post", postbus_poort, certificaat)
    env |= {
        "VT_SMTP_HOST": "127.0.0.1",
        "VT_SMTP_PORT": str(postbus_poort),
        "VT_SMTP_STARTTLS": "ja",
        "VT_SMTP_CA": str(certificaat[0]),
        "VT_SMTP_AFZENDER": env.get("VT_SMTP_AFZENDER") or "terugkoppeling@veiligthuis.localhost",
    }
    print(f"Postbus (SMTP, STARTTLS) op 127.0.0.1:{postbus_poort}, post in {data / 'post'}")
    return server, waarden | {"VT_POSTBUS_MAP": str(data / "post")}


def start_fout(fout: StartFout, eigen_temporal: bool, eigen_postgres: bool) -> StackFout:
    """A service the environment pointed at is not there: the error says that it came from
    there (raise it from `fout`)."""
    tekst = str(fout)
    if fout.dienst == "Temporal" and not eigen_temporal:
        tekst += (
            "; TEMPORAL_ADDRESS staat in je omgeving, dus `make run` startte geen eigen "
            "Temporal dev server. Start die server, of unset TEMPORAL_ADDRESS voor de ingebouwde"
        )
    if fout.dienst == "PostgreSQL" and not eigen_postgres:
        tekst += (
            "; DATABASE_URL staat in je omgeving, dus `make run` startte geen eigen "
            "PostgreSQL. Start die database, of unset DATABASE_URL voor de ingebouwde"
        )
    return StackFout(tekst)
