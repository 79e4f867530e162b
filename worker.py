"""The worker: configuration from the environment, every workflow and activity wired together.

    python worker.py            # TEMPORAL_ADDRESS, DATABASE_URL, … (table in the README)

Bootstrap only: read the configuration (runtime/config.py), set up logging (runtime/logs.py),
connect to Temporal and PostgreSQL (a clear one-line error naming the address when either is
down), apply the migrations and run the worker until SIGINT/SIGTERM (runtime/assembly.py).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from runtime.assembly import WORKER_AFSTEMMING, draai, maak_worker
from runtime.config import (
    OMGEVINGSVARIABELEN,
    STANDAARD_METRICS_POORT,
    Configuratie,
    ConfiguratieFout,
)
from runtime.connections import StartFout
from runtime.exit import verlaat
from runtime.logs import configureer_logging, meld_fout

__all__ = [
    "OMGEVINGSVARIABELEN",
    "STANDAARD_METRICS_POORT",
    "WORKER_AFSTEMMING",
    "Configuratie",
    "ConfiguratieFout",
    "StartFout",
    "configureer_logging",
    "draai",
    "maak_worker",
    "main",
]


def main(env: Mapping[str, str] | None = None) -> int:
    """0 after a graceful stop; 2 on a configuration error, 1 when a service is unreachable."""
    formaat = (os.environ if env is None else env).get("VT_LOG_FORMAT", "auto")
    try:
        config = Configuratie.uit_omgeving(env)
    except ConfiguratieFout as fout:
        meld_fout(str(fout), formaat)
        return 2
    configureer_logging(config.log_formaat)
    try:
        asyncio.run(draai(config))
    except StartFout as fout:
        meld_fout(str(fout), formaat)
        return 1
    return 0


if __name__ == "__main__":
    verlaat(main())
