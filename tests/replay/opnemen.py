"""Record the histories that tests/replay replays: `python -m tests.replay.opnemen`.

Runs each path on the time-skipping server with the fake activities (synthetic data only) and
writes its history as JSON. Record again only for a new workflow shape; the old files stay, so
every shape that ever shipped keeps replaying against the current code.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
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
)
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contract.client import data_converter
from contract.ids import vernietiging_workflow_id
from contract.search_attributes import registreer_zoekattributen
from domain.besluiten import (
    HuishoudenInformeren,
    Koppeling,
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.uitwisseling import RegisterResultaat
from runtime.devserver import programma
from tests import auteurs
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from tests.workflows.runs import alle_runs
from workflows import ALLE_WORKFLOWS, MeldingWorkflow, VernietigingWorkflow

MAP = Path(__file__).parent / "histories"
Pad = Callable[[WorkflowEnvironment, WorkflowHandle[Any, Any]], Awaitable[None]]
# The fake activities of the path being recorded (a path may hold a source back and let go).
_nep = NepActiviteiten()


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
    # Since v6 the case is linked to it and keeps monitoring until stably safe.
    await sc.wacht_tot(h, lambda s: len(s.monitoring) == 2)
    # The new melding would wait for triage forever and hold up time skipping for the rest.
    nieuw = env.client.get_workflow_handle(f"{h.id}-M1")
    await sc.wacht_tot(nieuw, lambda s: s.fase == "wacht_op_triage")
    await sc.beeindig(nieuw)
    await env.sleep(timedelta(days=280))
    await sc.registreer_monitoring(h, sc.uitkomst(stabiel=True))


async def radar(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    await sc.wacht_tot(h, lambda s: s.fase == "wacht_op_triage")
    for n in range(3):
        await h.signal(
            MeldingWorkflow.melding_gekoppeld,
            Koppeling(melding_id=f"VT-HGL-2027-{n:06d}", regio="haaglanden", ontvangen_op=sc.NU),
        )
    await sc.wacht_tot(h, lambda s: len(s.gekoppelde_meldingen) == 3)
    await sc.beoordeel(h, "advies")


async def stille_bron(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """The politie never answers: recorded as niet_ontvangen after one werkdag."""
    await sc.wacht_tot(h, lambda s: s.bronnen.register == "ontvangen")
    await sc.slaap(env, timedelta(days=4), stap=timedelta(hours=12))
    await sc.beoordeel(h, "advies")


async def huishouden_uitgesteld(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """Since v6 followed up: two reminders, then the household message goes."""
    await sc.beoordeel(h, "advies", huishouden_informeren_uitstellen="Veiligheid van de melder.")
    await sc.wacht_tot(h, lambda s: len(s.terugkoppelingen) == 1)
    await env.sleep(timedelta(days=29))
    await h.execute_update(
        MeldingWorkflow.informeer_huishouden,
        HuishoudenInformeren(medewerker="mw-0042", wijze="bericht", toelichting="Nu veilig."),
    )


async def spoed(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v6: a spoed besluit while the register and the politie are still asked; the register
    then finds an earlier melding (signalled)."""
    await sc.wacht_tot(h, lambda s: s.beoordeling_deadline is not None)
    await h.execute_update(MeldingWorkflow.registreer_triage, sc.triage(urgentie="spoed"))
    await h.execute_update(MeldingWorkflow.neem_besluit, sc.besluit("advies"))
    await sc.wacht_tot(h, lambda s: len(s.terugkoppelingen) == 1)
    for bron in _nep.vasthouden.values():
        bron.set()


async def onderzoek_geen_geweld(env: WorkflowEnvironment, h: WorkflowHandle[Any, Any]) -> None:
    """v6: the dienst finds no violence: the household hears of its right to destruction."""
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
    """v6: two veiligheidsvoorwaarden and monitoring at 1 and 6 months, each checked."""
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
    "spoed": spoed,
    "onderzoek_geen_geweld": onderzoek_geen_geweld,
    "voorwaarden_afgesproken": voorwaarden_afgesproken,
}


def nep_voor(naam: str) -> NepActiviteiten:
    if naam == "stille_bron":
        return NepActiviteiten(stil={"politie"})
    if naam == "spoed":
        return NepActiviteiten(
            register=RegisterResultaat(aantal=1, regios=["utrecht"]),
            vasthouden={"register": asyncio.Event(), "politie": asyncio.Event()},
        )
    return NepActiviteiten()


# Requests to destroy a dossier: after the advies path's case (a medewerker decides).
VERNIETIGINGEN = {"vernietiging_toegekend": True, "vernietiging_geweigerd": False}


async def neem_op(versie: str) -> None:
    global _nep
    env = await WorkflowEnvironment.start_time_skipping(
        plugins=[auteurs.plugin()],
        # Plaintext payloads: the replayer has none of this process's data keys (the codec passes
        # unencrypted payloads through, as in the histories recorded before it).
        data_converter=dataclasses.replace(data_converter(), payload_codec=None),
        test_server_existing_path=programma("temporal-test-server"),
    )
    await registreer_zoekattributen(env.client)
    try:
        for naam, verloop in PADEN.items():
            nep = _nep = nep_voor(naam)
            sc.NU = await env.get_current_time()
            async with Worker(
                env.client,
                task_queue=f"opname-{uuid.uuid4()}",
                workflows=ALLE_WORKFLOWS,
                activities=nep.alle(),
            ) as worker:
                handle = await sc.start(env.client, worker, sc.melding())
                await verloop(env, handle)
                await env.client.get_workflow_handle(handle.id).result()
                for n, geschiedenis in enumerate(await alle_runs(env.client, handle.id)):
                    schrijf(f"{versie}_{naam}" + (f"_run{n + 1}" if n else ""), geschiedenis)
        for naam, toegekend in VERNIETIGINGEN.items():
            await neem_vernietiging_op(env, f"{versie}_{naam}", toegekend)
        await neem_vervalste_start_op(env, f"{versie}_vervalste_start")
    finally:
        await env.shutdown()


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
    ) as worker:
        handle = await sc.start(zonder, worker, sc.melding())
        try:
            await handle.result()
        except WorkflowFailureError:
            schrijf(naam, await handle.fetch_history())
            return
    raise AssertionError("een start zonder verklaring werd niet geweigerd")


if __name__ == "__main__":
    asyncio.run(neem_op(sys.argv[1] if len(sys.argv) > 1 else "v2"))
