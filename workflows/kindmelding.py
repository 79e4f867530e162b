"""A MeldingWorkflow started by another workflow: an advies' omzetting (workflows/
adviesomzetting.py) or a new melding at a monitoring check (workflows/meldingafloop.py). The
child outlives its parent (ParentClosePolicy.ABANDON); its workflow ID is derived from its
melding_id, so a second start raises WorkflowAlreadyStartedError for the caller to judge."""

from __future__ import annotations

from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from contract import ids, names
    from domain.melding import Melding


async def start_kindmelding(melding: Melding, samenvatting: str, details: str) -> None:
    """Start the melding's workflow as a child with its static summary and details."""
    await workflow.start_child_workflow(
        names.MELDING_WORKFLOW,
        melding,
        id=ids.melding_workflow_id(melding.melding_id),
        parent_close_policy=ParentClosePolicy.ABANDON,
        static_summary=samenvatting,
        static_details=details,
    )
