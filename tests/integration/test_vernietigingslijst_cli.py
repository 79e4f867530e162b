"""Issue 25: a destruction list through `python -m starter` against the dev server and this
test's worker (real activities, real PostgreSQL): each command signed as its login with its
roles; a teamleider reviews, an archivist approves, the archivist cancels in the waiting period."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client
from temporalio.worker import Worker

from tests.integration.test_cli import starter
from tests.integration.test_vernietigingslijst import _verlopen_dossiers
from workflows import VernietigingslijstWorkflow

pytestmark = pytest.mark.integration


def _als(env: dict[str, str], wie: str, rol: str) -> dict[str, str]:
    return {**env, "VT_AUTEUR": wie, "VT_AUTEUR_ROLLEN": rol}


async def _fase(lijst_id: str, env: dict[str, str], fase: str, ronde: int) -> dict[str, object]:
    einde = time.monotonic() + 60
    while True:
        uit = await starter("lijst-status", lijst_id, "--json", env=env)
        assert uit.code == 0, uit
        s = json.loads(uit.uit)
        if (s["fase"], s["ronde"]) == (fase, ronde):
            return dict(s)
        assert time.monotonic() < einde, s
        await asyncio.sleep(0.2)


async def test_review_approval_and_a_cancel_through_the_cli(
    cli_env: dict[str, str], client: Client, worker: Worker, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    [melding_id] = await _verlopen_dossiers(pool, 1)
    lijst_id = f"vernietigingslijst-cli-{uuid.uuid4()}"
    handle = await client.start_workflow(
        VernietigingslijstWorkflow.run, id=lijst_id, task_queue=worker.task_queue
    )
    try:
        s = await _fase(lijst_id, cli_env, "lijst_beoordelen", 1)
        assert melding_id in [i["melding_id"] for i in s["items"]]  # type: ignore[union-attr]
        leesbaar = await starter("lijst-status", lijst_id, env=cli_env)
        assert f"{melding_id} regio utrecht, bewaren tot 2001-01-01" in leesbaar.uit, leesbaar
        beoordeling = tmp_path / "beoordeling.json"
        beoordeling.write_text(json.dumps({"medewerker": "mw-0042"}))
        # A medewerker may not review a list: refused by the role (exit 4).
        geweigerd = await starter("lijst-beoordelen", lijst_id, str(beoordeling), env=cli_env)
        assert geweigerd.code == 4 and "teamleider" in geweigerd.uit + geweigerd.fout, geweigerd
        beoordeling.write_text(json.dumps({"medewerker": "tl-0007"}))
        teamleider = _als(cli_env, "tl-0007", "teamleider")
        gedaan = await starter("lijst-beoordelen", lijst_id, str(beoordeling), env=teamleider)
        assert gedaan.code == 0 and "lijst_goedkeuren" in gedaan.uit, gedaan
        goedkeuring = tmp_path / "goedkeuring.json"
        goedkeuring.write_text(json.dumps({"medewerker": "ar-0003"}))
        archivaris = _als(cli_env, "ar-0003", "archivaris")
        goed = await starter(
            "lijst-goedkeuren", lijst_id, str(goedkeuring), "--json", env=archivaris
        )
        assert goed.code == 0, goed
        assert json.loads(goed.uit)["fase"] == "lijst_wachttijd"
        annulering = tmp_path / "annulering.json"
        annulering.write_text(json.dumps({"medewerker": "ar-0003", "reden": "Nog een vraag."}))
        gestopt = await starter("lijst-annuleren", lijst_id, str(annulering), env=archivaris)
        assert gestopt.code == 0, gestopt
        await _fase(lijst_id, cli_env, "lijst_beoordelen", 2)
        lijsten = await starter("lijsten", "--json", env=cli_env)
        assert lijst_id in [r["lijst_id"] for r in json.loads(lijsten.uit)], lijsten
        assert (
            await pool.fetchval("SELECT count(*) FROM meldingen WHERE melding_id = $1", melding_id)
            == 1
        )  # nothing destroyed
    finally:
        await handle.terminate("test klaar")
        await pool.execute("DELETE FROM meldingen WHERE melding_id = $1", melding_id)


async def test_a_list_drawn_up_now_and_read_as_the_newest(
    cli_env: dict[str, str], client: Client, worker: Worker
) -> None:
    """The runbook's block: `lijst-opstellen` triggers the Schedule (planned on this test's
    task queue) and prints the new list's ID; `lijst-status laatste` reads the newest list. An
    ID that cannot be a list is invalid input (exit 2), an unknown list exit 3."""
    gepland = await starter("lijst-plannen", env=cli_env)
    assert gepland.code == 0, gepland
    try:
        opgesteld = await starter("lijst-opstellen", "--json", env=cli_env)
        assert opgesteld.code == 0, opgesteld
        lijst_id = json.loads(opgesteld.uit)["lijst_id"]
        assert lijst_id.startswith("vernietigingslijst-"), lijst_id
        laatste = await starter("lijst-status", "laatste", "--json", env=cli_env)
        assert laatste.code == 0 and json.loads(laatste.uit)["lijst_id"] == lijst_id, laatste
        onbekend = await starter("lijst-status", "vernietigingslijst-bestaat-niet", env=cli_env)
        assert onbekend.code == 3 and "vernietigingslijst-bestaat-niet is onbekend" in onbekend.fout
        ongeldig = await starter("lijst-status", "VT-UTR-2026-000001", env=cli_env)
        assert ongeldig.code == 2 and "lijst-ID" in ongeldig.fout, ongeldig
        await client.get_workflow_handle(lijst_id).result()
    finally:
        await client.get_schedule_handle("vt-vernietigingslijst").delete()
