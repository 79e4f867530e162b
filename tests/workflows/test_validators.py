"""Each validator refuses bad updates with the rule's reason; the workflow carries on."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract import names
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow


async def _geweigerd(handle: WorkflowHandle, update: object, arg: object, woord: str) -> None:
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(update, arg)  # type: ignore[call-overload]
    oorzaak = fout.value.cause
    # The wire form of a refusal, validator or handler alike: the contract's error type.
    assert isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_GEWEIGERD
    assert woord in str(oorzaak)


async def test_besluit_before_triage_is_refused(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 3: triage (beoordelen) comes before the besluit over de vervolgstap."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await _geweigerd(handle, MeldingWorkflow.neem_besluit, sc.besluit("advies"), "triage")
    assert (await handle.query(MeldingWorkflow.status)).fase == "wacht_op_triage"
    await sc.beeindig(handle)


async def test_overdracht_is_refused_when_the_triage_finds_structural_unsafety(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 25: structurele onveiligheid: Veilig Thuis keeps the case."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(
        MeldingWorkflow.registreer_triage, sc.triage(structurele_onveiligheid=True)
    )
    await _geweigerd(handle, MeldingWorkflow.neem_besluit, sc.besluit("overdracht"), "Q&A 25")
    status = await handle.execute_update(
        MeldingWorkflow.neem_besluit, sc.besluit("voorwaarden_en_vervolg")
    )
    assert status.fase == "voorwaarden_en_vervolg"
    await sc.beeindig(handle)


async def test_advies_aan_melder_is_refused_for_a_burger_melder(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 9: the advies voortzetten/aanpassen/uitbreiden is for a professional who stays."""
    handle = await sc.start(env.client, worker, sc.melding(burger=True))
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage())
    await _geweigerd(
        handle, MeldingWorkflow.neem_besluit, sc.besluit("advies"), "advies_aan_melder"
    )
    await handle.execute_update(
        MeldingWorkflow.neem_besluit, sc.besluit("advies", advies_aan_melder=None)
    )
    assert (await handle.result()).einde == "advies"


async def test_a_second_besluit_and_a_late_triage_are_refused(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """docs/contract.md: a different second besluit is refused; triage accepted only before the
    besluit (an identical repeat of the applied one answers as the first: v2)."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await _geweigerd(
        handle, MeldingWorkflow.neem_besluit, sc.besluit("voorwaarden_en_vervolg"), "besluit"
    )
    await _geweigerd(
        handle, MeldingWorkflow.registreer_triage, sc.triage(urgentie="hoog"), "triage"
    )
    await sc.beeindig(handle)


async def test_dienst_afronding_and_monitoring_are_refused_outside_their_phase(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """rond_dienst_af only in a dienst; registreer_monitoring only at an open check."""
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await _geweigerd(handle, MeldingWorkflow.rond_dienst_af, sc.afronding(), "dienst")
    await _geweigerd(
        handle, MeldingWorkflow.registreer_monitoring, sc.uitkomst(stabiel=True), "monitoring"
    )
    await sc.beoordeel(handle, "voorwaarden_en_vervolg", t=sc.triage(structurele_onveiligheid=True))
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    await _geweigerd(
        handle, MeldingWorkflow.rond_dienst_af, sc.afronding(vervolg="afsluiten"), "afgerond"
    )
    await _geweigerd(
        handle, MeldingWorkflow.registreer_monitoring, sc.uitkomst(stabiel=True), "monitoring"
    )
    await sc.wacht_tot(handle, lambda s: s.fase == "monitoring")
    assert [r.medewerker for r in nep.audit] == ["mw-0042"] * 3
    await sc.beeindig(handle)


async def test_a_besluit_without_triage_while_sources_are_asked_names_the_triage(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """The README promises "eerst de triage registreren" for a besluit without triage; v1 said
    the sources were still being gathered, and refused it again for the triage afterwards."""
    nep.stil = {"politie"}
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.bronnen.register == "ontvangen")
    await _geweigerd(handle, MeldingWorkflow.neem_besluit, sc.besluit("advies"), "eerst de triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage())
    await _geweigerd(handle, MeldingWorkflow.neem_besluit, sc.besluit("advies"), "verzameld")
    await sc.beeindig(handle)
