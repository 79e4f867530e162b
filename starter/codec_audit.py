"""The codec server's audit: every decode, encode, verklaring and refusal as a row of `audit`
(the login's id, counts and names, never content). Without the database the call fails: nothing
is served unaudited."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg

from versleuteling import audit

# (melding_id, handeling, wie, gegevens): one audit row; counts and names only, never content.
Audit = Callable[[str, str, str, dict[str, Any]], Awaitable[None]]


class AuditOnbereikbaar(Exception):
    """The audit row cannot be written: PostgreSQL does not answer (the call is refused)."""

    def __init__(self, oorzaak: str) -> None:
        super().__init__(f"audit (PostgreSQL) niet bereikbaar ({oorzaak})")
        self.oorzaak = oorzaak


def audit_in(pool: asyncpg.Pool) -> Audit:
    """Each call as an audit row (`payload_ontsleuteld`, `payload_versleuteld`,
    `verklaring_afgegeven`): the login's id, counts and names, never content. Without the
    database the call fails with AuditOnbereikbaar: nothing is served unaudited. The row is
    written by the table's owner, versleuteling/audit.py."""
    weg: tuple[type[BaseException], ...] = (
        OSError,
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.exceptions.OperatorInterventionError,
    )

    async def schrijf(melding_id: str, handeling: str, wie: str, gegevens: dict[str, Any]) -> None:
        try:
            await _schrijf(melding_id, handeling, wie, gegevens)
        except weg as fout:
            raise AuditOnbereikbaar(type(fout).__name__) from None

    async def _schrijf(melding_id: str, handeling: str, wie: str, gegevens: dict[str, Any]) -> None:
        async with pool.acquire() as con:
            await audit.schrijf(
                con,
                f"codec/{uuid.uuid4()}",
                melding_id,
                handeling,
                wie,
                datetime.now(UTC),
                # Counts only, nothing of the melding: stored as plain JSON (migration 008).
                json.dumps(gegevens).encode(),
            )

    return schrijf
