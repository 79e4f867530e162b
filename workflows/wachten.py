"""A wait with a deadline that continues as new when the history grows long.

The workflow owns one `Wachten`; the deadline watch (workflows/termijnbewaking.py) calls it.
Its state is the workflow's own: the wait only asks whether the history is too long and how to
carry everything over.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from temporalio import workflow

Voorwaarde = Callable[[], bool]

# Replay: v2 continued as new once the decisions in flight were done, even when one of them had
# ended the wait (a monitoring check's outcome was then never read: the continued run planned
# the next check). Since v3 the wait ends instead, and the caller reads the outcome.
PATCH_KLAAR_NA_BESLISSING = "wachten-klaar-na-beslissing"


class Wachten:
    def __init__(
        self,
        te_lang: Voorwaarde,
        ga_verder_als_nieuw: Callable[[], Awaitable[None]],
        voor_wachten: Callable[[], None] = lambda: None,
    ) -> None:
        self._te_lang, self._ga_verder_als_nieuw = te_lang, ga_verder_als_nieuw
        self._voor_wachten = voor_wachten
        # True while the run, too long, waits for its handlers to continue as new: the
        # validators then send new decisions to the next run (the history stays bounded).
        self.sluit_run = False

    async def __call__(
        self, klaar: Voorwaarde, tot: datetime | None, samenvatting: str | None = None
    ) -> bool:
        """Wait until `klaar` (True) or the moment `tot` (False); None: no moment. The timer
        carries `samenvatting` (the Web UI's name for it); `voor_wachten` runs before each wait
        (the workflow shows what it waits for)."""
        while True:
            if klaar():
                return True
            timeout = None if tot is None else tot - workflow.now()
            if timeout is not None and timeout <= timedelta(0):
                return False
            self._voor_wachten()
            try:
                await workflow.wait_condition(
                    lambda: klaar() or self._te_lang(),
                    timeout=timeout,
                    timeout_summary=samenvatting if timeout is not None else None,
                )
            except TimeoutError:
                return klaar()
            if klaar():
                return True
            # Too long: continue as new once the decisions in flight are done, unless one of
            # them ended the wait.
            self.sluit_run = True
            await workflow.wait_condition(workflow.all_handlers_finished)
            if klaar() and workflow.patched(PATCH_KLAAR_NA_BESLISSING):
                self.sluit_run = False
                return True
            await self._ga_verder_als_nieuw()
