"""Fill the statistics of meldingen registered before migration 015 (docs/statistics.md).

    DATABASE_URL=… VT_MASTER_KEY=… python -m activities.beleidsinformatie_vullen

For every melding in the dossier without a row in `beleidsinformatie`: the melding, decrypted
with its data key, gives the intake's figures; its audit trail, decrypted, is replayed through
the writes the activities make (triage, besluit, dienst, monitoring); its escalations come from
`signaleringen`, its closing from `meldingen.afgesloten` (at `bijgewerkt_op`). The eerdere
betrokkenheid stays `niet_ingedeeld`: the household's history as it stood at receipt cannot be
rebuilt. Safe while workers run (a row a worker wrote meanwhile is kept) and to run again (rows
present are skipped). A melding whose data key was destroyed is counted and skipped.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

import asyncpg

from activities import meldingen
from activities.audit import audit_van
from activities.beleidsinformatie import Beleidsinformatie
from activities.dossier import lees_melding
from activities.signalering import escalaties
from domain.uitwisseling import DossierStand
from statistiek import opslag
from versleuteling.codec import KeyStore, SleutelFout, SleutelVernietigd, lees_hoofdsleutel
from versleuteling.opslag import PostgresKeyStore


@dataclass
class Vulling:
    gevuld: int = 0
    vernietigd: int = 0


async def vul(
    pool: asyncpg.Pool, datasleutels: KeyStore, beleid: Beleidsinformatie | None = None
) -> Vulling:
    beleid = beleid or Beleidsinformatie()
    telling = Vulling()
    async with pool.acquire() as con:
        ids = await opslag.zonder_rij(con)
    for melding_id in ids:
        try:
            melding = await lees_melding(pool, datasleutels, melding_id)
            regels = await audit_van(pool, datasleutels, melding_id)
        except SleutelVernietigd:
            telling.vernietigd += 1
            continue
        if melding is None:  # destroyed meanwhile
            continue
        async with pool.acquire() as con, con.transaction():
            await beleid.melding(con, melding)
            await opslag.eerdere_niet_te_bepalen(con, melding_id)
            for regel in regels:
                await beleid.beslissing(con, regel)
            for signalering in await escalaties(con, melding_id):
                await beleid.signalering(con, signalering)
            dossier = await meldingen.stand(con, melding_id)
            if dossier is not None and dossier["afgesloten"]:
                await beleid.dossier(
                    con,
                    DossierStand(melding_id=melding_id, afgesloten=True),
                    dossier["bijgewerkt_op"],
                )
        telling.gevuld += 1
    return telling


async def _uit_omgeving(env: Mapping[str, str]) -> Vulling:
    hoofdsleutel = lees_hoofdsleutel(env.get("VT_MASTER_KEY", ""))
    url = env.get("DATABASE_URL") or env.get("VT_DATABASE_URL", "")
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        return await vul(pool, PostgresKeyStore(hoofdsleutel, pool))
    finally:
        await pool.close()


def main(env: Mapping[str, str] | None = None) -> int:
    try:
        telling = asyncio.run(_uit_omgeving(os.environ if env is None else env))
    except (ValueError, SleutelFout, OSError, asyncpg.PostgresError) as fout:
        print(f"beleidsinformatie_vullen: {fout}", file=sys.stderr)
        return 1
    print(
        f"{telling.gevuld} meldingen aangevuld"
        + (
            f", {telling.vernietigd} met vernietigde sleutel overgeslagen"
            if telling.vernietigd
            else ""
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
