"""`make run`'s own register key: made once per data folder (runtime/datamap.py) and, for a
folder of an older `make run` that hashed with the development key once published in this
repository, the register re-hashed under it at start and the old version retired
(activities/herhash.py). Called by stack.py only."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from runtime.config import Configuratie
from runtime.datamap import REGISTERSLEUTEL, registersleutel


def zet_registersleutel(env: dict[str, str], data: Path) -> bool:
    """Without `VT_REGISTER_SLEUTEL` in `env`: this data folder's key and version put there
    (True); with one, the operator's key is used as it is (False)."""
    if env.get("VT_REGISTER_SLEUTEL"):
        return False
    sleutel, versie, bestaande_map = registersleutel(data)
    env["VT_REGISTER_SLEUTEL"], env["VT_REGISTER_SLEUTEL_VERSIE"] = sleutel, versie
    if bestaande_map:
        print(
            f"make run: nieuwe registersleutel (versie {versie}) in "
            f"{data / REGISTERSLEUTEL}: deze map is van een oudere `make run`, die hashte "
            "met een gepubliceerde ontwikkelsleutel; de meldingen worden opnieuw gehasht "
            "(bronregistraties niet: die importeer je opnieuw)",
            file=sys.stderr,
            flush=True,
        )
    return True


async def herhash_oude_versies(pool: Any, config: Configuratie, data: Path) -> None:
    """Register hashes under a key version this stack no longer has (an older `make run`'s
    development key): every melding re-hashed under the current version, then the old version
    retired. Nothing to do (one query) once that is done."""
    from activities import betrokkenen
    from activities.herhash import HerhashFout, herhash, trek_in
    from versleuteling.opslag import PostgresKeyStore

    sleutels = config.register_sleutel
    async with pool.acquire() as con:
        oud = await betrokkenen.andere_versies(con, list(sleutels.actief))
    if not oud:
        return
    print(
        f"make run: registerhashes onder sleutelversie {', '.join(map(str, oud))} (de "
        "gepubliceerde ontwikkelsleutel van een oudere `make run`): opnieuw gehasht onder "
        f"versie {sleutels.huidige} uit {data / REGISTERSLEUTEL}",
        file=sys.stderr,
        flush=True,
    )
    telling = await herhash(pool, PostgresKeyStore(config.hoofdsleutel, pool), sleutels)
    print(f"make run: {telling.herhasht} meldingen herhasht", file=sys.stderr, flush=True)
    for versie in oud:
        try:
            weg = await trek_in(pool, versie, sleutels.huidige)
        except HerhashFout as fout:
            print(
                f"make run: sleutelversie {versie} niet ingetrokken: {fout}",
                file=sys.stderr,
                flush=True,
            )
        else:
            print(
                f"make run: sleutelversie {versie} ingetrokken ({weg} hashes verwijderd)",
                file=sys.stderr,
                flush=True,
            )
