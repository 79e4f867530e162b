"""A deadline that reminds, escalates and keeps waiting (DESIGN §3; STYLE convention 2).

The mechanics are the same for the beoordeling, the tweede terugkoppeling and a monitoring
check: wait for the human step until the reminder moment, remind; wait until the deadline,
escalate; then keep waiting, never abandoning the case. Every moment is absolute and every
raised reminder is recorded, so the watch resumes exactly after a continue-as-new.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

Voorwaarde = Callable[[], bool]


class Wachter(Protocol):
    """Waits until the condition holds (True) or the moment passes (False); None: no moment."""

    def __call__(
        self, klaar: Voorwaarde, tot: datetime | None, samenvatting: str | None = None
    ) -> Awaitable[bool]: ...


async def bewaak(
    wacht: Wachter,
    klaar: Voorwaarde,
    *,
    sleutel: str,
    herinnering: datetime,
    deadline: datetime,
    gedaan: list[str],
    bij_herinnering: Callable[[], Awaitable[None]],
    bij_overschrijding: Callable[[], Awaitable[None]],
    samenvattingen: tuple[str | None, str | None] = (None, None),
) -> None:
    """Wait for `klaar`, raising the reminder and the escalation once each on the way; the
    two timers carry `samenvattingen` (reminder, deadline) as their names in the Web UI."""
    for (moment, soort, actie), samenvatting in zip(
        (
            (herinnering, "herinnering", bij_herinnering),
            (deadline, "escalatie", bij_overschrijding),
        ),
        samenvattingen,
        strict=True,
    ):
        if f"{sleutel}:{soort}" in gedaan:
            continue
        if await wacht(klaar, moment, samenvatting):
            return
        await actie()
        gedaan.append(f"{sleutel}:{soort}")
    await wacht(klaar, None)
