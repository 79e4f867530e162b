"""Who acts, on the real stack (issue 17): the dev server, the real worker and activities,
PostgreSQL, the codec server; the attacker uses the plain `temporal` CLI and an SDK client with
the default pydantic converter. Each test failed on the code before the verklaring: the plain
besluit was applied, the forged destruction destroyed the dossier, the made-up link was added,
`/encode` made a key for any ID, a reused verzoek_id was silently dropped."""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import subprocess
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker

from contract import names
from contract.ids import advies_workflow_id, melding_workflow_id, vernietiging_workflow_id
from domain.advies import AdviesAfsluiting, AdviesFase
from domain.besluiten import VernietigingsVerzoek
from domain.identiteit import Auteur, Soort, Taakrol
from domain.invoer import valideer_streng
from runtime.devserver import programma
from starter import MeldingClient, codec_server
from starter.advies_client import AdviesClient
from starter.codec_toegang import Toegangsregels
from starter.fouten import Geweigerd, VernietigingWachtOpBesluit
from tests.integration import voorbeelden as vb
from tests.integration.conftest import VERKLARINGSLEUTEL
from tests.integration.test_advies_client import vers, vraag
from tests.poorten import vrije_poort
from tests.workflows import scenario as sc
from versleuteling.opslag import PostgresKeyStore
from workflows import MeldingWorkflow

TOKENS = {
    "mw": (
        secrets.token_urlsafe(24),
        # Issue 19: content of the region of the example meldingen only.
        Auteur(
            id="mw-0042",
            soort=Soort.PERSOON,
            rollen=(Taakrol.MEDEWERKER,),
            organisaties=(vb.melding().regio,),
        ),
    ),
    "ops": (
        secrets.token_urlsafe(24),
        Auteur(id="ops-0001", soort=Soort.PERSOON, rollen=(Taakrol.OPS,)),
    ),
}


@pytest.fixture
async def codec(sleutels: PostgresKeyStore, pool: asyncpg.Pool) -> AsyncIterator[str]:
    instellingen = codec_server.CodecInstellingen(
        toegang=Toegangsregels(
            tokens={hashlib.sha256(t.encode()).hexdigest(): a for t, a in TOKENS.values()}
        ),
        poort=vrije_poort(),
        verklaringsleutel=VERKLARINGSLEUTEL,
    )
    runner = await codec_server.start(instellingen, sleutels, codec_server.audit_in(pool))
    yield f"http://127.0.0.1:{instellingen.poort}"
    await runner.cleanup()


async def _cli(temporal_adres: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The plain `temporal` CLI, without blocking the loop this test's worker runs on."""
    proces = await asyncio.create_subprocess_exec(
        programma("temporal"),
        *args,
        "--address",
        temporal_adres,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    uit, fout = await asyncio.wait_for(proces.communicate(), 60)
    assert proces.returncode is not None
    return subprocess.CompletedProcess([], proces.returncode, uit.decode(), fout.decode())


async def _in_triage(client: Client, worker: Worker) -> Any:
    m = vb.melding()
    handle = await sc.start(client, worker, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage", 60)
    return m, handle


async def test_a_plaintext_besluit_from_the_temporal_cli_is_refused(
    client: Client, worker: Worker, temporal_adres: str, pool: asyncpg.Pool
) -> None:
    """`temporal workflow update execute --name registreer_triage --input '{…}'`: refused with
    the reason; no audit row, no triage."""
    m, handle = await _in_triage(client, worker)
    proces = await _cli(
        temporal_adres,
        "workflow",
        "update",
        "execute",
        "-w",
        handle.id,
        "--name",
        "registreer_triage",
        "--update-id",
        "x",
        "--input",
        sc.triage().model_dump_json(),
    )
    assert proces.returncode != 0
    assert "zonder verklaring" in proces.stdout + proces.stderr
    status = await handle.query(MeldingWorkflow.status)
    assert status.triage is None
    rijen = await pool.fetchval(
        "SELECT count(*) FROM audit WHERE melding_id = $1 AND handeling = 'registreer_triage'",
        m.melding_id,
    )
    assert rijen == 0


async def test_a_plaintext_closing_of_an_advies_from_the_temporal_cli_is_refused(
    client: Client, worker: Worker, temporal_adres: str
) -> None:
    """The advies' updates go through the same decision mechanism: `temporal workflow update
    execute --name sluit_advies` without a verklaring closes nothing."""
    advies = AdviesClient(MeldingClient(client, worker.task_queue))
    v = vraag("advies_vraag_anoniem")
    await advies.indienen(v)
    afsluiting = valideer_streng(AdviesAfsluiting, vers("advies_afsluiting"))
    proces = await _cli(
        temporal_adres,
        "workflow",
        "update",
        "execute",
        "-w",
        advies_workflow_id(v.advies_id),
        "--name",
        names.UPDATE_ADVIES_SLUITEN,
        "--update-id",
        "x",
        "--input",
        afsluiting.model_dump_json(),
    )
    assert proces.returncode != 0
    assert "zonder verklaring" in proces.stdout + proces.stderr
    assert (await advies.status(v.advies_id)).fase is not AdviesFase.AFGESLOTEN


async def test_a_default_converter_sdk_client_cannot_decide(
    client: Client, worker: Worker, temporal_adres: str
) -> None:
    """An SDK client with the default pydantic converter (plaintext, no verklaring)."""
    _, handle = await _in_triage(client, worker)
    kaal = await Client.connect(temporal_adres, data_converter=pydantic_data_converter)
    with pytest.raises(WorkflowUpdateFailedError) as fout:
        await kaal.get_workflow_handle(handle.id).execute_update("registreer_triage", sc.triage())
    assert "zonder verklaring" in str(fout.value.cause)


async def test_a_plaintext_start_from_the_cli_stores_nothing(
    client: Client, worker: Worker, temporal_adres: str, pool: asyncpg.Pool
) -> None:
    """`temporal workflow start --type MeldingWorkflow`: the workflow fails at registration."""
    m = vb.melding()
    proces = await _cli(
        temporal_adres,
        "workflow",
        "start",
        "--type",
        "MeldingWorkflow",
        "--task-queue",
        worker.task_queue,
        "-w",
        melding_workflow_id(m.melding_id),
        "--input",
        m.model_dump_json(),
    )
    assert proces.returncode == 0, proces.stderr  # the server takes the start ...
    handle = client.get_workflow_handle(melding_workflow_id(m.melding_id))
    for _ in range(200):  # ... and the worker refuses it
        if (await handle.describe()).status.name == "FAILED":
            break
        await asyncio.sleep(0.1)
    assert (await handle.describe()).status.name == "FAILED"
    bewaard = await pool.fetchval(
        "SELECT count(*) FROM meldingen WHERE melding_id = $1", m.melding_id
    )
    assert bewaard == 0


async def test_a_forged_destruction_from_the_cli_destroys_nothing(
    client: Client, worker: Worker, temporal_adres: str, pool: asyncpg.Pool
) -> None:
    """The issue's attack: a closed case without violence (Q&A 28), then a plaintext
    VernietigingWorkflow start: before, the dossier, its key and its audit rows were gone."""
    m, handle = await _in_triage(client, worker)
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(
        MeldingWorkflow.neem_besluit, vb.besluit("afsluiten", geweld_vastgesteld=False)
    )
    await handle.result()
    verzoek = json.dumps(
        {
            "melding_id": m.melding_id,
            "verzoeker_rol": "ouder_verzorger",
            "ontvangen_op": sc.NU.isoformat(),
        }
    )
    proces = await _cli(
        temporal_adres,
        "workflow",
        "execute",
        "--type",
        "VernietigingWorkflow",
        "--task-queue",
        worker.task_queue,
        "-w",
        vernietiging_workflow_id(m.melding_id),
        "--input",
        verzoek,
    )
    assert proces.returncode != 0
    assert (
        await pool.fetchval("SELECT count(*) FROM meldingen WHERE melding_id = $1", m.melding_id)
        == 1
    )
    assert (
        await pool.fetchval("SELECT count(*) FROM audit WHERE melding_id = $1", m.melding_id) >= 2
    )
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM vernietigingen WHERE melding_id = $1", m.melding_id
        )
        == 0
    )
    # The failed forged request blocks nothing: the real one starts and waits for a teamleider.
    with pytest.raises(VernietigingWachtOpBesluit):
        await MeldingClient(client, worker.task_queue).vernietig(
            VernietigingsVerzoek.model_validate(json.loads(verzoek)), wacht=timedelta(seconds=2)
        )


async def test_a_made_up_link_signalled_from_the_cli_is_dropped(
    client: Client, worker: Worker, temporal_adres: str
) -> None:
    """`temporal workflow signal --name melding_gekoppeld`: the link `VT-FAKE-2026-000666` is
    not added, and the case goes on."""
    _, handle = await _in_triage(client, worker)
    koppeling = {
        "melding_id": "VT-FAKE-2026-000666",
        "regio": "utrecht",
        "ontvangen_op": sc.NU.isoformat(),
    }
    proces = await _cli(
        temporal_adres,
        "workflow",
        "signal",
        "-w",
        handle.id,
        "--name",
        "melding_gekoppeld",
        "--input",
        json.dumps(koppeling),
    )
    assert proces.returncode == 0, proces.stderr
    await asyncio.sleep(1.0)
    status = await handle.query(MeldingWorkflow.status)
    assert status.gekoppelde_meldingen == []
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())  # still alive


async def _post(url: str, body: bytes, token: str = "", **headers: str) -> tuple[int, str]:
    """A real HTTP request, in a thread: the codec server answers on this test's loop."""
    return await asyncio.to_thread(_post_blokkerend, url, body, token, headers)


def _post_blokkerend(url: str, body: bytes, token: str, headers: dict[str, str]) -> tuple[int, str]:
    kop = {"Content-Type": "application/json", **headers}
    if token:
        kop["Authorization"] = f"Bearer {token}"
    verzoek = urllib.request.Request(url, data=body, headers=kop, method="POST")
    try:
        with urllib.request.urlopen(verzoek, timeout=10) as antwoord:
            return antwoord.status, antwoord.read().decode()
    except urllib.error.HTTPError as fout:
        return fout.code, fout.read().decode()


async def test_encode_for_unknown_ids_makes_no_key_and_malformed_bodies_get_400(
    codec: str, pool: asyncpg.Pool
) -> None:
    """Before: `/encode` made a data key for any workflow ID (200 IDs, 200 rows, no trace)."""
    voor = await pool.fetchval("SELECT count(*) FROM data_sleutels")
    token = TOKENS["mw"][0]
    leeg = json.dumps(
        {"payloads": [{"metadata": {"encoding": "anNvbi9wbGFpbg=="}, "data": "MQ=="}]}
    ).encode()
    for n in range(20):
        status, _ = await _post(
            f"{codec}/encode", leeg, token, **{"X-Vt-Workflow-Id": f"melding-VT-ONB-{n:06d}"}
        )
        assert status == 404
    assert await pool.fetchval("SELECT count(*) FROM data_sleutels") == voor
    status, tekst = await _post(
        f"{codec}/encode", b"\x00{{{" * 10, token, **{"X-Vt-Workflow-Id": "melding-VT-1"}
    )
    assert status == 400 and "\x00" not in tekst
    status, _ = await _post(f"{codec}/verklaring", b"[]", token)
    assert status == 400


async def test_the_codec_server_attests_only_what_the_login_may_do(codec: str) -> None:
    """No token: 401. An ops login: no verklaring for a besluit (403). An update ID whose
    verzoek_id could carry a name and a BSN, or of another update: 400 (it would stand in clear
    in the history)."""
    for verzoek in (
        "neem_besluit:Zwartkopvlinder-628194821:0123456789abcdef",
        "registreer_triage:ticket-81:0123456789abcdef",
        "x",
    ):
        vraag_ = json.dumps(
            {"workflow_id": "melding-VT-1", "handeling": "update", "naam": "neem_besluit"}
            | {"verzoek": verzoek}
        ).encode()
        status, tekst = await _post(f"{codec}/verklaring", vraag_, TOKENS["mw"][0])
        assert status == 400 and "628194821" not in tekst, (verzoek, tekst)
    vraag = json.dumps(
        {
            "workflow_id": "melding-VT-1",
            "handeling": "update",
            "naam": "neem_besluit",
            "verzoek": "neem_besluit:ticket-1:0123456789abcdef",
        }
    ).encode()
    assert (await _post(f"{codec}/verklaring", vraag))[0] == 401
    status, tekst = await _post(f"{codec}/verklaring", vraag, TOKENS["ops"][0])
    assert status == 403 and "vraagt de rol" in tekst


async def test_through_the_codec_server_a_reused_verzoek_id_is_refused_not_dropped(
    codec: str, worker: Worker, temporal_adres: str
) -> None:
    """MeldingClient as an integrator uses it (payloads and verklaringen from the codec server):
    `ticket-81` for a triage and then for another triage is refused; for the besluit it is its
    own request and happens."""
    mc = await MeldingClient.connect(
        {
            "TEMPORAL_ADDRESS": temporal_adres,
            "VT_CODEC_ENDPOINT": codec,
            "VT_CODEC_TOKEN": TOKENS["mw"][0],
            "VT_TASK_QUEUE": worker.task_queue,
        }
    )
    m = vb.melding()
    await mc.indienen(m)
    for _ in range(300):
        if (await mc.status(m.melding_id)).fase == "wacht_op_triage":
            break
        await asyncio.sleep(0.1)
    await mc.registreer_triage(m.melding_id, vb.triage(), verzoek_id="ticket-81")
    with pytest.raises(Geweigerd, match="al gebruikt met een andere inhoud"):
        await mc.registreer_triage(m.melding_id, vb.triage(urgentie="hoog"), verzoek_id="ticket-81")
    status = await mc.neem_besluit(m.melding_id, vb.besluit("advies"), verzoek_id="ticket-81")
    assert status.besluit is not None and status.besluit.vervolg == "advies"


async def test_a_login_the_codec_server_refuses_is_told_why_as_a_refusal(
    codec: str, worker: Worker, temporal_adres: str
) -> None:
    """An ops login asks for a decision: the codec server refuses the verklaring (403) and the
    client raises Geweigerd with the rule (exit code 3 on the CLI), not a bare HTTP error."""
    mc = await MeldingClient.connect(
        {
            "TEMPORAL_ADDRESS": temporal_adres,
            "VT_CODEC_ENDPOINT": codec,
            "VT_CODEC_TOKEN": TOKENS["ops"][0],
            "VT_TASK_QUEUE": worker.task_queue,
        }
    )
    with pytest.raises(Geweigerd, match="vraagt de rol"):
        await mc.registreer_triage("VT-NGT-2026-000001", vb.triage())
