"""`python -m starter …` as a subprocess against the dev server and this test's worker.

The worker runs in this test's event loop, so the CLI is awaited as an asyncio subprocess.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.worker import Worker

from contract.ids import melding_workflow_id
from contract.names import SA_FASE, SIGNAL_GEKOPPELD
from domain.besluiten import Koppeling, Triage
from domain.status import MeldingStatus
from domain.waarden import Fase
from starter.client import MeldingClient
from starter.demo import CASUSSEN, VOORBEELDEN, demo_id, verse_melding, voorbeeld, wacht_op
from tests.ids import nieuw_melding_id

pytestmark = pytest.mark.integration

WORTEL = Path(__file__).resolve().parents[2]
ONBEREIKBAAR = {**os.environ, "TEMPORAL_ADDRESS": "127.0.0.1:1"}


@dataclass
class Uitvoer:
    code: int
    uit: str
    fout: str


async def starter(*args: str, env: dict[str, str], invoer: str | None = None) -> Uitvoer:
    proces = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "starter",
        *args,
        env=env,
        cwd=WORTEL,
        stdin=asyncio.subprocess.PIPE if invoer is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    uit, fout = await asyncio.wait_for(
        proces.communicate(invoer.encode() if invoer is not None else None), 120
    )
    assert proces.returncode is not None
    return Uitvoer(proces.returncode, uit.decode(), fout.decode())


@pytest.fixture
def mc(client: Client, worker: Worker) -> MeldingClient:
    return MeldingClient(client, worker.task_queue)


def melding_bestand(map_: Path, voorbeeldnaam: str) -> tuple[str, Path]:
    melding_id = nieuw_melding_id("CLI")
    pad = map_ / f"{melding_id}.json"
    pad.write_text(verse_melding(voorbeeldnaam, melding_id).model_dump_json(), encoding="utf-8")
    return melding_id, pad


def vb(naam: str) -> str:
    return str(VOORBEELDEN / f"{naam}.json")


async def test_a_dienst_case_goes_through_every_update_command(
    cli_env: dict[str, str], mc: MeldingClient, tmp_path: Path
) -> None:
    """indienen, triage from stdin, besluit, dienst-afronden and status work; a second melding
    under the same melding_id exits 5, a protocol refusal 4."""
    melding_id, pad = melding_bestand(tmp_path, "melding_voorwaarden")
    r = await starter("indienen", str(pad), "--json", env=cli_env)
    assert r.code == 0, r.fout
    assert json.loads(r.uit) == {
        "workflow_id": melding_workflow_id(melding_id),
        "melding_id": melding_id,
    }
    r = await starter("indienen", str(pad), env=cli_env)  # the same melding: the same case
    assert r.code == 0 and melding_workflow_id(melding_id) in r.uit, r.fout
    anders = json.loads(pad.read_text(encoding="utf-8"))
    anders["zorgen"]["acuut_vermoeden"] = not anders["zorgen"].get("acuut_vermoeden", False)
    r = await starter("indienen", "-", env=cli_env, invoer=json.dumps(anders))
    assert (r.code, r.fout.strip()) == (5, f"melding {melding_id} bestaat al")
    r = await starter("indienen", "-", "--json", env=cli_env, invoer=json.dumps(anders))
    assert r.code == 5 and r.fout == "", r.fout
    assert json.loads(r.uit) == {
        "fout": "bestaat_al",
        "onderdeel": None,
        "melding": f"melding {melding_id} bestaat al",
        "melding_id": melding_id,
        "velden": [],
    }

    await wacht_op(mc, melding_id, lambda s: s.fase is Fase.WACHT_OP_TRIAGE, 20)
    r = await starter("besluit", melding_id, vb("besluit_voorwaarden_en_vervolg"), env=cli_env)
    assert r.code == 4 and "eerst de triage registreren" in r.fout
    r = await starter(
        "besluit", melding_id, vb("besluit_advies"), "--json", "--verzoek-id", "B-9", env=cli_env
    )
    fout = json.loads(r.uit)
    assert (r.code, fout["fout"], fout["melding_id"]) == (4, "geweigerd", melding_id)
    assert "eerst de triage registreren" in fout["melding"] and fout["velden"] == []
    triage = (VOORBEELDEN / "triage_structureel.json").read_text(encoding="utf-8")
    r = await starter("triage", melding_id, "-", env=cli_env, invoer=triage)
    assert r.code == 0 and "fase nu wacht_op_besluit" in r.uit, r.fout
    r = await starter("besluit", melding_id, vb("besluit_advies"), env=cli_env)
    assert r.code == 4 and "structurele onveiligheid" in r.fout
    r = await starter("besluit", melding_id, vb("besluit_voorwaarden_en_vervolg"), env=cli_env)
    assert r.code == 0 and "fase nu voorwaarden_en_vervolg tot de dienst is afgerond" in r.uit
    r = await starter("monitoring", melding_id, vb("monitoring"), env=cli_env)
    assert r.code == 4 and "geen monitoringsmoment open" in r.fout
    await wacht_op(mc, melding_id, lambda s: bool(s.terugkoppelingen), 20)
    r = await starter("dienst-afronden", melding_id, vb("dienst_afronding"), env=cli_env)
    assert r.code == 0 and "de monitoring begint" in r.uit, r.fout
    await wacht_op(mc, melding_id, lambda s: s.fase is Fase.MONITORING, 20)

    samenvatting, als_json, vernietig = await asyncio.gather(
        starter("status", melding_id, env=cli_env),
        starter("status", melding_id, "--json", env=cli_env),
        starter("vernietig", melding_id, vb("vernietiging"), "--wacht", "1", env=cli_env),
    )
    assert samenvatting.code == 0, samenvatting.fout
    for deel in (
        "fase                   monitoring",
        "urgentie hoog",
        "B structurele onveiligheid",
        "voorwaarden_en_vervolg",
        "advies aan melder: uitbreiden",
        "eerste",
        "tweede",
        "1. ",
        ": gepland, nog niet open",
        "volgende deadline",
    ):
        assert deel in samenvatting.uit
    assert "Jansen" not in samenvatting.uit  # no personal data beyond the status
    status = MeldingStatus.model_validate_json(als_json.uit)
    assert status.fase is Fase.MONITORING and status.melding_id == melding_id
    assert vernietig.code == 2 and "verschilt van ID" in vernietig.fout
    r = await starter(
        "vernietig",
        melding_id,
        "-",
        "--wacht",
        "1",
        env=cli_env,
        invoer='{"verzoeker_rol": "ouder_verzorger"}',
    )
    assert r.code == 0 and "wacht op het besluit" in r.uit and "beslis_vernietiging" in r.uit


async def test_an_afgesloten_case_is_listed_refuses_updates_and_is_destroyed_on_request(
    cli_env: dict[str, str], mc: MeldingClient, client: Client
) -> None:
    """A melding from stdin closed with no violence is listed, refuses a triage, is destroyed."""
    melding_id = nieuw_melding_id("CLI")
    melding = verse_melding("melding_afsluiten", melding_id).model_dump_json()
    r = await starter("indienen", "-", env=cli_env, invoer=melding)
    assert r.code == 0, r.fout
    await wacht_op(mc, melding_id, lambda s: s.fase is Fase.WACHT_OP_TRIAGE, 20)
    await mc.registreer_triage(melding_id, Triage.model_validate(voorbeeld("triage")))
    # Issue 23: the answer says what follows (it used to say "fase nu wacht_op_besluit", while
    # `status` right after said afgesloten).
    r = await starter("besluit", melding_id, vb("besluit_afsluiten"), env=cli_env)
    assert r.code == 0, r.fout
    assert r.uit.strip() == (
        f"besluit geregistreerd voor melding {melding_id}, vervolg afsluiten: de eerste "
        "terugkoppeling gaat uit en de casus sluit (fase straks afgesloten)"
    )
    await client.get_workflow_handle(melding_workflow_id(melding_id)).result()
    r = await starter("status", melding_id, env=cli_env)
    assert "fase                   afgesloten" in r.uit, r.fout
    einde = time.monotonic() + 10
    while melding_id not in {r.melding_id for r in await mc.lijst("afgesloten", "zuid-limburg")}:
        assert time.monotonic() < einde, "niet zichtbaar in visibility"
        await asyncio.sleep(0.2)

    tabel, als_json, triage = await asyncio.gather(
        starter("lijst", "--fase", "afgesloten", "--regio", "zuid-limburg", env=cli_env),
        starter("lijst", "--regio", "zuid-limburg", "--json", env=cli_env),
        starter("triage", melding_id, vb("triage_spoed"), env=cli_env),
    )
    assert tabel.code == 0 and melding_id in tabel.uit and "afgesloten" in tabel.uit
    regels = {r["melding_id"]: r for r in json.loads(als_json.uit)}
    assert regels[melding_id]["fase"] == "afgesloten"
    assert regels[melding_id]["status"] == "completed"
    assert triage.code == 4 and "afgesloten" in triage.fout

    r = await starter(
        "vernietig", melding_id, "-", env=cli_env, invoer='{"verzoeker_rol": "ouder_verzorger"}'
    )
    assert r.code == 0 and "wacht op het besluit van een teamleider" in r.uit, r.fout
    # Two people: the filer (mw-0042) cannot decide; a teamleider (tl-0007) can.
    besluit = '{"medewerker": "tl-0007", "toegekend": true, "reden": "Q&A 28."}'
    zelf = await starter(
        "vernietigingsbesluit",
        melding_id,
        "-",
        env=cli_env,
        invoer=besluit.replace("tl-0007", "mw-0042"),
    )
    assert zelf.code == 4 and "teamleider" in zelf.fout, zelf.fout  # refused by the protocol
    teamleider = {**cli_env, "VT_AUTEUR": "tl-0007", "VT_AUTEUR_ROLLEN": "teamleider"}
    r = await starter("vernietigingsbesluit", melding_id, "-", env=teamleider, invoer=besluit)
    assert r.code == 0 and "toegekend" in r.uit and "niet toegekend" not in r.uit, r.fout
    r = await starter(
        "vernietig", melding_id, "-", env=cli_env, invoer='{"verzoeker_rol": "huisgenoot"}'
    )
    assert r.code == 0 and "toegekend" in r.uit, r.fout  # asked again: the first outcome


async def test_an_unknown_melding_exits_3(cli_env: dict[str, str]) -> None:
    """status and triage of a melding_id never submitted exit 3 naming the melding."""
    melding_id = nieuw_melding_id("CLI")
    status, triage = await asyncio.gather(
        starter("status", melding_id, env=cli_env),
        starter("triage", melding_id, vb("triage"), env=cli_env),
    )
    for r in (status, triage):
        assert r.code == 3 and f"melding {melding_id} is onbekend" in r.fout
    r = await starter("status", melding_id, "--json", env=cli_env)
    assert r.code == 3 and json.loads(r.uit) == {
        "fout": "onbekende_melding",
        "onderdeel": None,
        "melding": f"melding {melding_id} is onbekend",
        "melding_id": melding_id,
        "velden": [],
    }


async def test_invalid_input_exits_2_naming_the_field_before_connecting(tmp_path: Path) -> None:
    """A melding breaking field rules exits 2, one line per field, without reaching Temporal."""
    gegevens = voorbeeld("melding_advies")
    gegevens["melder"]["meldnorm"] = 1
    gegevens["betrokkenen"][0]["bsn"] = "123456789"
    pad = tmp_path / "melding.json"
    pad.write_text(json.dumps(gegevens), encoding="utf-8")
    r = await starter("indienen", str(pad), env=ONBEREIKBAAR)
    assert r.code == 2, r.fout
    assert "melder.meldnorm: niet toegestaan voor een burger" in r.fout
    assert "betrokkenen.0.bsn: moet 9 cijfers zijn en de elfproef doorstaan" in r.fout
    assert "123456789" not in r.fout


async def test_connection_refused_exits_6_naming_the_address() -> None:
    """With nothing listening at TEMPORAL_ADDRESS the CLI says so in one line and exits 6 (a
    part not available)."""
    r = await starter("status", "VT-UTR-2026-000123", env=ONBEREIKBAAR)
    assert r.code == 6
    assert r.fout.strip().splitlines() == [
        "kan Temporal op 127.0.0.1:1 niet bereiken: verbinding geweigerd"
    ]


async def test_demo_leaves_cases_in_every_phase(
    cli_env: dict[str, str], client: Client, worker: Worker
) -> None:
    """The demo exits 0 and leaves its cases in all seven phases but informatie_verzamelen;
    with --json its progress goes to stderr and stdout holds the meldingen it made."""
    r = await starter("demo", "--json", env=cli_env)
    assert r.code == 0, r.uit + r.fout
    gemaakt = json.loads(r.uit)
    assert gemaakt["task_queue"] == worker.task_queue
    assert list(gemaakt["meldingen"]) == [c.naam for c in CASUSSEN]
    voortgang = r.fout  # as the demo prints it on stdout without --json
    assert "[overdracht] fase afgesloten" in voortgang
    # warme_overdracht needs a gemeente's Zaken API, which the demo's worker has not.
    verwacht = {f.value for f in Fase} - {
        Fase.INFORMATIE_VERZAMELEN.value,
        Fase.WARME_OVERDRACHT.value,
    }
    sleutel = SearchAttributeKey.for_keyword(SA_FASE)
    einde = time.monotonic() + 10
    while True:
        fasen = {
            wf.typed_search_attributes.get(sleutel)
            async for wf in client.list_workflows(
                f'TaskQueue = "{worker.task_queue}" AND WorkflowType = "MeldingWorkflow"'
            )
        }
        if fasen >= verwacht or time.monotonic() > einde:
            break
        await asyncio.sleep(0.2)
    assert len(fasen) >= 4
    assert fasen == verwacht
    # Issue 9: the overdue view was empty on a fresh stack; the demo makes an overdue case.
    assert "[te_laat] fase wacht_op_triage" in voortgang and "TERMIJN OVERSCHREDEN" in voortgang
    einde = time.monotonic() + 10
    while True:
        te_laat = [
            wf.id
            async for wf in client.list_workflows(
                f'TaskQueue = "{worker.task_queue}" AND WorkflowType = "MeldingWorkflow" AND '
                'ExecutionStatus = "Running" AND VtTermijnOverschreden = true'
            )
        ]
        if te_laat or time.monotonic() > einde:
            break
        await asyncio.sleep(0.2)
    nummer = [c.naam for c in CASUSSEN].index("te_laat")
    assert len(te_laat) == 1 and te_laat[0].endswith(demo_id("", nummer))


async def test_demo_without_a_worker_exits_6_naming_the_task_queue(
    cli_env: dict[str, str],
) -> None:
    """On a task queue no worker polls, the demo submits nothing and says what to start."""
    env = {**cli_env, "VT_TASK_QUEUE": f"leeg-{uuid.uuid4().hex[:8]}"}
    r = await starter("demo", env=env)
    assert r.code == 6
    assert f"geen worker op task queue '{env['VT_TASK_QUEUE']}'" in r.fout
    assert "niets ingediend" in r.fout
    r = await starter("demo", "--json", env=env)
    fout = json.loads(r.uit)
    assert (r.code, fout["fout"], fout["melding_id"]) == (6, "niet_beschikbaar", None)
    assert "niets ingediend" in fout["melding"]


async def test_lijst_shows_a_continued_as_new_melding_once_in_its_current_phase(
    cli_env: dict[str, str], mc: MeldingClient, client: Client
) -> None:
    """Issue 7.11: after continue-as-new (100 radar links) visibility also holds the closed
    run, with the phase it had then; `lijst` shows the melding once, as it is now."""
    melding_id, regio = nieuw_melding_id("CLI"), "drenthe"
    await mc.indienen(
        verse_melding("melding_advies", melding_id).model_copy(update={"regio": regio})
    )
    await wacht_op(mc, melding_id, lambda s: s.fase is Fase.WACHT_OP_TRIAGE, 20)
    handle = client.get_workflow_handle(melding_workflow_id(melding_id))
    eerste_run = (await handle.describe()).run_id
    nu = datetime.now(UTC)
    for i in range(100):
        koppeling = Koppeling(melding_id=f"CLI-K-{i:03d}", regio=regio, ontvangen_op=nu)
        await handle.signal(SIGNAL_GEKOPPELD, koppeling)
    einde = time.monotonic() + 30
    while (await handle.describe()).run_id == eerste_run:
        assert time.monotonic() < einde, "geen continue-as-new"
        await asyncio.sleep(0.2)
    await mc.registreer_triage(melding_id, Triage.model_validate(voorbeeld("triage")))
    einde = time.monotonic() + 10
    while not [
        wf
        async for wf in client.list_workflows(
            f'WorkflowId = "{handle.id}" AND {SA_FASE} = "wacht_op_besluit"'
        )
    ]:
        assert time.monotonic() < einde, "nieuwe fase niet zichtbaar in visibility"
        await asyncio.sleep(0.2)

    r = await starter("lijst", "--regio", regio, "--json", env=cli_env)
    assert r.code == 0, r.fout
    regels = [regel for regel in json.loads(r.uit) if regel["melding_id"] == melding_id]
    assert [(regel["fase"], regel["status"]) for regel in regels] == [
        ("wacht_op_besluit", "running")
    ]
