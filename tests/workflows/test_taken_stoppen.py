"""Patch `taken-stoppen-voor-verder-als-nieuw` (v7.2, voorbereid): a run that continues as new
first lets its side tasks finish an activity in flight, cancels them, and the next run restarts
them from the state it carries. The Raad's readings: tests/workflows/test_raad.py (15 days of
them); here the household's follow-up, during a dienst that continues as new."""

from __future__ import annotations

import functools
import json
from datetime import timedelta

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from domain.besluiten import HuishoudenInformeren, Koppeling
from domain.termijnen import HUISHOUDEN_HERINNERING
from tests.workflows import scenario as sc
from tests.workflows.conftest import werker
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import alle_runs, mislukte_taken
from tests.workflows.test_raad import _activeer
from workflows import MeldingWorkflow
from workflows.melding import EVENTS_PER_RUN, PATCH_TAKEN_STOPPEN

LINKS = EVENTS_PER_RUN // 2


def _patches(geschiedenis: WorkflowHistory) -> list[str]:
    """The ids of the patch markers of one run."""
    return [
        json.loads(e.marker_recorded_event_attributes.details["patch-data"].payloads[0].data)["id"]
        for e in geschiedenis.events
        if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
        and e.marker_recorded_event_attributes.marker_name == "core_patch"
    ]


async def test_the_household_follow_up_is_stopped_before_and_restarted_after_a_new_run(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    activeer = functools.partial(_activeer, taken_stoppen=True)
    async with werker(env, nep, activeer) as worker:
        m, handle = await sc.onderzoek_met_uitstel(env.client, worker)
        # Radar links until the dienst's run reaches its bound and continues as new.
        for n in range(LINKS):
            await handle.signal(
                MeldingWorkflow.melding_gekoppeld,
                Koppeling(
                    melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=sc.NU
                ),
            )
        await sc.wacht_tot(handle, lambda s: len(s.gekoppelde_meldingen) == LINKS)
        runs = await alle_runs(env.client, handle.id)
        assert len(runs) >= 2
        assert all(PATCH_TAKEN_STOPPEN in _patches(r) for r in runs[:-1])
        # The follow-up goes on in the new run: one reminder per two weeks, none twice.
        await env.sleep(HUISHOUDEN_HERINNERING + timedelta(days=1))
        await sc.wacht_tot(handle, lambda s: len(nep.signaleringen) >= 2)
        herinneringen = [s for s in nep.signaleringen if s.soort.value == "herinnering"]
        assert [s.termijn.value for s in herinneringen] == ["huishouden_informeren"]
        informatie = HuishoudenInformeren(
            medewerker="mw-0042", wijze="bericht", toelichting="Veiligheidsplan staat; nu veilig."
        )
        await handle.execute_update(MeldingWorkflow.informeer_huishouden, informatie)
        await sc.wacht_tot(handle, lambda s: (m.melding_id, "huishouden_informeren") in nep.outbox)
        assert mislukte_taken(await alle_runs(env.client, handle.id)) == []
        await sc.beeindig(handle)
