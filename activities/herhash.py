"""Register key rotation (docs/privacy.md): every melding's hashes made again under the current
HMAC key version, and an old version retired.

    DATABASE_URL=… VT_MASTER_KEY=… VT_REGISTER_SLEUTEL=<new> VT_REGISTER_SLEUTEL_VERSIE=2 \\
        python -m activities.herhash [--alles] [--batch 200]
    DATABASE_URL=… VT_REGISTER_SLEUTEL_VERSIE=2 python -m activities.herhash --trek-in 1

An HMAC cannot be converted to another key: the tool decrypts each melding (its data key) and
hashes its betrokkenen again, as `sla_melding_op` does. By default only meldingen without hashes
under the current version; `--alles` re-hashes every melding (after a change to the name
normalisation, with or without a new key). Safe while workers run and safe to run again: a
melding's rows of the current version are replaced in one transaction. Progress on stderr.

`--trek-in V` deletes the hashes of version V, once every melding that has them also has hashes
under the current version, and no source registration (`bron_registraties`) is still under V (a
source's import must be run again under the new key: the tool cannot re-hash what it never had
in clear). Remove V from VT_REGISTER_SLEUTELS_OUD and restart the workers first, or they keep
writing it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import asyncpg
from pydantic import ValidationError

from activities import betrokkenen
from activities.sleutels import Registersleutels, hashes, lees_registersleutels, lees_versie
from adapters.demobron import registraties_onder
from domain.melding import Betrokkene, Melding
from versleuteling.codec import KeyStore, SleutelFout, SleutelVernietigd, lees_hoofdsleutel
from versleuteling.kolommen import MELDING, Kolomsleutels, melding_sleutel
from versleuteling.opslag import PostgresKeyStore


class HerhashFout(RuntimeError):
    """A version cannot be retired yet; the message says why."""


@dataclass
class Herhashtelling:
    te_doen: int = 0
    herhasht: int = 0
    vernietigd: int = 0
    onleesbaar: list[str] = field(default_factory=list)


def _betrokkenen(data: bytes) -> list[Betrokkene] | None:
    """The betrokkenen of a stored melding; of one the current model refuses as a whole (stored
    under older rules) each betrokkene on its own; None if even that fails. Never the content
    in an error: a validation error quotes its input."""
    try:
        return list(Melding.model_validate_json(data).betrokkenen)
    except ValidationError:
        pass
    try:
        return [Betrokkene.model_validate(b) for b in json.loads(data)["betrokkenen"]]
    except (ValidationError, ValueError, KeyError, TypeError):
        return None


async def herhash(
    pool: asyncpg.Pool,
    datasleutels: KeyStore,
    sleutels: Registersleutels,
    *,
    alles: bool = False,
    batch: int = 200,
    voortgang: Callable[[Herhashtelling], None] = lambda _: None,
) -> Herhashtelling:
    """Hashes under `sleutels.huidige` for every melding that has none (all with `alles`)."""
    versie, sleutel = sleutels.huidige, sleutels.sleutels[sleutels.huidige]
    kolommen = Kolomsleutels(datasleutels)
    telling = Herhashtelling()
    async with pool.acquire() as con:
        telling.te_doen = await betrokkenen.aantal_zonder_versie(con, versie, alles)
    laatste = ""
    while True:
        async with pool.acquire() as con:
            rijen = await betrokkenen.zonder_versie(con, versie, alles, laatste, batch)
        if not rijen:
            return telling
        for r in rijen:
            laatste = r["melding_id"]
            try:
                data = await kolommen.ontsleutel(
                    melding_sleutel(laatste), MELDING, (laatste,), r["gegevens"]
                )
            except SleutelVernietigd:
                telling.vernietigd += 1
                continue
            assert data is not None
            personen = _betrokkenen(data)
            if personen is None:
                telling.onleesbaar.append(laatste)
                continue
            nieuw = [
                (laatste, n, b.rol.value, *hashes(sleutel, b), versie)
                for n, b in enumerate(personen, 1)
            ]
            async with pool.acquire() as con, con.transaction():
                await betrokkenen.vervang(con, laatste, versie, nieuw)
            telling.herhasht += 1
        voortgang(telling)


async def trek_in(pool: asyncpg.Pool, oud: int, huidige: int) -> int:
    """Delete every hash of version `oud`; refused while something still depends on it."""
    if oud == huidige:
        raise HerhashFout(f"versie {oud} is de huidige: die trek je niet in")
    async with pool.acquire() as con, con.transaction():
        zonder = await betrokkenen.zonder_opvolger(con, oud, huidige)
        if zonder:
            raise HerhashFout(
                f"{zonder} meldingen hebben nog geen hashes onder versie {huidige}:"
                " draai eerst `python -m activities.herhash`"
            )
        bronnen = await registraties_onder(con, oud)
        if bronnen:
            raise HerhashFout(
                f"{bronnen} bronregistraties staan nog onder versie {oud}: laat de bronnen"
                f" opnieuw importeren onder versie {huidige}"
            )
        return await betrokkenen.trek_in(con, oud)


def _toon(telling: Herhashtelling) -> None:
    print(f"herhasht: {telling.herhasht}/{telling.te_doen}", file=sys.stderr, flush=True)


async def _uit_omgeving(env: Mapping[str, str], args: argparse.Namespace) -> str:
    huidige = lees_versie(env.get("VT_REGISTER_SLEUTEL_VERSIE", ""))
    if args.trek_in is not None:  # the hashes only: no key needed
        pool = await asyncpg.create_pool(env.get("DATABASE_URL", ""), min_size=1, max_size=2)
        try:
            weg = await trek_in(pool, args.trek_in, huidige)
        finally:
            await pool.close()
        return f"versie {args.trek_in} ingetrokken: {weg} hashes verwijderd"
    sleutels = lees_registersleutels(
        env.get("VT_REGISTER_SLEUTEL", ""),
        env.get("VT_REGISTER_SLEUTEL_VERSIE", ""),
        env.get("VT_REGISTER_SLEUTELS_OUD", ""),
    )
    pool = await asyncpg.create_pool(env.get("DATABASE_URL", ""), min_size=1, max_size=2)
    try:
        datasleutels = PostgresKeyStore(lees_hoofdsleutel(env.get("VT_MASTER_KEY", "")), pool)
        t = await herhash(
            pool, datasleutels, sleutels, alles=args.alles, batch=args.batch, voortgang=_toon
        )
        vernietigd = (
            f" ({t.vernietigd} met vernietigde sleutel overgeslagen)" if t.vernietigd else ""
        )
        onleesbaar = (
            f"; niet te lezen als melding, dus niet herhasht: {', '.join(t.onleesbaar)}"
            if t.onleesbaar
            else ""
        )
        return (
            f"{t.herhasht} meldingen herhasht onder versie {sleutels.huidige}{vernietigd}"
            f"{onleesbaar}"
        )
    finally:
        await pool.close()


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m activities.herhash", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--alles", action="store_true", help="elke melding, ook die al klopt")
    parser.add_argument("--batch", type=int, default=200, help="meldingen per ronde (200)")
    parser.add_argument("--trek-in", type=int, metavar="VERSIE", help="verwijder deze versie")
    args = parser.parse_args(argv)
    try:
        print(asyncio.run(_uit_omgeving(os.environ if env is None else env, args)))
    except (ValueError, SleutelFout, HerhashFout, OSError, asyncpg.PostgresError) as fout:
        print(f"herhash: {fout}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
