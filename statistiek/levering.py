"""The half-yearly delivery to CBS (issue 24): the ASCII file of statistiek/definitie/, one
record per advies (finished in the half year), per melding (received in it) and per dienst
(started in it), its parsing
back, and the local controle: a spiegelrapport (fill rate per field) and the logical checks
CBS's kwaliteitsrapport makes, before anything is delivered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from statistiek.gegevens import Advies, Casus, Periode, lokaal
from statistiek.indeling import Definitie, Recordsoort, Veld


class LeveringFout(ValueError):
    """A value does not fit its field (the definition or the data must change)."""


def _veld(v: Veld, casus: Casus | Advies, d: Definitie) -> str:
    if v.vorm == "vast":
        assert v.waarde is not None
        return v.waarde
    assert v.bron is not None
    waarde = casus.waarde(v.bron)
    if waarde is None:
        return " " * v.lengte
    if v.vorm == "vlaggen":
        assert v.codelijst is not None and isinstance(waarde, tuple)
        return "".join("1" if c in waarde else "0" for c in d.lijsten[v.codelijst].codes)
    if v.vorm == "code":
        assert v.codelijst is not None
        sleutel = str(waarde).lower() if isinstance(waarde, bool) else str(waarde)
        tekst = d.lijsten[v.codelijst].code(sleutel)
    elif v.vorm == "datum":
        assert isinstance(waarde, datetime)
        tekst = f"{lokaal(waarde):%Y%m%d}"
    elif v.vorm == "getal":
        tekst = f"{int(str(waarde)):0{v.lengte}d}"
    else:
        tekst = str(waarde).ljust(v.lengte)
    if len(tekst) != v.lengte or not tekst.isascii():
        raise LeveringFout(f"{v.naam}: {tekst!r} past niet in {v.lengte} posities")
    return tekst


def record(soort: Recordsoort, casus: Casus | Advies, d: Definitie) -> str:
    return "".join(_veld(v, casus, d) for v in soort.velden)


def records(
    casussen: Iterable[Casus], periode: Periode, d: Definitie, adviezen: Iterable[Advies] = ()
) -> list[str]:
    """The delivery's records: adviezen closed in the period (an advies is recorded when it
    closes; one omgezet into a melding counts as that melding), meldingen received in it, then
    diensten started in it."""
    casussen = list(casussen)
    advies = [record(d.records["A"], a, d) for a in adviezen if a.telt(periode)]
    meldingen = [record(d.records["M"], c, d) for c in casussen if periode.bevat(c.ontvangen_op)]
    diensten = [
        record(d.records["D"], c, d)
        for c in casussen
        if c.is_dienst and periode.bevat(c.beoordeeld_op)
    ]
    return advies + meldingen + diensten


def schrijf(regels: Sequence[str], d: Definitie) -> bytes:
    return "".join(r + d.regeleinde for r in regels).encode("ascii")


def lees_record(regel: str, d: Definitie) -> tuple[str, dict[str, object]]:
    """A record parsed back: its kind and per field our value (None: empty)."""
    soort = d.records[regel[0]]
    if len(regel) != soort.lengte:
        raise LeveringFout(f"record {soort.naam}: {len(regel)} tekens, verwacht {soort.lengte}")
    uit: dict[str, object] = {}
    for v in soort.velden:
        tekst = regel[v.positie - 1 : v.einde]
        if v.vorm == "vast" or (v.vorm != "vlaggen" and not tekst.strip()):
            uit[v.naam] = tekst if v.vorm == "vast" else None
        elif v.vorm == "vlaggen":
            assert v.codelijst is not None
            codes = list(d.lijsten[v.codelijst].codes)
            uit[v.naam] = tuple(c for c, f in zip(codes, tekst, strict=True) if f == "1")
        elif v.vorm == "code":
            assert v.codelijst is not None
            w = d.lijsten[v.codelijst].waarde(tekst)
            uit[v.naam] = {"true": True, "false": False}.get(w, w)
        elif v.vorm == "datum":
            uit[v.naam] = datetime.strptime(tekst, "%Y%m%d").date()
        elif v.vorm == "getal":
            uit[v.naam] = int(tekst)
        else:
            uit[v.naam] = tekst.rstrip()
    return soort.soort, uit


@dataclass(frozen=True)
class Controle:
    """The spiegelrapport (per record kind and field: filled records) and the findings of the
    logical checks (`regel`: which check, `sleutel`: the pseudonymous key)."""

    aantallen: dict[str, int]
    gevuld: dict[tuple[str, str], int]
    bevindingen: list[tuple[str, str]]


def controleer(
    regels: Sequence[str],
    casussen: Sequence[Casus],
    d: Definitie,
    adviezen: Sequence[Advies] = (),
) -> Controle:
    aantallen: Counter[str] = Counter()
    gevuld: Counter[tuple[str, str]] = Counter()
    for regel in regels:
        soort, velden = lees_record(regel, d)
        aantallen[soort] += 1
        for naam, waarde in velden.items():
            gevuld[(soort, naam)] += waarde not in (None, ())
    bevindingen = logische_controles(casussen) + advies_controles(adviezen)
    return Controle(dict(aantallen), dict(gevuld), bevindingen)


def logische_controles(casussen: Sequence[Casus]) -> list[tuple[str, str]]:
    """The combinations that cannot be (CBS's kwaliteitsrapport checks these kinds)."""
    bevindingen: list[tuple[str, str]] = []
    eerste_per_casus: dict[str, datetime] = {}
    for c in sorted(casussen, key=lambda c: c.ontvangen_op):
        if not c.is_dienst and (c.dienst_uitkomst or c.dienst_einde):
            bevindingen.append(("dienstuitkomst zonder dienst", c.sleutel))
        if c.eerdere.startswith("vervolg_") and c.casus not in eerste_per_casus:
            bevindingen.append(("vervolgmelding zonder eerdere casus", c.sleutel))
        if c.vervolg == "overdracht" and c.overdracht_soort is None:
            bevindingen.append(("overdracht zonder organisatie", c.sleutel))
        if c.beoordeeld_op is not None and lokaal(c.beoordeeld_op) < lokaal(c.ontvangen_op):
            bevindingen.append(("beoordeling voor de melding", c.sleutel))
        if (
            c.dienst_einde is not None
            and c.beoordeeld_op is not None
            and (lokaal(c.dienst_einde) < lokaal(c.beoordeeld_op))
        ):
            bevindingen.append(("dienst eindigt voor de start", c.sleutel))
        if c.is_dienst and c.afgesloten_op and not c.dienst_uitkomst and not c.dienst_voortijdig:
            bevindingen.append(("afgesloten dienst zonder uitkomst", c.sleutel))
        if c.vervolg is None and c.afgesloten_op is not None and not c.vernietigd:
            bevindingen.append(("afgesloten zonder beoordeling", c.sleutel))
        eerste_per_casus.setdefault(c.casus, c.ontvangen_op)
    return bevindingen


def advies_controles(adviezen: Sequence[Advies]) -> list[tuple[str, str]]:
    """The combinations of an advies that cannot be."""
    bevindingen: list[tuple[str, str]] = []
    for a in adviezen:
        if lokaal(a.afgesloten_op) < lokaal(a.ontvangen_op):
            bevindingen.append(("advies afgesloten voor de adviesvraag", a.sleutel))
        if (a.rol == "professional") != (a.adviesvrager_soort == "professional"):
            bevindingen.append(("adviesvrager: rol past niet bij soort", a.sleutel))
        if a.uitkomst == "afgesloten" and (a.duur is None or not a.aard or not a.gesprekken):
            bevindingen.append(("afgesloten advies zonder duur, aard of gesprek", a.sleutel))
        if a.duur == "eenmalig_contact" and a.gesprekken != 1:
            bevindingen.append(("eenmalig contact met meer gesprekken", a.sleutel))
    return bevindingen


def controle_tekst(controle: Controle, d: Definitie) -> str:
    """The controle as text for a person (Dutch)."""
    regels = [
        f"Controle levering (recordindeling {d.versie}, codelijsten {d.codelijsten_versie})",
        "",
        "Spiegelrapport: vulling per veld",
    ]
    for soort in d.records.values():
        n = controle.aantallen.get(soort.soort, 0)
        regels.append(f"  {soort.naam} ({soort.soort}): {n} records")
        if not n:
            continue
        for v in soort.velden:
            g = controle.gevuld.get((soort.soort, v.naam), 0)
            regels.append(f"    {v.naam:<40} {100 * g / n:5.1f} %  ({g}/{n})")
    regels += ["", f"Logische controles: {len(controle.bevindingen)} bevindingen"]
    per_regel = Counter(r for r, _ in controle.bevindingen)
    for regel, aantal in sorted(per_regel.items()):
        sleutels = [s for r, s in controle.bevindingen if r == regel]
        regels.append(f"  {regel}: {aantal} ({', '.join(sleutels[:5])})")
    return "\n".join(regels) + "\n"
