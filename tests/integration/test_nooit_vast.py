"""Never wedge a case, on the real stack (dev server, real activities, embedded PostgreSQL):
messages at the first moment, idempotent decisions and intake, whatever Temporal remembers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from activities import alle_activiteiten
from activities.audit import audit_van
from adapters.demobron import demo_bronnen
from contract import ids, names
from domain.besluiten import (
    Besluit,
    Koppeling,
    Triage,
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.melding import Melding
from runtime.assembly import activeer_patch
from starter.client import MeldingClient
from starter.demo import verse_melding, voorbeeld, wacht_op
from starter.fouten import MeldingBestaatAl, VernietigingWachtOpBesluit
from tests.ids import nieuw_melding_id
from tests.integration.conftest import SLEUTEL, datasleutels_op
from tests.integration.test_cli import starter, vb
from tests.workflows.runs import mislukte_taken, runs
from workflows import ALLE_WORKFLOWS

pytestmark = pytest.mark.integration


@pytest.fixture
def mc(client: Client, worker: Worker) -> MeldingClient:
    return MeldingClient(client, worker.task_queue)


def eerder(melding: Melding) -> datetime:
    return melding.ontvangen_op - timedelta(minutes=1)


def nieuw_id() -> str:
    return nieuw_melding_id("NV")


async def test_a_triage_right_after_indienen_is_registered(mc: MeldingClient) -> None:
    """v1: indienen then registreer_triage answered "'MeldingWorkflow' object has no
    attribute 't'" (3 of 3 tries): the update reached the run before run() had begun."""
    for _ in range(3):
        melding_id = nieuw_id()
        await mc.indienen(verse_melding("melding_voorwaarden", melding_id))
        status = await mc.registreer_triage(
            melding_id, Triage.model_validate(voorbeeld("triage_structureel"))
        )
        assert status.triage is not None


async def test_a_radar_signal_before_the_first_workflow_task_wedges_nothing(
    client: Client, pool: asyncpg.Pool
) -> None:
    """v1: worker stopped, indienen, melding_gekoppeld, worker started: the workflow task
    failed on every attempt, status FAILED_PRECONDITION, no timers."""
    task_queue = f"it-{uuid.uuid4()}"
    mc = MeldingClient(client, task_queue)
    melding_id = nieuw_id()
    # Straight to Temporal: MeldingClient.indienen refuses a queue no worker polls, but a
    # worker can die right after a melding was submitted.
    workflow_id = ids.melding_workflow_id(melding_id)
    await client.start_workflow(
        names.MELDING_WORKFLOW,
        verse_melding("melding_voorwaarden", melding_id),
        id=workflow_id,
        task_queue=task_queue,
    )
    handle = client.get_workflow_handle(workflow_id)
    koppeling = Koppeling(melding_id=nieuw_id(), regio="haaglanden", ontvangen_op=datetime.now(UTC))
    await handle.signal(names.SIGNAL_GEKOPPELD, koppeling)
    eerste_run = (await handle.describe()).run_id
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=ALLE_WORKFLOWS,
        # As production decides: a patch kept voorbereid stays off (contract/patches.py).
        patch_activation_callback=activeer_patch,
        activities=alle_activiteiten(
            pool,
            SLEUTEL,
            client,
            adapters=demo_bronnen(pool, datasleutels_op(pool)),
            datasleutels=datasleutels_op(pool),
        ),
    ):
        status = await wacht_op(mc, melding_id, lambda s: s.fase == "wacht_op_triage", 20)
        assert [k.melding_id for k in status.gekoppelde_meldingen] == [koppeling.melding_id]
        assert status.beoordeling_deadline is not None
        assert mislukte_taken(await runs(client, workflow_id, eerste_run)) == []


async def test_a_retried_decision_with_its_verzoek_id_is_applied_and_audited_once(
    mc: MeldingClient, pool: asyncpg.Pool
) -> None:
    """v1: a retry after a time-out was a new update: the besluit refused ("al een besluit
    genomen", exit 3 for something that succeeded), the triage audited twice."""
    melding_id = nieuw_id()
    await mc.indienen(verse_melding("melding_advies", melding_id))
    await wacht_op(mc, melding_id, lambda s: s.fase == "wacht_op_triage", 20)
    triage = Triage.model_validate(voorbeeld("triage"))
    eerste = await mc.registreer_triage(melding_id, triage, verzoek_id="t-1")
    assert await mc.registreer_triage(melding_id, triage, verzoek_id="t-1") == eerste
    besluit = Besluit.model_validate(voorbeeld("besluit_advies"))
    genomen = await mc.neem_besluit(melding_id, besluit, verzoek_id="b-1")
    await mc.client.get_workflow_handle(ids.melding_workflow_id(melding_id)).result()
    # The advies closed the case; the retry (same ID, or none) still answers as the first.
    for verzoek_id in ("b-1", None):
        opnieuw = await mc.neem_besluit(melding_id, besluit, verzoek_id=verzoek_id)
        assert opnieuw.besluit == genomen.besluit
    handelingen = [r.handeling for r in await audit_van(pool, datasleutels_op(pool), melding_id)]
    assert handelingen == [names.UPDATE_TRIAGE, names.UPDATE_BESLUIT]


async def test_the_cli_takes_a_verzoek_id_and_prints_the_one_it_made(
    cli_env: dict[str, str], mc: MeldingClient, pool: asyncpg.Pool
) -> None:
    """CLI: --verzoek-id makes a retry safe; without it the CLI makes one and prints it."""
    melding_id = nieuw_id()
    await mc.indienen(verse_melding("melding_voorwaarden", melding_id))
    await wacht_op(mc, melding_id, lambda s: s.fase == "wacht_op_triage", 20)
    for _ in range(2):
        r = await starter(
            "triage", melding_id, vb("triage_structureel"), "--verzoek-id", "X-1", env=cli_env
        )
        assert r.code == 0 and "verzoek-id" not in r.fout, r.fout
    r = await starter("triage", melding_id, vb("triage_spoed"), env=cli_env)
    assert r.code == 0 and "--verzoek-id verzoek-" in r.fout, r.fout
    r = await starter("triage", melding_id, vb("triage"), "--verzoek-id", "a b", env=cli_env)
    assert r.code == 2 and "--verzoek-id" in r.fout
    assert [r.handeling for r in await audit_van(pool, datasleutels_op(pool), melding_id)] == [
        names.UPDATE_TRIAGE
    ] * 2


async def test_intake_uniqueness_outlives_temporal_retention(
    client: Client, mc: MeldingClient, pool: asyncpg.Pool
) -> None:
    """v1: once Temporal forgot the workflow (retention, or a deleted history) the same
    melding_id started a new case against the old dossier and outbox rows. Now the dossier
    refuses the second run at registration: the run fails, naming the reason, and the dossier
    stays as it was."""
    melding_id = nieuw_id()
    melding = verse_melding("melding_advies", melding_id)
    workflow_id = await mc.indienen(melding)
    await wacht_op(mc, melding_id, lambda s: s.fase == "wacht_op_triage", 20)
    assert await mc.indienen(melding) == workflow_id  # identical: the same case
    with pytest.raises(MeldingBestaatAl):
        await mc.indienen(
            melding.model_copy(update={"ontvangen_op": melding.ontvangen_op - timedelta(minutes=1)})
        )
    async with pool.acquire() as con:
        voor = await con.fetchrow("SELECT * FROM meldingen WHERE melding_id = $1", melding_id)
    # Temporal forgets (retention after 30 days): a new run under the same workflow ID, as the
    # REJECT_DUPLICATE policy allows once the first run is gone from the server.
    handle = client.get_workflow_handle(workflow_id)
    await handle.terminate("retentie nagebootst")
    await client.start_workflow(
        names.MELDING_WORKFLOW,
        melding,
        id=workflow_id,
        task_queue=mc.task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
    )
    with pytest.raises(WorkflowFailureError) as fout:
        await client.get_workflow_handle(workflow_id).result()
    oorzaak = fout.value.cause
    assert isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_BESTAAT_AL
    assert "bestaat al" in oorzaak.message
    async with pool.acquire() as con:
        na = await con.fetchrow("SELECT * FROM meldingen WHERE melding_id = $1", melding_id)
        berichten = await con.fetchval(
            "SELECT count(*) FROM outbox WHERE melding_id = $1", melding_id
        )
    assert dict(na) == dict(voor) and berichten == 0


# In 2 of about 7 full runs (never alone) one workflow task of the burst failed without a message;
# its cause is printed now. Rerun once, only on such a message-less failure (cause named); a
# failure with a message, or a second one, fails the suite.
@pytest.mark.flaky(reruns=1, only_rerun=["WORKFLOW_TASK_FAILED_CAUSE_"])
async def test_a_burst_of_radar_links_continues_as_new_with_bounded_runs(
    client: Client, mc: MeldingClient, pool: asyncpg.Pool
) -> None:
    """v1: 350 links all landed in run 1 (870 events). On the real server the case continues
    as new during the burst: every link lands once, every run stays bounded, the triage sent
    in the middle is applied and audited once, and no workflow task fails."""
    melding_id = nieuw_id()
    workflow_id = await mc.indienen(verse_melding("melding_voorwaarden", melding_id))
    await wacht_op(mc, melding_id, lambda s: s.fase == "wacht_op_triage", 20)
    handle = client.get_workflow_handle(workflow_id)
    eerste_run = (await handle.describe()).run_id
    nu = datetime.now(UTC)
    for golf in range(7):
        berichten: list[Awaitable[object]] = [
            handle.signal(
                names.SIGNAL_GEKOPPELD,
                Koppeling(melding_id=f"VT-HGL-{golf}-{n:03d}", regio="haaglanden", ontvangen_op=nu),
            )
            for n in range(50)
        ]
        if golf == 3:
            triage = Triage.model_validate(voorbeeld("triage_structureel"))
            berichten.append(mc.registreer_triage(melding_id, triage, verzoek_id="midden"))
        await asyncio.gather(*berichten)
    status = await wacht_op(mc, melding_id, lambda s: len(s.gekoppelde_meldingen) == 350, 30)
    assert status.triage is not None
    geschiedenissen = await runs(client, workflow_id, eerste_run)
    assert mislukte_taken(geschiedenissen) == []
    # The radar links of this test only (a possible link from another test's melding with the
    # example's names is a signal of its own name, since v7).
    per_run = [
        sum(
            e.workflow_execution_signaled_event_attributes.signal_name == names.SIGNAL_GEKOPPELD
            for e in g.events
        )
        for g in geschiedenissen
    ]
    assert sum(per_run) == 350 and len(per_run) >= 3, per_run
    assert max(len(g.events) for g in geschiedenissen) < 400, [
        len(g.events) for g in geschiedenissen
    ]
    assert [r.handeling for r in await audit_van(pool, datasleutels_op(pool), melding_id)] == [
        names.UPDATE_TRIAGE
    ]


async def test_a_granted_destruction_of_a_running_case_answers_that_it_waits(
    client: Client, mc: MeldingClient, pool: asyncpg.Pool
) -> None:
    """v1: beslis_vernietiging answered 'toegekend' at once; the destruction then failed (the
    case still ran) and the request's workflow failed. Now the answer is the real outcome: it
    waits for the case to close. The decision is audited."""
    melding_id = nieuw_id()
    await mc.indienen(verse_melding("melding_voorwaarden", melding_id))
    await wacht_op(mc, melding_id, lambda s: s.fase == "wacht_op_triage", 20)
    await mc.registreer_triage(melding_id, Triage.model_validate(voorbeeld("triage_structureel")))
    besluit = Besluit.model_validate(voorbeeld("besluit_voorwaarden_en_vervolg"))
    await mc.neem_besluit(melding_id, besluit)
    await wacht_op(mc, melding_id, lambda s: s.tweede_terugkoppeling_deadline is not None, 20)
    verzoek = VernietigingsVerzoek.model_validate(
        {**voorbeeld("vernietiging"), "melding_id": melding_id}
    )
    with pytest.raises(VernietigingWachtOpBesluit):
        await mc.vernietig(verzoek, wacht=timedelta(seconds=1))
    antwoord = await mc.beslis_vernietiging(
        melding_id,
        VernietigingsBesluit(medewerker="mw-0007", toegekend=True, reden="Verzoek terecht."),
    )
    assert antwoord.toegekend and antwoord.uitgevoerd_op is None
    assert "loopt nog" in antwoord.reden
    handelingen = [r.handeling for r in await audit_van(pool, datasleutels_op(pool), melding_id)]
    assert handelingen[-1] == names.UPDATE_VERNIETIGING
    for workflow_id in (
        ids.vernietiging_workflow_id(melding_id),
        ids.melding_workflow_id(melding_id),
    ):
        await client.get_workflow_handle(workflow_id).terminate("test klaar")
