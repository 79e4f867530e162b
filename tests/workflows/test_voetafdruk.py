"""Every path stays under 200 history events per run (issue 12): the recorded paths as today's
code runs them (the radar path continues as new) and a long monitoring."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from tests.replay.opnemen import PADEN, Pad, doorloop
from tests.workflows import scenario as sc
from tests.workflows.runs import WEGGELATEN, aantal, afgekapt, mislukte_taken
from workflows import MeldingWorkflow

GRENS = 200


def lengtes(geschiedenissen: list[WorkflowHistory]) -> list[int]:
    """Events per run, a cut run counted with the events it may lack."""
    return [len(g.events) + (WEGGELATEN if afgekapt(g) else 0) for g in geschiedenissen]


async def _doorloop(env: WorkflowEnvironment, naam: str, pad: Pad) -> list[WorkflowHistory]:
    """One path with today's code, as tests/replay/opnemen.py records it: every run's history."""
    return await doorloop(env, naam, pad, "voetafdruk")


@pytest.mark.parametrize("naam", list(PADEN))
async def test_every_run_of_a_recorded_path_stays_under_200_history_events(
    env: WorkflowEnvironment, naam: str
) -> None:
    """v2: the radar path that continues as new (105 links) had 368 events in its first run."""
    geschiedenissen = await _doorloop(env, naam, PADEN[naam])
    assert mislukte_taken(geschiedenissen) == []
    assert max(lengtes(geschiedenissen)) < GRENS, lengtes(geschiedenissen)


async def _lange_monitoring(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """Voorwaarden en vervolg, then nine checks that are not yet stably safe and a tenth that is
    (checks at 3 and 12 months after the dienst, then every 3 months: at most 92 and 276 days
    apart, so each sleep ends after its check opened and before its reminder)."""
    await sc.beoordeel(h, "voorwaarden_en_vervolg", t=sc.triage(structurele_onveiligheid=True))
    await env.sleep(timedelta(weeks=6))
    await h.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    for nummer, dagen in enumerate([92, 276] + [92] * 8, start=1):
        await env.sleep(timedelta(days=dagen))
        await sc.registreer_monitoring(h, sc.uitkomst(stabiel=nummer == 10))


async def test_a_long_monitoring_continues_as_new_and_every_run_stays_under_200_events(
    env: WorkflowEnvironment,
) -> None:
    """v2: ten monitoring checks in one run (about 330 events). Now the case continues as new
    while it waits for a check; every check is applied once, and the case closes stably safe."""
    geschiedenissen = await _doorloop(env, "lange_monitoring", _lange_monitoring)
    assert mislukte_taken(geschiedenissen) == []
    assert len(geschiedenissen) >= 2
    assert max(lengtes(geschiedenissen)) < GRENS, lengtes(geschiedenissen)
    updates = aantal(geschiedenissen, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)
    assert updates == 2 + 1 + 10  # triage, besluit; dienst afgerond; ten checks
    afloop = await env.client.get_workflow_handle_for(
        MeldingWorkflow.run, geschiedenissen[0].workflow_id
    ).result()
    assert afloop.einde == "stabiel_veilig" and afloop.monitoringen == 10
