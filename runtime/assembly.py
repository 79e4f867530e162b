"""The worker: every workflow and activity on one task queue, run until SIGINT/SIGTERM, then a
graceful shutdown (polling stops, activities in flight finish within `VT_STOP_TIMEOUT`; whatever
does not complete is retried by Temporal on another worker)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import asyncpg
import structlog
from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import PatchActivationInput, Worker

from activities import alle_activiteiten
from activities.database import migreer
from activities.fouten import GegevensfoutInterceptor
from adapters.demobron import demo_bronnen
from contract import patches
from domain.poorten import Bronpoort
from domain.uitwisseling import Bron
from runtime.auteurschap import auteurschap, heeft_plugin
from runtime.bewaking import bewaak
from runtime.config import Configuratie
from runtime.connections import verbind_database, verbind_temporal
from runtime.interceptor import LogContextInterceptor
from runtime.logs import core_logging
from runtime.naloop import plan_naloop
from runtime.vernietigingslijst import plan_vernietigingslijst
from versleuteling.codec import KeyStore
from versleuteling.opslag import PostgresKeyStore
from versleuteling.verklaring import sleutel_uit_hoofdsleutel
from workflows import ALLE_WORKFLOWS

# Tuning (bench.doorvoer and bench.geheugen run with the same): a case waiting days for a
# human need not stay in memory; one that is evicted is replayed from its history at its next
# task. The SDK's default cache (1000) kept ~360 MiB at 1,000 waiting cases, 250 ~190 MiB.
WORKER_AFSTEMMING: dict[str, Any] = {"max_cached_workflows": 250}


def maak_worker(
    client: Client,
    pool: asyncpg.Pool,
    config: Configuratie,
    adapters: dict[Bron, Bronpoort] | None = None,
    datasleutels: KeyStore | None = None,
    afstemming: Mapping[str, Any] | None = None,
) -> Worker:
    """Every workflow and activity, with the adapters of the outside world (the bootstrap: the
    only place they are built). `adapters`: the Raad's and the politie's real interfaces (ports
    `domain.poorten.Bronpoort`); without them the demo source (`adapters/demobron.py`).
    `datasleutels`: the client's key store (one cache for payloads and columns), else one on
    `pool` with the configured master key. `afstemming`: other worker options than
    WORKER_AFSTEMMING (a benchmark's)."""
    sleutels = datasleutels or PostgresKeyStore(config.hoofdsleutel, pool)
    return Worker(
        client,
        task_queue=config.task_queue,
        workflows=ALLE_WORKFLOWS,
        activities=alle_activiteiten(
            pool,
            config.register_sleutel,
            client,
            adapters=adapters or demo_bronnen(pool, sleutels),
            kalender=config.kalender,
            datasleutels=sleutels,
            bezorging=config.bezorging,
            bewaarbeleid=config.bewaarbeleid,
            vernietigingstermijn=config.vernietigingstermijn,
            keten=config.keten,
        ),
        interceptors=[LogContextInterceptor(), GegevensfoutInterceptor()],
        # Who acts: the client's plugin brings the check; a client without it gets the check
        # here (a worker never runs without it: every write would be refused).
        plugins=[] if heeft_plugin(client.config()["plugins"]) else [_controle(config)],
        graceful_shutdown_timeout=timedelta(seconds=config.stop_timeout),
        # A patch that is only prepared (contract/patches.py) leaves new cases on its old branch.
        patch_activation_callback=activeer_patch,
        **(WORKER_AFSTEMMING if afstemming is None else afstemming),
    )


def activeer_patch(invoer: PatchActivationInput) -> bool:
    """The worker's answer when a case reaches a patch for the first time, not on replay."""
    return patches.actief(invoer.patch_id)


def _controle(config: Configuratie) -> Any:
    return auteurschap([sleutel_uit_hoofdsleutel(config.hoofdsleutel)], None)


async def draai(
    config: Configuratie,
    stop: asyncio.Event | None = None,
    gestart: asyncio.Event | None = None,
) -> None:
    """Run until `stop` (or SIGINT/SIGTERM); `gestart` is set once the worker polls."""
    log = structlog.get_logger("worker")
    stop = stop or asyncio.Event()
    metrics = None
    if config.metrics_poort:
        metrics = PrometheusConfig(bind_address=f"{config.metrics_host}:{config.metrics_poort}")
    runtime = Runtime(telemetry=TelemetryConfig(logging=core_logging(), metrics=metrics))
    sleutels = PostgresKeyStore(config.hoofdsleutel)
    client = await verbind_temporal(config, runtime, sleutels)
    pool = await verbind_database(config)
    sleutels.koppel(pool)
    try:
        toegepast = await migreer(pool)
        worker = maak_worker(client, pool, config, datasleutels=sleutels)
        await plan_naloop(client, config.task_queue)
        await plan_vernietigingslijst(client, config.task_queue, config.vernietigingslijst_cron)
        lus = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            lus.add_signal_handler(sig, stop.set)
        async with worker:
            bewaking = asyncio.create_task(bewaak(client, pool, runtime.metric_meter, stop))
            log.info(
                "worker gestart",
                task_queue=config.task_queue,
                temporal=config.temporal_adres,
                database=config.database_adres,
                migraties=toegepast,
                bezorging=config.bezorging.beschrijving(),
                keten=config.keten.beschrijving(),
                metrics=f"{config.metrics_host}:{config.metrics_poort}"
                if config.metrics_poort
                else "uit",
            )
            if gestart is not None:
                gestart.set()
            await stop.wait()
            await bewaking
            log.info("worker stopt", stop_timeout=config.stop_timeout)
        log.info("worker gestopt")
    finally:
        await pool.close()
