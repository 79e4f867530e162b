"""A year of generated cases for the beleidsinformatie tests (issue 24): every path of the
lifecycle, every melder category, hermeldingen (one and several betrokkenen known),
vervolgmeldingen (during the beoordeling, after it, during monitoring), a name-only match and a
destroyed dossier, as the activities see them: the events of each case in time order, with the
facts the figures must show (`Geval`). Names, BSNs and texts are synthetic and recorded, so a
test can look for each of them in every file."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from domain.besluiten import Besluit, DienstAfronding, MonitoringUitkomst, Triage
from domain.melding import Melding
from domain.termijnen import beoordeling_deadline
from domain.waarden import HulpSoort, MelderCategorie
from domain.werkdagen import AMSTERDAM, STANDAARD_KALENDER
from tests.ids import nieuw_melding_id
from tests.integration.adviesjaar import maak_adviezen
from tests.integration.voorbeelden import nieuw_bsn

EINDE = datetime(2026, 12, 1, tzinfo=AMSTERDAM)  # the simulated "now": later events wait
REGIOS = ("utrecht", "flevoland", "zeeland", "groningen")

# A professional's category and a beroepsgroep that goes with it (required for a professional).
BEROEPSGROEP = {
    MelderCategorie.POLITIE: "politie",
    MelderCategorie.JUSTITIE_OVERIG: "justitie",
    MelderCategorie.HUISARTS: "gezondheidszorg",
    MelderCategorie.ZIEKENHUIS: "gezondheidszorg",
    MelderCategorie.JEUGDGEZONDHEIDSZORG: "gezondheidszorg",
    MelderCategorie.GGZ: "ggz",
    MelderCategorie.GEZONDHEIDSZORG_OVERIG: "gezondheidszorg",
    MelderCategorie.ONDERWIJS: "onderwijs",
    MelderCategorie.LEERPLICHT: "leerplicht",
    MelderCategorie.KINDEROPVANG: "kinderopvang",
    MelderCategorie.JEUGDHULP: "jeugdzorg",
    MelderCategorie.SOCIAAL_WIJKTEAM: "maatschappelijke_ondersteuning",
    MelderCategorie.MAATSCHAPPELIJKE_ONDERSTEUNING_OVERIG: "maatschappelijke_ondersteuning",
    MelderCategorie.VEILIG_THUIS: "veilig_thuis_andere_regio",
    MelderCategorie.PROFESSIONAL_OVERIG: "overig",
}
VORMEN = (
    ["kindermishandeling"],
    ["partnergeweld", "kindermishandeling"],
    ["ex_partnergeweld"],
    ["geweld_tegen_ouders"],
    ["ouderenmishandeling"],
    ["huiselijk_geweld_overig", "eergerelateerd_geweld"],
    ["mensenhandel"],
    ["overig"],
)
DUREN = (None, "week", "maand", "half_jaar", "jaar", "vijf_jaar", "langer")


@dataclass
class Persoon:
    voornaam: str
    achternaam: str
    geboortedatum: str
    bsn: str | None

    def als_betrokkene(self, rol: str, met_bsn: bool = True) -> dict[str, Any]:
        b: dict[str, Any] = {
            "rol": rol,
            "voornaam": self.voornaam,
            "achternaam": self.achternaam,
            "geboortedatum": self.geboortedatum,
        }
        if met_bsn and self.bsn:
            b["bsn"] = self.bsn
        return b


@dataclass
class Geval:
    """One melding and what happens to it; the expected figures follow from these fields."""

    melding: Melding
    verwacht_eerdere: str
    triage: Triage
    triage_op: datetime
    besluit: Besluit
    besluit_op: datetime
    afronding: DienstAfronding | None = None
    afronding_op: datetime | None = None
    monitoring: list[tuple[datetime, MonitoringUitkomst]] = field(default_factory=list)
    beoordeling_te_laat: bool = False
    vernietigd_op: datetime | None = None
    # A dienst closed without its afronding (a cancelled case): voortijdig afgesloten.
    gestopt_op: datetime | None = None

    @property
    def melding_id(self) -> str:
        return self.melding.melding_id

    @property
    def ontvangen_op(self) -> datetime:
        return self.melding.ontvangen_op

    @property
    def deadline(self) -> datetime:
        return beoordeling_deadline(self.ontvangen_op)

    @property
    def beoordeeld(self) -> bool:
        """The besluit was taken before the simulated now."""
        return self.besluit_op <= EINDE

    @property
    def dienst(self) -> bool:
        return self.besluit.vervolg.value in ("voorwaarden_en_vervolg", "onderzoek")

    @property
    def tweede_deadline(self) -> datetime:
        return self.besluit_op + timedelta(weeks=10)

    def afgesloten_op(self) -> datetime | None:
        """When the case closed (before EINDE), as the workflow would close it."""
        if not self.beoordeeld:
            return None
        if not self.dienst:
            return self.besluit_op + timedelta(minutes=1)
        if self.gestopt_op is not None:
            return self.gestopt_op if self.gestopt_op <= EINDE else None
        if self.afronding is None or self.afronding_op is None or self.afronding_op > EINDE:
            return None
        monitoring = self.afronding.veiligheidsvoorwaarden_gesteld or (
            self.besluit.vervolg.value == "onderzoek"
            and self.afronding.geweld_vastgesteld is not False
        )
        if not monitoring:
            return self.afronding_op + timedelta(minutes=1)
        for op, uitkomst in self.monitoring:
            if op <= EINDE and (uitkomst.stabiel_veilig or uitkomst.nieuwe_melding_nodig):
                return op + timedelta(minutes=1)
        return None


class Jaar:
    """The generator: deterministic (seed), names and texts recorded in `namen`, `bsns`,
    `teksten`."""

    def __init__(self, seed: int = 24) -> None:
        self.r = random.Random(seed)
        self.namen: set[str] = set()
        self.bsns: set[str] = set()
        self.teksten: set[str] = set()
        self.gevallen: list[Geval] = []
        # The finished adviezen (tests/integration/adviesjaar.py).
        self.adviezen: list[Any] = []
        self._categorieen = [*MelderCategorie, None, None]
        self._nummer = 0
        # The type of help of each next overdracht: every kind, and one not given.
        self._hulp = [*(h.value for h in HulpSoort), None]
        self._overdrachten = 0

    def ketenpartner(self, soort: str) -> dict[str, Any]:
        naam = f"Organisatie{self.r.randrange(10**6):06d}"
        self.namen.add(naam)
        hulp = self._hulp[self._overdrachten % len(self._hulp)]
        self._overdrachten += 1
        return {"soort": soort, "naam": naam} | ({"hulp": hulp} if hulp else {})

    def _tekst(self, wat: str) -> str:
        t = f"{wat} vrije-tekst-{self.r.randrange(10**8):08d}"
        self.teksten.add(t)
        return t

    def persoon(self, geboren: str) -> Persoon:
        achternaam = f"Achternaam{self.r.randrange(10**6):06d}"
        voornaam = f"Voornaam{self.r.randrange(10**6):06d}"
        bsn = nieuw_bsn()
        self.namen |= {achternaam, voornaam}
        self.bsns.add(bsn)
        return Persoon(voornaam, achternaam, geboren, bsn)

    def _melder(self) -> dict[str, Any]:
        categorie = self._categorieen[self._nummer % len(self._categorieen)]
        self._nummer += 1
        naam = f"Melder{self.r.randrange(10**6):06d}"
        self.namen.add(naam)
        if categorie is None:  # without a category: derived (professional, then burger)
            if self._nummer % 2:
                return {
                    "soort": "professional",
                    "beroepsgroep": "onderwijs",
                    "meldnorm": 2,
                    "naam": naam,
                }
            return {"soort": "burger", "naam": naam}
        if categorie in BEROEPSGROEP:
            return {
                "soort": "professional",
                "beroepsgroep": BEROEPSGROEP[categorie],
                "meldnorm": 1,
                "naam": naam,
                "categorie": categorie.value,
            }
        burger = {"soort": "burger", "naam": naam, "categorie": categorie.value}
        if categorie is MelderCategorie.BETROKKENE_ZELF and self._nummer % 3:
            burger["rol"] = "slachtoffer" if self._nummer % 3 == 1 else "pleger"
        return burger

    def geval(
        self,
        ontvangen: datetime,
        betrokkenen: list[dict[str, Any]],
        vervolg: str,
        verwacht: str,
        *,
        regio: str | None = None,
        werkdagen: int = 3,
        ketenpartner: str | None = None,
        geweld: bool | None = None,
        afronding_na: timedelta | None = timedelta(weeks=6),
        afronding: dict[str, Any] | None = None,
        monitoring: list[str] | None = None,
        gestopt_na: timedelta | None = None,
    ) -> Geval:
        vormen = VORMEN[self._nummer % len(VORMEN)]
        duur = DUREN[self._nummer % len(DUREN)]
        zorgen: dict[str, Any] = {"vormen": vormen, "omschrijving": self._tekst("zorg")}
        if duur:
            zorgen["duur"] = duur
        melding = Melding.model_validate(
            {
                "melding_id": nieuw_melding_id("VT-CBS"),
                "regio": regio or self.r.choice(REGIOS),
                "ontvangen_op": ontvangen,
                "melder": self._melder(),
                "betrokkenen": betrokkenen,
                "zorgen": zorgen,
            }
        )
        urgentie = self.r.choice(["spoed", "hoog", "normaal"])
        triage = Triage(
            medewerker="mw-0001",
            acute_onveiligheid=self.r.random() < 0.3,
            directe_interventie_nodig=False,
            structurele_onveiligheid=self.r.random() < 0.5,
            schadelijke_leefsituatie=False,
            informatie_toereikend=True,
            nader_onderzoek_nodig=vervolg == "onderzoek",
            urgentie=urgentie,
            onderbouwing=self._tekst("triage"),
        )
        partner = self.ketenpartner(ketenpartner) if ketenpartner else None
        besluit = Besluit(
            medewerker="mw-0002",
            vervolg=vervolg,
            ketenpartner=partner if vervolg == "overdracht" else None,
            contact_huishouden="veilig_thuis",
            geweld_vastgesteld=geweld,
            onderbouwing=self._tekst("besluit"),
        )
        dag = STANDAARD_KALENDER.plus_werkdagen(ontvangen.astimezone(AMSTERDAM).date(), werkdagen)
        besluit_op = datetime.combine(dag, time(15, 0), tzinfo=AMSTERDAM)
        g = Geval(
            melding=melding,
            verwacht_eerdere=verwacht,
            triage=triage,
            triage_op=ontvangen + timedelta(hours=2),
            besluit=besluit,
            besluit_op=besluit_op,
            beoordeling_te_laat=besluit_op > beoordeling_deadline(ontvangen),
        )
        if g.dienst and afronding_na is not None:
            over = dict(afronding or {})
            dienst_partner = over.pop("ketenpartner", None)
            if dienst_partner:
                over["ketenpartner"] = self.ketenpartner(dienst_partner)
            g.afronding = DienstAfronding.model_validate(
                {
                    "medewerker": "mw-0003",
                    "veiligheidsvoorwaarden_gesteld": vervolg == "voorwaarden_en_vervolg",
                    "vervolg": "afsluiten",
                    "samenvatting_voor_melder": self._tekst("samenvatting"),
                    **over,
                }
            )
            g.afronding_op = besluit_op + afronding_na
            for i, uitkomst in enumerate(monitoring or ["stabiel"]):
                g.monitoring.append(
                    (
                        g.afronding_op + timedelta(days=91 * (i + 1)),
                        MonitoringUitkomst(
                            medewerker="mw-0004",
                            stabiel_veilig=uitkomst == "stabiel",
                            herstel_gaande=uitkomst == "niet",
                            nieuwe_melding_nodig=uitkomst == "nieuw",
                            toelichting=self._tekst("monitoring"),
                        ),
                    )
                )
        if g.dienst and gestopt_na is not None:
            g.afronding, g.afronding_op = None, None
            g.gestopt_op = besluit_op + gestopt_na
        self.gevallen.append(g)
        return g


def werkdag(d: date, uur: int = 10) -> datetime:
    """`d`, or the next werkdag, at `uur` (Amsterdam)."""
    while not STANDAARD_KALENDER.is_werkdag(d):
        d += timedelta(days=1)
    return datetime.combine(d, time(uur, 0), tzinfo=AMSTERDAM)


def maak_jaar(seed: int = 24) -> Jaar:
    j = Jaar(seed)
    r = j.r
    huishoudens = 0

    def huishouden() -> tuple[Persoon, Persoon, Persoon]:
        nonlocal huishoudens
        huishoudens += 1
        return j.persoon("2016-04-02"), j.persoon("1985-09-12"), j.persoon("1984-01-30")

    paden: list[dict[str, Any]] = [
        {"vervolg": "afsluiten"},
        {"vervolg": "advies"},
        {"vervolg": "overdracht", "ketenpartner": "wijkteam"},
        {"vervolg": "overdracht", "ketenpartner": "lokaal_veld"},
        {"vervolg": "overdracht", "ketenpartner": "betrokken_hulpverlening"},
        {"vervolg": "overdracht", "ketenpartner": "overig"},
        {"vervolg": "voorwaarden_en_vervolg"},
        {
            "vervolg": "voorwaarden_en_vervolg",
            "afronding": {"vervolg": "overdracht", "ketenpartner": "wijkteam"},
        },
        {"vervolg": "onderzoek", "afronding": {"geweld_vastgesteld": True}},
        {"vervolg": "onderzoek", "afronding": {"geweld_vastgesteld": None}},
        {"vervolg": "onderzoek", "afronding": {"geweld_vastgesteld": False}},
        {"vervolg": "onderzoek", "afronding_na": timedelta(weeks=12)},  # tweede te laat
        {"vervolg": "voorwaarden_en_vervolg", "monitoring": ["niet", "stabiel"]},
        {"vervolg": "advies", "werkdagen": 7},  # beoordeling te laat
        {"vervolg": "onderzoek", "werkdagen": 6, "afronding": {"geweld_vastgesteld": True}},
    ]
    # Single meldingen, every path in every half year.
    for i in range(44):
        kind, ouder, _ = huishouden()
        dag = date(2026, 1, 5) + timedelta(days=int(i * 7.6))
        pad = dict(paden[i % len(paden)])
        j.geval(
            werkdag(dag),
            [kind.als_betrokkene("kind"), ouder.als_betrokkene("ouder_verzorger")],
            verwacht="eerste",
            **pad,
        )
    # Hermeldingen: the first case closed, then a new melding with one or two known persons.
    for i in range(6):
        kind, ouder, _ = huishouden()
        dag = date(2026, 1, 12) + timedelta(days=50 * i)
        j.geval(
            werkdag(dag),
            [kind.als_betrokkene("kind"), ouder.als_betrokkene("ouder_verzorger")],
            "afsluiten",
            "eerste",
        )
        bekend = [kind.als_betrokkene("kind")]
        if i % 2:
            bekend.append(ouder.als_betrokkene("ouder_verzorger"))
        nieuw = j.persoon("2019-07-07")
        j.geval(
            werkdag(dag + timedelta(days=30)),
            [*bekend, nieuw.als_betrokkene("kind")],
            r.choice(["advies", "afsluiten"]),
            "hermelding_meerdere" if i % 2 else "hermelding_een",
        )
    # Vervolgmeldingen during the beoordeling, after it (in the dienst) and during monitoring.
    for i in range(4):
        kind, ouder, _ = huishouden()
        dag = werkdag(date(2026, 2, 2) + timedelta(days=70 * i))
        leden = [kind.als_betrokkene("kind"), ouder.als_betrokkene("ouder_verzorger")]
        j.geval(
            dag, leden, "onderzoek", "eerste", werkdagen=4, afronding={"geweld_vastgesteld": True}
        )
        j.geval(dag + timedelta(days=1), leden, "afsluiten", "vervolg_tijdens_beoordeling")
    for i in range(4):
        kind, ouder, _ = huishouden()
        dag = werkdag(date(2026, 1, 19) + timedelta(days=60 * i))
        leden = [kind.als_betrokkene("kind")]
        eerste = j.geval(dag, leden, "onderzoek", "eerste", afronding_na=timedelta(weeks=8))
        j.geval(
            werkdag((eerste.besluit_op + timedelta(weeks=3)).date()),
            leden,
            "advies",
            "vervolg_na_beoordeling",
        )
    for i in range(4):
        kind, ouder, _ = huishouden()
        dag = werkdag(date(2026, 1, 26) + timedelta(days=45 * i))
        leden = [kind.als_betrokkene("kind"), ouder.als_betrokkene("ouder_verzorger")]
        eerste = j.geval(
            dag,
            leden,
            "voorwaarden_en_vervolg",
            "eerste",
            afronding_na=timedelta(weeks=4),
            monitoring=["niet", "stabiel"],
        )
        assert eerste.afronding_op is not None
        j.geval(
            werkdag((eerste.afronding_op + timedelta(weeks=6)).date()),
            leden,
            "overdracht",
            "vervolg_tijdens_monitoring",
            ketenpartner="wijkteam",
        )
    # A name-only match (no BSN given): not classified.
    kind, ouder, _ = huishouden()
    j.geval(werkdag(date(2026, 3, 2)), [kind.als_betrokkene("kind")], "advies", "eerste")
    j.geval(
        werkdag(date(2026, 8, 3)),
        [kind.als_betrokkene("kind", met_bsn=False)],
        "advies",
        "niet_ingedeeld",
    )
    # Over their term at the year's simulated end: a beoordeling and a dienst.
    kind, ouder, _ = huishouden()
    j.geval(
        werkdag(date(2026, 11, 20)), [kind.als_betrokkene("kind")], "advies", "eerste", werkdagen=8
    )
    kind, ouder, _ = huishouden()
    j.geval(
        werkdag(date(2026, 9, 1)),
        [kind.als_betrokkene("kind")],
        "onderzoek",
        "eerste",
        afronding_na=timedelta(weeks=14),
    )
    # A dienst stopped without its afronding (voortijdig afgesloten), and a monitoring check
    # that asks for a new melding (the case closes).
    kind, ouder, _ = huishouden()
    j.geval(
        werkdag(date(2026, 4, 6)),
        [kind.als_betrokkene("kind")],
        "voorwaarden_en_vervolg",
        "eerste",
        gestopt_na=timedelta(weeks=3),
    )
    kind, ouder, _ = huishouden()
    j.geval(
        werkdag(date(2026, 2, 9)),
        [kind.als_betrokkene("kind")],
        "onderzoek",
        "eerste",
        afronding={"geweld_vastgesteld": True},
        monitoring=["nieuw"],
    )
    # A destroyed dossier: no violence found, the request granted two weeks later.
    kind, ouder, _ = huishouden()
    weg = j.geval(
        werkdag(date(2026, 9, 7)),
        [kind.als_betrokkene("kind")],
        "afsluiten",
        "eerste",
        geweld=False,
    )
    weg.vernietigd_op = weg.besluit_op + timedelta(weeks=2)
    maak_adviezen(j)
    return j
