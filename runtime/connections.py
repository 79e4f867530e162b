"""Connecting to Temporal and PostgreSQL at start: a clear one-line error naming the address
when either cannot be reached."""

from __future__ import annotations

import asyncio

import asyncpg
from temporalio.client import Client
from temporalio.runtime import Runtime

from activities.database import maak_pool
from contract.client import data_converter, verbind_met
from runtime.auteurschap import van_worker
from runtime.config import Configuratie
from versleuteling.codec import KeyStore


class StartFout(RuntimeError):
    """Temporal or PostgreSQL (`dienst`) cannot be reached: one line, naming the address."""

    def __init__(self, tekst: str, dienst: str = "") -> None:
        super().__init__(tekst)
        self.dienst = dienst


async def verbind_temporal(
    config: Configuratie, runtime: Runtime | None, sleutels: KeyStore
) -> Client:
    """A client whose payloads are encrypted with the data keys of `sleutels`."""
    try:
        return await asyncio.wait_for(
            verbind_met(
                config.temporal,
                runtime=runtime,
                converter=data_converter(sleutels),
                plugins=[van_worker(config.hoofdsleutel)],
            ),
            timeout=15,
        )
    except Exception as fout:  # the SDK raises RuntimeError or a timeout; all mean the same here
        raise StartFout(
            f"kan Temporal op {config.temporal_adres} niet bereiken ({type(fout).__name__})",
            "Temporal",
        ) from fout


async def verbind_database(config: Configuratie) -> asyncpg.Pool:
    try:
        return await asyncio.wait_for(
            maak_pool(config.database_url, statement_timeout=config.statement_timeout), timeout=15
        )
    except (TimeoutError, OSError, asyncpg.PostgresError) as fout:
        raise StartFout(
            f"kan PostgreSQL op {config.database_adres} niet bereiken ({type(fout).__name__})",
            "PostgreSQL",
        ) from fout
