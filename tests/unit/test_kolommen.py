"""Column encryption (versleuteling/kolommen.py) and the register's key versions, without a
database: the data keys in memory."""

from __future__ import annotations

import json
from datetime import date

import pytest

from activities.sleutels import Registersleutels, hashes, hashes_per_versie
from domain.melding import Betrokkene
from versleuteling.codec import InMemoryKeyStore, SleutelVernietigd
from versleuteling.kolommen import (
    AUDIT,
    BRON_REGISTRATIE,
    MELDING,
    OUTBOX,
    KolomFout,
    Kolomsleutels,
    bron_sleutel,
    melding_sleutel,
    versleuteld,
)

TEKST = b'{"achternaam": "Zorgvuldig Testpersoon", "bsn": "111222333"}'


async def test_a_value_reads_back_only_in_its_own_row_column_and_key() -> None:
    """Roundtrip; another row, another column or another melding's key: KolomFout."""
    kolommen = Kolomsleutels(InMemoryKeyStore())
    a = await kolommen.voor_schrijven(melding_sleutel("VT-A"))
    b = await kolommen.voor_schrijven(melding_sleutel("VT-B"))
    waarde = a.versleutel(OUTBOX, ("VT-A", "eerste"), TEKST)
    assert versleuteld(waarde) and b"Zorgvuldig" not in waarde and b"111222333" not in waarde
    assert a.ontsleutel(OUTBOX, ("VT-A", "eerste"), waarde) == TEKST
    for sleutel, kolom, rij in [
        (a, OUTBOX, ("VT-A", "tweede")),
        (a, OUTBOX, ("VT-B", "eerste")),
        (a, AUDIT, ("VT-A", "eerste")),
        (b, OUTBOX, ("VT-A", "eerste")),
    ]:
        with pytest.raises(KolomFout, match="hoort niet bij deze rij"):
            sleutel.ontsleutel(kolom, rij, waarde)
    with pytest.raises(ValueError, match="rij"):
        a.versleutel(MELDING, ("VT-A", "te veel"), TEKST)


async def test_plaintext_from_before_the_migration_reads_as_it_is_without_a_key() -> None:
    """A value without the prefix is an old row: no key is looked up (the melding may have
    none); a destroyed key fails only for ciphertext, with SleutelVernietigd."""
    sleutels = InMemoryKeyStore()
    kolommen = Kolomsleutels(sleutels)
    assert await kolommen.ontsleutel(melding_sleutel("VT-OUD"), MELDING, ("VT-OUD",), TEKST) == (
        TEKST
    )
    assert await kolommen.ontsleutel(melding_sleutel("VT-OUD"), MELDING, ("VT-OUD",), None) is None
    sleutel = await kolommen.voor_schrijven(melding_sleutel("VT-X"))
    waarde = sleutel.versleutel(MELDING, ("VT-X",), TEKST)
    await sleutels.vernietig(melding_sleutel("VT-X"))
    with pytest.raises(SleutelVernietigd):
        await kolommen.ontsleutel(melding_sleutel("VT-X"), MELDING, ("VT-X",), waarde)


async def test_source_registrations_have_a_key_per_source_bound_to_the_hash() -> None:
    """`bron/<bron>`: no melding owns them; the row is the source and the hash bytes."""
    kolommen = Kolomsleutels(InMemoryKeyStore())
    sleutel = await kolommen.voor_schrijven(bron_sleutel("politie"))
    waarde = sleutel.versleutel(BRON_REGISTRATIE, ("politie", b"\x01\x02"), b"toelichting")
    assert sleutel.ontsleutel(BRON_REGISTRATIE, ("politie", b"\x01\x02"), waarde) == b"toelichting"
    with pytest.raises(KolomFout):
        sleutel.ontsleutel(BRON_REGISTRATIE, ("politie", b"\x01\x03"), waarde)


def test_a_betrokkene_is_hashed_under_every_active_version_current_first() -> None:
    """While rotating, version 2 and version 1; each equal to the single-key hashes."""
    b = Betrokkene.model_validate(
        {
            "rol": "kind",
            "voornaam": "Sam",
            "achternaam": "Çelik",
            "geboortedatum": date(2019, 3, 1),
            "bsn": "111222333",
        }
    )
    v1, v2 = b"registersleutel-een-0123", b"registersleutel-twee-4567"
    rijen = hashes_per_versie(Registersleutels(2, {1: v1, 2: v2}), b)
    assert rijen == [(2, *hashes(v2, b)), (1, *hashes(v1, b))]
    assert rijen[0][1] != rijen[1][1]
    assert Registersleutels.van(v1).actief == (1,)
    with pytest.raises(ValueError, match="huidige"):
        Registersleutels(2, {1: v1, 2: v2}).zonder(2)
    assert Registersleutels(2, {1: v1, 2: v2}).zonder(1).actief == (2,)
    assert "registersleutel" not in repr(Registersleutels(2, {1: v1, 2: v2}))


def test_the_rehash_reads_betrokkenen_of_a_melding_stored_under_older_rules() -> None:
    """A melding the current model refuses as a whole (a field since removed) still gives its
    betrokkenen; one without any gives None, and no error quoting the content escapes."""
    from activities.herhash import _betrokkenen

    kind = {"rol": "kind", "voornaam": "Sam", "achternaam": "Çelik", "geboortedatum": "2019-03-01"}
    oud = json.dumps({"veld_van_vroeger": "Zorgvuldig", "betrokkenen": [kind]}).encode()
    [b] = _betrokkenen(oud) or []
    assert (b.achternaam, b.geboortedatum) == ("Çelik", date(2019, 3, 1))
    assert _betrokkenen(b'{"a": 1}') is None
    assert _betrokkenen(b"geen json") is None
