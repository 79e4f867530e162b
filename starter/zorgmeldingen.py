"""`python -m starter zorgmeldingen MAP`: the politie's zorgmeldingen from their file drop
(keten/uitwisselmap.py) become meldingen through the same intake as `indienen` (issue 22).

Each `in/*.json` is read and validated as a Zorgmelding (every intake rule; a refusal names the
field and the rule), turned into its Melding (melding_id `POL-<kenmerk>`, melder a professional
of the politie) and submitted: the same zorgmelding again is the same case, so a file dropped
twice, or handled again after a crash, is one melding. A refused file goes to `geweigerd/` with
its reasons; one that could not be submitted now (Temporal or the worker away) stays in `in/`
for the next pass. `--blijf S`: a pass every S seconds until interrupted. What it did is its
output (stdout), one line per file, never the file's content."""

from __future__ import annotations

import asyncio
import json

from domain.zorgmelding import Inkomend, Zorgmelding, Zorgmeldingkanaal
from starter.client import MeldingClient
from starter.fouten import MeldingBestaatAl, OngeldigeInvoer
from starter.invoer import lees


async def verwerk(kanaal: Zorgmeldingkanaal, client: MeldingClient) -> dict[str, list[str]]:
    """One pass over the channel: the names handled (`verwerkt`) and refused (`geweigerd`).
    An error of the connection (MeldingFout other than a refusal) ends the pass, the file kept."""
    uitkomst: dict[str, list[str]] = {"verwerkt": [], "geweigerd": []}
    for bericht in kanaal.nieuwe():
        melding_id = await _een(kanaal, client, bericht)
        uitkomst["verwerkt" if melding_id else "geweigerd"].append(bericht.naam)
    return uitkomst


async def _een(kanaal: Zorgmeldingkanaal, client: MeldingClient, bericht: Inkomend) -> str | None:
    try:
        zorgmelding = lees(str(bericht.pad), Zorgmelding)
        melding = zorgmelding.als_melding()
        await client.indienen(melding)
    except OngeldigeInvoer as fout:
        kanaal.weiger(bericht, fout.regels)
        return None
    except MeldingBestaatAl as fout:
        kanaal.weiger(bericht, [f"{fout}: een andere melding onder dit kenmerk"])
        return None
    kanaal.verwerkt(bericht, melding.melding_id)
    return melding.melding_id


async def blijf_verwerken(
    kanaal: Zorgmeldingkanaal, client: MeldingClient, seconden: float, als_json: bool
) -> None:
    while True:
        toon(await verwerk(kanaal, client), als_json)
        await asyncio.sleep(seconden)


def toon(uitkomst: dict[str, list[str]], als_json: bool) -> None:
    if als_json:
        print(json.dumps(uitkomst), flush=True)
        return
    for naam in uitkomst["verwerkt"]:
        print(f"{naam}: verwerkt", flush=True)
    for naam in uitkomst["geweigerd"]:
        print(f"{naam}: geweigerd (zie geweigerd/{naam}.fout.txt)", flush=True)
