"""What an advies of the generated year (tests/integration/adviesjaar.py) must show in the
delivery's A record and in the tables, worked out from the advies itself: the closing's CBS
items (an omgezet advies is recorded with what its adviesvraag says, but counts as its
melding: no A record, not in the advies tables)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.beleidsinformatie import categorie_van_beroepsgroep
from domain.werkdagen import AMSTERDAM
from statistiek.gegevens import Periode
from tests.integration.adviesjaar import AdviesGeval

if TYPE_CHECKING:
    from tests.integration.beleidsjaar import Jaar

AANVULLEND = {"eergerelateerd_geweld", "mensenhandel"}


def verwacht(a: AdviesGeval) -> dict[str, Any]:
    """Our codes for the advies' CBS items."""
    vrager, slot = a.vraag.adviesvrager, a.stand.afsluiting
    n = len(a.stand.gesprekken)
    if slot is not None:
        return {
            "uitkomst": "afgesloten",
            "rol": slot.rol.value,
            "organisatie": categorie_van_beroepsgroep(slot.organisatie).value,
            "aard": {v.value for v in slot.aard},
            "duur": slot.duur.value,
        }
    return {
        "uitkomst": "omgezet",
        "rol": "professional" if vrager.soort.value == "professional" else "onbekend",
        "organisatie": categorie_van_beroepsgroep(vrager.beroepsgroep).value,
        "aard": {v.value for v in a.vraag.vormen},
        "duur": "eenmalig_contact" if n == 1 else "meerdere_gesprekken",
    }


def _dag(moment: datetime | None) -> Any:
    return None if moment is None else moment.astimezone(AMSTERDAM).date()


def controleer_advies_record(v: dict[str, object], a: AdviesGeval, p: Periode) -> None:
    """One A record parsed back, field by field, against its advies."""
    assert a.stand.afsluiting is not None and p.bevat(a.stand.afgesloten_op)
    w = verwacht(a)
    assert v["regio"] == a.vraag.regio
    assert v["datum_advies"] == _dag(a.vraag.ontvangen_op)
    assert v["datum_afsluiting"] == _dag(a.stand.afgesloten_op)
    assert v["adviesvrager_soort"] == a.vraag.adviesvrager.soort.value
    assert v["anoniem"] is a.vraag.adviesvrager.anoniem
    assert v["adviesvrager_rol"] == w["rol"]
    assert v["adviesvrager_organisatie"] == w["organisatie"]
    assert set(v["aard"]) == w["aard"] - AANVULLEND  # type: ignore[call-overload]
    assert set(v["aanvullend"]) == w["aard"] & AANVULLEND  # type: ignore[call-overload]
    assert v["duur_advies"] == w["duur"]
    assert v["aantal_gesprekken"] == len(a.stand.gesprekken)
    assert v["vertrouwensarts"] is a.stand.vertrouwensarts_geraadpleegd


def verwachte_advies_telling(jaar: Jaar, p: Periode) -> Counter[tuple[str, str, str]]:
    """(tabel, regio, categorie) -> count of the adviezen finished in the period."""
    n: Counter[tuple[str, str, str]] = Counter()
    for a in jaar.adviezen:
        if a.stand.afsluiting is None or not p.bevat(a.stand.afgesloten_op):
            continue  # open, or omgezet: counted as its melding
        r, w = a.vraag.regio, verwacht(a)
        for tabel in ("adviezen_rol", "adviezen_organisatie", "adviezen_aard", "adviezen_duur"):
            n[(tabel, r, "totaal")] += 1
        n[("adviezen_rol", r, w["rol"])] += 1
        n[("adviezen_organisatie", r, w["organisatie"])] += 1
        for aard in w["aard"]:
            n[("adviezen_aard", r, aard)] += 1
        n[("adviezen_duur", r, w["duur"])] += 1
    return n
