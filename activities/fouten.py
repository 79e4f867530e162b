"""Data errors are deterministic: an activity that PostgreSQL refuses for its data (a character
it cannot store, a value out of range) fails the same way on every retry. Such a failure becomes
a non-retryable `Gegevensfout` with a clear message (no content), an error log line and a metric
an operator sees, instead of a silent retry loop."""

from __future__ import annotations

import traceback
from typing import Any

import asyncpg
import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from contract import names
from versleuteling.codec import SleutelFout, SleutelopslagOnbereikbaar

log = structlog.get_logger(__name__)

METRIEK = "vt_gegevensfouten"


def _uit_asyncpg(fout: BaseException) -> bool:
    """Raised inside asyncpg (a socket error of the pool, not of a partner's interface)."""
    return any("/asyncpg/" in f.filename for f in traceback.extract_tb(fout.__traceback__))


class _Gegevensfouten(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await super().execute_activity(input)
        except SleutelopslagOnbereikbaar as fout:
            # The data keys live in the same PostgreSQL: retried as the database away is.
            raise ApplicationError(str(fout), type=names.FOUT_DATABASE_WEG) from None
        except SleutelFout as fout:
            # A destroyed key, a master key that does not fit, a ciphertext in the wrong row:
            # no retry changes that (the message names ids, never content).
            raise ApplicationError(
                str(fout), type=type(fout).__name__, non_retryable=True
            ) from None
        except (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError) as fout:
            if not _uit_asyncpg(fout) and not isinstance(fout, asyncpg.PostgresConnectionError):
                raise
            # PostgreSQL away: retried as ever, under one short, typed name the client reads
            # (a long trace would be cut by the server and lose its cause).
            raise ApplicationError(
                f"PostgreSQL niet bereikbaar ({type(fout).__name__})",
                type=names.FOUT_DATABASE_WEG,
            ) from None
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
