"""Issue 20 on the time-skipping server: each message is delivered right after it is stored,
the outcome is in the status, and one that needs a person raises one signalering while the
case goes on (the retries of an outage that never ends take minutes, skipped here)."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.policies import BEZORG_POGINGEN
from domain.bezorging import BezorgUitkomst
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow


def _signaleringen(nep: NepActiviteiten) -> list[tuple[str, str]]:
    return [(s.soort.value, s.termijn.value) for s in nep.signaleringen]


async def test_each_message_is_delivered_right_after_it_is_stored(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies")
    assert (await handle.result()).einde == "advies"
    assert nep.bezorgd == [
        (m.melding_id, "eerste_terugkoppeling"),
        (m.melding_id, "huishouden_informeren"),
    ]
    status = await handle.query(MeldingWorkflow.status)
    assert [(b.soort, b.uitkomst) for b in status.bezorgingen] == [
        ("eerste_terugkoppeling", "verzonden"),
        ("huishouden_informeren", "verzonden"),
    ]
    assert _signaleringen(nep) == []


async def test_a_message_failing_every_attempt_is_mislukt_and_the_case_goes_on(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """The bound: BEZORG_POGINGEN attempts with backoff, then one signalering; never a failed
    workflow, and the household's letter still goes."""
    nep.bezorging_faalt.add("eerste_terugkoppeling")
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies")
    assert (await handle.result()).einde == "advies"
    assert nep.bezorgd.count((m.melding_id, "eerste_terugkoppeling")) == BEZORG_POGINGEN
    status = await handle.query(MeldingWorkflow.status)
    assert [(b.soort, b.uitkomst) for b in status.bezorgingen] == [
        ("eerste_terugkoppeling", "mislukt"),
        ("huishouden_informeren", "verzonden"),
    ]
    assert _signaleringen(nep) == [("onbezorgbaar", "bezorging")]


async def test_a_refused_message_raises_one_signalering(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    nep.bezorging["huishouden_informeren"] = BezorgUitkomst.GEWEIGERD
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "advies")
    assert (await handle.result()).einde == "advies"
    assert _signaleringen(nep) == [("onbezorgbaar", "bezorging")]
