"""Hypothesis strategies for the fuzz tests: valid meldingen and update payloads as JSON-ready
dicts, and invalid ones paired with the field their error must name.

Valid means valid under every intake rule at the clock NU. Text comes from every Unicode
category a rule allows; invalid input adds NUL, lone surrogates, control characters, blank
names, non-ASCII digits, extreme dates, deep nesting and oversize values.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from domain.besluiten import (
    Besluit,
    DienstAfronding,
    MonitoringUitkomst,
    Triage,
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.bsn import bevat_bsn, is_geldig_bsn
from domain.kenmerken import melding_id_fout
from domain.regio import REGIOS
from domain.tekst import NAAM_MAX
from domain.waarden import (
    AdviesAanMelder,
    Beroepsgroep,
    ContactHuishouden,
    DienstVervolg,
    Duur,
    Geweldsvorm,
    KetenpartnerSoort,
    Rol,
    Urgentie,
    Vervolg,
)

# The intake clock of the fuzz tests: a little in the past, so the real clock (CLI path) agrees.
NU = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
Veld = str  # the field an invalid input's error must name

# -- text ---------------------------------------------------------------------------------------
# Invisible format characters (Cf) are refused in a one-line value, those that reverse the
# reading direction in free text too (domain.tekst).
_NAAMTEKENS = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cf"))
_RICHTING = "".join(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_TEKSTTEKENS = st.one_of(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=_RICHTING),
    st.sampled_from("\t\n\r"),
)
SURROGAAT = st.integers(0xD800, 0xDFFF).map(chr)
STUURTEKEN = st.sampled_from([chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))])
WITRUIMTE = st.text(st.sampled_from(" \t\n\r\u00a0\u1680\u2003\u3000\x85\x1c"), min_size=1)


def naam_na_intake(waarde: str) -> str:
    """What intake makes of a one-line value: NFC, trimmed, NFC."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", waarde).strip())


def namen(max_lengte: int = NAAM_MAX) -> st.SearchStrategy[str]:
    """One-line values that intake accepts: not blank, within the bound after normalising."""
    return st.text(_NAAMTEKENS, min_size=1, max_size=max_lengte).filter(
        lambda s: 0 < len(naam_na_intake(s)) <= max_lengte
    )


def teksten(max_lengte: int = 400) -> st.SearchStrategy[str]:
    """Free text that intake accepts (the bound of 10,000 is tried by explicit examples)."""
    return st.text(_TEKSTTEKENS, min_size=1, max_size=max_lengte).filter(
        lambda s: bool(s.strip()) and len(unicodedata.normalize("NFC", s)) <= 10_000
    )


# -- numbers and moments ------------------------------------------------------------------------
@st.composite
def bsns(draw: st.DrawFn) -> str:
    """A BSN of ASCII digits passing the elfproef."""
    cijfers = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    som = sum(c * g for c, g in zip(cijfers, range(9, 1, -1), strict=True))
    laatste = som % 11
    bsn = "".join(map(str, cijfers)) + str(laatste)
    if laatste > 9 or not is_geldig_bsn(bsn):
        bsn = "111222333"
    return bsn


ZONES = st.one_of(
    st.just(UTC),
    st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m))),
)


def momenten(van: datetime, tot: datetime) -> st.SearchStrategy[str]:
    """Aware moments between two UTC moments, in any offset, as ISO text."""
    naief = st.datetimes(van.replace(tzinfo=None), tot.replace(tzinfo=None))
    return st.builds(lambda d, z: d.replace(tzinfo=UTC).astimezone(z).isoformat(), naief, ZONES)


ONTVANGEN = momenten(datetime(2015, 1, 2, tzinfo=UTC), NU - timedelta(days=1))
GEBOORTEDATUM = st.dates(date(1900, 1, 1), NU.date() - timedelta(days=1)).map(date.isoformat)
MELDING_ID = st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True).filter(
    lambda s: not bevat_bsn(s) and melding_id_fout(s) is None
)
MEDEWERKER = st.from_regex(r"[A-Za-z]{1,4}-[0-9]{1,8}", fullmatch=True)


def _optioneel(gegevens: dict[str, Any], draw: st.DrawFn, veld: str, soort: Any) -> None:
    if draw(st.booleans()):
        gegevens[veld] = draw(soort)


# -- melding ------------------------------------------------------------------------------------
@st.composite
def melders(draw: st.DrawFn) -> dict[str, Any]:
    melder: dict[str, Any] = {"soort": draw(st.sampled_from(["professional", "burger"]))}
    if melder["soort"] == "professional":
        melder["beroepsgroep"] = draw(st.sampled_from([b.value for b in Beroepsgroep]))
        melder["meldnorm"] = draw(st.integers(1, 3))
        melder["blijft_betrokken"] = draw(st.booleans())
    _optioneel(melder, draw, "naam", namen())
    _optioneel(melder, draw, "telefoon", namen(40))
    _optioneel(melder, draw, "email", namen(254))
    _optioneel(melder, draw, "anonimiteit_gevraagd", st.booleans())
    _optioneel(melder, draw, "eenmalig_contact", st.booleans())
    return melder


@st.composite
def betrokkenen(draw: st.DrawFn) -> dict[str, Any]:
    b: dict[str, Any] = {"rol": draw(st.sampled_from([r.value for r in Rol]))}
    _optioneel(b, draw, "voornaam", namen())
    _optioneel(b, draw, "achternaam", namen())
    _optioneel(b, draw, "geboortedatum", GEBOORTEDATUM)
    if draw(st.booleans()) or not ("voornaam" in b or "achternaam" in b):
        b["bsn"] = draw(bsns())
    return b


@st.composite
def geldige_meldingen(draw: st.DrawFn) -> dict[str, Any]:
    zorgen: dict[str, Any] = {
        "vormen": draw(
            st.lists(st.sampled_from([v.value for v in Geweldsvorm]), min_size=1, unique=True)
        )
    }
    _optioneel(zorgen, draw, "duur", st.sampled_from([d.value for d in Duur]))
    _optioneel(zorgen, draw, "omschrijving", teksten())
    for veld in ("acuut_vermoeden", "structureel_vermoeden", "disclosure"):
        _optioneel(zorgen, draw, veld, st.booleans())
    return {
        "melding_id": draw(MELDING_ID),
        "regio": draw(st.sampled_from(REGIOS)),
        "ontvangen_op": draw(ONTVANGEN),
        "melder": draw(melders()),
        "betrokkenen": draw(
            st.one_of(
                st.lists(betrokkenen(), min_size=1, max_size=4),
                st.lists(betrokkenen(), min_size=45, max_size=50),
            )
        ),
        "zorgen": zorgen,
    }


# -- update payloads ----------------------------------------------------------------------------
def ketenpartners() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"soort": st.sampled_from([k.value for k in KetenpartnerSoort]), "naam": namen()}
    )


@st.composite
def triages(draw: st.DrawFn) -> dict[str, Any]:
    vlaggen = ("acute_onveiligheid", "directe_interventie_nodig", "structurele_onveiligheid")
    vlaggen += ("schadelijke_leefsituatie", "informatie_toereikend", "nader_onderzoek_nodig")
    triage = {v: draw(st.booleans()) for v in vlaggen}
    triage["medewerker"] = draw(MEDEWERKER)
    triage["urgentie"] = draw(st.sampled_from([u.value for u in Urgentie]))
    triage["onderbouwing"] = draw(teksten())
    return triage


@st.composite
def besluiten(draw: st.DrawFn) -> dict[str, Any]:
    vervolg = draw(st.sampled_from([v.value for v in Vervolg]))
    besluit: dict[str, Any] = {
        "medewerker": draw(MEDEWERKER),
        "vervolg": vervolg,
        "contact_huishouden": draw(st.sampled_from([c.value for c in ContactHuishouden])),
        "onderbouwing": draw(teksten()),
    }
    if vervolg == "overdracht" or draw(st.booleans()):
        besluit["ketenpartner"] = draw(ketenpartners())
    waarden = [True, None] + ([False] if vervolg == "afsluiten" else [])
    _optioneel(besluit, draw, "geweld_vastgesteld", st.sampled_from(waarden))
    _optioneel(
        besluit, draw, "advies_aan_melder", st.sampled_from([a.value for a in AdviesAanMelder])
    )
    _optioneel(besluit, draw, "huishouden_informeren_uitstellen", teksten())
    for veld in ("anonimiteit_toegezegd", "raad_verzoek_tot_onderzoek", "politie_informeren"):
        _optioneel(besluit, draw, veld, st.booleans())
    return besluit


@st.composite
def afrondingen(draw: st.DrawFn) -> dict[str, Any]:
    vervolg = draw(st.sampled_from([v.value for v in DienstVervolg]))
    afronding: dict[str, Any] = {
        "medewerker": draw(MEDEWERKER),
        "veiligheidsvoorwaarden_gesteld": draw(st.booleans()),
        "vervolg": vervolg,
        "samenvatting_voor_melder": draw(teksten()),
    }
    if vervolg == "overdracht" or draw(st.booleans()):
        afronding["ketenpartner"] = draw(ketenpartners())
    _optioneel(afronding, draw, "geweld_vastgesteld", st.sampled_from([True, False, None]))
    return afronding


@st.composite
def monitoringen(draw: st.DrawFn) -> dict[str, Any]:
    stabiel = draw(st.booleans())
    return {
        "medewerker": draw(MEDEWERKER),
        "stabiel_veilig": stabiel,
        "herstel_gaande": draw(st.booleans()),
        "nieuwe_melding_nodig": False if stabiel else draw(st.booleans()),
        "toelichting": draw(teksten()),
    }


def vernietigingsbesluiten() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"medewerker": MEDEWERKER, "toegekend": st.booleans(), "reden": teksten()}
    )


def vernietigingsverzoeken() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "melding_id": MELDING_ID,
            "verzoeker_rol": st.sampled_from([r.value for r in Rol]),
            "ontvangen_op": ONTVANGEN,
        }
    )


UPDATE_MODELLEN: dict[str, type[BaseModel]] = {
    m.__name__: m
    for m in (
        Triage,
        Besluit,
        DienstAfronding,
        MonitoringUitkomst,
        VernietigingsBesluit,
        VernietigingsVerzoek,
    )
}
UPDATES: dict[str, Callable[[], st.SearchStrategy[dict[str, Any]]]] = {
    "Triage": triages,
    "Besluit": besluiten,
    "DienstAfronding": afrondingen,
    "MonitoringUitkomst": monitoringen,
    "VernietigingsBesluit": vernietigingsbesluiten,
    "VernietigingsVerzoek": vernietigingsverzoeken,
}

# -- arbitrary JSON -----------------------------------------------------------------------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda binnen: st.lists(binnen, max_size=5) | st.dictionaries(st.text(), binnen, max_size=5),
    max_leaves=30,
)
