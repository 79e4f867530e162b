"""Issue 17: identifiers stored or shown in clear (melding_id, verzoek_id, medewerker) carry no
name and no BSN; the rules run at intake only, so a history recorded before still decodes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from domain.besluiten import Koppeling, Triage, VernietigingsBesluit, VernietigingsVerzoek
from domain.bsn import is_geldig_bsn
from domain.invoer import streng
from domain.kenmerken import medewerker_fout, melding_id_fout, verzoek_id_fout
from domain.melding import Melding
from starter.demo import voorbeeld

ONGELDIG = [
    "Zwartkopvlinder-628194821",
    "Zwartkopvlinder-Tjitske-2018",
    "mw-628194821",
    "\u0666\u0662\u0668\u0661\u0669\u0664\u0668\u0662\u0661",  # Arabic-Indic 628194821
    "\uff16\uff12\uff18\uff11\uff19\uff14\uff18\uff12\uff11",  # fullwidth 628194821
    "VT-\x00-1",
    "VT 1",
    " VT-1",
    "VT-1\n",
    "",
    "VT-1628194821",  # a ten-digit run holding an elfproef window
]


def test_the_attack_digits_pass_the_elfproef() -> None:
    """628194821 is a BSN by the elfproef: the cases below are refused for that reason."""
    assert is_geldig_bsn("628194821")
    assert not is_geldig_bsn("162819482")


@pytest.mark.parametrize("waarde", ONGELDIG)
@pytest.mark.parametrize("regel", [melding_id_fout, verzoek_id_fout, medewerker_fout])
def test_every_rule_refuses_names_bsns_other_digits_nul_and_spaces(regel: Any, waarde: str) -> None:
    """Each rule refuses the attack strings, digits of other scripts, NUL and spaces."""
    assert regel(waarde) is not None


@pytest.mark.parametrize("waarde", ONGELDIG)
@pytest.mark.parametrize("regel", [melding_id_fout, verzoek_id_fout, medewerker_fout])
def test_a_refusal_names_its_field_and_never_repeats_the_value(regel: Any, waarde: str) -> None:
    """The reason starts with the field and holds none of the refused value's name or digits."""
    reden = regel(waarde)
    assert reden.split(":")[0] in ("melding_id", "verzoek_id", "medewerker")
    for deel in ("Zwartkopvlinder", "Tjitske", "628194821", "\u0666\u0662", "\uff16"):
        assert deel not in reden


@pytest.mark.parametrize(
    "melding_id",
    [
        "VT-UTR-2026-000123",
        "VT-1",
        "A",
        "VT-HGL-2027-000104",
        "VT-ZL-2026-000317",
        "VT-UTR-9e5decef49cd",  # hexadecimal with a digit: a uuid's part
        "VT-UTR-B31A4931F3CF",
        "VT-11122233-3",  # digits split by a separator: not joined (see the module)
        "VT-000000000",  # nine digits that fail the elfproef
        "CLI-K-001",
        "VT-UTR_2026_000123",
        "VT-HGL-2027-000001-M1",
    ],
)
def test_a_registration_number_is_a_melding_id(melding_id: str) -> None:
    """Codes of at most four letters, digits and hexadecimal parts are accepted."""
    assert melding_id_fout(melding_id) is None


@pytest.mark.parametrize(
    "melding_id",
    [
        "Zwartkopvlinder-Tjitske-2018",
        "VT-Tjitske",
        "VT-UTR-kombcfnkcojk",  # letters only, not hexadecimal
        "VT-UTR-decaf",  # hexadecimal letters but no digit: a word
        "VT-9e5decef49cG",  # mixed hexadecimal and another letter
        "VT-9e5DECef49cd",  # mixed case is no hexadecimal number
        "VT-111222333",
        "A" * 65,
        "VT/1",
    ],
)
def test_a_name_a_word_or_a_bsn_is_no_melding_id(melding_id: str) -> None:
    """A run of five letters outside a hexadecimal part, a BSN, or a bad character: refused."""
    assert melding_id_fout(melding_id) is not None


def test_a_melding_id_with_a_name_says_so_and_one_with_a_bsn_says_that() -> None:
    """Two reasons, each naming its rule."""
    assert "letters achter elkaar" in (melding_id_fout("VT-Tjitske") or "")
    assert "mag geen BSN bevatten" in (melding_id_fout("VT-628194821") or "")


@pytest.mark.parametrize(
    "verzoek_id",
    [
        "ticket-81",
        "req-0001",
        "X-1",
        "b-1",
        "midden",
        "verzoek-de2b582b-dd20-4bfd-8a6c-a69d31b3e089",
        "DE2B582BDD204BFD8A6CA69D31B3E089",
        "de2b582b-dd20-4bfd-8a6c-a69d31b3e089",
        "abcdefgh_de2b582bdd204bfd8a6ca69d31b3e089",
        "1" * 64,
    ],
)
def test_a_uuid_or_a_number_with_a_short_prefix_is_a_verzoek_id(verzoek_id: str) -> None:
    """A UUID (any case, dashes or not, after at most 8 letters) or a short-prefixed number."""
    assert verzoek_id_fout(verzoek_id) is None


@pytest.mark.parametrize(
    "verzoek_id",
    [
        "Zwartkopvlinder-628194821",
        "Zwartkopv-1",  # nine letters
        "req-1a",  # a letter after the prefix
        "ticket-81-Tjitske",
        "verzoekxyz-de2b582b-dd20-4bfd-8a6c-a69d31b3e089",
        "verzoek-de2b582b-dd20-4bfd-8a6c-628194821000",  # a BSN inside a uuid
        "a b",
        "x" * 65,
        "1" * 65,
        "req.1",
        "req:1",
    ],
)
def test_letters_beyond_a_short_prefix_a_bsn_or_a_space_is_no_verzoek_id(verzoek_id: str) -> None:
    """Refused: a long prefix, letters later on, a BSN (also in a uuid), spaces, . and :."""
    assert verzoek_id_fout(verzoek_id) is not None


def test_most_random_uuids_are_verzoek_ids_and_a_refused_one_holds_a_bsn() -> None:
    """A uuid is refused only for a nine-digit run passing the elfproef (about 1 in 200)."""
    for _ in range(2000):
        waarde = f"verzoek-{uuid.uuid4()}"
        fout = verzoek_id_fout(waarde)
        assert fout is None or "mag geen BSN bevatten" in fout


@pytest.mark.parametrize("medewerker", ["mw-0042", "tl-0007", "mw-1", "ABCD-12345678"])
def test_a_short_prefix_dash_and_digits_is_a_medewerker(medewerker: str) -> None:
    """1-4 letters, a dash, 1-8 digits."""
    assert medewerker_fout(medewerker) is None


@pytest.mark.parametrize(
    "medewerker",
    ["mw-628194821", "mw-123456789", "mw-bench", "x", "mw 1", "mw-", "abcde-1", "mw-00\x0042"],
)
def test_a_name_or_a_long_number_is_no_medewerker(medewerker: str) -> None:
    """Nine or more digits (any, not only a BSN), letters after the dash, spaces, NUL."""
    assert medewerker_fout(medewerker) is not None


def _melding(melding_id: str) -> dict[str, Any]:
    return {**voorbeeld("melding_advies"), "melding_id": melding_id}


def test_a_melding_with_a_name_in_its_id_is_refused_at_intake_but_decodes() -> None:
    """Melding.ontvang (the client's intake) refuses the name; a recorded history decodes."""
    gegevens = _melding("Zwartkopvlinder-Tjitske-2018")
    with pytest.raises(ValidationError) as fout:
        Melding.ontvang(gegevens, nu=Melding.model_validate(gegevens).ontvangen_op)
    assert [e["loc"] for e in fout.value.errors()] == [("melding_id",)]
    assert "Tjitske" not in str(fout.value.errors(include_input=False))
    assert Melding.model_validate(gegevens).melding_id == "Zwartkopvlinder-Tjitske-2018"


@pytest.mark.parametrize("soort", [Koppeling, VernietigingsVerzoek])
def test_the_melding_id_of_a_koppeling_or_vernietigingsverzoek_is_checked_by_streng(
    soort: Any,
) -> None:
    """The same rule wherever a melding_id is a field; plain validation stays lenient."""
    data = {"melding_id": "VT-Tjitske-2018", "ontvangen_op": "2026-11-23T10:00Z"}
    data |= {"regio": "utrecht"} if soort is Koppeling else {"verzoeker_rol": "kind"}
    model = soort.model_validate(data)
    with pytest.raises(ValidationError, match="melding_id: ten hoogste 4 letters"):
        streng(model, model.ontvangen_op)


@pytest.mark.parametrize("soort", [Triage, VernietigingsBesluit])
def test_a_medewerker_with_a_bsn_is_refused_by_streng_but_decodes(soort: Any) -> None:
    """mw-628194821 decodes (a history) and is refused at intake."""
    if soort is Triage:
        data = {**voorbeeld("triage"), "medewerker": "mw-628194821"}
    else:
        data = {"medewerker": "mw-628194821", "toegekend": True, "reden": "Q&A 28"}
    model = soort.model_validate(data)
    with pytest.raises(ValidationError) as fout:
        streng(model)
    assert [e["loc"] for e in fout.value.errors()] == [("medewerker",)]
    assert "628194821" not in str(fout.value.errors(include_input=False))
