"""A refusal's message is plain text in Temporal (contract/client.py, FoutenVersleuteld: the Web
UI's update dialog shows it without the codec server), so it may never carry personal data.

Hostile input plants names, a BSN that passes the elfproef, a phone number and a free-text
sentence, in Latin and other scripts, with NUL and control characters, in values, in keys
that are no field, in enum values, in nested places, and in broken JSON. The refusal text is
made by the same functions the validators use (domain.invoer.streng and foutregels, the rules
of domain.regels); none of the planted words may appear in it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from domain import regels
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    MonitoringUitkomst,
    Triage,
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.invoer import ONBEKEND_VELD, foutregels, streng, valideer_streng
from domain.melding import Melding
from domain.waarden import Fase
from starter.demo import voorbeeld
from tests.unit.fuzz_strategieen import (
    NU,
    UPDATES,
    besluiten,
    geldige_meldingen,
    triages,
)

# What a careless or hostile user may type; KENMERKEN: the words none of them may leak through.
PERSOONSGEGEVENS = (
    "Zorgvuldig Testpersoon",
    "111222333",  # passes the elfproef
    "06-12345678",
    "De buurman slaat zijn kinderen elke avond.",
    "Иван Петрович Сидоров",
    "محمد عبد الله",
    "王小明",
    "Καλλιόπη Παπαδοπούλου",
    # Shaped to pass a field's pattern: a region slug, a melding_id, a medewerker.
    "zorgvuldig-testpersoon",
    "Testpersoon_111222333",
    "Zorgvuldig.Testpersoon",
)
KENMERKEN = (
    "zorgvuldig",
    "testpersoon",
    "111222333",
    "12345678",
    "buurman",
    "иван",
    "сидоров",
    "محمد",
    "王小明",
    "καλλιόπη",
)
MODELLEN: dict[str, type[BaseModel]] = {
    m.__name__: m
    for m in (
        Melding,
        Triage,
        Besluit,
        DienstAfronding,
        MonitoringUitkomst,
        VernietigingsBesluit,
        VernietigingsVerzoek,
    )
}
WEIGERING = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_RAND = ("", "\x00", " ", "\t", "\n", "\x07", "\u2028", "\u00a0", "?", "\x00\x00")


def zonder_persoonsgegevens(tekst: str) -> None:
    klein = tekst.casefold()
    gevonden = [k for k in KENMERKEN if k.casefold() in klein]
    assert not gevonden, (gevonden, tekst)


def vijandige_teksten() -> st.SearchStrategy[str]:
    rand = st.sampled_from(_RAND)
    kern = st.sampled_from(PERSOONSGEGEVENS)
    return st.builds(lambda a, k, b: a + k + b, rand, kern, rand)


def vijandige_waarden() -> st.SearchStrategy[Any]:
    tekst = vijandige_teksten()
    return st.one_of(
        tekst,
        tekst.map(lambda t: [t]),
        st.builds(lambda k, w: {k: w}, tekst, tekst),
        st.builds(lambda t: {"naam": t, "soort": t}, tekst),
        st.builds(lambda t: [{"rol": "kind", "voornaam": t, t: t}], tekst),
    )


def plekken(gegevens: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of a JSON value, depth first."""
    uit: list[tuple[Any, Any]] = []
    if isinstance(gegevens, dict):
        for sleutel, waarde in gegevens.items():
            uit += [(gegevens, sleutel), *plekken(waarde)]
    elif isinstance(gegevens, list):
        for index, waarde in enumerate(gegevens):
            uit += [(gegevens, index), *plekken(waarde)]
    return uit


def containers(gegevens: Any) -> list[Any]:
    """The dicts and lists of a JSON value, itself first."""
    binnen = [w for c, k in plekken(gegevens) for w in [c[k]] if isinstance(w, dict | list)]
    return [gegevens, *binnen]


@st.composite
def vijandig(draw: st.DrawFn, geldig: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """A valid payload with one to four hostile plantings: a value replaced, a key that is no
    field added (anywhere), an element added to a list."""
    gegevens = copy.deepcopy(draw(geldig))
    for _ in range(draw(st.integers(1, 4))):
        soort = draw(st.sampled_from(["waarde", "sleutel", "element"]))
        if soort == "waarde":
            plek = plekken(gegevens)
            container, sleutel = plek[draw(st.integers(0, len(plek) - 1))]
            container[sleutel] = draw(vijandige_waarden())
            continue
        kandidaten = [
            c for c in containers(gegevens) if isinstance(c, dict if soort == "sleutel" else list)
        ]
        if not kandidaten:
            continue
        container = kandidaten[draw(st.integers(0, len(kandidaten) - 1))]
        if isinstance(container, dict):
            container[draw(vijandige_teksten())] = draw(vijandige_waarden())
        else:
            container.append(draw(vijandige_waarden()))
    return gegevens


def _voorbeeldstrategie(naam: str) -> st.SearchStrategy[dict[str, Any]]:
    return geldige_meldingen() if naam == "Melding" else UPDATES[naam]()


def weigering(soort: type[BaseModel], invoer: Any) -> str | None:
    """What a validator says of `invoer` (None: accepted), as workflows/melding.py builds it."""
    try:
        valideer_streng(soort, invoer, NU)
    except ValidationError as fout:
        return "; ".join(foutregels(fout, soort))
    return None


@pytest.mark.parametrize("naam", sorted(MODELLEN))
@WEIGERING
@given(data=st.data())
def test_no_refusal_of_hostile_input_repeats_what_was_typed(naam: str, data: st.DataObject) -> None:
    """As a dict, as JSON text and, when it decodes leniently, as a workflow's validator sees
    it (streng on the decoded model): the refusal names fields and rules, never a value."""
    soort = MODELLEN[naam]
    gegevens = data.draw(vijandig(_voorbeeldstrategie(naam)))
    zonder_persoonsgegevens(weigering(soort, gegevens) or "")
    zonder_persoonsgegevens(weigering(soort, json.dumps(gegevens, ensure_ascii=False)) or "")
    try:
        gedecodeerd = soort.model_validate(gegevens)
    except ValidationError:
        return
    try:
        streng(gedecodeerd, NU)
    except ValidationError as fout:
        zonder_persoonsgegevens("; ".join(foutregels(fout, soort)))


@pytest.mark.parametrize("naam", sorted(MODELLEN))
@settings(WEIGERING, max_examples=50)
@given(data=st.data())
def test_no_refusal_of_broken_json_repeats_what_was_typed(naam: str, data: st.DataObject) -> None:
    """JSON that does not parse: the parser's message names a position, not the text."""
    tekst = data.draw(vijandige_teksten())
    kapot = data.draw(
        st.sampled_from(
            [
                '{"' + tekst,
                '{"' + tekst + '": ',
                '{"melding_id": ' + tekst + "}",
                '{"onderbouwing": "' + tekst + '\\q"}',
                "[" + tekst,
            ]
        )
    )
    zonder_persoonsgegevens(weigering(MODELLEN[naam], kapot.encode("utf-8")) or "")


def test_an_unknown_key_is_named_by_its_place_only() -> None:
    """Reproduction: the key itself was repeated ("Zorgvuldig Testpersoon 111222333: Extra
    inputs are not permitted")."""
    triage = {**voorbeeld("triage"), "Zorgvuldig Testpersoon 111222333": 1}
    assert weigering(Triage, triage) == f"{ONBEKEND_VELD}: niet toegestaan (geen bekend veld)"
    melding = voorbeeld("melding_voorwaarden")
    melding["betrokkenen"][1]["Zorgvuldig Testpersoon"] = "111222333"
    assert weigering(Melding, melding) == (
        f"betrokkenen.1.{ONBEKEND_VELD}: niet toegestaan (geen bekend veld)"
    )


def test_an_unknown_region_is_not_repeated() -> None:
    """Reproduction: "regio: onbekende regio 'zorgvuldig-testpersoon': …"."""
    melding = {**voorbeeld("melding_voorwaarden"), "regio": "zorgvuldig-testpersoon"}
    assert weigering(Melding, melding) == "regio: onbekende regio (verwacht een van de 26 slugs)"


def _met_persoonsgegevens(melding: dict[str, Any], tekst: str) -> dict[str, Any]:
    """Every text of a melding personal data, as intake accepts it."""
    melding = copy.deepcopy(melding)
    melding["melder"].update(naam=tekst, telefoon="06-12345678")
    for betrokkene in melding["betrokkenen"]:
        betrokkene.update(voornaam=tekst, achternaam=tekst)
    melding["zorgen"]["omschrijving"] = tekst
    return melding


@WEIGERING
@given(
    melding=geldige_meldingen(),
    triage=triages(),
    besluit=besluiten(),
    tekst=st.sampled_from(PERSOONSGEGEVENS[:8]),
)
def test_no_protocol_refusal_repeats_the_decision_or_the_melding(
    melding: dict[str, Any], triage: dict[str, Any], besluit: dict[str, Any], tekst: str
) -> None:
    """The rules of domain.regels, in every phase and state, on decisions and a melding whose
    every text is personal data that intake accepts: only fields, phases and codes appear."""
    melding_model = Melding.ontvang(_met_persoonsgegevens(melding, tekst), nu=NU)
    medewerker = "Zorgvuldig.Testpersoon"
    triage_model = Triage.model_validate(
        {**triage, "onderbouwing": tekst, "medewerker": medewerker}
    )
    besluit_gegevens = {**besluit, "onderbouwing": tekst, "medewerker": medewerker}
    if besluit_gegevens.get("ketenpartner"):
        besluit_gegevens["ketenpartner"] = {**besluit_gegevens["ketenpartner"], "naam": tekst}
    besluit_model = Besluit.model_validate(besluit_gegevens)
    redenen: list[str | None] = []
    for fase in Fase:
        for ja in (True, False):
            redenen += [
                regels.weiger_triage(fase, ja),
                regels.weiger_besluit_tijdens_verzamelen(fase),
                regels.weiger_dienst_afronding(fase),
                regels.weiger_monitoring(ja),
                regels.weiger_besluit(melding_model, triage_model, besluit_model, ja),
                regels.weiger_besluit(melding_model, None, besluit_model, ja),
            ]
    for reden in redenen:
        zonder_persoonsgegevens(reden or "")
