"""docs/architecture.md: the protocol rules, each test naming its source in the Q&A."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from domain import regels, voorbeelden
from domain.besluiten import Besluit, DienstAfronding, Ketenpartner
from domain.melding import Melding
from domain.uitwisseling import EerdereMelding, RegisterResultaat
from domain.waarden import DienstVervolg, Einde, Fase, Vervolg

CET = timezone(timedelta(hours=1))

WIJKTEAM = voorbeelden.WIJKTEAM


def melding(**melder: Any) -> Melding:
    """A synthetic melding; `melder` overrides the burger melder's fields."""
    return Melding.model_validate(
        {
            "melding_id": "VT-UTR-2026-000001",
            "regio": "utrecht",
            "ontvangen_op": "2026-11-23T10:15:00+01:00",
            "melder": {"soort": "burger", **melder},
            "betrokkenen": [{"rol": "kind", "voornaam": "Sam", "bsn": "111222333"}],
            "zorgen": {"vormen": ["kindermishandeling"]},
        }
    )


def professional(blijft_betrokken: bool) -> Melding:
    return melding(
        soort="professional",
        beroepsgroep="onderwijs",
        meldnorm=2,
        blijft_betrokken=blijft_betrokken,
    )


triage = voorbeelden.triage
besluit = voorbeelden.besluit
afronding = voorbeelden.afronding


# Q&A 25: the six conclusions under which Veilig Thuis keeps the case.
VOORWAARDEN_Q25 = [
    pytest.param({"directe_interventie_nodig": True}, {}, id="directe_interventie"),
    pytest.param({"structurele_onveiligheid": True}, {}, id="structurele_onveiligheid"),
    pytest.param({"informatie_toereikend": False}, {}, id="onvoldoende_informatie"),
    pytest.param({"nader_onderzoek_nodig": True}, {}, id="nader_onderzoek"),
    pytest.param({}, {"anonimiteit_toegezegd": True}, id="anonimiteit_toegezegd"),
    pytest.param({}, {"raad_verzoek_tot_onderzoek": True}, id="verzoek_raad"),
]
NIET_BIJ_VEILIG_THUIS = [Vervolg.AFSLUITEN, Vervolg.ADVIES, Vervolg.OVERDRACHT]
DIENSTEN = [Vervolg.VOORWAARDEN_EN_VERVOLG, Vervolg.ONDERZOEK]


@pytest.mark.parametrize(("triage_velden", "besluit_velden"), VOORWAARDEN_Q25)
@pytest.mark.parametrize("vervolg", NIET_BIJ_VEILIG_THUIS)
def test_q25_each_condition_refuses_afsluiten_advies_and_overdracht(
    vervolg: Vervolg, triage_velden: dict[str, Any], besluit_velden: dict[str, Any]
) -> None:
    """Q&A 25: when a condition holds, Veilig Thuis keeps the case and refuses to let it go."""
    reden = regels.weiger_besluit(
        melding(), triage(**triage_velden), besluit(vervolg, **besluit_velden), al_genomen=False
    )
    assert reden is not None
    assert "Q&A 25" in reden
    assert vervolg.value in reden
    regel = regels.reden_veilig_thuis_houdt_casus(
        triage(**triage_velden), besluit(vervolg, **besluit_velden)
    )
    assert regel is not None
    assert regel in reden


@pytest.mark.parametrize(("triage_velden", "besluit_velden"), VOORWAARDEN_Q25)
@pytest.mark.parametrize("vervolg", DIENSTEN)
def test_q25_each_condition_accepts_voorwaarden_en_vervolg_and_onderzoek(
    vervolg: Vervolg, triage_velden: dict[str, Any], besluit_velden: dict[str, Any]
) -> None:
    """Q&A 25: Veilig Thuis keeping the case through one of its own diensten is accepted."""
    assert (
        regels.weiger_besluit(
            melding(), triage(**triage_velden), besluit(vervolg, **besluit_velden), al_genomen=False
        )
        is None
    )


@pytest.mark.parametrize("vervolg", list(Vervolg))
def test_q25_without_any_condition_every_vervolg_is_accepted(vervolg: Vervolg) -> None:
    """Q&A 3, 25: with none of the six conclusions Veilig Thuis may close, advise or hand over."""
    assert regels.reden_veilig_thuis_houdt_casus(triage(), besluit(vervolg)) is None
    assert regels.weiger_besluit(melding(), triage(), besluit(vervolg), al_genomen=False) is None


def test_q25_acute_onveiligheid_alone_is_not_one_of_the_six_conditions() -> None:
    """Q&A 25 names directe interventie, not acute onveiligheid: the latter alone keeps nothing."""
    assert (
        regels.reden_veilig_thuis_houdt_casus(
            triage(acute_onveiligheid=True, schadelijke_leefsituatie=True),
            besluit(Vervolg.OVERDRACHT),
        )
        is None
    )


def test_q3_besluit_before_the_triage_is_refused() -> None:
    """Q&A 3: the veiligheidsbeoordeling (triage) comes before the besluit on the vervolgstap."""
    reden = regels.weiger_besluit(melding(), None, besluit(Vervolg.ONDERZOEK), al_genomen=False)
    assert reden is not None
    assert "triage" in reden
    assert "Q&A 3" in reden


def test_a_second_besluit_is_refused() -> None:
    """docs/contract.md: one besluit per melding; a second is refused even when valid in itself."""
    reden = regels.weiger_besluit(melding(), triage(), besluit(Vervolg.ONDERZOEK), al_genomen=True)
    assert reden is not None
    assert "al een besluit" in reden


def test_q9_advies_aan_melder_is_required_for_a_professional_who_blijft_betrokken() -> None:
    """Q&A 9: a professional who keeps helping gets advies voortzetten, aanpassen or uitbreiden."""
    zonder = regels.weiger_besluit(
        professional(True), triage(), besluit(Vervolg.ADVIES), al_genomen=False
    )
    assert zonder is not None
    assert "advies_aan_melder" in zonder
    assert "Q&A 9" in zonder
    for advies in ("voortzetten", "aanpassen"):
        met = besluit(Vervolg.ADVIES, advies_aan_melder=advies)
        assert regels.weiger_besluit(professional(True), triage(), met, al_genomen=False) is None
    met = besluit(Vervolg.VOORWAARDEN_EN_VERVOLG, advies_aan_melder="uitbreiden")
    assert regels.weiger_besluit(professional(True), triage(), met, al_genomen=False) is None


@pytest.mark.parametrize("vervolg", [Vervolg.AFSLUITEN, Vervolg.ADVIES, Vervolg.OVERDRACHT])
def test_q9_uitbreiden_is_refused_with_a_vervolg_that_closes_the_case(vervolg: Vervolg) -> None:
    """Q&A 9, 19: "uitbreiden met directe bemoeienis van Veilig Thuis" was accepted with
    afsluiten, advies or overdracht, which close the case at once (issue 21 item 4)."""
    extra = {"ketenpartner": WIJKTEAM} if vervolg is Vervolg.OVERDRACHT else {}
    met = besluit(vervolg, advies_aan_melder="uitbreiden", **extra)
    reden = regels.weiger_besluit(professional(True), triage(), met, al_genomen=False)
    assert reden is not None and reden.startswith("besluit.advies_aan_melder: uitbreiden")
    assert "Q&A 9, 19" in reden
    zonder = besluit(vervolg, advies_aan_melder="aanpassen", **extra)
    assert regels.weiger_besluit(professional(True), triage(), zonder, al_genomen=False) is None


@pytest.mark.parametrize(
    "wie", [pytest.param(melding(), id="burger"), pytest.param(professional(False), id="prof")]
)
def test_q9_advies_aan_melder_is_refused_for_a_burger_and_a_professional_who_does_not_stay(
    wie: Melding,
) -> None:
    """Q&A 9: the advies is only for a professional who keeps offering or organising the help."""
    met = besluit(Vervolg.ONDERZOEK, advies_aan_melder="aanpassen")
    reden = regels.weiger_besluit(wie, triage(), met, al_genomen=False)
    assert reden is not None
    assert "advies_aan_melder" in reden
    assert "Q&A 9" in reden
    assert regels.weiger_besluit(wie, triage(), besluit(Vervolg.ONDERZOEK), False) is None


@pytest.mark.parametrize(
    "fase", [Fase.INFORMATIE_VERZAMELEN, Fase.WACHT_OP_TRIAGE, Fase.WACHT_OP_BESLUIT]
)
def test_q3_triage_is_accepted_before_the_besluit(fase: Fase) -> None:
    """Q&A 3: the triage is step 2 of the veiligheidsbeoordeling, before the besluit (step 3)."""
    assert regels.weiger_triage(fase, besluit_genomen=False) is None


@pytest.mark.parametrize("fase", list(Fase))
def test_q3_triage_is_refused_after_the_besluit(fase: Fase) -> None:
    """Q&A 3: once the besluit is taken, a triage is refused in every phase."""
    reden = regels.weiger_triage(fase, besluit_genomen=True)
    assert reden is not None
    assert "Q&A 3" in reden


@pytest.mark.parametrize(
    "fase", [Fase.VOORWAARDEN_EN_VERVOLG, Fase.ONDERZOEK, Fase.MONITORING, Fase.AFGESLOTEN]
)
def test_q3_triage_is_refused_in_a_phase_after_the_beoordeling(fase: Fase) -> None:
    """Q&A 3: a dienst, monitoring or a closed case takes no triage."""
    assert regels.weiger_triage(fase, besluit_genomen=False) is not None


def test_q7_besluit_is_refused_while_informatie_verzamelen() -> None:
    """Q&A 7, 21: the besluit rests on the gathered information, so it waits for the sources."""
    reden = regels.weiger_besluit_tijdens_verzamelen(Fase.INFORMATIE_VERZAMELEN)
    assert reden is not None
    assert "Q&A 7" in reden


@pytest.mark.parametrize("fase", [f for f in Fase if f is not Fase.INFORMATIE_VERZAMELEN])
def test_q7_besluit_is_not_held_up_outside_informatie_verzamelen(fase: Fase) -> None:
    """Q&A 7: only the gathering phase holds the besluit back."""
    assert regels.weiger_besluit_tijdens_verzamelen(fase) is None


@pytest.mark.parametrize("fase", list(Fase))
def test_q8_dienst_afronding_only_during_a_dienst(fase: Fase) -> None:
    """Q&A 8: only voorwaarden_en_vervolg and onderzoek are diensten that can be afgerond."""
    reden = regels.weiger_dienst_afronding(fase)
    if fase in (Fase.VOORWAARDEN_EN_VERVOLG, Fase.ONDERZOEK):
        assert reden is None
    else:
        assert reden is not None
        assert "dienst" in reden


def test_q23_monitoring_only_with_an_open_check() -> None:
    """Q&A 23: an outcome is registered only for a monitoring moment that is open."""
    assert regels.weiger_monitoring(check_open=True) is None
    reden = regels.weiger_monitoring(check_open=False)
    assert reden is not None
    assert "monitoringsmoment" in reden


def eerdere(
    nummer: int, dag: int, ketenpartner: dict[str, str] | None, regio: str = "utrecht"
) -> EerdereMelding:
    return EerdereMelding(
        melding_id=f"VT-OUD-{nummer}",
        regio=regio,
        ontvangen_op=datetime(2025, 1, dag, 9, 0, tzinfo=CET),
        vervolg=Vervolg.OVERDRACHT if ketenpartner else Vervolg.ONDERZOEK,
        ketenpartner=Ketenpartner.model_validate(ketenpartner) if ketenpartner else None,
        open=False,
    )


def test_q10_a_name_only_match_never_proposes_a_ketenpartner() -> None:
    """Q&A 10 is about the same household: "Wijkteam Ander Gezin" of a match on name and birth
    date only was proposed (issue 21 item 8); a BSN match still is."""
    ander_gezin = {"soort": "wijkteam", "naam": "Wijkteam Ander Gezin"}
    mogelijk = eerdere(1, 20, ander_gezin).model_copy(update={"mogelijk": True})
    register = RegisterResultaat(
        aantal=1, aantal_mogelijk=1, regios=["utrecht"], eerdere=[mogelijk]
    )
    assert regels.voorgestelde_ketenpartner(register) is None
    zeker = eerdere(2, 3, WIJKTEAM)
    register = RegisterResultaat(
        aantal=2, aantal_mogelijk=1, regios=["utrecht"], eerdere=[mogelijk, zeker]
    )
    assert regels.voorgestelde_ketenpartner(register) == Ketenpartner.model_validate(WIJKTEAM)


def test_q10_voorgestelde_ketenpartner_is_the_most_recent_earlier_handover() -> None:
    """Q&A 10: a new melding after an overdracht goes, after triage, to that same ketenpartner."""
    lokaal_veld = {"soort": "lokaal_veld", "naam": "Sociaal team Noord"}
    hulpverlening = {"soort": "betrokken_hulpverlening", "naam": "Jeugdhulp Oost"}
    register = RegisterResultaat(
        aantal=4,
        regios=["utrecht", "flevoland"],
        eerdere=[
            eerdere(1, 3, WIJKTEAM),
            eerdere(2, 20, hulpverlening, regio="flevoland"),
            eerdere(3, 10, lokaal_veld),
            # The newest earlier melding had no overdracht: it proposes nothing.
            eerdere(4, 28, None),
        ],
    )
    voorstel = regels.voorgestelde_ketenpartner(register)
    assert voorstel == Ketenpartner.model_validate(hulpverlening)


@pytest.mark.parametrize(
    "register",
    [
        pytest.param(None, id="geen_register"),
        pytest.param(RegisterResultaat(aantal=0), id="geen_eerdere"),
        pytest.param(
            RegisterResultaat(aantal=1, regios=["utrecht"], eerdere=[eerdere(1, 5, None)]),
            id="zonder_overdracht",
        ),
    ],
)
def test_q10_no_voorgestelde_ketenpartner_without_an_earlier_handover(
    register: RegisterResultaat | None,
) -> None:
    """Q&A 10: without an earlier overdracht there is no ketenpartner to propose."""
    assert regels.voorgestelde_ketenpartner(register) is None


@pytest.mark.parametrize(
    ("vervolg", "einde"),
    [
        (Vervolg.AFSLUITEN, Einde.AFGESLOTEN),
        (Vervolg.ADVIES, Einde.ADVIES),
        (Vervolg.OVERDRACHT, Einde.OVERGEDRAGEN),
        (Vervolg.VOORWAARDEN_EN_VERVOLG, None),
        (Vervolg.ONDERZOEK, None),
    ],
)
def test_q3_einde_na_besluit_ends_everything_but_a_dienst(
    vervolg: Vervolg, einde: Einde | None
) -> None:
    """Q&A 3: advies, afsluiten and overdracht end after the eerste terugkoppeling."""
    assert regels.einde_na_besluit(vervolg) is einde


@pytest.mark.parametrize(
    ("vervolg", "velden", "nodig"),
    [
        pytest.param(
            Vervolg.VOORWAARDEN_EN_VERVOLG,
            {"veiligheidsvoorwaarden_gesteld": True},
            True,
            id="q24_voorwaarden_gesteld",
        ),
        pytest.param(
            Vervolg.ONDERZOEK,
            {"veiligheidsvoorwaarden_gesteld": True, "geweld_vastgesteld": True},
            True,
            id="q24_onderzoek_met_voorwaarden",
        ),
        pytest.param(
            Vervolg.ONDERZOEK, {"geweld_vastgesteld": True}, True, id="q26_onderzoek_geweld"
        ),
        pytest.param(Vervolg.ONDERZOEK, {}, True, id="q26_onderzoek_uitkomst_open"),
        pytest.param(
            Vervolg.ONDERZOEK, {"geweld_vastgesteld": False}, False, id="q26_onderzoek_geen_geweld"
        ),
        pytest.param(Vervolg.VOORWAARDEN_EN_VERVOLG, {}, False, id="q24_geen_voorwaarden_gesteld"),
    ],
)
def test_q24_q26_monitoring_nodig_after_voorwaarden_or_onderzoek(
    vervolg: Vervolg, velden: dict[str, Any], nodig: bool
) -> None:
    """Q&A 24, 26: monitored after veiligheidsvoorwaarden or onderzoek, not without violence."""
    assert regels.monitoring_nodig(vervolg, afronding(**velden)) is nodig


@pytest.mark.parametrize(
    ("velden", "einde"),
    [
        ({"vervolg": "afsluiten"}, Einde.AFGESLOTEN),
        ({"vervolg": "overdracht", "ketenpartner": WIJKTEAM}, Einde.OVERGEDRAGEN),
    ],
)
def test_einde_na_dienst_follows_the_dienst_vervolg(velden: dict[str, Any], einde: Einde) -> None:
    """Stappenplan and docs/architecture.md: after a dienst the case is handed over or closed."""
    uitkomst = afronding(**velden)
    assert uitkomst.vervolg is DienstVervolg(velden["vervolg"])
    assert regels.einde_na_dienst(uitkomst) is einde


@pytest.mark.parametrize(
    ("besluit_", "afronding_", "recht"),
    [
        pytest.param(
            besluit(Vervolg.AFSLUITEN, geweld_vastgesteld=False), None, True, id="besluit_geen"
        ),
        pytest.param(besluit(Vervolg.AFSLUITEN), None, False, id="besluit_onbekend"),
        pytest.param(
            besluit(Vervolg.AFSLUITEN, geweld_vastgesteld=True), None, False, id="besluit_wel"
        ),
        pytest.param(
            besluit(Vervolg.ONDERZOEK),
            afronding(geweld_vastgesteld=False),
            True,
            id="onderzoek_geen",
        ),
        pytest.param(
            besluit(Vervolg.ONDERZOEK),
            afronding(geweld_vastgesteld=True),
            False,
            id="onderzoek_wel",
        ),
        pytest.param(besluit(Vervolg.ONDERZOEK), afronding(), False, id="onderzoek_onbekend"),
        pytest.param(None, afronding(geweld_vastgesteld=False), True, id="alleen_afronding"),
        pytest.param(None, None, False, id="niets"),
    ],
)
def test_q28_vernietigingsrecht_only_when_no_violence_was_found(
    besluit_: Besluit | None, afronding_: DienstAfronding | None, recht: bool
) -> None:
    """Q&A 28: no huiselijk geweld or kindermishandeling found: the right to destruction applies."""
    assert regels.vernietigingsrecht(besluit_, afronding_) is recht
