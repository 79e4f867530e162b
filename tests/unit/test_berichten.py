"""docs/architecture.md: what the melder and the household are told (Q&A 4, 5, 7, 8, 9, 11, 28)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from domain import voorbeelden
from domain.berichten import eerste_terugkoppeling, huishouden_bericht, tweede_terugkoppeling
from domain.besluiten import Besluit, DienstAfronding, Ketenpartner, Triage
from domain.melding import Melding
from domain.uitwisseling import BerichtSoort, EerdereMelding, RegisterResultaat
from domain.waarden import ContactHuishouden, Vervolg

CET = timezone(timedelta(hours=1))

WIJKTEAM = voorbeelden.WIJKTEAM

MELDER_NAAM = "Ilse Voorbeeldmelder"
NAMEN = ["Ilse", "Voorbeeldmelder", "Sam", "Testkind", "Robin", "Proefouder"]
CONTACTGEGEVENS = ["030-1234567", "melder@school.example", "111222333"]

VERTROUWELIJK = [
    "eerdere_meldingen",
    "eerdere_regios",
    "eerdere",
    "veiligheidsbeoordeling",
    "advies",
]


def melding(**melder: Any) -> Melding:
    """A synthetic melding with named melder and betrokkenen; `melder` overrides the melder."""
    return Melding.model_validate(
        {
            "melding_id": "VT-UTR-2026-000002",
            "regio": "utrecht",
            "ontvangen_op": "2026-11-23T10:15:00+01:00",
            "melder": {
                "soort": "burger",
                "naam": MELDER_NAAM,
                "telefoon": "030-1234567",
                "email": "melder@school.example",
                **melder,
            },
            "betrokkenen": [
                {
                    "rol": "kind",
                    "voornaam": "Sam",
                    "achternaam": "Testkind",
                    "geboortedatum": "2018-02-03",
                    "bsn": "111222333",
                },
                {"rol": "ouder_verzorger", "voornaam": "Robin", "achternaam": "Proefouder"},
            ],
            "zorgen": {"vormen": ["kindermishandeling"], "omschrijving": "Synthetische zorgen."},
        }
    )


def professional(blijft_betrokken: bool = True, **melder: Any) -> Melding:
    return melding(
        soort="professional",
        beroepsgroep="onderwijs",
        meldnorm=2,
        blijft_betrokken=blijft_betrokken,
        **melder,
    )


def triage() -> Triage:
    return voorbeelden.triage(
        acute_onveiligheid=True, schadelijke_leefsituatie=True, urgentie="hoog"
    )


def besluit(vervolg: Vervolg = Vervolg.OVERDRACHT, **velden: Any) -> Besluit:
    return voorbeelden.besluit(vervolg, **velden)


def register() -> RegisterResultaat:
    def eerder(nummer: int, regio: str, ketenpartner: bool) -> EerdereMelding:
        return EerdereMelding(
            melding_id=f"VT-OUD-{nummer}",
            regio=regio,
            ontvangen_op=datetime(2025, 3, nummer, 11, 0, tzinfo=CET),
            vervolg=Vervolg.OVERDRACHT if ketenpartner else Vervolg.ADVIES,
            ketenpartner=Ketenpartner.model_validate(WIJKTEAM) if ketenpartner else None,
            open=False,
        )

    return RegisterResultaat(
        aantal=3,
        regios=["utrecht", "flevoland", "utrecht"],
        eerdere=[
            eerder(1, "utrecht", True),
            eerder(2, "flevoland", False),
            eerder(3, "utrecht", False),
        ],
    )


def afronding(**velden: Any) -> DienstAfronding:
    return voorbeelden.afronding(
        **{
            "veiligheidsvoorwaarden_gesteld": True,
            "samenvatting_voor_melder": "Veiligheidsvoorwaarden gesteld; gezin werkt mee.",
            **velden,
        }
    )


def melder_advies(wie: Melding) -> dict[str, Any]:
    """The advies_aan_melder the Q&A 9 validator requires for this melder."""
    betrokken = wie.melder.soort.value == "professional" and wie.melder.blijft_betrokken
    return {"advies_aan_melder": "aanpassen"} if betrokken else {}


MELDERS = [
    pytest.param(melding(), id="burger"),
    pytest.param(professional(True), id="professional_blijft"),
    pytest.param(professional(False), id="professional_niet"),
]


@pytest.mark.parametrize("wie", MELDERS)
@pytest.mark.parametrize("contact", list(ContactHuishouden))
def test_q5_eerste_terugkoppeling_always_says_who_contacts_the_household(
    wie: Melding, contact: ContactHuishouden
) -> None:
    """Q&A 5: every melder hears who contacts the household (VT, wijkteam, professional)."""
    b = besluit(Vervolg.VOORWAARDEN_EN_VERVOLG, contact_huishouden=contact, **melder_advies(wie))
    bericht = eerste_terugkoppeling(wie, triage(), b, register())
    assert bericht.soort is BerichtSoort.EERSTE_TERUGKOPPELING
    assert bericht.melding_id == wie.melding_id
    assert bericht.inhoud["contact_huishouden"] == contact.value
    assert bericht.inhoud["vervolg"] == "voorwaarden_en_vervolg"
    assert bericht.inhoud["veiligheidsbeoordeling_afgerond"] is True


@pytest.mark.parametrize("wie", MELDERS)
def test_q5_q10_eerste_terugkoppeling_names_the_ketenpartner_on_overdracht(wie: Melding) -> None:
    """Q&A 5, 18: on overdracht the melder hears which ketenpartner takes the case over."""
    bericht = eerste_terugkoppeling(wie, triage(), besluit(**melder_advies(wie)), register())
    assert bericht.inhoud["vervolg"] == "overdracht"
    assert bericht.inhoud["contact_huishouden"] == "wijkteam"
    assert bericht.inhoud["ketenpartner"] == WIJKTEAM


def test_q9_q11_a_staying_professional_hears_prior_meldingen_beoordeling_and_advies() -> None:
    """Q&A 9, 11: eerdere meldingen (count, regions), the veiligheidsbeoordeling and the advies."""
    b = besluit(Vervolg.ADVIES, advies_aan_melder="aanpassen")
    inhoud = eerste_terugkoppeling(professional(True), triage(), b, register()).inhoud
    assert inhoud["melder_soort"] == "professional"
    assert inhoud["eerdere_meldingen"] == 3
    assert inhoud["eerdere_regios"] == ["flevoland", "utrecht"]
    assert [e["regio"] for e in inhoud["eerdere"]] == ["utrecht", "flevoland", "utrecht"]
    assert inhoud["eerdere"][0] == {
        "regio": "utrecht",
        "ontvangen_op": "2025-03-01",
        "vervolg": "overdracht",
        "ketenpartner_soort": "wijkteam",
    }
    assert inhoud["veiligheidsbeoordeling"] == {
        "acute_onveiligheid": True,
        "structurele_onveiligheid": False,
        "schadelijke_leefsituatie": True,
        "urgentie": "hoog",
    }
    assert inhoud["advies"] == "aanpassen"


def test_q9_eerdere_meldingen_unknown_when_the_register_did_not_answer() -> None:
    """Q&A 9, 21: a register that did not answer in time is reported as unknown, not as zero."""
    b = besluit(Vervolg.ADVIES, advies_aan_melder="voortzetten")
    inhoud = eerste_terugkoppeling(professional(True), triage(), b, None).inhoud
    assert inhoud["eerdere_meldingen"] is None
    assert inhoud["advies"] == "voortzetten"


def test_q9_eerdere_meldingen_never_carry_case_content_or_ids() -> None:
    """A register match names only region, date, vervolg and kind of ketenpartner."""
    b = besluit(Vervolg.ADVIES, advies_aan_melder="aanpassen")
    inhoud = eerste_terugkoppeling(professional(True), triage(), b, register()).inhoud
    for eerder in inhoud["eerdere"]:
        assert set(eerder) == {"regio", "ontvangen_op", "vervolg", "ketenpartner_soort"}


@pytest.mark.parametrize(
    "wie",
    [pytest.param(melding(), id="burger"), pytest.param(professional(False), id="prof_niet")],
)
def test_q9_a_burger_or_departing_professional_gets_nothing_confidential(wie: Melding) -> None:
    """Without a continuing professional role: no meldingen, beoordeling, advies."""
    bericht = eerste_terugkoppeling(wie, triage(), besluit(), register())
    for sleutel in VERTROUWELIJK:
        assert sleutel not in bericht.inhoud
    tekst = bericht.model_dump_json()
    assert "flevoland" not in tekst
    assert "hoog" not in tekst


@pytest.mark.parametrize("wie", MELDERS)
def test_eerste_terugkoppeling_never_contains_a_name_of_the_melding(wie: Melding) -> None:
    """docs/privacy.md: the bericht has no names or contact details; the outbox looks them up."""
    tekst = eerste_terugkoppeling(
        wie, triage(), besluit(**melder_advies(wie)), register()
    ).model_dump_json()
    for gegeven in NAMEN + CONTACTGEGEVENS:
        assert gegeven not in tekst


@pytest.mark.parametrize(
    ("wie", "b"),
    [
        pytest.param(melding(anonimiteit_gevraagd=True), besluit(), id="burger_vraagt"),
        pytest.param(
            professional(False, anonimiteit_gevraagd=True), besluit(), id="professional_vraagt"
        ),
        pytest.param(
            professional(False),
            besluit(Vervolg.VOORWAARDEN_EN_VERVOLG, anonimiteit_toegezegd=True),
            id="toegezegd",
        ),
        pytest.param(
            professional(True, anonimiteit_gevraagd=True),
            besluit(Vervolg.ONDERZOEK, anonimiteit_toegezegd=True, advies_aan_melder="aanpassen"),
            id="gevraagd_en_toegezegd",
        ),
    ],
)
def test_q4_q7_household_message_never_reveals_an_anonymous_melder(
    wie: Melding, b: Besluit
) -> None:
    """Q&A 4, 7, 25: anonymity asked or promised: the household never learns who reported."""
    bericht = huishouden_bericht(wie, b)
    assert bericht.soort is BerichtSoort.HUISHOUDEN_INFORMEREN
    assert bericht.inhoud["melder"] == "anoniem"
    assert "melder_beroepsgroep" not in bericht.inhoud
    tekst = bericht.model_dump_json()
    assert "onderwijs" not in tekst
    assert '"professional"' not in tekst
    assert '"burger"' not in tekst


@pytest.mark.parametrize(
    ("wie", "soort", "beroepsgroep"),
    [
        pytest.param(melding(), "burger", None, id="burger"),
        pytest.param(professional(False), "professional", "onderwijs", id="professional"),
    ],
)
def test_q4_household_message_tells_of_the_melding_and_the_follow_up(
    wie: Melding, soort: str, beroepsgroep: str | None
) -> None:
    """Q&A 4: the household hears of the melding (date), the vervolg and who will contact them."""
    inhoud = huishouden_bericht(wie, besluit()).inhoud
    assert inhoud["melding_ontvangen_op"] == "2026-11-23"
    assert inhoud["vervolg"] == "overdracht"
    assert inhoud["contact_huishouden"] == "wijkteam"
    assert inhoud["ketenpartner"] == WIJKTEAM
    assert inhoud["melder"] == soort
    assert inhoud.get("melder_beroepsgroep") == beroepsgroep


def test_q4_household_message_dates_the_melding_by_its_amsterdam_day() -> None:
    """Q&A 4: a melding received Fri 00:30 in Amsterdam (Thu 23:30 UTC) is dated Friday."""
    gegevens = melding().model_dump(mode="json")
    gegevens["ontvangen_op"] = "2026-11-26T23:30:00Z"
    inhoud = huishouden_bericht(Melding.model_validate(gegevens), besluit()).inhoud
    assert inhoud["melding_ontvangen_op"] == "2026-11-27"


@pytest.mark.parametrize(
    "wie",
    [
        pytest.param(melding(), id="burger"),
        pytest.param(melding(anonimiteit_gevraagd=True), id="anoniem"),
        pytest.param(professional(True), id="professional"),
    ],
)
def test_q4_household_message_never_contains_any_name_of_the_melding(wie: Melding) -> None:
    """docs/privacy.md: not the melder's nor the betrokkenen's names, BSN or contact details."""
    b = besluit(Vervolg.AFSLUITEN, geweld_vastgesteld=False, **melder_advies(wie))
    tekst = huishouden_bericht(wie, b).model_dump_json()
    assert MELDER_NAAM not in tekst
    for gegeven in NAMEN + CONTACTGEGEVENS:
        assert gegeven not in tekst


def test_q28_household_message_mentions_vernietigingsrecht_when_no_violence_was_found() -> None:
    """Q&A 28: geweld_vastgesteld false: the betrokkenen are actively pointed to their right."""
    b = besluit(Vervolg.AFSLUITEN, geweld_vastgesteld=False)
    assert huishouden_bericht(melding(), b).inhoud["vernietigingsrecht"] is True


@pytest.mark.parametrize(
    "b",
    [
        pytest.param(besluit(Vervolg.AFSLUITEN), id="afsluiten_onbekend"),
        pytest.param(besluit(Vervolg.AFSLUITEN, geweld_vastgesteld=True), id="afsluiten_geweld"),
        pytest.param(besluit(Vervolg.ONDERZOEK), id="onderzoek"),
        pytest.param(besluit(), id="overdracht"),
    ],
)
def test_q28_household_message_has_no_vernietigingsrecht_otherwise(b: Besluit) -> None:
    """Q&A 28: the right is mentioned only when the besluit found no violence."""
    assert "vernietigingsrecht" not in huishouden_bericht(melding(), b).inhoud


@pytest.mark.parametrize("vervolg", [Vervolg.VOORWAARDEN_EN_VERVOLG, Vervolg.ONDERZOEK])
def test_q8_tweede_terugkoppeling_while_the_dienst_still_runs_says_loopt_nog(
    vervolg: Vervolg,
) -> None:
    """Q&A 8: at 10 weeks the melder hears the state of that moment: the dienst still runs."""
    bericht = tweede_terugkoppeling(melding(), besluit(vervolg), None)
    assert bericht.soort is BerichtSoort.TWEEDE_TERUGKOPPELING
    assert bericht.inhoud == {"dienst": vervolg.value, "loopt_nog": True}


def test_q8_tweede_terugkoppeling_after_the_dienst_gives_the_summary() -> None:
    """Q&A 8: a finished dienst: the vervolg and the summary meant for the melder."""
    inhoud = tweede_terugkoppeling(melding(), besluit(Vervolg.ONDERZOEK), afronding()).inhoud
    assert inhoud["dienst"] == "onderzoek"
    assert inhoud["loopt_nog"] is False
    assert inhoud["vervolg"] == "afsluiten"
    assert inhoud["samenvatting"] == "Veiligheidsvoorwaarden gesteld; gezin werkt mee."
    assert "ketenpartner" not in inhoud
    # A burger does not hear whether veiligheidsvoorwaarden were set (docs/architecture.md).
    assert "veiligheidsvoorwaarden_gesteld" not in inhoud


def test_q8_q18_tweede_terugkoppeling_names_the_ketenpartner_after_a_dienst_overdracht() -> None:
    """Q&A 8, 18: a dienst ending in overdracht names the ketenpartner; a professional who stays
    also hears whether veiligheidsvoorwaarden were set."""
    b = besluit(Vervolg.VOORWAARDEN_EN_VERVOLG, advies_aan_melder="aanpassen")
    klaar = afronding(vervolg="overdracht", ketenpartner=WIJKTEAM)
    inhoud = tweede_terugkoppeling(professional(True), b, klaar).inhoud
    assert inhoud["loopt_nog"] is False
    assert inhoud["vervolg"] == "overdracht"
    assert inhoud["ketenpartner"] == WIJKTEAM
    assert inhoud["veiligheidsvoorwaarden_gesteld"] is True


@pytest.mark.parametrize("klaar", [None, afronding()])
def test_q8_tweede_terugkoppeling_never_contains_a_name_of_the_melding(
    klaar: DienstAfronding | None,
) -> None:
    """docs/privacy.md: the tweede terugkoppeling carries no names or contact details either."""
    tekst = tweede_terugkoppeling(
        professional(True), besluit(Vervolg.ONDERZOEK, advies_aan_melder="aanpassen"), klaar
    ).model_dump_json()
    for gegeven in NAMEN + CONTACTGEGEVENS:
        assert gegeven not in tekst


def test_q9_a_possible_register_match_is_not_told_to_the_melder() -> None:
    """A match on name and date of birth only may be another household: not disclosed until a
    person confirms it; the melder hears the count and regions of BSN matches only."""
    basis = register()
    mogelijk = basis.eerdere[1].model_copy(update={"mogelijk": True})
    gemengd = basis.model_copy(
        update={
            "eerdere": [basis.eerdere[0], mogelijk, basis.eerdere[2]],
            "aantal_mogelijk": 1,
            "zekere_regios": ["utrecht"],
        }
    )
    b = besluit(Vervolg.ADVIES, advies_aan_melder="voortzetten")
    inhoud = eerste_terugkoppeling(professional(True), triage(), b, gemengd).inhoud
    assert inhoud["eerdere_meldingen"] == 2
    assert inhoud["eerdere_regios"] == ["utrecht"]
    assert [e["regio"] for e in inhoud["eerdere"]] == ["utrecht", "utrecht"]
    assert "flevoland" not in str(inhoud)


def test_q9_a_register_result_from_before_possible_matches_counts_every_match() -> None:
    """Results recorded in older histories have no `mogelijk`: every match was a certain one."""
    velden = {"zekere_regios": True, "aantal_mogelijk": True, "eerdere": {"__all__": {"mogelijk"}}}
    tekst = register().model_dump_json(exclude=velden)
    assert "mogelijk" not in tekst
    oud = RegisterResultaat.model_validate_json(tekst)
    b = besluit(Vervolg.ADVIES, advies_aan_melder="voortzetten")
    inhoud = eerste_terugkoppeling(professional(True), triage(), b, oud).inhoud
    assert (inhoud["eerdere_meldingen"], inhoud["eerdere_regios"]) == (3, ["flevoland", "utrecht"])
