"""The stack of the rollback drill (scripts/terugroloefening.py): one Temporal dev server, one
embedded PostgreSQL, and the real worker of each release as its own process, with the checks
the drill makes after each step."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import Client

from activities.signalering import alle_vastgelopen
from contract.search_attributes import registreer_zoekattributen
from runtime.devserver import programma, start_postgres
from runtime.voorbeelden import vandaag_ontvangen

WORTEL = Path(__file__).resolve().parents[1]
VOORBEELDEN = WORTEL / "starter" / "examples"


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def uitpakken(doel: Path, commit: str) -> Path:
    """The release's tree at `commit` (git archive: the whole worker, as it shipped)."""
    doel.mkdir(parents=True)
    tar = subprocess.run(
        ["git", "archive", commit], cwd=WORTEL, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(doel, filter="data")
    return doel


class Oefening:
    def __init__(self, map_: Path) -> None:
        self.map = map_
        self.env: dict[str, str] = {}
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.teller = 0

    def stap(self, tekst: str) -> None:
        print(f"\n== {tekst}", flush=True)

    async def start(self) -> None:
        self.pg, dsn = start_postgres(self.map)
        poort = vrije_poort()
        self.temporal = subprocess.Popen(
            [
                programma("temporal"),
                "server",
                "start-dev",
                "--headless",
                "--ip",
                "127.0.0.1",
                "--port",
                str(poort),
                "--db-filename",
                str(self.map / "temporal.db"),
                "--log-level",
                "error",
                "--dynamic-config-value",
                "system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        adres = f"127.0.0.1:{poort}"
        for _ in range(100):
            try:
                self.client = await Client.connect(adres)
                break
            except RuntimeError:
                await asyncio.sleep(0.2)
        await registreer_zoekattributen(self.client)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "VT_"))},
            "TEMPORAL_ADDRESS": adres,
            "DATABASE_URL": dsn,
            "VT_MASTER_KEY": os.urandom(32).hex(),
            "VT_REGISTER_SLEUTEL": os.urandom(32).hex(),
            "VT_LOG_FORMAT": "json",
            "VT_METRICS_PORT": "0",
            "VT_AUTEUR": "mw-0042",
            "VT_AUTEUR_ROLLEN": "medewerker",
        }
        self.pool = await asyncpg.create_pool(dsn, min_size=0, max_size=2)
        print(f"Temporal {adres}, PostgreSQL {dsn}", flush=True)

    def worker(self, naam: str, boom: Path) -> None:
        log = open(self.map / f"worker-{naam}.log", "ab")  # noqa: SIM115 - lives with the worker
        self.workers[naam] = subprocess.Popen(
            [sys.executable, "worker.py"],
            cwd=boom,
            env={**self.env, "PYTHONPATH": str(boom)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        time.sleep(6)
        assert self.workers[naam].poll() is None, f"worker {naam} stopte: zie worker-{naam}.log"
        print(f"worker {naam} draait ({boom})", flush=True)

    def stop(self, naam: str) -> None:
        proces = self.workers.pop(naam)
        proces.send_signal(signal.SIGTERM)
        proces.wait(60)
        print(f"worker {naam} gestopt", flush=True)

    def cli(self, *args: str, verwacht: int | None = 0) -> str | None:
        """Runs the CLI; exits on another code than `verwacht`, or with `verwacht=None` returns
        None for a failure."""
        r = subprocess.run(
            [sys.executable, "-m", "starter", *args],
            cwd=WORTEL,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        regel = (r.stdout or r.stderr).strip().splitlines()[:1]
        print(f"  {' '.join(args[:2])}: exit {r.returncode} {regel[0][:110] if regel else ''}")
        if verwacht is None:
            return r.stdout if r.returncode == 0 else None
        if r.returncode != verwacht:
            raise SystemExit(f"onverwacht: exit {r.returncode}\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def melding(self, voorbeeld: str) -> str:
        self.teller += 1
        gegevens = json.loads(
            vandaag_ontvangen((VOORBEELDEN / f"{voorbeeld}.json").read_text(), datetime.now(UTC))
        )
        gegevens["melding_id"] = f"VT-UTR-2026-{900000 + self.teller + os.getpid() % 1000 * 10:06d}"
        pad = self.map / f"{gegevens['melding_id']}.json"
        pad.write_text(json.dumps(gegevens))
        self.cli("indienen", str(pad))
        return str(gegevens["melding_id"])

    def besluit(self, melding_id: str, voorbeeld: str) -> None:
        self.cli("besluit", melding_id, str(VOORBEELDEN / f"{voorbeeld}.json"))

    def triage(self, melding_id: str, voorbeeld: str = "triage") -> None:
        self.cli("triage", melding_id, str(VOORBEELDEN / f"{voorbeeld}.json"))

    async def controleer(self, ids: list[str]) -> None:
        """No workflow task fails, no case failed."""
        for melding_id in ids:
            beschrijving = await self.client.get_workflow_handle(f"melding-{melding_id}").describe()
            taak = beschrijving.raw_description.pending_workflow_task
            status = beschrijving.status.name if beschrijving.status else "?"
            if taak.attempt > 1 or status in ("FAILED", "TERMINATED", "TIMED_OUT"):
                raise SystemExit(f"{melding_id}: {status}, workflow-taak poging {taak.attempt}")
        print(f"  {len(ids)} casussen: geen mislukte workflow-taak, geen mislukte casus")

    async def vastgelopen(self) -> list[Any]:
        async with self.pool.acquire() as con:
            return await alle_vastgelopen(con)

    async def sluit(self) -> None:
        for naam in list(self.workers):
            self.stop(naam)
        await self.pool.close()
        os.killpg(self.temporal.pid, signal.SIGTERM)
        self.pg.cleanup()  # type: ignore[attr-defined]
