"""The omzetting of an advies into a melding: its melding_id checked free (an activity), then a
MeldingWorkflow started as the advies' child (it outlives the advies: ABANDON)."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from activities.advies import AdviesActiviteiten
    from contract import names
    from contract.policies import DATABASE_RETRY, KORT
    from domain import adviesbeeld
    from domain.leesbaar import Leesbaar
    from domain.melding import Melding
    from workflows.kindmelding import start_kindmelding


async def start_melding(advies_id: str, melding: Melding) -> None:
    """Start the melding, or refuse with FOUT_BESTAAT_AL when its melding_id is taken."""
    bezet = await workflow.execute_activity_method(
        AdviesActiviteiten.melding_id_vrij,
        melding.melding_id,
        start_to_close_timeout=KORT,
        retry_policy=DATABASE_RETRY,
        summary=Leesbaar("melding_id van de omzetting vrij?"),
    )
    if bezet is not None:
        raise ApplicationError(bezet, type=names.FOUT_BESTAAT_AL, non_retryable=True)
    samenvatting, details = adviesbeeld.omzetting(melding, advies_id)
    try:
        await start_kindmelding(melding, samenvatting, details)
    except WorkflowAlreadyStartedError:
        raise ApplicationError(
            f"melding {melding.melding_id} bestaat al",
            type=names.FOUT_BESTAAT_AL,
            non_retryable=True,
        ) from None
