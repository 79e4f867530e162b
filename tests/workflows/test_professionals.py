"""Issue 22 item 4 (Q&A 10) on the time-skipping server: the professionals around the child that
a besluit names each receive a message of their own after the eerste terugkoppeling, through the
outbox and the delivery, audited; a besluit naming one the melding did not record is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import names
from domain.bezorging import BezorgUitkomst
from domain.keten import PEILINTERVAL, OverdrachtStand
from tests.workflows import scenario as sc
from tests.workflows.conftest import met, werker, zonder
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow
from workflows.professionals import AUDIT_HANDELING, AUTEUR, PATCH_PROFESSIONALS_INFORMEREN

ADRES = {
    "straat": "Schoolstraat",
    "huisnummer": "1",
    "postcode": "3512 AB",
    "woonplaats": "Utrecht",
}
PROFESSIONALS: list[dict[str, Any]] = [
    {
        "soort": "huisarts",
        "organisatie": "Huisartsenpraktijk De Linde",
        "email": "praktijk@linde.example",
    },
    {"soort": "school", "organisatie": "Basisschool De Regenboog", "adres": ADRES},
    {"soort": "jgz", "organisatie": "JGZ Utrecht", "email": "jgz@utrecht.example"},
]
WAAROM = [
    {"professional": 1, "onderbouwing": "De huisarts ziet het kind voor de klachten."},
    {"professional": 3, "onderbouwing": "De jeugdarts volgt de groei."},
]
PROF = "professional_informeren"


async def test_the_professionals_the_besluit_names_each_receive_one_message_audited(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    m = sc.melding(professionals=PROFESSIONALS)
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies", professionals_informeren=WAAROM)
    assert (await handle.result()).einde == "advies"
    mid = m.melding_id
    geplaatst = sorted(s for i, s in nep.outbox if i == mid and s.startswith(PROF))
    assert geplaatst == [f"{PROF}-1", f"{PROF}-3"]  # not the school: not named
    assert sorted(s for i, s in nep.bezorgd if s.startswith(PROF)) == geplaatst
    bericht = nep.outbox[(mid, f"{PROF}-1")]
    assert bericht.ontvanger == 1
    assert bericht.inhoud["professional_soort"] == "huisarts"
    assert bericht.inhoud["kenmerk"] == mid
    # Nothing of the melder, nor anyone's name: the child is read from the dossier at delivery.
    tekst = str(bericht.inhoud)
    assert "Leerkracht" not in tekst and "Jansen" not in tekst and "melder" not in tekst
    audit = [r for r in nep.audit if r.handeling == AUDIT_HANDELING]
    assert [(r.gegevens["professional"], r.gegevens["uitkomst"]) for r in audit] == [
        (1, "verzonden"),
        (3, "verzonden"),
    ]
    assert audit[1].gegevens["onderbouwing"] == "De jeugdarts volgt de groei."
    # Written by the workflow on the besluit: not the payload's medewerker, which no login
    # attested (the besluit's own audit row names who decided).
    assert {r.medewerker for r in audit} == {AUTEUR}
    status = await handle.query(MeldingWorkflow.status)
    assert [b.ontvanger for b in status.bezorgingen if b.soort == PROF] == [1, 3]
    assert nep.signaleringen == []


async def test_a_message_that_does_not_reach_the_professional_is_signalled(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    nep.bezorging[PROF] = BezorgUitkomst.GEWEIGERD
    m = sc.melding(professionals=PROFESSIONALS)
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies", professionals_informeren=WAAROM[:1])
    await handle.result()
    assert [(s.soort.value, s.termijn.value) for s in nep.signaleringen] == [
        ("onbezorgbaar", "bezorging")
    ]


@pytest.mark.parametrize("professionals", [PROFESSIONALS[:2], []], ids=["twee", "geen"])
async def test_a_besluit_naming_a_professional_not_recorded_is_refused(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten, professionals: list[Any]
) -> None:
    handle = await sc.start(env.client, worker, sc.melding(professionals=professionals))
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage())
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(
            MeldingWorkflow.neem_besluit, sc.besluit("advies", professionals_informeren=WAAROM)
        )
    oorzaak = fout.value.cause
    assert isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_GEWEIGERD
    nummer = 1 if professionals else 0  # the first number the melding does not hold
    assert (
        f"besluit.professionals_informeren.{nummer}.professional: {WAAROM[nummer]['professional']}"
        " is niet vastgelegd"
    ) in str(oorzaak)
    assert (await handle.query(MeldingWorkflow.status)).besluit is None
    await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    await handle.result()
    assert not any(s.startswith(PROF) for _, s in nep.outbox)


@pytest.fixture
async def worker(env: WorkflowEnvironment, nep: NepActiviteiten) -> AsyncIterator[Worker]:
    """This file's cases run the patch's new side (voorbereid in v7.2)."""
    async with werker(env, nep, met(PATCH_PROFESSIONALS_INFORMEREN)) as w:
        yield w


async def test_without_the_patch_no_professional_is_informed(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> None:
    """The old side of patch professionals-informeren: what a case started before it does."""
    async with werker(env, nep, zonder(PATCH_PROFESSIONALS_INFORMEREN)) as worker:
        handle = await sc.start(env.client, worker, sc.melding(professionals=PROFESSIONALS))
        await sc.beoordeel(handle, "advies", professionals_informeren=WAAROM)
        await handle.result()
    assert not any(s.startswith(PROF) for _, s in nep.outbox)


async def test_a_new_besluit_after_a_zaak_handed_back_informs_the_professionals_it_names(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """The ketenpartner hands the zaak back; the new besluit (Q&A 10: decided anew) names the
    huisarts: informed then, once."""
    nep.aanvaarding_termijn = timedelta(days=7)
    m = sc.melding(professionals=PROFESSIONALS)
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "overdracht")
    await sc.wacht_tot(handle, lambda s: s.fase == "warme_overdracht")
    assert not any(s.startswith(PROF) for _, s in nep.outbox)
    nep.aanvaarding = OverdrachtStand.TERUGGEGEVEN
    await env.sleep(PEILINTERVAL * 2)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_besluit")
    await handle.execute_update(
        MeldingWorkflow.neem_besluit, sc.besluit("advies", professionals_informeren=WAAROM[:1])
    )
    assert (await handle.result()).einde == "advies"
    assert [s for _, s in nep.outbox if s.startswith(PROF)] == [f"{PROF}-1"]
    assert [r.gegevens["professional"] for r in nep.audit if r.handeling == AUDIT_HANDELING] == [1]
