"""Monitoring that finds renewed unsafety: the new melding Veilig Thuis makes itself.

Radarfunctie and Q&A 26: "bij nieuwe ontwikkelingen die wijzen op zich herhalende onveiligheid zal
altijd de Meldcode opnieuw doorlopen worden, wat kan leiden tot een nieuwe melding". Veilig
Thuis is then the melder: a professional reporting under meldnorm 3 (the unsafety does not stop
or repeats itself, Stappenplan).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from domain.besluiten import MonitoringUitkomst
from domain.melding import Melder, Melding, Zorgen
from domain.waarden import Beroepsgroep, MelderSoort

_MAX_ID = 64


def vervolgmelding_id(melding_id: str, nummer: int) -> str:
    """`<melding_id>-M<n>`; an id that would grow past 64 characters is shortened by a hash."""
    achtervoegsel = f"-M{nummer}"
    if len(melding_id) + len(achtervoegsel) <= _MAX_ID:
        return melding_id + achtervoegsel
    kort = hashlib.sha256(melding_id.encode()).hexdigest()[:12]
    return f"{melding_id[: _MAX_ID - len(achtervoegsel) - 13]}-{kort}{achtervoegsel}"


def vervolgmelding(
    melding: Melding, uitkomst: MonitoringUitkomst, nu: datetime, nummer: int
) -> Melding:
    """The new melding about the same household, made by Veilig Thuis at monitoring check n."""
    return Melding(
        melding_id=vervolgmelding_id(melding.melding_id, nummer),
        regio=melding.regio,
        ontvangen_op=nu,
        melder=Melder(
            soort=MelderSoort.PROFESSIONAL,
            beroepsgroep=Beroepsgroep.OVERIG,
            meldnorm=3,
            naam=f"Veilig Thuis {melding.regio} (monitoring)",
            blijft_betrokken=False,
        ),
        betrokkenen=melding.betrokkenen,
        zorgen=Zorgen(
            vormen=melding.zorgen.vormen,
            duur=melding.zorgen.duur,
            omschrijving=uitkomst.toelichting,
            structureel_vermoeden=True,
        ),
    )
