"""Issue 25: the bewaartermijn recorded in the dossier at closing (migration 020), by the
configured policy, and recomputed for a linked dossier when a later case outlasts it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import asyncpg

from activities.dossier import DossierActiviteiten
from domain.bewaartermijn import Bewaarbeleid, Grond
from domain.uitwisseling import DossierStand
from domain.waarden import Vervolg
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op


def _sluit(melding_id: str, op: datetime) -> DossierStand:
    return DossierStand(
        melding_id=melding_id, vervolg=Vervolg.AFSLUITEN, afgesloten=True, afgesloten_op=op
    )


async def _rij(pool: asyncpg.Pool, melding_id: str) -> tuple[date, str]:
    rij = await pool.fetchrow(
        "SELECT bewaren_tot, bewaar_grond FROM meldingen WHERE melding_id = $1", melding_id
    )
    assert rij is not None
    return rij["bewaren_tot"], rij["bewaar_grond"]


async def test_closing_records_the_term_and_a_second_closing_keeps_the_first_date(
    pool: asyncpg.Pool,
) -> None:
    m = vb.melding()
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    await dossier.sla_melding_op(m)
    open_ = await dossier.werk_bij(DossierStand(melding_id=m.melding_id))
    assert open_ is None and (await _rij(pool, m.melding_id))[0] is None
    # 23:30 UTC on 31 December is 1 January in Amsterdam: the Dutch day counts.
    termijn = await dossier.werk_bij(
        _sluit(m.melding_id, datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    )
    assert termijn is not None and termijn.tot == date(2047, 1, 1)
    assert await _rij(pool, m.melding_id) == (date(2047, 1, 1), "na_afsluiting")
    later = await dossier.werk_bij(_sluit(m.melding_id, datetime(2030, 1, 1, tzinfo=UTC)))
    assert later == termijn


async def test_the_policy_and_a_recorded_maatregel_are_applied(pool: asyncpg.Pool) -> None:
    m = vb.melding(geboren="2020-06-15")
    beleid = Bewaarbeleid(jaren_na_afsluiting=5)
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool), bewaarbeleid=beleid)
    await dossier.sla_melding_op(m)
    termijn = await dossier.werk_bij(_sluit(m.melding_id, datetime(2026, 3, 1, 12, tzinfo=UTC)))
    assert termijn is not None
    assert (termijn.tot, termijn.grond) == (date(2038, 6, 15), Grond.JONGSTE_KIND_MEERDERJARIG)

    n = vb.melding(geboren="2020-06-15")
    await dossier.sla_melding_op(n)
    await pool.execute(
        "UPDATE meldingen SET maatregel_tot = '2040-01-31' WHERE melding_id = $1", n.melding_id
    )
    termijn = await dossier.werk_bij(_sluit(n.melding_id, datetime(2026, 3, 1, 12, tzinfo=UTC)))
    assert termijn is not None
    assert (termijn.tot, termijn.grond) == (date(2040, 1, 31), Grond.MAATREGEL)


async def test_a_linked_later_case_extends_the_earlier_dossier(pool: asyncpg.Pool) -> None:
    eerder, later = vb.melding(), vb.melding()
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    for m in (eerder, later):
        await dossier.sla_melding_op(m)
    await pool.execute(
        "INSERT INTO koppelingen (melding_id, gekoppeld_aan) VALUES ($1, $2)",
        later.melding_id,
        eerder.melding_id,
    )
    await dossier.werk_bij(_sluit(eerder.melding_id, datetime(2026, 2, 1, 12, tzinfo=UTC)))
    assert await _rij(pool, eerder.melding_id) == (date(2046, 2, 1), "na_afsluiting")
    await dossier.werk_bij(_sluit(later.melding_id, datetime(2029, 5, 1, 12, tzinfo=UTC)))
    assert await _rij(pool, later.melding_id) == (date(2049, 5, 1), "na_afsluiting")
    assert await _rij(pool, eerder.melding_id) == (date(2049, 5, 1), "gekoppelde_casus")
    # What the earlier case's workflow reads back (activity lees_bewaartermijn): the term in force.
    gelezen = await dossier.lees_bewaartermijn(eerder.melding_id)
    assert gelezen is not None and (gelezen.tot, gelezen.grond) == (
        date(2049, 5, 1),
        Grond.GEKOPPELDE_CASUS,
    )
    # Closing the earlier one again (a retry) keeps the linked term.
    again = await dossier.werk_bij(_sluit(eerder.melding_id, datetime(2026, 2, 1, 12, tzinfo=UTC)))
    assert again is not None and again.tot == date(2049, 5, 1)
