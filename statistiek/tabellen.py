"""The counts CBS publishes (StatLine tables on Veilig Thuis: melder, aard, beoordeling,
uitkomsten onderzoeken, overdracht, eerdere betrokkenheid) per period and region, and the
figures of the management report and the metrics: all from the same `Casus` rows, by the
functions here, so the report, the tables and the dashboard cannot disagree."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from statistiek.gegevens import TIEN_WEKEN, Advies, Casus, Periode, lokaal, periode
from statistiek.indeling import Definitie

LANDELIJK = "nederland"
TABELLEN = (
    "meldingen_melder",
    "meldingen_aard",
    "beoordeling",
    "uitkomsten_onderzoeken",
    "overdracht",
    "eerdere_betrokkenheid",
    "meldingen_rol",
    "overdracht_hulp",
)
# The adviezen (finished in the period), one dimension per table: their codes overlap.
ADVIES_TABELLEN = ("adviezen_rol", "adviezen_organisatie", "adviezen_aard", "adviezen_duur")
FASEN = ("beoordeling", "dienst", "monitoring", "afronding")


def afgerond(aantal: int) -> int:
    """To the nearest multiple of 5, as CBS publishes (2 -> 0, 3 -> 5, 12 -> 10, 13 -> 15)."""
    return 5 * ((aantal + 2) // 5)


def _telling(casussen: Iterable[Casus], periode: Periode, tabel: str) -> Counter[tuple[str, str]]:
    """(regio, categorie) -> count, for one table and period."""
    n: Counter[tuple[str, str]] = Counter()
    for c in casussen:

        def tel(categorie: str, c: Casus = c) -> None:
            n[(c.regio, categorie)] += 1

        ontvangen = periode.bevat(c.ontvangen_op)
        if tabel == "meldingen_melder" and ontvangen:
            tel("totaal")
            tel(c.melder_soort)
            tel(c.melder_categorie)
        elif tabel == "meldingen_aard" and ontvangen:
            tel("totaal")
            for aard in c.aard:
                tel(aard)
        elif tabel == "eerdere_betrokkenheid" and ontvangen:
            tel("totaal")
            tel(c.eerdere)
        elif tabel == "beoordeling" and periode.bevat(c.beoordeeld_op) and c.vervolg:
            tel("totaal")
            tel(c.vervolg)
            tel("binnen_termijn" if c.binnen_termijn else "buiten_termijn")
        elif tabel == "uitkomsten_onderzoeken" and c.is_dienst:
            if periode.bevat(c.dienst_einde) and c.dienst_uitkomst:
                tel("totaal")
                tel(c.dienst_uitkomst)
            elif c.dienst_voortijdig and periode.bevat(c.afgesloten_op):
                tel("totaal")
                tel("voortijdig_afgesloten")
        elif tabel == "meldingen_rol" and ontvangen:
            tel("totaal")
            tel(c.melder_rol or "onbekend")
        elif tabel == "overdracht_hulp":
            if c.vervolg == "overdracht" and periode.bevat(c.beoordeeld_op):
                tel("totaal")
                tel(c.overdracht_hulp or "niet_vastgelegd")
            if c.dienst_vervolg == "overdracht" and periode.bevat(c.dienst_einde):
                tel("totaal")
                tel(c.dienst_overdracht_hulp or "niet_vastgelegd")
        elif tabel == "overdracht":
            if c.vervolg == "overdracht" and periode.bevat(c.beoordeeld_op):
                tel("totaal")
                tel(c.overdracht_soort or "onbekend")
            if c.dienst_vervolg == "overdracht" and periode.bevat(c.dienst_einde):
                tel("totaal")
                tel(c.dienst_overdracht_soort or "onbekend")
    return n


def _advies_telling(
    adviezen: Iterable[Advies], periode: Periode, tabel: str
) -> Counter[tuple[str, str]]:
    """(regio, categorie) -> count of the adviezen closed in the period, for one table (an
    advies omgezet into a melding counts as that melding)."""
    n: Counter[tuple[str, str]] = Counter()
    for a in adviezen:
        if not a.telt(periode):
            continue
        n[(a.regio, "totaal")] += 1
        if tabel == "adviezen_rol":
            n[(a.regio, a.rol)] += 1
        elif tabel == "adviezen_organisatie":
            n[(a.regio, a.organisatie)] += 1
        elif tabel == "adviezen_aard":
            for aard in a.aard:
                n[(a.regio, aard)] += 1
        elif tabel == "adviezen_duur":
            n[(a.regio, a.duur or "onbekend")] += 1
    return n


@dataclass(frozen=True)
class Cel:
    tabel: str
    periode: str
    regio: str
    categorie: str
    aantal: int  # exact; the published file rounds it (afgerond)


def cellen(
    casussen: Sequence[Casus], perioden: Sequence[Periode], adviezen: Sequence[Advies] = ()
) -> list[Cel]:
    """Every non-zero cell, per region and for the whole country."""
    uit = []
    for p in perioden:
        for tabel in ADVIES_TABELLEN + TABELLEN:
            telling = (
                _advies_telling(adviezen, p, tabel)
                if tabel in ADVIES_TABELLEN
                else _telling(casussen, p, tabel)
            )
            landelijk: Counter[str] = Counter()
            for (regio, categorie), aantal in sorted(telling.items()):
                uit.append(Cel(tabel, p.naam, regio, categorie, aantal))
                landelijk[categorie] += aantal
            for categorie, aantal in sorted(landelijk.items()):
                uit.append(Cel(tabel, p.naam, LANDELIJK, categorie, aantal))
    return uit


def perioden_van_jaar(jaar: str) -> list[Periode]:
    return [
        periode(f"{jaar}-1", "halfjaar"),
        periode(f"{jaar}-2", "halfjaar"),
        periode(jaar, "jaar"),
    ]


def tabellen_csv(cellen_: Sequence[Cel], d: Definitie) -> str:
    """The tables as CSV (`;`, as StatLine downloads): counts rounded to multiples of 5."""
    lijst_van = {
        "meldingen_melder": ("melder_categorie", "melder_soort"),
        "meldingen_aard": ("aard", "aanvullend"),
        "eerdere_betrokkenheid": ("eerdere",),
        "beoordeling": ("beoordeling",),
        "uitkomsten_onderzoeken": ("dienst_uitkomst",),
        "overdracht": ("overdracht",),
        "meldingen_rol": ("rol",),
        "overdracht_hulp": ("hulp",),
        "adviezen_rol": ("rol",),
        "adviezen_organisatie": ("melder_categorie",),
        "adviezen_aard": ("aard", "aanvullend"),
        "adviezen_duur": ("advies_duur",),
    }
    extra = {
        "totaal": "Totaal",
        "binnen_termijn": "Beoordeeld binnen 5 werkdagen",
        "buiten_termijn": "Beoordeeld na 5 werkdagen",
        "voortijdig_afgesloten": "Voortijdig afgesloten",
        "onbekend": "Onbekend",
        "niet_vastgelegd": "Niet vastgelegd",
    }

    def label(tabel: str, categorie: str) -> str:
        for lijst in lijst_van[tabel]:
            if categorie in d.lijsten[lijst].codes:
                return d.lijsten[lijst].label(categorie)
        return extra[categorie]

    uit = io.StringIO()
    w = csv.writer(uit, delimiter=";", lineterminator="\n")
    w.writerow(["tabel", "periode", "regio", "categorie", "omschrijving", "aantal"])
    for c in cellen_:
        w.writerow(
            [
                c.tabel,
                c.periode,
                c.regio,
                c.categorie,
                label(c.tabel, c.categorie),
                afgerond(c.aantal),
            ]
        )
    return uit.getvalue()


# --- the figures of the management report and the metrics ---------------------------------


def fase_op(c: Casus, moment: datetime) -> str | None:
    """The case's phase at `moment` (None: not received yet, or closed)."""
    if c.ontvangen_op > moment or (c.afgesloten_op is not None and c.afgesloten_op <= moment):
        return None
    if c.beoordeeld_op is None or c.beoordeeld_op > moment:
        return "beoordeling"
    if c.is_dienst:
        if c.dienst_einde is None or c.dienst_einde > moment:
            return "dienst"
        return "monitoring"
    return "afronding"


def te_laat_op(c: Casus, moment: datetime) -> str | None:
    """Which term of an open case has passed at `moment`: beoordeling or tweede terugkoppeling."""
    fase = fase_op(c, moment)
    if fase == "beoordeling" and c.beoordeling_deadline < moment:
        return "beoordeling"
    if fase == "dienst" and c.beoordeeld_op is not None and c.beoordeeld_op + TIEN_WEKEN < moment:
        return "tweede_terugkoppeling"
    return None


def per(casussen: Iterable[Casus], sleutel: Callable[[Casus], object]) -> Counter[object]:
    return Counter(k for c in casussen if (k := sleutel(c)) is not None)


def maand(moment: datetime | None) -> str | None:
    return None if moment is None else f"{lokaal(moment):%Y-%m}"


def kwartaal(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    d = lokaal(moment)
    return f"{d.year}-{(d.month - 1) // 3 + 1}"


def op_tijd_aandeel(casussen: Iterable[Casus]) -> tuple[int, int]:
    """(beoordeeld within 5 werkdagen, beoordeeld) among `casussen`."""
    beoordeeld = [c for c in casussen if c.binnen_termijn is not None]
    return sum(bool(c.binnen_termijn) for c in beoordeeld), len(beoordeeld)


def laatste_dagen(casussen: Iterable[Casus], nu: datetime, dagen: int) -> list[Casus]:
    """Cases beoordeeld in the `dagen` days up to `nu`."""
    van = nu - timedelta(days=dagen)
    return [c for c in casussen if c.beoordeeld_op is not None and van < c.beoordeeld_op <= nu]


def maanden_tot(einde: date, aantal: int = 12) -> list[str]:
    """The `aantal` months ending with the month before `einde` (exclusive end)."""
    j, m = einde.year, einde.month
    uit = []
    for _ in range(aantal):
        m -= 1
        if m == 0:
            j, m = j - 1, 12
        uit.append(f"{j}-{m:02d}")
    return uit[::-1]
