"""Issue 24: the melder's CBS role and an advies' beleidsinformatie (domain/beleidsinformatie.py):
given or derived, and only codes, moments and counts of an advies."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from domain.advies import (
    AdviesAfsluiting,
    AdviesFase,
    AdviesStatus,
    Adviesvraag,
    GesprekRegel,
)
from domain.beleidsinformatie import AdviesUitkomst, advies_informatie, melder_rol
from domain.besluiten import Ketenpartner
from domain.melding import Melder
from domain.waarden import MelderRol

ONTVANGEN = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("melder", "rol"),
    [
        ({"soort": "professional", "beroepsgroep": "politie", "meldnorm": 1}, "professional"),
        ({"soort": "burger"}, "overig"),
        ({"soort": "burger", "categorie": "familie"}, "familie"),
        ({"soort": "burger", "categorie": "buren_kennissen"}, "buurt_of_kennis"),
        ({"soort": "burger", "categorie": "betrokkene_zelf"}, "onbekend"),
        ({"soort": "burger", "categorie": "betrokkene_zelf", "rol": "pleger"}, "pleger"),
    ],
)
def test_the_melder_role_is_given_or_derived(melder: dict[str, object], rol: str) -> None:
    assert melder_rol(Melder.model_validate(melder)) is MelderRol(rol)


@pytest.mark.parametrize(
    "melder",
    [
        {"soort": "burger", "rol": "professional"},
        {"soort": "professional", "beroepsgroep": "ggz", "meldnorm": 2, "rol": "familie"},
    ],
)
def test_a_role_of_the_other_kind_of_melder_is_refused(melder: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match=r"melder\.rol"):
        Melder.model_validate(melder)


def test_a_ketenpartner_without_hulp_serialises_as_before_it_existed() -> None:
    assert Ketenpartner(soort="wijkteam", naam="Wijkteam Oost").model_dump(mode="json") == {
        "soort": "wijkteam",
        "naam": "Wijkteam Oost",
    }
    met = Ketenpartner(soort="lokaal_veld", naam="Jeugdteam", hulp="jeugdbescherming")
    assert met.model_dump(mode="json")["hulp"] == "jeugdbescherming"


def _vraag(**vrager: object) -> Adviesvraag:
    return Adviesvraag.model_validate(
        {
            "advies_id": "AV-UTR-2026-000001",
            "regio": "utrecht",
            "ontvangen_op": ONTVANGEN,
            "adviesvrager": vrager,
            "vraag": "Vraag van Jan Jansen over zijn buurkinderen.",
            "vormen": ["kindermishandeling", "mensenhandel"],
        }
    )


def _stand(fase: AdviesFase, gesprekken: int, **over: object) -> AdviesStatus:
    return AdviesStatus(
        advies_id="AV-UTR-2026-000001",
        regio="utrecht",
        fase=fase,
        ontvangen_op=ONTVANGEN,
        gesprekken=[
            GesprekRegel(
                datum=date(2026, 11, 2), soort="chat", medewerker="mw-1", samenvatting="Gesprek."
            )
            for _ in range(gesprekken)
        ],
        afgesloten_op=datetime(2026, 11, 5, 12, 0, tzinfo=UTC),
        **over,
    )


def test_a_closed_advies_gives_the_items_of_its_closing_and_no_text() -> None:
    slot = AdviesAfsluiting(
        medewerker="mw-1",
        advies="Bel de wijkagent, Jan.",
        rol="professional",
        organisatie="gezondheidszorg",
        aard=["partnergeweld"],
        duur="meerdere_gesprekken",
    )
    vraag = _vraag(soort="professional", beroepsgroep="gezondheidszorg", naam="Jan Jansen")
    info = advies_informatie(vraag, _stand(AdviesFase.AFGESLOTEN, 2, afsluiting=slot))
    assert info.uitkomst is AdviesUitkomst.AFGESLOTEN
    assert (info.rol.value, info.organisatie.value, info.duur) == (
        "professional",
        "gezondheidszorg_overig",
        slot.duur,
    )
    assert [a.value for a in info.aard] == ["partnergeweld"]  # the closing's, not the question's
    assert "Jan" not in info.model_dump_json()


def test_an_omgezet_advies_takes_its_questions_items() -> None:
    vraag = _vraag(soort="burger", anoniem=True)
    info = advies_informatie(vraag, _stand(AdviesFase.OMGEZET, 1, melding_id="VT-UTR-1"))
    assert info.uitkomst is AdviesUitkomst.OMGEZET and info.anoniem
    assert (info.rol.value, info.organisatie.value, info.duur) == (
        "onbekend",
        "burger_overig",
        "eenmalig_contact",
    )
    assert {a.value for a in info.aard} == {"kindermishandeling", "mensenhandel"}


def test_an_open_advies_has_no_beleidsinformatie_yet() -> None:
    with pytest.raises(ValueError, match="nog open"):
        advies_informatie(_vraag(soort="burger"), _stand(AdviesFase.OPEN, 1))
