"""Issue 17: `meldingen.ketenpartner` (its name may be a person's) is ciphertext with the
melding's data key (migration 009); the register still names it to a later melding."""

from __future__ import annotations

import uuid

import asyncpg

from activities.dossier import DossierActiviteiten
from activities.register import RegisterActiviteiten
from domain.besluiten import Ketenpartner
from domain.melding import Melding
from domain.uitwisseling import DossierStand
from domain.waarden import Vervolg
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op
from versleuteling.kolommen import KETENPARTNER, Kolomsleutels
from versleuteling.versleutel_bestaand import versleutel_kolom


def _melding(bsn: str, dagen_geleden: float) -> Melding:
    """A melding of the household `bsn`, its id a registration number of this test."""
    m = vb.melding(bsn=bsn, dagen_geleden=dagen_geleden)
    nummer = uuid.uuid4().int % 10**6
    return m.model_copy(update={"melding_id": f"VT-KP-{nummer:06d}-{uuid.uuid4().int % 997:03d}"})


async def test_the_ketenpartner_name_is_never_in_clear_and_the_register_still_names_it(
    pool: asyncpg.Pool,
) -> None:
    """After a besluit with overdracht the row holds no ketenpartner name in any form; a later
    melding of the same household gets the ketenpartner back from the register (Q&A 10)."""
    sleutels = datasleutels_op(pool)
    dossier = DossierActiviteiten(pool, SLEUTEL, sleutels)
    bsn = vb.nieuw_bsn()
    eerder = _melding(bsn, dagen_geleden=30)
    await dossier.sla_melding_op(eerder)
    naam = f"Wijkteam Zwartkopvlinder {uuid.uuid4().hex[:8]}"
    partner = Ketenpartner(soort="wijkteam", naam=naam)
    await dossier.werk_dossier_bij(
        DossierStand(
            melding_id=eerder.melding_id,
            vervolg=Vervolg.OVERDRACHT,
            ketenpartner=partner,
            afgesloten=True,
        )
    )
    async with pool.acquire() as con:
        rij = await con.fetchval(
            "SELECT row_to_json(m)::text FROM meldingen m WHERE melding_id = $1",
            eerder.melding_id,
        )
        ruw = await con.fetchval(
            "SELECT ketenpartner FROM meldingen WHERE melding_id = $1", eerder.melding_id
        )
    assert naam not in rij and "Zwartkopvlinder" not in rij
    assert naam.encode() not in ruw and b"wijkteam" not in ruw
    assert ruw.startswith(b"\x00vtk1")

    later = _melding(bsn, dagen_geleden=0)
    await dossier.sla_melding_op(later)
    register = RegisterActiviteiten(pool, None, sleutels)
    resultaat = await register.zoek_eerdere_meldingen(later.melding_id)
    assert [(e.melding_id, e.ketenpartner) for e in resultaat.eerdere] == [
        (eerder.melding_id, partner)
    ]
    radar = await register.koppel_aan_open_meldingen(later.melding_id)
    assert radar.stand.eerdere[0].ketenpartner == partner


async def test_a_ketenpartner_written_in_clear_before_009_is_still_read(
    pool: asyncpg.Pool,
) -> None:
    """A row converted by migration 009 (JSON as UTF-8 bytes) reads as it did, until
    versleutel_bestaand encrypts it in place (the same mechanism as 008); a register without
    data keys reads the plaintext too."""
    sleutels = datasleutels_op(pool)
    dossier = DossierActiviteiten(pool, SLEUTEL, sleutels)
    bsn = vb.nieuw_bsn()
    eerder, later = _melding(bsn, 30), _melding(bsn, 0)
    await dossier.sla_melding_op(eerder)
    await dossier.sla_melding_op(later)
    partner = Ketenpartner(soort="lokaal_veld", naam="Jeugdteam Noord")
    async with pool.acquire() as con:
        await con.execute(
            "UPDATE meldingen SET vervolg = 'overdracht', ketenpartner = $2 WHERE melding_id = $1",
            eerder.melding_id,
            partner.model_dump_json().encode(),
        )
    for register in (RegisterActiviteiten(pool, None, sleutels), RegisterActiviteiten(pool, None)):
        resultaat = await register.zoek_eerdere_meldingen(later.melding_id)
        assert resultaat.eerdere[0].ketenpartner == partner
    telling = await versleutel_kolom(pool, Kolomsleutels(sleutels), KETENPARTNER)
    assert telling.versleuteld >= 1
    async with pool.acquire() as con:
        ruw = await con.fetchval(
            "SELECT ketenpartner FROM meldingen WHERE melding_id = $1", eerder.melding_id
        )
    assert ruw.startswith(b"\x00vtk1") and b"Jeugdteam" not in ruw
    resultaat = await RegisterActiviteiten(pool, None, sleutels).zoek_eerdere_meldingen(
        later.melding_id
    )
    assert resultaat.eerdere[0].ketenpartner == partner
