"""The register's lookup (issue 7, 6c): a BSN match is certain; first name, surname and date of
birth only make a possible match (`mogelijk`), which the melder is not told of; names and BSNs
are normalised before hashing; results are bounded."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
import pytest
from temporalio.exceptions import ApplicationError

from activities.dossier import DossierActiviteiten
from activities.sleutels import bsn_hash, naam_hash
from contract import names
from domain import berichten
from domain.melding import Melding
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op, register_op


def _melding(regio: str, dagen_geleden: float, **kind: Any) -> Melding:
    """A melding about one child (no parent), with the child's fields as given."""
    gegevens = vb.melding(regio, dagen_geleden=dagen_geleden).model_dump()
    gegevens["betrokkenen"] = [{"rol": "kind", **kind}]
    return Melding.model_validate(gegevens)


async def _sla_op(pool: asyncpg.Pool, *meldingen: Melding) -> None:
    for m in meldingen:
        await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(m)


def _kind(voornaam: str = "Noor", bsn: str | None = None, **over: Any) -> dict[str, Any]:
    kind = {"voornaam": voornaam, "achternaam": "de Vries", "geboortedatum": "2017-05-04"}
    if bsn:
        kind["bsn"] = bsn
    return {**kind, **over}


def _uniek(achternaam: str) -> str:
    return f"{achternaam} {vb.nieuw_bsn()}"  # a surname no other test uses


async def test_a_name_only_match_is_mogelijk_and_a_bsn_match_is_certain(pool: asyncpg.Pool) -> None:
    """Issue 7 (6c): a name and birth date may be another household; a BSN is the person."""
    bsn, naam = vb.nieuw_bsn(), _uniek("de Vries")
    op_bsn = _melding("haaglanden", 30, **_kind(bsn=bsn, achternaam=naam))
    op_naam = _melding("twente", 20, **_kind(achternaam=naam))
    nieuw = _melding("utrecht", 0, **_kind(bsn=bsn, achternaam=naam))
    await _sla_op(pool, op_bsn, op_naam, nieuw)
    r = await register_op(pool).zoek_eerdere_meldingen(nieuw.melding_id)
    assert [(e.melding_id, e.mogelijk) for e in r.eerdere] == [
        (op_bsn.melding_id, False),
        (op_naam.melding_id, True),
    ]
    assert (r.aantal, r.aantal_mogelijk, r.regios, r.zekere_regios) == (
        2,
        1,
        ["haaglanden", "twente"],
        ["haaglanden"],
    )


async def test_the_melder_is_told_only_of_certain_matches(pool: asyncpg.Pool) -> None:
    """Issue 7 (6c): the eerste terugkoppeling of a staying professional counts and lists BSN
    matches only; a possible match waits for a person to confirm it."""
    bsn, naam = vb.nieuw_bsn(), _uniek("Jansen")
    op_bsn = _melding("haaglanden", 30, **_kind(bsn=bsn, achternaam=naam))
    op_naam = _melding("twente", 20, **_kind(achternaam=naam))
    nieuw = _melding("utrecht", 0, **_kind(bsn=bsn, achternaam=naam))
    await _sla_op(pool, op_bsn, op_naam, nieuw)
    register = await register_op(pool).zoek_eerdere_meldingen(nieuw.melding_id)
    inhoud = berichten.eerste_terugkoppeling(
        nieuw, vb.triage(), vb.besluit("advies"), register
    ).inhoud
    assert (inhoud["eerdere_meldingen"], inhoud["eerdere_regios"]) == (1, ["haaglanden"])
    assert [e["regio"] for e in inhoud["eerdere"]] == ["haaglanden"]
    assert "twente" not in str(inhoud)


async def test_only_a_name_match_tells_the_melder_of_nothing(pool: asyncpg.Pool) -> None:
    naam = _uniek("Bakker")
    eerder = _melding("twente", 20, **_kind(achternaam=naam))
    nieuw = _melding("utrecht", 0, **_kind(achternaam=naam))
    await _sla_op(pool, eerder, nieuw)
    register = await register_op(pool).zoek_eerdere_meldingen(nieuw.melding_id)
    assert (register.aantal, register.aantal_mogelijk) == (1, 1)
    inhoud = berichten.eerste_terugkoppeling(
        nieuw, vb.triage(), vb.besluit("advies"), register
    ).inhoud
    assert (inhoud["eerdere_meldingen"], inhoud["eerdere_regios"], inhoud["eerdere"]) == (0, [], [])


async def test_the_same_surname_and_birth_date_with_another_first_name_is_no_match(
    pool: asyncpg.Pool,
) -> None:
    """Issue 7 (6c): surname + birth date alone matched other households (common surnames)."""
    naam = _uniek("de Jong")
    ander = _melding("twente", 20, **_kind("Daan", achternaam=naam))
    nieuw = _melding("utrecht", 0, **_kind("Emma", achternaam=naam))
    await _sla_op(pool, ander, nieuw)
    r = await register_op(pool).zoek_eerdere_meldingen(nieuw.melding_id)
    assert r.aantal == 0


async def test_two_people_with_different_bsns_never_match_by_name(pool: asyncpg.Pool) -> None:
    naam = _uniek("Visser")
    ander = _melding("twente", 20, **_kind(bsn=vb.nieuw_bsn(), achternaam=naam))
    nieuw = _melding("utrecht", 0, **_kind(bsn=vb.nieuw_bsn(), achternaam=naam))
    await _sla_op(pool, ander, nieuw)
    r = await register_op(pool).zoek_eerdere_meldingen(nieuw.melding_id)
    assert r.aantal == 0


async def test_names_are_matched_whatever_their_case_spacing_and_accents(
    pool: asyncpg.Pool,
) -> None:
    """Capitals, extra spaces, Çelik typed as Celik: one person."""
    achternaam = _uniek("Çelik")
    eerder = _melding("twente", 20, **_kind("Zoë  Anne", achternaam=achternaam))
    nieuw = _melding(
        "utrecht", 0, **_kind(" ZOE anne ", achternaam=f"  {achternaam.replace('Ç', 'C')} ")
    )
    await _sla_op(pool, eerder, nieuw)
    r = await register_op(pool).zoek_eerdere_meldingen(nieuw.melding_id)
    assert [e.melding_id for e in r.eerdere] == [eerder.melding_id]


def test_a_name_hashes_alike_in_composed_and_decomposed_unicode() -> None:
    geboren = date(2016, 1, 1)
    nfc, nfd = "Zo\u00eb", "Zoe\u0308"
    assert naam_hash(SLEUTEL, "Lambrechts", geboren, nfc) == naam_hash(
        SLEUTEL, "Lambrechts", geboren, nfd
    )


def test_names_in_other_scripts_keep_their_letters() -> None:
    """Dropping every non-ASCII letter made all Cyrillic or Arabic surnames one and the same."""
    geboren = date(2016, 1, 1)
    assert naam_hash(SLEUTEL, "Иванова", geboren) != naam_hash(SLEUTEL, "Петрова", geboren)
    assert naam_hash(SLEUTEL, "حداد", geboren) != naam_hash(SLEUTEL, "خوري", geboren)


def test_a_bsn_is_hashed_as_ascii_digits() -> None:
    assert bsn_hash(SLEUTEL, "١١١٢٢٢٣٣٣") == bsn_hash(SLEUTEL, "111222333")
    assert bsn_hash(SLEUTEL, "１１１２２２３３３") == bsn_hash(SLEUTEL, "111222333")


async def test_a_result_lists_a_bounded_number_of_earlier_meldingen_and_counts_them_all(
    pool: asyncpg.Pool,
) -> None:
    """Issue 7 (6): the result lands in the workflow history; it must not grow with the
    household's history. The most recent are listed."""
    bsn = vb.nieuw_bsn()
    eerder = [vb.melding(bsn=bsn, dagen_geleden=30 - n) for n in range(25)]
    nieuw = vb.melding(bsn=bsn)
    await _sla_op(pool, *eerder, nieuw)
    r = await register_op(pool).zoek_eerdere_meldingen(nieuw.melding_id)
    assert r.aantal == 25
    assert [e.melding_id for e in r.eerdere] == [m.melding_id for m in eerder[-10:]]


async def test_a_melding_not_in_the_dossier_is_refused_for_good(pool: asyncpg.Pool) -> None:
    register = register_op(pool)
    for activiteit in (register.zoek_eerdere_meldingen, register.koppel_aan_open_meldingen):
        with pytest.raises(ApplicationError) as fout:
            await activiteit("VT-IT-onbekend")
        assert (fout.value.type, fout.value.non_retryable) == (names.FOUT_ONBEKENDE_MELDING, True)
