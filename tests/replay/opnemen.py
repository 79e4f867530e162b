"""Record the histories that tests/replay replays: `python -m tests.replay.opnemen v5`;
`python -m tests.replay.opnemen v6 vernietiging_wacht` for the destruction that waits for days;
`python -m tests.replay.opnemen VERSIE advies` for the AdviesWorkflow's paths only;
`python -m tests.replay.opnemen VERSIE bewaar` for issue 25's (tests/replay/opnemen_bewaar.py).

Runs each path on the time-skipping server with the fake activities (synthetic data only) and
the production worker's patch activation (a prepared patch stays inactive: contract/patches.py)
and writes its history as JSON. Record again only for a new workflow shape; the old files stay, so
every shape that ever shipped keeps replaying against the current code.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.client import (
    Client,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowHistory,
    WorkflowUpdateFailedError,
    WorkflowUpdateStage,
)
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.client import data_converter
from contract.ids import melding_workflow_id, vernietiging_workflow_id
from contract.search_attributes import registreer_zoekattributen
from domain.advies import Omzetting, VertrouwensartsConsult
from domain.besluiten import (
    HuishoudenInformeren,
    Koppeling,
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.bezorging import BezorgUitkomst
from domain.keten import PEILINTERVAL, OverdrachtStand, OverdrachtUitkomst
from domain.monitoring import vervolgmelding_id
from domain.raad import RaadAntwoord, RaadBeslissing
from domain.uitwisseling import RegisterResultaat
from runtime.assembly import activeer_patch
from runtime.devserver import programma
from tests import auteurs
from tests.workflows import adviezen
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import alle_runs
from workflows import ALLE_WORKFLOWS, AdviesWorkflow, MeldingWorkflow, VernietigingWorkflow

MAP = Path(__file__).parent / "histories"
WEIGERING = {
    "grond": "goed_hulpverlenerschap",
    "onderbouwing": "De hulp aan het gezin loopt nog; het dossier is daarvoor nodig.",
}
Pad = Callable[[WorkflowEnvironment, WorkflowHandle[Any, Any]], Awaitable[None]]
# The fake activities of the path being recorded (a path may hold a source back and let go).


async def advies(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    await sc.beoordeel(h, "advies")


async def overdracht_na_termijn(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    await env.sleep(timedelta(days=12))
    await sc.wacht_tot(h, lambda s: s.termijn_overschreden)
    await sc.beoordeel(h, "overdracht")


async def voorwaarden_en_vervolg(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    await sc.beoordeel(h, "voorwaarden_en_vervolg", t=sc.triage(structurele_onveiligheid=True))
    await env.sleep(timedelta(weeks=6))
    await h.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    await env.sleep(timedelta(days=95))
    await sc.registreer_monitoring(h, sc.uitkomst(stabiel=False))
    await env.sleep(timedelta(days=280))
    await sc.registreer_monitoring(h, sc.uitkomst(stabiel=True))


async def onderzoek_te_laat(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    await sc.beoordeel(h, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await sc.wacht_tot(h, lambda s: s.tweede_terugkoppeling_deadline is not None)
    await env.sleep(timedelta(weeks=11))
    await sc.wacht_tot(h, lambda s: len(s.terugkoppelingen) == 2)
    await h.execute_update(
        MeldingWorkflow.rond_dienst_af,
        sc.afronding(
            veiligheidsvoorwaarden_gesteld=False,
            geweld_vastgesteld=False,
            vervolg="afsluiten",
            ketenpartner=None,
        ),
    )


async def afsluiten_vernietigingsrecht(
    env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]
) -> None:
    await sc.beoordeel(h, "afsluiten", geweld_vastgesteld=False)


async def nieuwe_melding(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    await sc.beoordeel(h, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await h.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    await env.sleep(timedelta(days=95))
    await sc.registreer_monitoring(h, sc.uitkomst(stabiel=False, nieuwe_melding=True))
    # Since v7 the case is linked to it and keeps monitoring until stably safe.
    await sc.wacht_tot(h, lambda s: len(s.monitoring) == 2)
    # The new melding would wait for triage forever and hold up time skipping for the rest.
    nieuw = env.client.get_workflow_handle(f"{h.id}-M1")
    await sc.wacht_tot(nieuw, lambda s: s.fase == "wacht_op_triage")
    await sc.beeindig(nieuw)
    # The time-skipping server stops skipping time once this run has continued as new with the
    # terminated follow-up started in it (env.sleep times out; a real server does not): the
    # path ends here, terminated, its monitoring shown going on (NIET_VOLTOOID).
    await sc.beeindig(h)


async def radar(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    for n in range(3):
        await h.signal(
            MeldingWorkflow.melding_gekoppeld,
            Koppeling(melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=sc.NU),
        )
    await sc.wacht_tot(h, lambda s: len(s.gekoppelde_meldingen) == 3)
    await sc.beoordeel(h, "advies")


async def radar_mogelijk(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v7 (issue 21.7): two name-only links (possibly the household), one certain link."""
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    for n in range(2):
        await h.signal(
            MeldingWorkflow.melding_mogelijk_gekoppeld,
            Koppeling(melding_id=f"VT-TWE-2027-{n:06d}", regio="twente", ontvangen_op=sc.NU),
        )
    await h.signal(
        MeldingWorkflow.melding_gekoppeld,
        Koppeling(melding_id="VT-HGL-2027-000009", regio="haaglanden", ontvangen_op=sc.NU),
    )
    await sc.wacht_tot(h, lambda s: len(s.gekoppelde_meldingen) == 1)
    await sc.beoordeel(h, "advies")


async def stille_bron(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """The politie never answers: recorded as niet_ontvangen after one werkdag."""
    await sc.wacht_tot(h, lambda s: s.bronnen.register == "ontvangen")
    await sc.slaap(env, timedelta(days=4), stap=timedelta(hours=12))
    await sc.beoordeel(h, "advies")


async def huishouden_uitgesteld(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """Since v7 followed up: two reminders, then the household message goes."""
    await sc.beoordeel(h, "advies", huishouden_informeren_uitstellen="Veiligheid van de melder.")
    await sc.wacht_tot(h, lambda s: len(s.terugkoppelingen) == 1)
    await env.sleep(timedelta(days=29))
    await h.execute_update(
        MeldingWorkflow.informeer_huishouden,
        HuishoudenInformeren(medewerker="mw-0042", wijze="bericht", toelichting="Nu veilig."),
    )


async def spoed(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v7: a spoed besluit while the register and the politie are still asked; the register
    then finds an earlier melding (signalled)."""
    await sc.wacht_tot(h, lambda s: s.beoordeling_deadline is not None)
    await h.execute_update(MeldingWorkflow.registreer_triage, sc.triage(urgentie="spoed"))
    await h.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    # On the patch's old side (`--zonder spoed-besluit-zonder-bronnen`) the case waits for its
    # sources before it goes on, so they answer first.
    with contextlib.suppress(AssertionError):
        await sc.wacht_tot(h, lambda s: len(s.terugkoppelingen) == 1, seconden=5)
    for bron in HUIDIG[0].vasthouden.values():
        bron.set()


async def onderzoek_geen_geweld(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v7: the dienst finds no violence: the household hears of its right to destruction."""
    await sc.beoordeel(h, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await h.execute_update(
        MeldingWorkflow.rond_dienst_af,
        sc.afronding(
            veiligheidsvoorwaarden_gesteld=False,
            geweld_vastgesteld=False,
            vervolg="afsluiten",
            ketenpartner=None,
        ),
    )


async def voorwaarden_afgesproken(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v7: two veiligheidsvoorwaarden and monitoring at 1 and 6 months, each checked."""
    await sc.beoordeel(h, "voorwaarden_en_vervolg", t=sc.triage(structurele_onveiligheid=True))
    voorwaarde = {"wat": "Geen fysiek straffen.", "met_wie": "ouders", "hoe_getoetst": "bezoek"}
    await h.execute_update(
        MeldingWorkflow.rond_dienst_af,
        sc.afronding(veiligheidsvoorwaarden=[voorwaarde] * 2, monitoring_maanden=[1, 6]),
    )
    for dagen, nagekomen in ((33, False), (160, True)):
        await env.sleep(timedelta(days=dagen))
        toets = [{"voorwaarde": 1, "nagekomen": True}, {"voorwaarde": 2, "nagekomen": nagekomen}]
        await sc.registreer_monitoring(h, sc.uitkomst(stabiel=nagekomen, voorwaarden=toets))


async def doorgegaan(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """Radar links past the bound: the case continues as new (every run is recorded). The links
    come as the register sends them, one per new melding of the household, each applied before
    the next (v2 sent all 105 at once: a run cannot close while a burst goes on, so it took the
    whole burst, and the test server can drop the last events of a run that closes in one)."""
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    await h.execute_update(MeldingWorkflow.registreer_triage, sc.triage(), id="verzoek-1")
    nu = env.client.get_workflow_handle_for(MeldingWorkflow.run, h.id)
    for n in range(105):
        await nu.signal(
            MeldingWorkflow.melding_gekoppeld,
            Koppeling(melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=sc.NU),
        )
        await sc.wacht_tot(nu, lambda s, n=n: len(s.gekoppelde_meldingen) == n + 1)
    await nu.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))


async def vervalst_signaal(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v5: a signal without verklaring (dropped, its check a marker) next to the worker's own."""
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    zonder = await Client.connect(
        env.client.service_client.config.target_host, data_converter=env.client.data_converter
    )
    await zonder.get_workflow_handle(h.id).signal(
        MeldingWorkflow.melding_gekoppeld,
        Koppeling(melding_id="VT-FAKE-2026-000666", regio="utrecht", ontvangen_op=sc.NU),
    )
    await h.signal(
        MeldingWorkflow.melding_gekoppeld,
        Koppeling(melding_id="VT-HGL-2027-000001", regio="haaglanden", ontvangen_op=sc.NU),
    )
    await sc.wacht_tot(h, lambda s: len(s.gekoppelde_meldingen) == 1)
    await sc.beoordeel(h, "advies")


async def annulering_tijdens_triage(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v6: cancelled while the triage's audit is in flight: the triage is applied and audited,
    then the cancel (the triage's audit is slow: NEP)."""
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    triage = await h.start_update(
        MeldingWorkflow.registreer_triage, sc.triage(), wait_for_stage=WorkflowUpdateStage.ACCEPTED
    )
    await h.cancel()
    await triage.result()


async def annulering_tijdens_registratie(
    env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]
) -> None:
    """v6: cancelled while the melding is stored (slowly: NEP): stored, closed and audited."""
    einde = time.monotonic() + 10
    while HUIDIG[0].aanroepen["sla_melding_op"] == 0:
        assert time.monotonic() < einde, "de registratie begon niet"
        await asyncio.sleep(0.02)
    await h.cancel()


async def register_stil(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v6: the register lookup never answers; the radar runs all the same."""
    await sc.slaap(env, timedelta(days=4), stap=timedelta(hours=12))
    await sc.beoordeel(h, "advies")


async def mislukt(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v6: the outbox fails for good (NEP): the case is signalled `mislukt`, then fails."""
    await sc.beoordeel(h, "advies")


async def vervolg_bestaat_al(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v6: the follow-up's workflow ID is taken: the parent does not fail (v6: it ended with
    nieuwe_melding; since v7 it keeps monitoring and closes stably safe)."""
    vervolg = vervolgmelding_id(h.id.removeprefix("melding-"), 1)
    bezet = await env.client.start_workflow(
        MeldingWorkflow.run,
        sc.melding(melding_id=vervolg),
        id=melding_workflow_id(vervolg),
        task_queue=TAAKRIJ[0],
    )
    await sc.wacht_tot(bezet, lambda s: s.fase == "wacht_op_triage")
    await sc.beoordeel(h, "onderzoek", t=sc.triage(nader_onderzoek_nodig=True))
    await h.execute_update(MeldingWorkflow.rond_dienst_af, sc.afronding())
    await env.sleep(timedelta(days=95))
    await sc.registreer_monitoring(h, sc.uitkomst(stabiel=False, nieuwe_melding=True))
    # Since v7 the parent links the follow-up and keeps monitoring until stably safe.
    await sc.wacht_tot(h, lambda s: len(s.monitoring) == 2)
    with contextlib.suppress(RPCError):
        await sc.beeindig(env.client.get_workflow_handle(bezet.id))
    await sc.beeindig(h)  # as nieuwe_melding: no long sleep after a terminated follow-up


PADEN: dict[str, Pad] = {
    "afsluiten_vernietigingsrecht": afsluiten_vernietigingsrecht,
    "radar": radar,
    "advies": advies,
    "overdracht_na_termijn": overdracht_na_termijn,
    "voorwaarden_en_vervolg": voorwaarden_en_vervolg,
    "onderzoek_te_laat": onderzoek_te_laat,
    "nieuwe_melding": nieuwe_melding,
    "stille_bron": stille_bron,
    "huishouden_uitgesteld": huishouden_uitgesteld,
    "doorgegaan": doorgegaan,
    "vervalst_signaal": vervalst_signaal,
    "annulering_tijdens_triage": annulering_tijdens_triage,
    "annulering_tijdens_registratie": annulering_tijdens_registratie,
    "register_stil": register_stil,
    "mislukt": mislukt,
    "vervolg_bestaat_al": vervolg_bestaat_al,
    # v6: the eerste terugkoppeling refused for good (a signalering), the household's delivered.
    "onbezorgbaar": advies,
    # v7 (issue 21): a spoed besluit while the sources are held back; a dienst that found no
    # violence; veiligheidsvoorwaarden with agreed monitoring moments.
    "spoed": spoed,
    "onderzoek_geen_geweld": onderzoek_geen_geweld,
    "voorwaarden_afgesproken": voorwaarden_afgesproken,
    "radar_mogelijk": radar_mogelijk,
}
# The fake activities of a path (default: every source answers at once).
NEP: dict[str, dict[str, Any] | Callable[[], dict[str, Any]]] = {
    "stille_bron": {"stil": {"politie"}},
    "register_stil": {"stil": {"register"}},
    "annulering_tijdens_triage": {"audit_vertraging_voor": {"registreer_triage": 1.5}},
    "annulering_tijdens_registratie": {"opslag_vertraging": 1.0},
    "mislukt": {"kapot": {"verstuur_bericht"}},
    "onbezorgbaar": {"bezorging": {"eerste_terugkoppeling": BezorgUitkomst.GEWEIGERD}},
    # Fresh events per recording (a factory): the path releases the held-back sources.
    "spoed": lambda: {
        "register": RegisterResultaat(aantal=1, regios=["utrecht"]),
        "vasthouden": {"register": asyncio.Event(), "politie": asyncio.Event()},
    },
}
# -- issue 22 (the chain): an overdracht as a zaak (v7) ----------------------------------------
# `python -m tests.replay.opnemen v7_keten overdracht_na_termijn overdracht_zaak_geweigerd
#  warme_overdracht_aanvaard warme_overdracht_stil warme_overdracht_teruggegeven raad_vto
#  raad_stil`, and `… v7_keten --zonder raad-verzoek-tot-onderzoek raad_besluit`
# The zaak created after the eerste terugkoppeling (overdracht_na_termijn, the fake's default:
# no statustypen, no wait); refused by the gemeente's API: a signalering niet_overgedragen.
PADEN["overdracht_zaak_geweigerd"] = overdracht_na_termijn
NEP["overdracht_zaak_geweigerd"] = {"overdracht": OverdrachtUitkomst.GEWEIGERD}


async def warme_overdracht_aanvaard(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """The zaak read a few times, then accepted."""
    await sc.beoordeel(h, "overdracht")
    await sc.wacht_tot(h, lambda s: s.fase == "warme_overdracht")
    await env.sleep(PEILINTERVAL * 3)
    HUIDIG[0].aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(PEILINTERVAL * 2)


async def warme_overdracht_stil(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """A silent partner: reminder and escalation (and continue-as-new), accepted at last."""
    await sc.beoordeel(h, "overdracht")
    await sc.wacht_tot(h, lambda s: s.fase == "warme_overdracht")
    await env.sleep(timedelta(days=9))
    HUIDIG[0].aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(PEILINTERVAL * 2)


async def warme_overdracht_teruggegeven(
    env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]
) -> None:
    """Handed back: the case waits for a new besluit, which is advies."""
    await sc.beoordeel(h, "overdracht")
    await sc.wacht_tot(h, lambda s: s.fase == "warme_overdracht")
    HUIDIG[0].aanvaarding = OverdrachtStand.TERUGGEGEVEN
    await env.sleep(PEILINTERVAL * 2)
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_besluit")
    await h.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))


async def raad_vto(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """The VTO sent beside an onderzoek; acknowledged, the dienst ends, then the decision."""
    await sc.beoordeel(h, "onderzoek", raad_verzoek_tot_onderzoek=True)
    await sc.wacht_tot(h, lambda s: s.raad is not None)
    nu = await env.get_current_time()
    HUIDIG[0].raad_antwoord = RaadAntwoord(ontvangen_op=nu)
    await env.sleep(PEILINTERVAL * 2)
    await h.execute_update(MeldingWorkflow.rond_dienst_af, _afgesloten_onderzoek())
    HUIDIG[0].raad_antwoord = RaadAntwoord(ontvangen_op=nu, beslissing=RaadBeslissing.ONDERZOEK)
    await env.sleep(PEILINTERVAL * 2)


async def raad_stil(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """A silent Raad: reminder and escalation for the acknowledgement, then it decides."""
    await sc.beoordeel(h, "onderzoek", raad_verzoek_tot_onderzoek=True)
    await sc.wacht_tot(h, lambda s: s.raad is not None)
    await env.sleep(timedelta(days=3))
    nu = await env.get_current_time()
    HUIDIG[0].raad_antwoord = RaadAntwoord(
        ontvangen_op=nu, beslissing=RaadBeslissing.GEEN_ONDERZOEK
    )
    await env.sleep(PEILINTERVAL * 2)
    await h.execute_update(MeldingWorkflow.rond_dienst_af, _afgesloten_onderzoek())


def _afgesloten_onderzoek() -> Any:
    return sc.afronding(
        veiligheidsvoorwaarden_gesteld=False,
        geweld_vastgesteld=False,
        vervolg="afsluiten",
        ketenpartner=None,
    )


async def raad_besluit(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """A besluit with a VTO and its dienst, nothing else: recorded with the patch
    raad-verzoek-tot-onderzoek on its old side (`--zonder`), where nothing is sent. On the new
    side (tests/workflows/test_voetafdruk.py runs every path) the Raad has decided already."""
    nu = await env.get_current_time()
    HUIDIG[0].raad_antwoord = RaadAntwoord(
        ontvangen_op=nu, beslissing=RaadBeslissing.GEEN_ONDERZOEK
    )
    await sc.beoordeel(h, "onderzoek", raad_verzoek_tot_onderzoek=True)
    await env.sleep(PEILINTERVAL * 2)
    await h.execute_update(MeldingWorkflow.rond_dienst_af, _afgesloten_onderzoek())


PADEN["raad_vto"] = raad_vto
PADEN["raad_besluit"] = raad_besluit
PADEN["raad_stil"] = raad_stil
_WARM = {"aanvaarding_termijn": timedelta(days=7)}
PADEN["warme_overdracht_aanvaard"] = warme_overdracht_aanvaard
PADEN["warme_overdracht_stil"] = warme_overdracht_stil
PADEN["warme_overdracht_teruggegeven"] = warme_overdracht_teruggegeven
NEP["warme_overdracht_aanvaard"] = NEP["warme_overdracht_stil"] = _WARM
NEP["warme_overdracht_teruggegeven"] = _WARM
# -- end issue 22 -----------------------------------------------------------------------------
# -- issue 22, item 4 and the dienst's overdracht (prefix v7_prof) -----------------------------
# Both patches are voorbereid in v7.2: their new side is a `__met_` history.
# `python -m tests.replay.opnemen v7_prof --met professionals-informeren professionals_informeren
#  professionals_onbezorgbaar professionals_na_teruggave`,
# `… v7_prof --zonder professionals-informeren professionals_informeren`
# The melding each path starts with, where it is not sc.melding().
MELDING: dict[str, Callable[[], Any]] = {}
_PROFESSIONALS = [
    {"soort": "huisarts", "organisatie": "Praktijk De Linde", "email": "praktijk@linde.example"},
    {"soort": "jgz", "organisatie": "JGZ Utrecht", "email": "jgz@utrecht.example"},
]
_INFORMEREN = [
    {"professional": 1, "onderbouwing": "De huisarts behandelt het kind."},
    {"professional": 2, "onderbouwing": "De jeugdarts volgt het kind."},
]


async def professionals_informeren(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """An advies besluit that informs the huisarts and the JGZ (Q&A 10)."""
    await sc.beoordeel(h, "advies", professionals_informeren=_INFORMEREN)


PADEN["professionals_informeren"] = PADEN["professionals_onbezorgbaar"] = professionals_informeren
MELDING["professionals_informeren"] = MELDING["professionals_onbezorgbaar"] = lambda: sc.melding(
    professionals=_PROFESSIONALS
)
NEP["professionals_onbezorgbaar"] = {
    "bezorging": {"professional_informeren": BezorgUitkomst.GEWEIGERD}
}


async def dienst_overdracht_aanvaard(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """A dienst that ends in an overdracht: the zaak, read a few times, then accepted."""
    await sc.beoordeel(h, "voorwaarden_en_vervolg")
    await sc.wacht_tot(h, lambda s: s.fase == "voorwaarden_en_vervolg")
    await env.sleep(timedelta(days=2))
    afronding = sc.afronding(veiligheidsvoorwaarden_gesteld=False, geweld_vastgesteld=None)
    await h.execute_update(MeldingWorkflow.rond_dienst_af, afronding)
    await sc.wacht_tot(h, lambda s: s.fase == "warme_overdracht")
    await env.sleep(PEILINTERVAL * 3)
    HUIDIG[0].aanvaarding = OverdrachtStand.AANVAARD
    await env.sleep(PEILINTERVAL * 2)


async def professionals_na_teruggave(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """A zaak handed back; the new besluit (advies) informs the huisarts (one professional: a
    run without a wait after the warme overdracht stays under the footprint's bound)."""
    await sc.beoordeel(h, "overdracht")  # the wijkteam hands it back at the first reading
    await env.sleep(PEILINTERVAL * 2)
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_besluit")
    besluit = sc.besluit("advies", professionals_informeren=_INFORMEREN[:1])
    await h.execute_update(MeldingWorkflow.neem_besluit, besluit)


PADEN["professionals_na_teruggave"] = professionals_na_teruggave
MELDING["professionals_na_teruggave"] = MELDING["professionals_informeren"]
NEP["professionals_na_teruggave"] = {**_WARM, "aanvaarding": OverdrachtStand.TERUGGEGEVEN}
# `… v7_prof --met dienst-overdracht-als-zaak dienst_overdracht_aanvaard`; its old side is every
# recorded voorwaarden_en_vervolg.
PADEN["dienst_overdracht_aanvaard"] = dienst_overdracht_aanvaard
NEP["dienst_overdracht_aanvaard"] = _WARM
# -- end v7_prof --------------------------------------------------------------------------------
# Paths whose case ends cancelled or failed, as they should.
NIET_VOLTOOID = {
    "annulering_tijdens_triage",
    "annulering_tijdens_registratie",
    "mislukt",
    "nieuwe_melding",
    "vervolg_bestaat_al",
}
# The task queue of the path being recorded (a path that starts a second case uses it).
TAAKRIJ: list[str] = [""]
# The fake activities of the path being recorded (a path that waits for one of their calls).
HUIDIG: list[NepActiviteiten] = [NepActiviteiten()]
# Requests to destroy a dossier: after the advies path's case (a medewerker decides).
VERNIETIGINGEN = {"vernietiging_toegekend": True, "vernietiging_geweigerd": False}


async def doorloop(
    env: WorkflowEnvironment,
    naam: str,
    verloop: Pad,
    rij: str,
    zonder: str = "",
    met: str = "",
) -> list[WorkflowHistory]:
    """One path with today's code and its fake activities (NEP): every run's history. `zonder`:
    that patch kept on its old side (the worker's activation callback says no), for the
    history of its old side (`…__zonder_<patch>`, tests/replay/test_patchzijden.py); `met`: a
    patch this release keeps voorbereid switched on, for its new side (`…__met_<patch>`)."""
    opties = NEP.get(naam, {})
    nep = NepActiviteiten(**(opties() if callable(opties) else opties))
    HUIDIG[0] = nep
    TAAKRIJ[0] = f"{rij}-{uuid.uuid4()}"
    async with Worker(
        env.client,
        task_queue=TAAKRIJ[0],
        workflows=ALLE_WORKFLOWS,
        activities=nep.alle(),
        patch_activation_callback=lambda invoer: (
            invoer.patch_id == met or (invoer.patch_id != zonder and activeer_patch(invoer))
        ),
    ) as worker:
        handle = await sc.start(env.client, worker, MELDING.get(naam, sc.melding)())
        try:
            await verloop(env, handle)
        except (WorkflowUpdateFailedError, WorkflowFailureError):
            # The old side of a patch may refuse what the path expects (a cancel on the old
            # side fails the triage in flight): the history is what is wanted.
            if not zonder:
                raise
        try:
            await env.client.get_workflow_handle(handle.id).result()
        except WorkflowFailureError:
            if naam not in NIET_VOLTOOID and not zonder:
                raise
        return await alle_runs(env.client, handle.id)


async def advies_afgesloten(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """Two conversations and a vertrouwensarts, closed with the CBS items."""
    await h.execute_update(AdviesWorkflow.registreer_gesprek, adviezen.gesprek())
    consult = VertrouwensartsConsult(
        medewerker="mw-0042", vertrouwensarts="va-0003", datum=sc.NU.date(), bevinding="Past."
    )
    await h.execute_update(AdviesWorkflow.raadpleeg_vertrouwensarts, consult)
    await h.execute_update(AdviesWorkflow.registreer_gesprek, adviezen.gesprek("video"))
    await h.execute_update(AdviesWorkflow.sluit_advies, adviezen.afsluiting("meerdere_gesprekken"))


async def advies_lang_open(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """Open past two reminders (four weeks each), then one contact and closed."""
    await env.sleep(timedelta(days=57))
    await h.execute_update(AdviesWorkflow.registreer_gesprek, adviezen.gesprek())
    await h.execute_update(
        AdviesWorkflow.sluit_advies, adviezen.afsluiting("eenmalig_contact", professional=False)
    )


async def advies_omgezet(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """The omzetting: a child MeldingWorkflow, which the recording then ends."""
    await h.execute_update(AdviesWorkflow.registreer_gesprek, adviezen.gesprek())
    m = sc.melding()
    omzetting = Omzetting(medewerker="mw-0042", reden="Meldnorm 1.", melding=m)
    await h.execute_update(AdviesWorkflow.zet_om_naar_melding, omzetting)
    melding = env.client.get_workflow_handle(f"melding-{m.melding_id}")
    await sc.wacht_tot(melding, lambda s: s.fase == "wacht_op_triage")
    await sc.beeindig(melding)


async def advies_omzetting_geweigerd(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """An omzetting under a melding_id that Temporal holds but the dossier does not know yet
    (started on a queue nobody polls): the dossier says free, the child's start fails."""
    await h.execute_update(AdviesWorkflow.registreer_gesprek, adviezen.gesprek())
    bestaand = sc.melding()
    andere = await env.client.start_workflow(
        MeldingWorkflow.run,
        bestaand,
        id=f"melding-{bestaand.melding_id}",
        task_queue=f"niemand-{uuid.uuid4()}",
    )
    omzetting = Omzetting(medewerker="mw-0042", reden="Meldnorm 1.", melding=bestaand)
    try:
        await h.execute_update(AdviesWorkflow.zet_om_naar_melding, omzetting)
    except WorkflowUpdateFailedError:
        pass
    else:
        raise AssertionError("een omzetting onder een gebruikt melding_id werd niet geweigerd")
    await h.execute_update(AdviesWorkflow.sluit_advies, adviezen.afsluiting("eenmalig_contact"))
    await sc.beeindig(andere)


async def advies_omzetting_vernietigd(
    env: WorkflowEnvironment, h: WorkflowHandle[Any, Any], nep: NepActiviteiten
) -> None:
    """An omzetting under a destroyed melding_id: refused by the dossier, nothing started."""
    await h.execute_update(AdviesWorkflow.registreer_gesprek, adviezen.gesprek())
    m = sc.melding()
    nep.vernietigd.append(m.melding_id)
    omzetting = Omzetting(medewerker="mw-0042", reden="Meldnorm 1.", melding=m)
    try:
        await h.execute_update(AdviesWorkflow.zet_om_naar_melding, omzetting)
    except WorkflowUpdateFailedError:
        pass
    else:
        raise AssertionError("een omzetting onder een vernietigd melding_id werd niet geweigerd")
    await h.execute_update(AdviesWorkflow.sluit_advies, adviezen.afsluiting("eenmalig_contact"))


ADVIESPADEN: dict[str, tuple[Pad, bool]] = {
    "advies_afgesloten": (advies_afgesloten, False),
    "advies_lang_open": (advies_lang_open, True),
    "advies_omgezet": (advies_omgezet, False),
    "advies_omzetting_geweigerd": (advies_omzetting_geweigerd, False),
}
# Paths that need the fake activities themselves (a destroyed melding_id).
ADVIESPADEN_MET_NEP = {"advies_omzetting_vernietigd": advies_omzetting_vernietigd}


async def neem_adviezen_op(env: WorkflowEnvironment, versie: str) -> None:
    for naam, (verloop, burger) in ADVIESPADEN.items():
        sc.NU = await env.get_current_time()
        async with Worker(
            env.client,
            task_queue=f"opname-{uuid.uuid4()}",
            workflows=ALLE_WORKFLOWS,
            activities=NepActiviteiten().alle(),
        ) as worker:
            handle = await adviezen.start(env.client, worker, adviezen.vraag(burger=burger))
            await verloop(env, handle)
            await handle.result()
            schrijf(f"{versie}_{naam}", await handle.fetch_history())
    for naam, met_nep in ADVIESPADEN_MET_NEP.items():
        sc.NU = await env.get_current_time()
        nep = NepActiviteiten()
        async with Worker(
            env.client,
            task_queue=f"opname-{uuid.uuid4()}",
            workflows=ALLE_WORKFLOWS,
            activities=nep.alle(),
        ) as worker:
            handle = await adviezen.start(env.client, worker, adviezen.vraag())
            await met_nep(env, handle, nep)
            await handle.result()
            schrijf(f"{versie}_{naam}", await handle.fetch_history())


async def neem_op(
    versie: str, kies: frozenset[str] = frozenset(), alleen_advies: bool = False
) -> None:
    """Record every path (or only those named in `kies`, and then no destruction or forged
    start) as `<versie>_<path>`."""
    env = await WorkflowEnvironment.start_time_skipping(
        plugins=[auteurs.plugin()],
        # Plaintext payloads: the replayer has none of this process's data keys (the codec passes
        # unencrypted payloads through, as in the histories recorded before it).
        data_converter=dataclasses.replace(data_converter(), payload_codec=None),
        test_server_existing_path=programma("temporal-test-server"),
    )
    await registreer_zoekattributen(env.client)
    try:
        if alleen_advies:
            await neem_adviezen_op(env, versie)
            return
        # The paths that leave a terminated follow-up behind last: the time-skipping server
        # skips no time after them (NIET_VOLTOOID, nieuwe_melding).
        volgorde = sorted(PADEN, key=lambda naam: naam in LAATST)
        for naam in volgorde:
            if (kies and naam not in kies) or naam in LAATST:
                continue
            await _neem_pad_op(env, versie, naam)
        if not kies:
            for naam, toegekend in VERNIETIGINGEN.items():
                await neem_vernietiging_op(env, f"{versie}_{naam}", toegekend)
            await neem_vervalste_start_op(env, f"{versie}_vervalste_start")
            await neem_adviezen_op(env, versie)
        for naam in LAATST:
            if not kies or naam in kies:
                await _neem_pad_op(env, versie, naam)
    finally:
        await env.shutdown()


# Recorded after every other path (see neem_op).
LAATST = ("nieuwe_melding", "vervolg_bestaat_al")


async def _neem_pad_op(env: WorkflowEnvironment, versie: str, naam: str) -> None:
    sc.NU = await env.get_current_time()
    for n, geschiedenis in enumerate(await doorloop(env, naam, PADEN[naam], "opname")):
        schrijf(f"{versie}_{naam}" + (f"_run{n + 1}" if n else ""), geschiedenis)


def schrijf(naam: str, geschiedenis: WorkflowHistory) -> None:
    bestand = MAP / f"{naam}.json"
    bestand.write_text(geschiedenis.to_json())
    print(f"{bestand.relative_to(Path.cwd())}: {len(geschiedenis.events)} events")


async def neem_vernietiging_op(env: WorkflowEnvironment, naam: str, toegekend: bool) -> None:
    nep = NepActiviteiten()
    sc.NU = await env.get_current_time()
    async with Worker(
        env.client,
        task_queue=f"opname-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=nep.alle(),
        patch_activation_callback=activeer_patch,
    ) as worker:
        m = sc.melding()
        handle = await sc.start(env.client, worker, m)
        await sc.beoordeel(handle, "advies")
        await handle.result()
        verzoek = await env.client.start_workflow(
            VernietigingWorkflow.run,
            VernietigingsVerzoek(
                melding_id=m.melding_id, verzoeker_rol="ouder_verzorger", ontvangen_op=sc.NU
            ),
            id=vernietiging_workflow_id(m.melding_id),
            task_queue=worker.task_queue,
        )
        besluit = VernietigingsBesluit(
            medewerker="mw-0042", toegekend=toegekend, reden="Besproken met de teamleider."
        )
        if (
            not toegekend
        ):  # since v7 a refusal names a legal ground (patch vernietiging-termijn-gronden)
            besluit = besluit.model_copy(update=WEIGERING)
        while True:
            try:
                await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
                break
            except WorkflowUpdateFailedError as fout:
                if "nog beoordeeld" not in str(fout.cause):
                    raise
                await asyncio.sleep(0.05)
        await verzoek.result()
        schrijf(naam, await verzoek.fetch_history())


async def neem_vervalste_start_op(env: WorkflowEnvironment, naam: str) -> None:
    """v5: a start without verklaring ends at registration, nothing stored."""
    zonder = await Client.connect(
        env.client.service_client.config.target_host, data_converter=env.client.data_converter
    )
    async with Worker(
        env.client,
        task_queue=f"opname-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=NepActiviteiten().alle(),
        patch_activation_callback=activeer_patch,
    ) as worker:
        handle = await sc.start(zonder, worker, sc.melding())
        try:
            await handle.result()
        except WorkflowFailureError:
            schrijf(naam, await handle.fetch_history())
            return
    raise AssertionError("een start zonder verklaring werd niet geweigerd")


async def neem_vernietiging_wacht_op(versie: str) -> None:
    """A destruction granted while its case runs, waiting 9 days (days do not pass on the dev
    server, tests/replay/opnemen_dev.py): as this release's worker runs it (the daily retry in
    one run: `vernietiging-verder-als-nieuw` is only prepared) and with that patch switched on
    (`…__met_…`: continued as new after 7 attempts, each run recorded)."""
    from workflows.vernietiging import PATCH_VERDER_ALS_NIEUW

    env = await WorkflowEnvironment.start_time_skipping(
        plugins=[auteurs.plugin()],
        data_converter=dataclasses.replace(data_converter(), payload_codec=None),
        test_server_existing_path=programma("temporal-test-server"),
    )
    await registreer_zoekattributen(env.client)
    try:
        for achtervoegsel, met in (("", False), (f"__met_{PATCH_VERDER_ALS_NIEUW}", True)):
            nep = NepActiviteiten()
            sc.NU = await env.get_current_time()
            async with Worker(
                env.client,
                task_queue=f"opname-{uuid.uuid4()}",
                workflows=ALLE_WORKFLOWS,
                activities=nep.alle(),
                patch_activation_callback=lambda i, met=met: met or activeer_patch(i),
            ) as worker:
                m = sc.melding()
                handle = await sc.start(env.client, worker, m)
                await sc.beoordeel(handle, "afsluiten", geweld_vastgesteld=False)
                await handle.result()
                nep.lopend.add(m.melding_id)
                verzoek = await env.client.start_workflow(
                    VernietigingWorkflow.run,
                    sc.verzoek(m.melding_id),
                    id=vernietiging_workflow_id(m.melding_id),
                    task_queue=worker.task_queue,
                )
                await sc.wacht_op_besluit(verzoek)
                besluit = VernietigingsBesluit(
                    medewerker="mw-0042", toegekend=True, reden="Besproken met de teamleider."
                )
                await verzoek.execute_update(VernietigingWorkflow.beslis_vernietiging, besluit)
                await sc.slaap(env, timedelta(days=9), stap=timedelta(days=1))
                nep.lopend.discard(m.melding_id)
                await sc.slaap(env, timedelta(days=2), stap=timedelta(hours=12))
                await verzoek.result()
                naam = f"{versie}_vernietiging_wacht_op_casus{achtervoegsel}"
                for n, geschiedenis in enumerate(await alle_runs(env.client, verzoek.id)):
                    schrijf(naam + (f"_run{n + 1}" if n else ""), geschiedenis)
    finally:
        await env.shutdown()


async def neem_kant_op(versie: str, kant: str, patch: str, paden: list[str]) -> None:
    """`python -m tests.replay.opnemen v6 --zonder PATCH pad…`: each path with that patch kept on
    its old side, as `<versie>_<pad>__zonder_<patch>`; `… v7_rel --met PATCH pad…`: with a patch
    this release keeps voorbereid switched on, as `<versie>_<pad>__met_<patch>` (the previous
    release need not replay these: tests/replay/test_terugrol.py)."""
    env = await WorkflowEnvironment.start_time_skipping(
        plugins=[auteurs.plugin()],
        data_converter=dataclasses.replace(data_converter(), payload_codec=None),
        test_server_existing_path=programma("temporal-test-server"),
    )
    await registreer_zoekattributen(env.client)
    zijde = {"zonder": patch} if kant == "zonder" else {"met": patch}
    try:
        for naam in paden:
            sc.NU = await env.get_current_time()
            runs = await doorloop(env, naam, PADEN[naam], "opname", **zijde)
            for n, geschiedenis in enumerate(runs):
                achtervoegsel = f"_run{n + 1}" if n else ""
                schrijf(f"{versie}_{naam}__{kant}_{patch}{achtervoegsel}", geschiedenis)
    finally:
        await env.shutdown()


if __name__ == "__main__":
    if sys.argv[2:3] in (["--zonder"], ["--met"]):
        kant = sys.argv[2].removeprefix("--")
        asyncio.run(neem_kant_op(sys.argv[1], kant, sys.argv[3], sys.argv[4:]))
    elif sys.argv[2:] == ["vernietiging_wacht"]:
        asyncio.run(neem_vernietiging_wacht_op(sys.argv[1]))
    elif sys.argv[2:] == ["advies"]:
        asyncio.run(neem_op(sys.argv[1], alleen_advies=True))
    # -- issue 25 (bewaartermijn, vernietigingslijst): tests/replay/opnemen_bewaar.py --------
    elif sys.argv[2:] == ["bewaar"]:
        from tests.replay.opnemen_bewaar import neem_bewaar_op

        asyncio.run(neem_bewaar_op(sys.argv[1]))
    # -- issue 27 (one decision mechanism): tests/replay/opnemen_besluitvorming.py ------------
    elif sys.argv[2:] == ["besluitvorming"]:
        from tests.replay.opnemen_besluitvorming import neem_besluitvorming_op

        asyncio.run(neem_besluitvorming_op(sys.argv[1]))
    else:
        asyncio.run(neem_op(sys.argv[1] if len(sys.argv) > 1 else "v2", frozenset(sys.argv[2:])))
