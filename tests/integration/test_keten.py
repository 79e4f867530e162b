"""Issue 22 end to end: `python worker.py` hands an overdracht over as a zaak to a loopback
Zaken and Documenten API that validates every request and response against Open Zaak's
OpenAPI documents (zgw_nep.py); killed with -9 in the middle, the restarted worker completes
the same zaak: exactly one, with its rollen, document and status."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from aiohttp import web
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities.dossier import DossierActiviteiten
from activities.keten import KetenActiviteiten
from activities.raad import RaadActiviteiten
from contract.ids import melding_workflow_id
from domain import voorbeelden
from domain.keten import OverdrachtOpdracht, OverdrachtUitkomst
from domain.raad import RaadUitkomst, VtoOpdracht
from keten.instellingen import Ketenkoppelingen
from keten.raadmap import Raadmap
from keten.zaken import ZgwZaken
from tests.integration import test_zaken as tz
from tests.integration import voorbeelden as vb
from tests.integration import zgw_nep
from tests.integration.conftest import HOOFDSLEUTEL_HEX, SLEUTEL, datasleutels_op
from tests.integration.zgw_nep import NepZgw
from tests.workflows import scenario as sc
from workflows import MeldingWorkflow

HIER = Path(__file__).resolve().parents[2]


@pytest.fixture
async def nep() -> AsyncIterator[NepZgw]:
    nep = NepZgw(tz.CLIENTS, tz.ROLTYPEN)
    runner = await zgw_nep.start(nep)
    yield nep
    await runner.cleanup()


def _configuratie(nep: NepZgw, pad: Path) -> Path:
    """The file VT_ZGW_KOPPELINGEN names: the fake as the standaard gemeente, its secret in
    the environment (VT_ZGW_SECRET_UTRECHT), not in the file."""
    uit = {"gemeente", "secret", "statustypen_aanvaard", "statustypen_teruggegeven"}
    koppeling = tz.koppeling(nep.basis).model_dump(exclude=uit)  # no wait for the acceptance
    pad.write_text(json.dumps({"standaard": "utrecht", "gemeenten": {"utrecht": koppeling}}))
    return pad


async def _worker_proces(
    temporal_adres: str, pg_dsn: str, task_queue: str, configuratie: Path
) -> asyncio.subprocess.Process:
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "VT_"))}
    env = {
        **basis,
        "TEMPORAL_ADDRESS": temporal_adres,
        "DATABASE_URL": pg_dsn,
        "VT_TASK_QUEUE": task_queue,
        "VT_MASTER_KEY": HOOFDSLEUTEL_HEX,
        "VT_REGISTER_SLEUTEL": SLEUTEL.decode(),
        "VT_METRICS_PORT": "0",
        "VT_LOG_FORMAT": "json",
        "VT_ZGW_KOPPELINGEN": str(configuratie),
        "VT_ZGW_SECRET_UTRECHT": tz.CLIENTS["veilig-thuis-utrecht"],
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "worker.py",
        cwd=HIER,
        env=env,
        stdout=open(configuratie.parent / "worker.log", "ab"),  # the child holds it
        stderr=asyncio.subprocess.STDOUT,
    )


async def test_a_worker_killed_in_the_middle_of_an_overdracht_leaves_exactly_one_zaak(
    client: Client, temporal_adres: str, pg_dsn: str, nep: NepZgw, tmp_path: Path
) -> None:
    """kill -9 of `python worker.py` right after the zaak and its first rol were stored (the
    API never answers that rol's 201): the restarted worker's attempt finds the zaak by its
    identificatie and its rol by the roltoelichting, and adds only what is missing."""
    task_queue = f"keten-kill-{uuid.uuid4()}"
    configuratie = _configuratie(nep, tmp_path / "koppelingen.json")
    proces = await _worker_proces(temporal_adres, pg_dsn, task_queue, configuratie)
    gedood: list[int] = []

    async def dood(soort: str, _: dict[str, object]) -> None:
        if soort == "rollen" and not gedood:
            os.kill(proces.pid, signal.SIGKILL)
            gedood.append(proces.pid)
            raise web.HTTPServiceUnavailable

    nep.na_aanmaken = dood
    m = vb.melding()
    handle = await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=task_queue
    )
    try:
        await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
        await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
        await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("overdracht"))
        for _ in range(300):
            if gedood:
                break
            await asyncio.sleep(0.1)
        assert gedood == [proces.pid], (tmp_path / "worker.log").read_text()[-3000:]
        assert await asyncio.wait_for(proces.wait(), 10) == -signal.SIGKILL
        assert (len(nep.lijst("zaken")), len(nep.lijst("rollen"))) == (1, 1)
        proces = await _worker_proces(temporal_adres, pg_dsn, task_queue, configuratie)
        assert (await asyncio.wait_for(handle.result(), 180)).einde == "overgedragen"
        status = await handle.query(MeldingWorkflow.status)
    finally:
        if proces.returncode is None:
            proces.send_signal(signal.SIGTERM)
            await proces.wait()
    assert nep.fouten == []
    assert [len(nep.lijst(s)) for s in zgw_nep.RESOURCES] == [1, 2 + len(m.betrokkenen), 1, 1, 1]
    assert status.overdracht is not None
    (zaak,) = nep.lijst("zaken")
    assert (status.overdracht.uitkomst, status.overdracht.zaak_url) == ("aangemaakt", zaak["url"])


async def test_a_household_without_a_configured_gemeente_is_geen_koppeling(
    pool: asyncpg.Pool, nep: NepZgw
) -> None:
    """Only Utrecht configured, no standaard: a household elsewhere is not handed over (a
    signalering follows in the workflow), and the API receives nothing."""
    m = sc.melding(
        adres={"straat": "Markt", "huisnummer": "2", "postcode": "5211 JX", "woonplaats": "Breda"}
    )
    sleutels = datasleutels_op(pool)
    await ActivityEnvironment().run(DossierActiviteiten(pool, SLEUTEL, sleutels).sla_melding_op, m)
    koppelingen = Ketenkoppelingen(gemeenten={"utrecht": tz.koppeling(nep.basis)})
    activiteit = KetenActiviteiten(pool, sleutels, koppelingen, ZgwZaken())
    opdracht = OverdrachtOpdracht(
        melding_id=m.melding_id, besluit=voorbeelden.besluit("overdracht"), op=sc.NU
    )
    uitkomst = await ActivityEnvironment().run(activiteit.draag_zaak_over, opdracht)
    assert uitkomst.uitkomst is OverdrachtUitkomst.GEEN_KOPPELING
    assert nep.verzoeken == []


async def test_the_vto_activity_reads_the_minors_from_the_dossier_and_sends_once(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    """The real dossier and the folder channel: a second attempt writes nothing new and
    answers the same terms; only the minors are in the VTO."""
    m = sc.melding()
    sleutels = datasleutels_op(pool)
    await ActivityEnvironment().run(DossierActiviteiten(pool, SLEUTEL, sleutels).sla_melding_op, m)
    activiteit = RaadActiviteiten(pool, sleutels, Raadmap(tmp_path))
    opdracht = VtoOpdracht(
        melding_id=m.melding_id,
        besluit=voorbeelden.besluit("onderzoek", raad_verzoek_tot_onderzoek=True),
        op=sc.NU,
    )
    eerste = await ActivityEnvironment().run(activiteit.verstuur_vto, opdracht)
    tweede = await ActivityEnvironment().run(activiteit.verstuur_vto, opdracht)
    assert eerste == tweede and eerste.uitkomst is RaadUitkomst.VERSTUURD
    assert eerste.ontvangst_voor is not None and eerste.beslissing_voor is not None
    assert eerste.ontvangst_voor < eerste.beslissing_voor
    (pad,) = (tmp_path / "uit").iterdir()
    inhoud = json.loads(pad.read_text())
    assert [k["bsn"] for k in inhoud["minderjarigen"]] == ["111222333"]
