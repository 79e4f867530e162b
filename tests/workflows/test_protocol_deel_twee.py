"""True to the protocol, part two (issue 21): spoed, the right to destruction after a dienst,
a postponed informing followed up, and monitoring on agreed veiligheidsvoorwaarden."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.ids import melding_workflow_id
from domain import termijnen
from domain.besluiten import HuishoudenInformeren
from domain.uitwisseling import RegisterResultaat
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import MeldingWorkflow

VOORWAARDEN = [
    {
        "wat": "Geen fysiek straffen; bij spanning belt vader de wijkcoach.",
        "met_wie": "ouders, wijkcoach",
        "hoe_getoetst": "huisbezoek en gesprek met de mentor op school",
    },
    {
        "wat": "Kind gaat elke dag naar school.",
        "met_wie": "ouders, school",
        "hoe_getoetst": "verzuimoverzicht van de school",
    },
]


def signaleringen(nep: NepActiviteiten) -> list[tuple[str, str]]:
    return [(s.soort.value, s.termijn.value) for s in nep.signaleringen]


def informatie(wijze: str) -> HuishoudenInformeren:
    return HuishoudenInformeren(
        medewerker="mw-0042", wijze=wijze, toelichting="Veiligheidsplan staat; nu veilig."
    )


async def test_a_spoed_besluit_is_taken_while_sources_are_asked_and_a_late_match_is_signalled(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 25: "of eerder indien er sprake is van een (crisis)situatie die spoed vereist"; seed
    004: "dagelijks en zo spoedig mogelijk". The besluit and the eerste terugkoppeling do not
    wait for the register and the politie; their late answers are recorded, and what the
    besluit could not weigh (earlier meldingen, a politie that knows the household) signalled."""
    nep.vasthouden = {"register": asyncio.Event(), "politie": asyncio.Event()}
    nep.register = RegisterResultaat(aantal=2, regios=["utrecht"])
    nep.bekend = {"politie"}
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.beoordeling_deadline is not None)
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage(urgentie="spoed"))
    await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    status = await sc.wacht_tot(handle, lambda s: len(s.terugkoppelingen) == 1)
    assert status.bronnen.register == "bezig" and status.bronnen.politie == "bezig"
    # The terugkoppeling shows in the state before the household's message after it is placed.
    await sc.wacht_tot(handle, lambda s: (m.melding_id, "huishouden_informeren") in nep.outbox)
    assert ("nieuwe_informatie", "nagekomen_informatie") not in signaleringen(nep)

    nep.vasthouden["register"].set()
    nep.vasthouden["politie"].set()
    afloop = await handle.result()
    assert afloop.einde == "advies"
    status = await handle.query(MeldingWorkflow.status)
    assert (status.bronnen.register, status.bronnen.politie) == ("ontvangen", "ontvangen")
    assert status.eerdere_meldingen == 2
    assert signaleringen(nep).count(("nieuwe_informatie", "nagekomen_informatie")) == 1


async def test_directe_interventie_lets_the_besluit_go_ahead_of_the_sources(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 25: a threat that "vraagt om directe interventie" is spoed whatever the urgentie; a
    late answer that tells nothing new raises no signalering."""
    nep.vasthouden = {"politie": asyncio.Event()}
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.bronnen.register == "ontvangen")
    t = sc.triage(directe_interventie_nodig=True, acute_onveiligheid=True)
    await handle.execute_update(MeldingWorkflow.registreer_triage, t)
    await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("onderzoek"))
    status = await sc.wacht_tot(handle, lambda s: len(s.terugkoppelingen) == 1)
    assert status.fase == "onderzoek" and status.bronnen.politie == "bezig"
    nep.vasthouden["politie"].set()
    await sc.wacht_tot(handle, lambda s: s.bronnen.politie == "ontvangen")
    assert ("nieuwe_informatie", "nagekomen_informatie") not in signaleringen(nep)
    await sc.beeindig(handle)


async def test_without_spoed_the_besluit_still_waits_for_the_sources(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 7, 21: an ordinary besluit rests on the gathered information."""
    nep.vasthouden = {"politie": asyncio.Event()}
    handle = await sc.start(env.client, worker, sc.melding())
    await sc.wacht_tot(handle, lambda s: s.bronnen.register == "ontvangen")
    await handle.execute_update(MeldingWorkflow.registreer_triage, sc.triage(urgentie="hoog"))
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    assert "nog verzameld" in str(fout.value.cause)
    nep.vasthouden["politie"].set()
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_besluit")
    await sc.beeindig(handle)


async def test_an_onderzoek_that_finds_no_violence_tells_the_household_its_right_to_destruction(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 28: "dan zal Veilig Thuis de direct betrokkenen actief wijzen op dit recht": the
    household was informed at the besluit (no finding yet) and hears of the right after the
    afronding, in a message of its own."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await sc.wacht_tot(handle, lambda s: s.tweede_terugkoppeling_deadline is not None)
    eerst = nep.outbox[(m.melding_id, "huishouden_informeren")].inhoud
    assert "vernietigingsrecht" not in eerst
    geen_geweld = sc.afronding(
        veiligheidsvoorwaarden_gesteld=False,
        geweld_vastgesteld=False,
        vervolg="afsluiten",
        ketenpartner=None,
    )
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, geen_geweld)
    afloop = await handle.result()
    assert (afloop.einde, afloop.monitoringen) == ("afgesloten", 0)
    recht = nep.outbox[(m.melding_id, "huishouden_vernietigingsrecht")].inhoud
    assert recht["vernietigingsrecht"] is True and recht["geweld_vastgesteld"] is False
    assert nep.dossier[m.melding_id].vernietigingsrecht


async def test_a_dienst_that_finds_violence_sends_no_right_to_destruction(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 28 applies only when no violence was found."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await handle.execute_update(
        MeldingWorkflow.rond_dienst_af, sc.afronding(veiligheidsvoorwaarden_gesteld=False)
    )
    await sc.wacht_tot(handle, lambda s: s.fase == "monitoring")
    assert (m.melding_id, "huishouden_vernietigingsrecht") not in nep.outbox
    await sc.beeindig(handle)


async def test_a_postponed_informing_is_reminded_every_two_weeks_until_the_message_is_sent(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 4: the household is informed "in alle gevallen": a postponement is followed up (a
    reminder every two weeks) and the case stays open until `informeer_huishouden`."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "advies", huishouden_informeren_uitstellen="Gevaar voor melder.")
    await sc.wacht_tot(handle, lambda s: len(s.terugkoppelingen) == 1)
    await env.sleep(termijnen.HUISHOUDEN_HERINNERING * 2 + timedelta(days=1))
    await sc.wacht_tot(handle, lambda s: len(nep.signaleringen) >= 3)
    herinnering = ("herinnering", "huishouden_informeren")
    assert signaleringen(nep) == [("uitstel", "huishouden_informeren"), herinnering, herinnering]
    assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
    assert (m.melding_id, "huishouden_informeren") not in nep.outbox

    await handle.execute_update(MeldingWorkflow.informeer_huishouden, informatie("bericht"))
    assert (await handle.result()).einde == "advies"
    assert nep.outbox[(m.melding_id, "huishouden_informeren")].inhoud["vervolg"] == "advies"
    regel = next(r for r in nep.audit if r.handeling == "informeer_huishouden")
    assert regel.gegevens["wijze"] == "bericht"


async def test_a_household_told_in_person_is_recorded_and_the_dienst_goes_on(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 4: told in person (`gesprek`): recorded, no message; a second registration and one
    for a case that was never postponed are refused."""
    m, handle = await sc.onderzoek_met_uitstel(env.client, worker)
    await handle.execute_update(MeldingWorkflow.informeer_huishouden, informatie("gesprek"))
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await handle.execute_update(
            MeldingWorkflow.informeer_huishouden,
            HuishoudenInformeren(medewerker="mw-0042", wijze="bericht", toelichting="Nogmaals."),
        )
    assert "al geinformeerd" in str(fout.value.cause)
    geen_monitoring = sc.afronding(veiligheidsvoorwaarden_gesteld=False, geweld_vastgesteld=None)
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, geen_monitoring)
    await sc.wacht_tot(handle, lambda s: s.fase == "monitoring")
    assert (m.melding_id, "huishouden_informeren") not in nep.outbox
    await sc.beeindig(handle)

    ander = await sc.start(env.client, worker, sc.melding())
    await sc.beoordeel(ander, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await ander.execute_update(MeldingWorkflow.informeer_huishouden, informatie("gesprek"))
    assert "niet uitgesteld" in str(fout.value.cause)
    await sc.beeindig(ander)


async def test_tweede_terugkoppeling_sent_at_exactly_ten_weeks_is_within_the_term(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 8: "binnen 10 weken na de eerste terugkoppeling": sent at the deadline with the
    state of that moment, it is on time: no overdue mark, no escalation."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    status = await sc.wacht_tot(handle, lambda s: s.tweede_terugkoppeling_deadline is not None)
    deadline = status.tweede_terugkoppeling_deadline
    assert deadline is not None
    await env.sleep(timedelta(weeks=11))
    status = await sc.wacht_tot(handle, lambda s: len(s.terugkoppelingen) == 2)
    assert deadline <= status.terugkoppelingen[1].verstuurd_op < deadline + timedelta(hours=1)
    assert not status.termijn_overschreden
    assert ("escalatie", "tweede_terugkoppeling") not in signaleringen(nep)
    assert ("herinnering", "tweede_terugkoppeling") in signaleringen(nep)
    await sc.beeindig(handle)


def met_voorwaarden(**over: Any) -> Any:
    return sc.afronding(veiligheidsvoorwaarden=VOORWAARDEN, **over)


def getoetst(*nagekomen: bool) -> list[dict[str, Any]]:
    return [{"voorwaarde": n, "nagekomen": v} for n, v in enumerate(nagekomen, start=1)]


async def test_monitoring_checks_each_agreed_voorwaarde_at_the_agreed_moments(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 23: "Bij de start maakt Veilig Thuis afspraken over de momenten en de manier"; Q&A
    24: monitoring on the veiligheidsvoorwaarden. Agreed: 1 and 6 months; every check says of
    each voorwaarde whether it is met; stably safe only when all are."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "voorwaarden_en_vervolg", t=sc.triage(structurele_onveiligheid=True))
    await handle.execute_update(
        MeldingWorkflow.rond_dienst_af, met_voorwaarden(monitoring_maanden=[1, 6])
    )
    status = await sc.wacht_tot(handle, lambda s: len(s.monitoring) == 1)
    eerste = status.monitoring[0].gepland_op
    assert timedelta(days=27) < eerste - sc.NU < timedelta(days=32)

    await env.sleep(timedelta(days=33))
    zonder = sc.uitkomst(stabiel=False)
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await sc.registreer_monitoring(handle, zonder)
    assert "veiligheidsvoorwaarden" in str(fout.value.cause)
    await sc.registreer_monitoring(
        handle, sc.uitkomst(stabiel=False, voorwaarden=getoetst(True, False))
    )
    status = await sc.wacht_tot(handle, lambda s: len(s.monitoring) == 2)
    assert [v.nagekomen for v in status.monitoring[0].uitkomst.voorwaarden] == [True, False]
    a, b = (r.gepland_op for r in status.monitoring)
    assert (b.year - a.year) * 12 + b.month - a.month == 5

    await env.sleep(timedelta(days=160))
    await sc.registreer_monitoring(
        handle, sc.uitkomst(stabiel=True, voorwaarden=getoetst(True, True))
    )
    afloop = await handle.result()
    assert (afloop.einde, afloop.monitoringen) == ("stabiel_veilig", 2)


async def test_a_new_melding_at_a_monitoring_check_is_linked_and_monitoring_goes_on(
    env: WorkflowEnvironment, worker: Worker, nep: NepActiviteiten
) -> None:
    """Q&A 23: contact "totdat het stabiel veilig is"; Q&A 26: renewed unsafety leads to a new
    melding, which is linked to this case instead of closing it."""
    m = sc.melding()
    handle = await sc.start(env.client, worker, m)
    await sc.beoordeel(handle, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    await env.sleep(timedelta(days=95))
    await sc.registreer_monitoring(handle, sc.uitkomst(stabiel=False, nieuwe_melding=True))
    nieuw_id = f"{m.melding_id}-M1"
    status = await sc.wacht_tot(handle, lambda s: len(s.monitoring) == 2)
    assert status.fase == "monitoring"
    assert [k.melding_id for k in status.gekoppelde_meldingen] == [nieuw_id]
    nieuw = env.client.get_workflow_handle(melding_workflow_id(nieuw_id))
    await sc.wacht_tot(nieuw, lambda s: s.fase == "wacht_op_triage")
    await sc.beeindig(nieuw)
    await sc.beeindig(handle)
