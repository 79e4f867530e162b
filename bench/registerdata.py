"""The synthetic register of bench/register.py: households with Dutch surname frequencies, the
rows `sla_melding_op` writes for them (the melding's JSON, the betrokkenen's hashes), and the
name keys the name-match count compares. Synthetic data only.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from activities.register import RegisterActiviteiten
from activities.sleutels import hashes, normaliseer_naam
from bench.meldingen import nieuw_bsn
from domain.melding import Melding
from domain.regio import REGIOS

# The register's HMAC key of this run: random, so no key is published (its databases are
# throwaway).
SLEUTEL = secrets.token_bytes(32)
HERHAAL_AANDEEL = 0.285
# Meertens/CBS: the most common Dutch surnames and their bearers; a Zipf tail follows.
ACHTERNAMEN = {
    "de Jong": 86_534,
    "Jansen": 75_454,
    "de Vries": 73_014,
    "van den Berg": 61_027,
    "van Dijk": 59_141,
    "Bakker": 57_702,
    "Janssen": 56_300,
    "Visser": 52_541,
    "Smit": 49_301,
    "Meijer": 44_637,
    "de Boer": 43_419,
    "Mulder": 42_286,
    "de Groot": 41_497,
    "Bos": 40_152,
    "Vos": 35_587,
    "Peters": 34_937,
    "Hendriks": 33_817,
    "van Leeuwen": 32_554,
    "Dekker": 31_864,
    "Brouwer": 30_946,
}
VOORNAMEN = [
    "Sem",
    "Noah",
    "Liam",
    "Luca",
    "Daan",
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Sophie",
    "Zoë",
    "Sara",
    "Lucas",
    "Finn",
    "Levi",
    "Nora",
    "Yara",
    "Saar",
    "Anna",
    "Evi",
]
KOLOMMEN = [
    "melding_id",
    "regio",
    "ontvangen_op",
    "melder_soort",
    "gegevens",
    "vervolg",
    "ketenpartner",
    "afgesloten",
    "vernietigingsrecht",
    "geregistreerd_op",
    "bijgewerkt_op",
]
VERVOLG = ["afsluiten", "advies", "overdracht", "voorwaarden_en_vervolg", "onderzoek"]


@dataclass(frozen=True)
class Persoon:
    voornaam: str
    achternaam: str
    geboren: date
    bsn: str | None


def namen(
    rng: random.Random, staart: int, exponent: float, top: dict[str, int]
) -> Callable[[], str]:
    """A sampler: the named top with its weights, then `staart` synthetic names (Zipf)."""
    laatste = min(top.values())
    gewichten = list(top.values()) + [
        laatste * (len(top) / r) ** exponent for r in range(len(top) + 1, len(top) + staart + 1)
    ]
    lijst = list(top) + [f"Naam{r:06d}" for r in range(staart)]
    cumulatief, som = [], 0.0
    for g in gewichten:
        som += g
        cumulatief.append(som)
    return lambda: rng.choices(lijst, cum_weights=cumulatief)[0]


def huishoudens(n: int, groot: int, rng: random.Random) -> Iterator[tuple[int, list[Persoon]]]:
    """Per melding: its household number and betrokkenen (a child, a parent)."""
    achternaam = namen(rng, 100_000, 0.75, ACHTERNAMEN)
    voornaam = namen(rng, 5_000, 1.0, dict.fromkeys(VOORNAMEN, 3_000))
    vandaag = date.today()
    # Household 0: the one with `groot` meldingen; the child has a BSN, the parent none.
    bekend: list[list[Persoon]] = [
        [
            Persoon("Sam", "de Jong", vandaag - timedelta(days=3000), nieuw_bsn(rng)),
            Persoon("Kim", "de Jong", date(1985, 5, 5), None),
        ]
    ]
    grote = set(rng.sample(range(n), min(groot, n)))
    for i in range(n):
        if i in grote:
            nummer = 0
        elif rng.random() < HERHAAL_AANDEEL:
            nummer = rng.randrange(len(bekend))
        else:
            naam = achternaam()
            kind = Persoon(
                voornaam(),
                naam,
                vandaag - timedelta(days=rng.randrange(18 * 365)),
                nieuw_bsn(rng) if rng.random() < 0.85 else None,
            )
            ouder = Persoon(
                voornaam(),
                naam if rng.random() < 0.7 else achternaam(),
                date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365)),
                nieuw_bsn(rng) if rng.random() < 0.5 else None,
            )
            bekend.append([kind, ouder])
            nummer = len(bekend) - 1
        yield nummer, bekend[nummer]


def rijen(i: int, personen: list[Persoon], op: datetime, rng: random.Random) -> tuple[Any, ...]:
    """(meldingen row, betrokkenen rows) as sla_melding_op and werk_dossier_bij write them."""
    melding = Melding.model_validate(
        {
            "melding_id": f"VT-B-{i:07d}",
            "regio": rng.choice(REGIOS),
            "ontvangen_op": op,
            "melder": {
                "soort": "professional",
                "beroepsgroep": "onderwijs",
                "meldnorm": 1,
                "naam": "Leerkracht (synthetisch)",
                "blijft_betrokken": True,
            },
            "betrokkenen": [
                {
                    "rol": rol,
                    "voornaam": p.voornaam,
                    "achternaam": p.achternaam,
                    "geboortedatum": p.geboren,
                    **({"bsn": p.bsn} if p.bsn else {}),
                }
                for rol, p in zip(("kind", "ouder_verzorger"), personen, strict=True)
            ],
            "zorgen": {"vormen": ["kindermishandeling"], "structureel_vermoeden": True},
        }
    )
    oud = datetime.now(UTC) - op > timedelta(days=90)
    afgesloten = rng.random() < (0.97 if oud else 0.3)
    vervolg = rng.choice(VERVOLG) if afgesloten or oud else None
    # Plaintext bytes like `gegevens` below (migration 009 made the column bytea; the register
    # reads a row without the ciphertext prefix as written before that migration).
    partner = b'{"soort": "wijkteam", "naam": "Wijkteam"}' if vervolg == "overdracht" else None
    m = (
        melding.melding_id,
        melding.regio,
        op,
        "professional",
        # Plaintext bytes (a row from before migration 008): same width as the ciphertext, no
        # million data keys to make; the register never reads this column.
        melding.model_dump_json().encode(),
        vervolg,
        partner,
        afgesloten,
        False,
        op,
        op,
    )
    b = [
        (melding.melding_id, n, x.rol.value, *hashes(SLEUTEL, x), 1)
        for n, x in enumerate(melding.betrokkenen, 1)
    ]
    return m, b


def naamsleutels(p: Persoon) -> tuple[int, int]:
    """The old name key (surname, birth date) and the new one (first name too), as ints."""
    achternaam = normaliseer_naam(p.achternaam)
    return hash((achternaam, p.geboren)), hash(
        (normaliseer_naam(p.voornaam), achternaam, p.geboren)
    )


async def naamtreffers(
    pool: asyncpg.Pool, ids: list[str], waarheid: dict[str, Any]
) -> dict[str, Any]:
    """Name-only matches of the sampled meldingen: how many are another household."""
    register = RegisterActiviteiten(pool, None)
    hh = waarheid["huishouden"]
    mogelijk = ander = 0
    for melding_id in ids:
        eigen = hh[int(melding_id[5:])]
        for e in (await register.zoek_eerdere_meldingen(melding_id)).eerdere:
            if e.mogelijk:
                mogelijk += 1
                ander += hh[int(e.melding_id[5:])] != eigen
    # Ground truth: the share of these meldingen with a person whose name key another
    # household shares (earlier or later), under the old key and the new one.
    gedeeld = {
        k: sum(
            any(waarheid[k][paar[n]] == -1 for paar in waarheid["sleutels"][hh[int(m[5:])]])
            for m in ids
        )
        / len(ids)
        for n, k in enumerate(("oud", "nieuw"))
    }
    return {
        "mogelijke_treffers": mogelijk,
        "waarvan_ander_huishouden": ander,
        "meldingen_met_naamgenoot_ander_huishouden_oud": round(gedeeld["oud"], 4),
        "meldingen_met_naamgenoot_ander_huishouden_nieuw": round(gedeeld["nieuw"], 4),
    }
