"""Data errors are deterministic: an activity that PostgreSQL refuses for its data (a character
it cannot store, a value out of range) fails the same way on every retry. Such a failure becomes
a non-retryable `Gegevensfout` with a clear message (no content), an error log line and a metric
an operator sees, instead of a silent retry loop."""

from __future__ import annotations

from typing import Any

import asyncpg
import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from domain import names

log = structlog.get_logger(__name__)

METRIEK = "vt_gegevensfouten"


class _Gegevensfouten(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await super().execute_activity(input)
        except (asyncpg.DataError, UnicodeError) as fout:
            info = activity.info()
            soort = type(fout).__name__
            code = getattr(fout, "sqlstate", None) or "-"
            log.error("gegevensfout", activity=info.activity_type, fout=soort, sqlstate=code)
            activity.metric_meter().create_counter(
                METRIEK, "Activities refused by PostgreSQL for their data (not retried)"
            ).add(1, {"activity": info.activity_type})
            raise ApplicationError(
                f"{info.activity_type}: PostgreSQL weigert de gegevens ({soort}, SQLSTATE {code});"
                " opnieuw proberen verandert daar niets aan",
                type=names.FOUT_GEGEVENS,
                non_retryable=True,
            ) from None


class GegevensfoutInterceptor(Interceptor):
    """Turns a data error of any activity into a non-retryable, logged, counted failure."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Gegevensfouten(next)
