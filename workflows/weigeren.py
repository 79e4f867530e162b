"""One refusal for every update of every workflow (issue 27): a validator or handler that turns
a decision down raises the contract's `Geweigerd` (names.FOUT_GEWEIGERD), non-retryable, with a
reason that names the rule, never the value. The client raises starter.Geweigerd for it, and the
failure stays readable without the codec (versleuteling leaves a Geweigerd's message clear)."""

from __future__ import annotations

from typing import NoReturn

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from contract import names


def weiger(reden: str) -> NoReturn:
    # from None: the reason is the whole message (an error being handled, such as a
    # ValidationError holding the typed values, is never sent along).
    raise ApplicationError(reden, type=names.FOUT_GEWEIGERD, non_retryable=True) from None


def weiger_als(reden: str | None) -> None:
    """Refuse when there is a reason."""
    if reden is not None:
        weiger(reden)
