"""Synthetic meldingen for the integration tests: one household, seen from several regions."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.melding import Melding
from tests.ids import nieuw_melding_id
from tests.workflows.scenario import besluit, triage

__all__ = ["BSN_KIND", "besluit", "melding", "nieuw_bsn", "triage"]

BSN_KIND = "111222333"


def nieuw_bsn() -> str:
    """A random BSN that passes the elfproef: households of different tests never match."""
    while True:
        cijfers = [random.randint(0, 9) for _ in range(8)]
        som = sum(c * w for c, w in zip(cijfers, range(9, 1, -1), strict=True))
        laatste = som % 11
        if laatste < 10 and cijfers[0] != 0:
            return "".join(map(str, cijfers)) + str(laatste)


def melding(
    regio: str = "utrecht",
    *,
    bsn: str | None = "",
    achternaam: str = "",
    geboren: str = "2019-03-01",
    dagen_geleden: float = 0,
) -> Melding:
    achternaam = achternaam or f"Jansen-{uuid.uuid4().hex[:6]}"
    kind: dict[str, Any] = {
        "rol": "kind",
        "voornaam": "Sam",
        "achternaam": achternaam,
        "geboortedatum": geboren,
    }
    if bsn is not None:
        kind["bsn"] = bsn or nieuw_bsn()
    return Melding.ontvang(
        {
            "melding_id": nieuw_melding_id("VT-IT"),
            "regio": regio,
            "ontvangen_op": datetime.now(UTC) - timedelta(days=dagen_geleden, minutes=1),
            "melder": {
                "soort": "professional",
                "beroepsgroep": "onderwijs",
                "meldnorm": 1,
                "naam": "Leerkracht",
                "blijft_betrokken": True,
            },
            "betrokkenen": [
                kind,
                {"rol": "ouder_verzorger", "voornaam": "Kim", "achternaam": achternaam},
            ],
            "zorgen": {"vormen": ["kindermishandeling"], "structureel_vermoeden": True},
        }
    )
