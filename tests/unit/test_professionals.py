"""Issue 22 item 4 (Q&A 10): the professionals around the child at intake and in a besluit, each
rule refused with its field path; their message (domain/berichten.py, domain/brieftekst.py) and
its addressee (domain/bezorging.py); a melding or besluit without them is the JSON it was."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from domain import brieftekst
from domain.berichten import kinderen, professional_bericht
from domain.besluiten import Besluit
from domain.bezorging import Kanaal, geen_kanaal_voor_een_mens, kanaal_voor
from domain.invoer import foutregels
from domain.melding import Melding
from domain.model import LEZEN
from domain.professionals import MAX_PROFESSIONALS
from domain.regels import weiger_besluit
from domain.uitwisseling import BerichtSoort, outbox_soort
from domain.voorbeelden import besluit as voorbeeldbesluit
from domain.voorbeelden import triage
from domain.waarden import MelderSoort
from tests.unit.test_melding_model import NU, voorbeeld

ADRES = {
    "straat": "Schoolstraat",
    "huisnummer": "1",
    "postcode": "3512 AB",
    "woonplaats": "Utrecht",
}
HUISARTS = {"soort": "huisarts", "organisatie": "Praktijk De Linde", "email": "info@linde.example"}
SCHOOL = {"soort": "school", "organisatie": "Basisschool De Regenboog", "adres": ADRES}


def melding(*professionals: dict[str, Any]) -> Melding:
    return Melding.ontvang({**voorbeeld(), "professionals": list(professionals)}, nu=NU)


def fouten(*professionals: Any) -> list[str]:
    with pytest.raises(ValidationError) as fout:
        melding(*professionals)
    return foutregels(fout.value, Melding)


def test_a_melding_records_its_professionals_and_without_them_is_the_json_it_was() -> None:
    m = melding(HUISARTS, SCHOOL)
    assert [p.soort.value for p in m.professionals] == ["huisarts", "school"]
    assert m.professionals[1].adres is not None and m.professionals[1].email is None
    zonder = Melding.ontvang(voorbeeld(), nu=NU)
    assert zonder.professionals == []
    assert "professionals" not in zonder.model_dump(mode="json")
    assert Melding.model_validate(m.model_dump(mode="json")) == m


@pytest.mark.parametrize(
    ("professional", "regel"),
    [
        ({"soort": "tandarts", "organisatie": "X", "email": "a@b.nl"}, "professionals.0.soort: "),
        ({"soort": "jgz", "email": "a@b.nl"}, "professionals.0.organisatie: verplicht"),
        ({"soort": "jgz", "organisatie": "JGZ"}, "een email of een adres is verplicht"),
        ({"soort": "jgz", "organisatie": "JGZ", "email": "geen-adres"}, "professionals.0.email"),
        ({**HUISARTS, "organisatie": "Praktijk\x00"}, "NUL"),
        ({**HUISARTS, "organisatie": "Praktijk\x1b[31m"}, "stuurteken"),
        ({**HUISARTS, "organisatie": "Praktijk\nDe Linde"}, "regeleinde"),
        ({**HUISARTS, "organisatie": "   "}, "professionals.0.organisatie: mag niet leeg"),
        ({**HUISARTS, "naam": "Dr. X"}, "professionals.0.(onbekend veld): niet toegestaan"),
        ({**SCHOOL, "adres": {**ADRES, "postcode": "1234"}}, "professionals.0.adres.postcode"),
    ],
)
def test_each_rule_of_a_professional_is_refused_with_its_field(
    professional: dict[str, Any], regel: str
) -> None:
    regels = fouten(professional)
    assert any(regel in r for r in regels), regels
    assert not any("Dr. X" in r or "linde.example" in r for r in regels)  # never a value


def test_the_list_of_professionals_is_bounded() -> None:
    regels = fouten(*[HUISARTS] * (MAX_PROFESSIONALS + 1))
    assert regels == [f"professionals: mag hoogstens {MAX_PROFESSIONALS} elementen bevatten"]


def test_a_history_without_the_field_decodes_and_a_previous_release_ignores_it() -> None:
    oud = Melding.ontvang(voorbeeld(), nu=NU).model_dump(mode="json")
    assert Melding.model_validate(oud, context=LEZEN).professionals == []


def _besluit(**over: Any) -> Besluit:
    return voorbeeldbesluit("advies", advies_aan_melder="voortzetten", **over)


def test_a_besluit_names_professionals_by_number_each_once() -> None:
    b = _besluit(
        professionals_informeren=[
            {"professional": 2, "onderbouwing": "De school ziet het kind dagelijks."}
        ]
    )
    assert b.professionals_informeren[0].professional == 2
    assert "professionals_informeren" not in _besluit().model_dump(mode="json")
    with pytest.raises(ValidationError, match="elke professional ten hoogste een keer"):
        _besluit(
            professionals_informeren=[
                {"professional": 1, "onderbouwing": "a"},
                {"professional": 1, "onderbouwing": "b"},
            ]
        )
    with pytest.raises(ValidationError) as fout:
        _besluit(professionals_informeren=[{"professional": 0, "onderbouwing": "a"}])
    assert foutregels(fout.value, Besluit) == [
        "professionals_informeren.0.professional: moet groter dan of gelijk aan 1 zijn"
    ]


def test_a_besluit_naming_a_professional_the_melding_does_not_hold_is_refused() -> None:
    m = melding(HUISARTS)
    goed = _besluit(professionals_informeren=[{"professional": 1, "onderbouwing": "x"}])
    fout = _besluit(professionals_informeren=[{"professional": 2, "onderbouwing": "x"}])
    assert weiger_besluit(m, triage(), goed, False) is None
    assert weiger_besluit(m, triage(), fout, False) == (
        "besluit.professionals_informeren.0.professional: 2 is niet vastgelegd "
        "(de melding noemt er 1)"
    )


def test_the_message_goes_to_that_professional_and_says_only_what_their_task_needs() -> None:
    m = melding(HUISARTS, SCHOOL)
    b = _besluit(professionals_informeren=[{"professional": 2, "onderbouwing": "x"}])
    bericht = professional_bericht(m, b, 2)
    assert (bericht.soort, bericht.ontvanger) == (BerichtSoort.PROFESSIONAL_INFORMEREN, 2)
    assert outbox_soort(bericht.soort, bericht.ontvanger) == "professional_informeren-2"
    a = kanaal_voor(m, bericht.soort, 2)
    assert (a.kanaal, a.naam, a.email) == (Kanaal.BRIEF, "Basisschool De Regenboog", None)
    a = kanaal_voor(m, bericht.soort, 1)
    assert (a.kanaal, a.email) == (Kanaal.EMAIL, "info@linde.example")
    assert kanaal_voor(m, bericht.soort, 3).kanaal is Kanaal.GEEN
    assert kanaal_voor(m, bericht.soort).kanaal is Kanaal.GEEN
    assert geen_kanaal_voor_een_mens(MelderSoort.BURGER, bericht.soort)
    inhoud = {**bericht.inhoud, "kinderen": kinderen(m)}
    t = brieftekst.tekst(bericht.soort, inhoud, a.naam)
    woorden = t.platte_tekst()
    assert "een leerling van uw school" in woorden and "Noor Jansen (geboren 2019-03-01)" in woorden
    assert "kenmerk VT-UTR-2026-000123" in woorden and "0800-2000" in woorden
    # Never the melder (Q&A 10 and the protection of the melder), the parents, a BSN, the worries.
    for geheim in ("Verbeek", "Mark", "111222333", "Blauwe plekken", "huisarts)"):
        assert geheim not in woorden and geheim not in t.html()
