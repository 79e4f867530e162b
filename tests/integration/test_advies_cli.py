"""The advies commands of `python -m starter` against the dev server and this test's worker: the
exit code of each kind of outcome, and --json."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.worker import Worker

from starter.demo import voorbeeld
from tests.ids import nieuw_melding_id
from tests.integration.test_cli import starter

pytestmark = pytest.mark.integration


def bestand(map_: Path, naam: str, **over: Any) -> str:
    """Example `naam` received now, dated today, with `over` applied."""
    nu = datetime.now(UTC) - timedelta(minutes=1)
    gegevens = {**voorbeeld(naam), **over}
    for deel in (gegevens, gegevens.get("melding")):
        if isinstance(deel, dict) and "ontvangen_op" in deel:
            deel["ontvangen_op"] = nu.isoformat()
    if "datum" in gegevens:
        gegevens["datum"] = nu.date().isoformat()
    pad = map_ / f"{naam}-{nieuw_melding_id('F')}.json"
    pad.write_text(json.dumps(gegevens), encoding="utf-8")
    return str(pad)


async def test_the_advies_commands_answer_with_the_exit_code_of_their_outcome(
    cli_env: dict[str, str], worker: Worker, tmp_path: Path
) -> None:
    """0 done, 3 unknown advies, 4 refused by a rule, 5 a melding_id in use; --json throughout."""
    advies_id, melding_id = nieuw_melding_id("AV"), nieuw_melding_id("IT")
    tweede = nieuw_melding_id("AV")
    vraag = bestand(tmp_path, "advies_vraag", advies_id=advies_id)
    vraag2 = bestand(tmp_path, "advies_vraag", advies_id=tweede)  # received before the melding
    omzetting = voorbeeld("advies_omzetting")
    omzetting["melding"]["melding_id"] = melding_id
    om = bestand(tmp_path, "advies_omzetting", melding=omzetting["melding"])

    ingediend = await starter("advies-indienen", vraag, "--json", env=cli_env)
    assert ingediend.code == 0, ingediend
    assert json.loads(ingediend.uit) == {
        "workflow_id": f"advies-{advies_id}",
        "advies_id": advies_id,
    }
    # Closing before any conversation: refused by the rule, exit 4.
    sluit = bestand(tmp_path, "advies_afsluiting", rol="professional", organisatie="onderwijs")
    geweigerd = await starter("advies-sluiten", advies_id, sluit, "--json", env=cli_env)
    assert geweigerd.code == 4 and "eerst een gesprek" in json.loads(geweigerd.uit)["melding"]
    gesprek = await starter(
        "advies-gesprek", advies_id, bestand(tmp_path, "advies_gesprek"), env=cli_env
    )
    assert gesprek.code == 0 and "gesprekken: 1" in gesprek.uit, gesprek
    omgezet = await starter("advies-omzetten", advies_id, om, "--json", env=cli_env)
    assert omgezet.code == 0, omgezet
    assert json.loads(omgezet.uit)["melding_id"] == melding_id
    status = await starter("status", melding_id, "--json", env=cli_env)
    assert status.code == 0 and json.loads(status.uit)["melding_id"] == melding_id

    # A second advies cannot take the melding_id: exit 5, and it stays open.
    assert (await starter("advies-indienen", vraag2, env=cli_env)).code == 0
    await starter("advies-gesprek", tweede, bestand(tmp_path, "advies_gesprek"), env=cli_env)
    bezet = await starter("advies-omzetten", tweede, om, "--json", env=cli_env)
    assert bezet.code == 5 and json.loads(bezet.uit)["fout"] == "bestaat_al", bezet
    open_ = await starter("advies-status", tweede, "--json", env=cli_env)
    assert json.loads(open_.uit)["fase"] == "advies_open"

    onbekend = await starter("advies-status", "AV-1b000", "--json", env=cli_env)
    assert onbekend.code == 3 and "advies AV-1b000 is onbekend" in onbekend.uit, onbekend
