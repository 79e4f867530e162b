"""`python -m starter zorgmeldingen MAP` (issue 22): a politie zorgmelding dropped into the
inbound folder becomes one melding through the same intake as every other, also when it is
dropped twice; a refused one is set aside with the field and the rule."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg
from temporalio.client import Client
from temporalio.worker import Worker

from contract.ids import melding_workflow_id
from tests.integration.test_cli import starter
from tests.unit.test_zorgmelding import zorgmelding


async def test_a_zorgmelding_dropped_twice_becomes_one_melding(
    cli_env: dict[str, str], client: Client, worker: Worker, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    inkomend = tmp_path / "in"
    inkomend.mkdir(parents=True)
    gegevens = json.dumps(zorgmelding(ontvangen_op=_nu()))
    (inkomend / "bvh-1.json").write_text(gegevens)
    (inkomend / "bvh-1-nogmaals.json").write_text(gegevens)
    r = await starter("zorgmeldingen", str(tmp_path), "--json", env=cli_env)
    assert r.code == 0, r.uit + r.fout
    assert json.loads(r.uit) == {"verwerkt": ["bvh-1", "bvh-1-nogmaals"], "geweigerd": []}
    workflow_id = melding_workflow_id("POL-PL0900-2026-004711")
    eerste = (await client.get_workflow_handle(workflow_id).describe()).run_id
    assert (tmp_path / "verwerkt" / "bvh-1.melding").read_text().strip() == "POL-PL0900-2026-004711"
    # The same file dropped again later: still the one case.
    (inkomend / "bvh-1-derde.json").write_text(gegevens)
    r = await starter("zorgmeldingen", str(tmp_path), "--json", env=cli_env)
    assert json.loads(r.uit)["verwerkt"] == ["bvh-1-derde"]
    assert (await client.get_workflow_handle(workflow_id).describe()).run_id == eerste
    # The case stores its melding once registered (seconds): one row, never two.
    for _ in range(300):
        async with pool.acquire() as con:
            aantal = await con.fetchval(
                "SELECT count(*) FROM meldingen WHERE melding_id = $1", "POL-PL0900-2026-004711"
            )
        if aantal:
            break
        await asyncio.sleep(0.1)
    assert aantal == 1


async def test_a_refused_zorgmelding_is_set_aside_with_the_field_and_the_rule(
    cli_env: dict[str, str], worker: Worker, tmp_path: Path
) -> None:
    inkomend = tmp_path / "in"
    inkomend.mkdir(parents=True)
    fout = zorgmelding(kenmerk="PL0900-2026-004712", meldnorm=9, ontvangen_op=_nu())
    (inkomend / "bvh-2.json").write_text(json.dumps(fout))
    r = await starter("zorgmeldingen", str(tmp_path), "--json", env=cli_env)
    assert json.loads(r.uit) == {"verwerkt": [], "geweigerd": ["bvh-2"]}
    assert "meldnorm" in (tmp_path / "geweigerd" / "bvh-2.fout.txt").read_text()


def _nu() -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
