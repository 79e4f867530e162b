"""Issue 22 on the time-skipping server: an overdracht besluit reaches the ketenpartner as a
zaak after the eerste terugkoppeling; one that does not arrive is a case for a human (one
signalering) while the case still closes as overgedragen."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.keten import OverdrachtUitkomst
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow


def _signaleringen(nep: NepActiviteiten) -> list[tuple[str, str]]:
    return [(s.soort.value, s.termijn.value) for s in nep.signaleringen]


async def test_an_overdracht_besluit_creates_one_zaak_after_the_eerste_terugkoppeling(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "overdracht")
    assert (await handle.result()).einde == "overgedragen"
    (opdracht,) = nep.overdrachten
    assert opdracht.melding_id == m.melding_id
    assert opdracht.besluit.ketenpartner is not None
    assert opdracht.besluit.ketenpartner.naam == "Wijkteam Oost"
    assert (m.melding_id, "eerste_terugkoppeling") in nep.outbox
    status = await handle.query(MeldingWorkflow.status)
    assert status.overdracht is not None
    assert (status.overdracht.uitkomst, status.overdracht.zaak_identificatie) == (
        "aangemaakt",
        f"VT-{m.melding_id}",
    )
    assert _signaleringen(nep) == []


async def test_advies_creates_no_zaak(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "advies")
    await handle.result()
    assert nep.overdrachten == []
    assert (await handle.query(MeldingWorkflow.status)).overdracht is None


async def test_a_refused_overdracht_is_signalled_once_and_the_case_still_closes(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    nep.overdracht = OverdrachtUitkomst.GEWEIGERD
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "overdracht")
    assert (await handle.result()).einde == "overgedragen"
    assert _signaleringen(nep) == [("niet_overgedragen", "overdracht")]
    status = await handle.query(MeldingWorkflow.status)
    assert status.overdracht is not None and status.overdracht.uitkomst == "geweigerd"


async def test_an_overdracht_activity_that_fails_for_good_is_mislukt_and_signalled(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    nep.kapot.add("draag_zaak_over")
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "overdracht")
    assert (await handle.result()).einde == "overgedragen"
    assert _signaleringen(nep) == [("niet_overgedragen", "overdracht")]
    status = await handle.query(MeldingWorkflow.status)
    assert status.overdracht is not None and status.overdracht.uitkomst == "mislukt"
