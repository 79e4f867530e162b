"""Invalid input for the fuzz tests: a valid message with one thing broken, and the field the
error must name. Each mutation is one rule of the contract."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from domain.bsn import is_geldig_bsn
from domain.grenzen import MELDING_MAX_BYTES
from domain.melding import Betrokkene, Melder, Melding, Zorgen
from domain.regio import REGIOS
from domain.tekst import NAAM_MAX, TEKST_MAX
from tests.unit.fuzz_strategieen import (
    NU,
    STUURTEKEN,
    SURROGAAT,
    WITRUIMTE,
    ZONES,
    bsns,
    namen,
    teksten,
)

Pad = tuple[Any, ...]
Mutatie = Callable[[st.DrawFn, dict[str, Any]], str]

# The zero of other scripts' decimal digits: isdigit() and int() accept every one of them.
_NULLEN = (0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040, 0x1D7CE, 0x1D7EC)
MELDING_NAMEN: list[Pad] = [("melder", "naam"), ("melder", "telefoon"), ("melder", "email")]


def zet(gegevens: Any, pad: Pad, waarde: Any) -> None:
    for stap in pad[:-1]:
        gegevens = gegevens[stap]
    gegevens[pad[-1]] = waarde


def tekstvelden(melding: dict[str, Any]) -> list[tuple[Pad, bool]]:
    """(path, is a one-line value) of every text field the melding may have."""
    velden = [(p, True) for p in MELDING_NAMEN]
    for i in range(len(melding["betrokkenen"])):
        velden += [(("betrokkenen", i, "voornaam"), True), (("betrokkenen", i, "achternaam"), True)]
    return [*velden, (("zorgen", "omschrijving"), False)]


def _onopslaanbaar(draw: st.DrawFn, m: dict[str, Any]) -> str:
    pad, _ = draw(st.sampled_from(tekstvelden(m)))
    teken = draw(st.one_of(st.just("\x00"), SURROGAAT))
    zet(m, pad, draw(namen(20)) + teken + draw(namen(20)))
    return str(pad[-1])


def _stuurteken(draw: st.DrawFn, m: dict[str, Any]) -> str:
    pad, eenregelig = draw(st.sampled_from(tekstvelden(m)))
    teken = draw(STUURTEKEN if eenregelig else STUURTEKEN.filter(lambda t: t not in "\t\n\r"))
    if eenregelig:
        teken = draw(st.one_of(st.just(teken), st.sampled_from("\u2028\u2029")))
    zet(m, pad, "a" + teken + "b")
    return str(pad[-1])


def _leeg(draw: st.DrawFn, m: dict[str, Any]) -> str:
    pad, _ = draw(st.sampled_from(tekstvelden(m)))
    zet(m, pad, draw(st.one_of(st.just(""), WITRUIMTE)))
    return str(pad[-1])


def _te_lang(draw: st.DrawFn, m: dict[str, Any]) -> str:
    pad, eenregelig = draw(st.sampled_from(tekstvelden(m)))
    grens = {"telefoon": 40, "email": 254}.get(pad[-1], NAAM_MAX if eenregelig else TEKST_MAX)
    zet(m, pad, draw(st.sampled_from("xé😀")) * (grens + draw(st.integers(1, 3))))
    return str(pad[-1])


def _bsn(draw: st.DrawFn, m: dict[str, Any]) -> str:
    i = draw(st.integers(0, len(m["betrokkenen"]) - 1))
    nul = draw(st.sampled_from(_NULLEN))
    goed = draw(bsns())
    vreemd = "".join(chr(nul + int(c)) if draw(st.booleans()) else c for c in goed)
    if vreemd == goed:
        vreemd = chr(nul + int(goed[0])) + goed[1:]
    kapot = draw(st.text(max_size=12).filter(lambda s: not is_geldig_bsn(s)))
    m["betrokkenen"][i]["bsn"] = draw(st.sampled_from([vreemd, kapot]))
    return "bsn"


def _ontvangen_op(draw: st.DrawFn, m: dict[str, Any]) -> str:
    vroeg = st.datetimes(datetime(1, 1, 2), datetime(2014, 12, 30), timezones=ZONES)
    laat_van = (NU + timedelta(days=1)).replace(tzinfo=None)
    laat = st.datetimes(laat_van, datetime(9999, 12, 30), timezones=ZONES)
    naief = st.datetimes(datetime(2016, 1, 1), datetime(2020, 1, 1))
    m["ontvangen_op"] = draw(st.one_of(vroeg, laat, naief)).isoformat()
    return "ontvangen_op"


def _geboortedatum(draw: st.DrawFn, m: dict[str, Any]) -> str:
    i = draw(st.integers(0, len(m["betrokkenen"]) - 1))
    vroeg = st.dates(date(1, 1, 1), date(1899, 12, 31))
    laat = st.dates(NU.date() + timedelta(days=2), date(9999, 12, 31))
    m["betrokkenen"][i]["geboortedatum"] = draw(st.one_of(vroeg, laat)).isoformat()
    return "geboortedatum"


def _bsn_in_id(draw: st.DrawFn, m: dict[str, Any]) -> str:
    rand = st.from_regex(r"[A-Za-z_-]{0,20}", fullmatch=True)
    m["melding_id"] = draw(rand) + draw(bsns()) + draw(rand)
    return "melding_id"


def _id_patroon(draw: st.DrawFn, m: dict[str, Any]) -> str:
    patroon = r"[A-Za-z0-9_-]{1,64}"
    m["melding_id"] = draw(st.text(max_size=80).filter(lambda s: not re.fullmatch(patroon, s)))
    return "melding_id"


def _regio(draw: st.DrawFn, m: dict[str, Any]) -> str:
    m["regio"] = draw(st.text(max_size=70).filter(lambda s: s not in REGIOS))
    return "regio"


def _onbekend_veld(draw: st.DrawFn, m: dict[str, Any]) -> str:
    delen: list[tuple[dict[str, Any], type[BaseModel]]] = [
        (m, Melding),
        (m["melder"], Melder),
        (m["zorgen"], Zorgen),
        (m["betrokkenen"][0], Betrokkene),
    ]
    deel, model = draw(st.sampled_from(delen))
    naam = draw(st.text(min_size=1, max_size=20).filter(lambda s: s not in model.model_fields))
    deel[naam] = draw(st.text(max_size=5))
    return naam


def _keuze(draw: st.DrawFn, m: dict[str, Any]) -> str:
    pad: Pad = draw(
        st.sampled_from([("melder", "soort"), ("betrokkenen", 0, "rol"), ("zorgen", "vormen", 0)])
    )
    zet(m, pad, draw(st.text(max_size=20).map(lambda s: s + "?")))
    return "vormen" if pad[1] == "vormen" else str(pad[-1])


def _dubbele_vorm(draw: st.DrawFn, m: dict[str, Any]) -> str:
    m["zorgen"]["vormen"] = [*m["zorgen"]["vormen"], m["zorgen"]["vormen"][0]]
    return "vormen"


def _te_veel_betrokkenen(draw: st.DrawFn, m: dict[str, Any]) -> str:
    m["betrokkenen"] = [m["betrokkenen"][0]] * draw(st.integers(51, 60))
    return "betrokkenen"


def _genest(draw: st.DrawFn, m: dict[str, Any]) -> str:
    pad: Pad = draw(
        st.sampled_from(
            [("regio",), ("melder",), ("zorgen", "omschrijving"), ("betrokkenen", 0, "bsn")]
        )
    )
    waarde: Any = draw(st.one_of(st.none(), st.integers(), teksten(5)))
    for _ in range(draw(st.integers(1, 500))):
        waarde = [waarde] if draw(st.booleans()) else {"a": waarde}
    zet(m, pad, waarde)
    return str(pad[-1])


def _te_groot(draw: st.DrawFn, m: dict[str, Any]) -> str:
    teken = draw(st.sampled_from("xé😀"))
    aantal = MELDING_MAX_BYTES // len(teken.encode()) + draw(st.integers(1, 50_000))
    m["zorgen"]["omschrijving"] = teken * aantal
    return "melding"


MELDING_MUTATIES: list[Mutatie] = [
    _onopslaanbaar,
    _stuurteken,
    _leeg,
    _te_lang,
    _bsn,
    _ontvangen_op,
    _geboortedatum,
    _bsn_in_id,
    _id_patroon,
    _regio,
    _onbekend_veld,
    _keuze,
    _dubbele_vorm,
    _te_veel_betrokkenen,
    _genest,
    _te_groot,
]

# Structural rules: refused also when a worker decodes (plain model_validate).
STRUCTUREEL = frozenset(
    {_onopslaanbaar, _bsn, _id_patroon, _onbekend_veld, _keuze, _te_veel_betrokkenen, _genest}
)
# Intake rules only: a history holding such a value still decodes.
ALLEEN_INTAKE = frozenset({_geboortedatum, _bsn_in_id, _dubbele_vorm})


@st.composite
def ongeldige_meldingen(
    draw: st.DrawFn, geldig: st.SearchStrategy[dict[str, Any]], mutatie: Mutatie
) -> tuple[dict[str, Any], str]:
    """(melding, the field its error must name): one valid melding, one rule broken."""
    melding = copy.deepcopy(draw(geldig))
    return melding, mutatie(draw, melding)


# -- update payloads ----------------------------------------------------------------------------
UPDATE_TEKSTEN: dict[str, list[tuple[Pad, bool]]] = {
    "Triage": [(("onderbouwing",), False)],
    "Besluit": [(("onderbouwing",), False), (("huishouden_informeren_uitstellen",), False)],
    "DienstAfronding": [(("samenvatting_voor_melder",), False)],
    "MonitoringUitkomst": [(("toelichting",), False)],
    "VernietigingsBesluit": [(("reden",), False)],
}


@st.composite
def ongeldige_updates(
    draw: st.DrawFn, model: type[BaseModel], geldig: st.SearchStrategy[dict[str, Any]]
) -> tuple[dict[str, Any], str]:
    """(payload, the field its error must name): a valid payload with one rule broken."""
    soort = model.__name__
    payload = copy.deepcopy(draw(geldig))
    velden = list(UPDATE_TEKSTEN.get(soort, []))
    if "ketenpartner" in payload:
        velden.append((("ketenpartner", "naam"), True))
    keuzes = ["medewerker", "onbekend"] + (["tekst"] if velden else [])
    if soort == "VernietigingsVerzoek":
        keuzes = ["onbekend", "ontvangen_op", "melding_id"]
    keuze = draw(st.sampled_from(keuzes))
    if keuze == "tekst":
        pad, eenregelig = draw(st.sampled_from(velden))
        grens = NAAM_MAX if eenregelig else TEKST_MAX
        slecht = st.one_of(
            st.just("\x00"),
            SURROGAAT,
            WITRUIMTE,
            STUURTEKEN.filter(lambda t: eenregelig or t not in "\t\n\r"),
            st.just("x" * (grens + 1)),
        )
        waarde = draw(slecht)
        zet(payload, pad, waarde if waarde.isspace() or len(waarde) > 1 else f"a{waarde}b")
        return payload, str(pad[-1])
    if keuze == "medewerker":
        payload["medewerker"] = draw(
            st.text(max_size=70).filter(lambda s: not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", s))
        )
        return payload, "medewerker"
    if keuze == "ontvangen_op":
        payload["ontvangen_op"] = draw(
            st.sampled_from(
                ["0001-01-01T00:00:00+14:00", "2014-12-31T12:00Z", "9999-12-31T23:59:59-12:00"]
            )
        )
        return payload, "ontvangen_op"
    if keuze == "melding_id":
        payload["melding_id"] = draw(
            st.text(max_size=80).filter(lambda s: not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", s))
        )
        return payload, "melding_id"
    naam = draw(st.text(min_size=1, max_size=20).filter(lambda s: s not in model.model_fields))
    payload[naam] = draw(teksten(5))
    return payload, naam
