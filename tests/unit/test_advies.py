"""The advies' rules on plain values (domain/advies.py), its IDs, key and roles."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from contract import ids
from domain import adviesbeeld
from domain.advies import (
    AdviesAfsluiting,
    AdviesFase,
    AdviesStatus,
    Adviesvraag,
    GesprekRegel,
    weiger_afsluiting,
    weiger_omzetting,
)
from domain.identiteit import Auteur, Handeling, Soort, Taakrol, weiger_handeling
from domain.invoer import valideer_streng
from domain.melding import Melding
from domain.waarden import MelderSoort
from starter.demo import voorbeeld
from versleuteling.codec import casus_van, melding_van, sleutel_id

NU = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def vraag(**over: Any) -> Adviesvraag:
    return valideer_streng(Adviesvraag, json.dumps({**voorbeeld("advies_vraag"), **over}), NU)


def afsluiting(**over: Any) -> AdviesAfsluiting:
    gegevens = {**voorbeeld("advies_afsluiting"), **over}
    return valideer_streng(AdviesAfsluiting, json.dumps(gegevens), NU)


@pytest.mark.parametrize("advies_id", ["AV-Jansen-2026-1", "AV-111222333"])
def test_an_advies_id_with_a_name_or_a_bsn_is_refused_at_intake(advies_id: str) -> None:
    """The advies_id stands in the workflow ID, readable in Temporal: a registration number."""
    with pytest.raises(ValidationError, match="advies_id"):
        vraag(advies_id=advies_id)


def test_an_anonymous_adviesvrager_leaves_no_name_phone_or_email() -> None:
    with pytest.raises(ValidationError, match="anoniem gaat niet samen"):
        vraag(adviesvrager={"soort": "burger", "anoniem": True, "telefoon": "0700000011"})


def test_a_professional_names_the_beroepsgroep_and_a_citizen_does_not() -> None:
    with pytest.raises(ValidationError, match="verplicht voor een professional"):
        vraag(adviesvrager={"soort": "professional"})
    with pytest.raises(ValidationError, match="niet toegestaan voor een burger"):
        vraag(adviesvrager={"soort": "burger", "beroepsgroep": "onderwijs"})


def test_the_cbs_organisatie_belongs_to_a_professional_only() -> None:
    with pytest.raises(ValidationError, match="organisatie"):
        afsluiting(rol="professional", organisatie=None)
    with pytest.raises(ValidationError, match="organisatie"):
        afsluiting(rol="familie", organisatie="onderwijs")


@pytest.mark.parametrize(
    ("gesprekken", "duur", "soort", "rol", "fout"),
    [
        (1, "eenmalig_contact", "burger", "buurt_of_kennis", None),
        (3, "meerdere_gesprekken", "burger", "familie", None),
        (0, "eenmalig_contact", "burger", "familie", "eerst een gesprek"),
        (2, "eenmalig_contact", "burger", "familie", "2 gesprekken"),
        (1, "meerdere_gesprekken", "burger", "familie", "er is een gesprek"),
        (1, "eenmalig_contact", "professional", "familie", "past niet"),
    ],
)
def test_the_closing_tells_what_happened(
    gesprekken: int, duur: str, soort: str, rol: str, fout: str | None
) -> None:
    """One contact is one conversation, several are more; the rol agrees with who asked."""
    reden = weiger_afsluiting(afsluiting(duur=duur, rol=rol), gesprekken, MelderSoort(soort))
    assert (reden is None) if fout is None else (reden is not None and fout in reden)


def test_an_omzetting_keeps_the_region_and_comes_after_the_question() -> None:
    v = vraag()
    melding = Melding.ontvang(voorbeeld("advies_omzetting")["melding"], nu=NU)
    assert weiger_omzetting(v, melding) is None
    elders = melding.model_copy(update={"regio": "utrecht"})
    assert "regio utrecht" in (weiger_omzetting(v, elders) or "")
    eerder = melding.model_copy(update={"ontvangen_op": v.ontvangen_op - timedelta(minutes=1)})
    assert "niet eerder ontvangen" in (weiger_omzetting(v, eerder) or "")


def test_an_advies_has_its_own_workflow_id_and_data_key() -> None:
    """advies-<id>, key advies/<id>: never the key of a melding with the same number."""
    workflow_id = ids.advies_workflow_id("AV-HGL-2026-000401")
    assert workflow_id == "advies-AV-HGL-2026-000401"
    assert ids.advies_id_van(workflow_id) == "AV-HGL-2026-000401"
    assert ids.melding_id_van(workflow_id) is None
    assert sleutel_id(workflow_id) == "advies/AV-HGL-2026-000401"
    assert sleutel_id(ids.melding_workflow_id("AV-HGL-2026-000401")) != sleutel_id(workflow_id)
    # The codec server's audit names it as an advies, never as melding AV-HGL-2026-000401.
    assert melding_van("advies/AV-HGL-2026-000401") is None
    assert casus_van("advies/AV-HGL-2026-000401") == "advies/AV-HGL-2026-000401"
    assert casus_van("melding/AV-HGL-2026-000401") == "AV-HGL-2026-000401"
    with pytest.raises(ValueError):
        ids.advies_workflow_id("advies met spaties")


@pytest.mark.parametrize(
    ("rollen", "soort", "handeling", "naam", "mag"),
    [
        ((Taakrol.MEDEWERKER,), Soort.PERSOON, Handeling.START, "AdviesWorkflow", True),
        ((Taakrol.INTEGRATOR,), Soort.PERSOON, Handeling.START, "AdviesWorkflow", False),
        ((Taakrol.MEDEWERKER,), Soort.PERSOON, Handeling.UPDATE, "zet_om_naar_melding", True),
        ((Taakrol.OPS,), Soort.PERSOON, Handeling.UPDATE, "registreer_gesprek", False),
        ((Taakrol.SYSTEEM,), Soort.SYSTEEM, Handeling.UPDATE, "sluit_advies", False),
        ((Taakrol.TEAMLEIDER,), Soort.PERSOON, Handeling.UPDATE, "raadpleeg_vertrouwensarts", True),
    ],
)
def test_a_person_with_a_deciding_role_takes_and_handles_an_advies(
    rollen: tuple[Taakrol, ...], soort: Soort, handeling: Handeling, naam: str, mag: bool
) -> None:
    auteur = Auteur(id="mw-0042", soort=soort, rollen=rollen)
    assert (weiger_handeling(auteur, "AdviesWorkflow", handeling, naam) is None) is mag


def test_the_web_ui_details_show_no_question_conversation_or_name() -> None:
    """Current details: ids, region, phase, counts and dates; what was said stays in payloads."""
    v = vraag()
    stand = AdviesStatus(
        advies_id=v.advies_id,
        regio=v.regio,
        fase=AdviesFase.OPEN,
        ontvangen_op=v.ontvangen_op,
        gesprekken=[
            GesprekRegel(
                datum=NU.date(), soort="telefonisch", medewerker="mw-0042", samenvatting="Noor B."
            )
        ],
        lang_open=True,
    )
    tekst = adviesbeeld.details(stand, NU + timedelta(weeks=4))
    assert "**Gesprekken:** 1" in tekst and "lang open" in tekst
    assert v.adviesvrager.naam is not None
    for persoonlijk in (v.adviesvrager.naam, "Noor", v.vraag[:20], "0700000011"):
        assert persoonlijk not in tekst
