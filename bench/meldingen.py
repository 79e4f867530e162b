"""The synthetic meldingen of a benchmark run and the households they concern.

Every melding comes from a professional melder who stays involved and concerns one child with a
BSN passing the elfproef. A share (docs/architecture.md) concerns the household of an earlier
melding in the same run, which is then still open. Also the one triage and besluit every melding
gets in the beoordeling phase. Synthetic data only: no name or BSN belongs to anyone.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain import voorbeelden
from domain.melding import Melding
from domain.regio import REGIOS

HERHAAL_AANDEEL = 0.285  # share with an open case (docs/architecture.md, Sources)


def nieuw_bsn(rng: random.Random) -> str:
    """A random 9-digit number passing the elfproef (weights 9..2, -1)."""
    while True:
        cijfers = [rng.randint(0, 9) for _ in range(8)]
        laatste = sum(c * w for c, w in zip(cijfers, range(9, 1, -1), strict=True)) % 11
        if laatste < 10 and cijfers[0] != 0:
            return "".join(map(str, cijfers)) + str(laatste)


@dataclass(frozen=True)
class Plan:
    nummer: int
    melding_id: str
    regio: str
    bsn: str
    achternaam: str
    geboren: date
    basis: int | None  # the earlier melding about the same household (still open), if any


def run_label(cijfers: int = 6) -> str:
    """A fresh label for a run's melding IDs: digits only, so every ID passes the contract's
    melding_id rule (no run of more than 4 letters in a part, domain/kenmerken.py) whatever
    letter a caller appends; a hex label such as `abcdef` would not."""
    return f"{uuid.uuid4().int % 10**cijfers:0{cijfers}d}"


def maak_plannen(n: int, aandeel: float, rng: random.Random, run: str, c: int) -> list[Plan]:
    """N meldingen; round(N × aandeel) of them about the household of an earlier one, chosen
    preferably at least 2C places back so that one is usually registered by then."""
    herhaal = set(rng.sample(range(1, n), min(round(n * aandeel), n - 1))) if n > 1 else set()
    plannen: list[Plan] = []
    eersten: list[int] = []
    gezien: set[str] = set()
    for i in range(n):
        melding_id = f"VT-BNCH-{run}-{i:05d}"
        if i in herhaal:
            ruim = [j for j in eersten if j <= i - 2 * c] or eersten
            b = plannen[rng.choice(ruim)]
            regio = rng.choice(REGIOS)
            plannen.append(Plan(i, melding_id, regio, b.bsn, b.achternaam, b.geboren, b.nummer))
            continue
        bsn = nieuw_bsn(rng)
        while bsn in gezien:
            bsn = nieuw_bsn(rng)
        gezien.add(bsn)
        geboren = date(2008, 1, 1) + timedelta(days=rng.randrange(15 * 365))
        achternaam = f"Bench-{run}-{i:05d}"
        plannen.append(Plan(i, melding_id, rng.choice(REGIOS), bsn, achternaam, geboren, None))
        eersten.append(i)
    return plannen


def maak_melding(plan: Plan, nu: datetime) -> Melding:
    return Melding.ontvang(
        {
            "melding_id": plan.melding_id,
            "regio": plan.regio,
            "ontvangen_op": nu,
            "melder": {
                "soort": "professional",
                "beroepsgroep": "onderwijs",
                "meldnorm": 1,
                "naam": "Leerkracht (synthetisch)",
                "blijft_betrokken": True,
            },
            "betrokkenen": [
                {
                    "rol": "kind",
                    "voornaam": "Sam",
                    "achternaam": plan.achternaam,
                    "geboortedatum": plan.geboren.isoformat(),
                    "bsn": plan.bsn,
                },
                {"rol": "ouder_verzorger", "voornaam": "Kim", "achternaam": plan.achternaam},
            ],
            "zorgen": {"vormen": ["kindermishandeling"], "structureel_vermoeden": True},
        },
        nu=nu,
    )


# The decisions every benchmarked melding gets (the example melder is a professional who stays
# involved, so the advies carries advies_aan_melder).
TRIAGE = voorbeelden.triage(medewerker="mw-9001")
BESLUIT = voorbeelden.besluit("advies", medewerker="mw-9001", advies_aan_melder="voortzetten")
