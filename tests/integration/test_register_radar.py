"""The radar (issue 7, 6): a new melding links to its household's most recent open case, so a
melding costs a bounded number of rows and signals whatever the household's history; meldingen
received at the same moment are ordered by id, never linked both ways."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg

from activities.dossier import DossierActiviteiten
from activities.register import RegisterActiviteiten
from contract import names
from domain.melding import Melding
from domain.uitwisseling import DossierStand, RadarResultaat
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op

HUISHOUDEN = 200


@dataclass
class NepClient:
    """Records the radar's signals instead of sending them."""

    signalen: list[tuple[str, str]] = field(default_factory=list)
    # Name-only links (signal melding_mogelijk_gekoppeld), apart from the certain ones.
    mogelijk: list[tuple[str, str]] = field(default_factory=list)

    def get_workflow_handle(self, workflow_id: str) -> Any:
        client = self

        class Handle:
            async def signal(self, naam: str, koppeling: Any) -> None:
                lijst = (
                    client.mogelijk if naam == names.SIGNAL_MOGELIJK_GEKOPPELD else client.signalen
                )
                lijst.append((workflow_id, koppeling.melding_id))

        return Handle()


async def _registreer(register: RegisterActiviteiten, pool: asyncpg.Pool, m: Melding) -> Any:
    """What the workflow does for a new melding: store, search, link."""
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(m)
    await register.zoek_eerdere_meldingen(m.melding_id)
    return await register.koppel_aan_open_meldingen(m.melding_id)


def _groepen(ids: list[str], koppelingen: list[tuple[str, str]]) -> int:
    """How many groups of meldingen the links join (union-find)."""
    ouder = {i: i for i in ids}

    def wortel(i: str) -> str:
        while ouder[i] != i:
            i = ouder[i]
        return i

    for a, b in koppelingen:
        ouder[wortel(a)] = wortel(b)
    return len({wortel(i) for i in ids})


async def _koppelingen(pool: asyncpg.Pool, ids: list[str]) -> list[tuple[str, str]]:
    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT melding_id, gekoppeld_aan FROM koppelingen WHERE melding_id = ANY($1)", ids
        )
    return [(r["melding_id"], r["gekoppeld_aan"]) for r in rijen]


async def test_200_meldingen_of_one_household_cost_one_link_and_one_signal_each(
    pool: asyncpg.Pool,
) -> None:
    """Issue 7 (6): one after another they made n(n-1)/2 = 19,900 rows and as many signals."""
    client = NepClient()
    register = RegisterActiviteiten(pool, client)  # type: ignore[arg-type]
    bsn = vb.nieuw_bsn()
    meldingen = [vb.melding(bsn=bsn, dagen_geleden=(HUISHOUDEN - n) / 1000) for n in range(200)]
    laatste: RadarResultaat | None = None
    for n, m in enumerate(meldingen):
        voor = len(client.signalen)
        laatste = await _registreer(register, pool, m)
        assert len(await _koppelingen(pool, [m.melding_id])) <= 1
        assert len(client.signalen) - voor <= 1
        assert laatste.stand is not None and laatste.stand.aantal == n
    ids = [m.melding_id for m in meldingen]
    koppelingen = await _koppelingen(pool, ids)
    assert len(koppelingen) == HUISHOUDEN - 1
    assert sorted(koppelingen) == sorted(zip(ids[1:], ids[:-1], strict=True))  # to the latest
    assert len(client.signalen) == HUISHOUDEN - 1
    assert laatste is not None
    assert len(laatste.model_dump_json()) < 4_000  # was 25 KB in the workflow history


async def test_meldingen_received_at_the_same_moment_are_ordered_by_id_not_linked_both_ways(
    pool: asyncpg.Pool,
) -> None:
    """Issue 7 (6): with equal ontvangen_op `<=` linked every pair both ways (39,800 rows)."""
    bsn = vb.nieuw_bsn()
    moment = datetime.now(UTC).replace(microsecond=0)
    meldingen = [
        vb.melding(bsn=bsn).model_copy(update={"ontvangen_op": moment}) for _ in range(HUISHOUDEN)
    ]
    random.shuffle(meldingen)
    register = RegisterActiviteiten(pool, None)
    for m in meldingen:
        await _registreer(register, pool, m)
        assert len(await _koppelingen(pool, [m.melding_id])) <= 1
    koppelingen = await _koppelingen(pool, [m.melding_id for m in meldingen])
    assert koppelingen and len(koppelingen) < HUISHOUDEN
    assert not {(oud, nieuw) for nieuw, oud in koppelingen} & set(koppelingen)  # never both ways
    assert _groepen([m.melding_id for m in meldingen], koppelingen) == 1
    eerste = min(m.melding_id for m in meldingen)
    gevonden = await register.zoek_eerdere_meldingen(eerste)
    assert gevonden.aantal == 0  # nothing comes before the first, not the 199 others


async def test_a_new_melding_links_to_the_most_recent_open_case_skipping_closed_ones(
    pool: asyncpg.Pool,
) -> None:
    bsn = vb.nieuw_bsn()
    open_ = vb.melding("haaglanden", bsn=bsn, dagen_geleden=40)
    dicht = vb.melding("utrecht", bsn=bsn, dagen_geleden=10)
    nieuw = vb.melding("twente", bsn=bsn)
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    client = NepClient()
    register = RegisterActiviteiten(pool, client)  # type: ignore[arg-type]
    for m in (open_, dicht):
        await _registreer(register, pool, m)
    await dossier.werk_dossier_bij(DossierStand(melding_id=dicht.melding_id, afgesloten=True))
    radar = await _registreer(register, pool, nieuw)
    assert radar.gesignaleerd == [open_.melding_id]
    assert await _koppelingen(pool, [nieuw.melding_id]) == [(nieuw.melding_id, open_.melding_id)]
    assert radar.stand is not None and radar.stand.aantal == 2


async def test_a_melding_about_two_households_links_to_each_households_open_case(
    pool: asyncpg.Pool,
) -> None:
    """A child and a new partner with cases of their own: one link per BSN, no more."""
    kind, partner = vb.nieuw_bsn(), vb.nieuw_bsn()
    register = RegisterActiviteiten(pool, None)
    van_kind = [vb.melding(bsn=kind, dagen_geleden=30 - n) for n in range(3)]
    van_partner = [vb.melding(bsn=partner, dagen_geleden=20 - n) for n in range(3)]
    for m in van_kind + van_partner:
        await _registreer(register, pool, m)
    gegevens = vb.melding(bsn=kind).model_dump()
    gegevens["betrokkenen"][1]["bsn"] = partner
    nieuw = Melding.model_validate(gegevens)
    await _registreer(register, pool, nieuw)
    assert sorted(await _koppelingen(pool, [nieuw.melding_id])) == sorted(
        [
            (nieuw.melding_id, van_kind[-1].melding_id),
            (nieuw.melding_id, van_partner[-1].melding_id),
        ]
    )


async def test_one_childs_open_cases_meet_whatever_order_they_are_registered_in(
    pool: asyncpg.Pool,
) -> None:
    """Issue 21 item 7: "earlier" by receipt time kept a melding registered first but received
    later from one registered second but received earlier: 15 open cases about one BSN fell
    apart into unlinked groups. Now each registration links to the household's most recent
    open case already registered, and signals it: one group, whatever the order."""
    bsn = vb.nieuw_bsn()
    # Registered newest-received first (each entered later after its receipt than the one
    # before), then the rest in a shuffled order.
    meldingen = [vb.melding(bsn=bsn, dagen_geleden=d) for d in range(15)]
    rest = meldingen[8:]
    random.Random(21).shuffle(rest)
    meldingen = meldingen[:8] + rest
    client = NepClient()
    register = RegisterActiviteiten(pool, client)  # type: ignore[arg-type]
    for m in meldingen:
        await _registreer(register, pool, m)
    ids = [m.melding_id for m in meldingen]
    koppelingen = await _koppelingen(pool, ids)
    assert _groepen(ids, koppelingen) == 1, koppelingen
    assert len(koppelingen) == 14  # one link per later registration, none back


async def test_a_melding_entered_late_signals_the_case_registered_before_it(
    pool: asyncpg.Pool,
) -> None:
    """Received 20 days ago but registered after a melding received today: it links to that
    open case and signals it (the earlier case's radar is updated)."""
    bsn = vb.nieuw_bsn()
    vandaag = vb.melding("utrecht", bsn=bsn)
    laat = vb.melding("twente", bsn=bsn, dagen_geleden=20)
    client = NepClient()
    register = RegisterActiviteiten(pool, client)  # type: ignore[arg-type]
    await _registreer(register, pool, vandaag)
    radar = await _registreer(register, pool, laat)
    assert radar.gesignaleerd == [vandaag.melding_id]
    assert client.signalen == [(f"melding-{vandaag.melding_id}", laat.melding_id)]


async def _zekerheid(pool: asyncpg.Pool, melding_id: str) -> list[tuple[str, bool]]:
    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT gekoppeld_aan, zeker FROM koppelingen WHERE melding_id = $1", melding_id
        )
    return [(r["gekoppeld_aan"], r["zeker"]) for r in rijen]


async def test_a_household_known_only_by_name_is_linked_as_possible_and_never_as_certain(
    pool: asyncpg.Pool,
) -> None:
    """Issue 21 item 7: households known only by name were never linked by the radar. Now the
    newest open case with the same name and date of birth (no BSN on one side) gets a possible
    link (its own signal); the radar's result, which the workflow acts on, holds none of it."""
    naam = f"Naamsen-{vb.nieuw_bsn()}"
    eerst = vb.melding("utrecht", bsn=None, achternaam=naam, dagen_geleden=3)
    daarna = vb.melding("twente", bsn=None, achternaam=naam)
    client = NepClient()
    register = RegisterActiviteiten(pool, client)  # type: ignore[arg-type]
    await _registreer(register, pool, eerst)
    radar = await _registreer(register, pool, daarna)
    assert radar.gesignaleerd == [] and client.signalen == []
    assert client.mogelijk == [(f"melding-{eerst.melding_id}", daarna.melding_id)]
    assert await _zekerheid(pool, daarna.melding_id) == [(eerst.melding_id, False)]
    assert radar.stand is not None and radar.stand.aantal_mogelijk == 1
    # A retry of the activity links nothing twice; the signal may repeat (the case ignores it).
    await register.koppel_aan_open_meldingen(daarna.melding_id)
    assert await _zekerheid(pool, daarna.melding_id) == [(eerst.melding_id, False)]


async def test_a_name_match_between_two_different_bsns_is_no_link(pool: asyncpg.Pool) -> None:
    """Same name and date of birth, each with its own BSN: two children, no link of any kind."""
    naam = f"Tweeling-{vb.nieuw_bsn()}"
    een = vb.melding(bsn=vb.nieuw_bsn(), achternaam=naam, dagen_geleden=2)
    ander = vb.melding(bsn=vb.nieuw_bsn(), achternaam=naam)
    client = NepClient()
    register = RegisterActiviteiten(pool, client)  # type: ignore[arg-type]
    await _registreer(register, pool, een)
    await _registreer(register, pool, ander)
    assert client.mogelijk == [] and client.signalen == []
    assert await _zekerheid(pool, ander.melding_id) == []


async def test_a_bsn_link_is_not_also_listed_as_possible(pool: asyncpg.Pool) -> None:
    """The child has a BSN in both; its parent (name only, no date of birth) adds nothing."""
    bsn = vb.nieuw_bsn()
    een = vb.melding(bsn=bsn, dagen_geleden=1)
    ander = vb.melding(bsn=bsn)
    client = NepClient()
    register = RegisterActiviteiten(pool, client)  # type: ignore[arg-type]
    await _registreer(register, pool, een)
    await _registreer(register, pool, ander)
    assert client.mogelijk == []
    assert await _zekerheid(pool, ander.melding_id) == [(een.melding_id, True)]
