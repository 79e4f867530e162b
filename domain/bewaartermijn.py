"""The bewaartermijn of a dossier: how long it is kept after the case closed (docs/retention.md).

A policy, not a law book: each organisation confirms its terms with its own legal advisor and
sets them here (`Bewaarbeleid`). The default follows the youth-care rule the dossier falls under
(Jeugdwet art. 7.3.8 for a dossier about a child; Wmo 2015 art. 5.3.5 points Veilig Thuis to
it): 20 years after the care ended, that is after the case closed; longer while a recorded
maatregel (a child-protection measure) needs the dossier, and at least until the household's
youngest child is 18. The longest of these counts, and a dossier linked to a later case (a
vervolgmelding, a hermelding the radar linked) is kept as long as that case's dossier.

Pure: dates in, a date and its ground out. Who may keep a dossier longer (a reviewer of a
destruction list) records that as an extension with its reason, outside this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from domain.melding import Melding
from domain.model import Model
from domain.waarden import Rol

MEERDERJARIG = 18


class Grond(StrEnum):
    """Why the dossier is kept until its date: the rule that gave the latest date."""

    NA_AFSLUITING = "na_afsluiting"  # N years after the case closed
    JONGSTE_KIND_MEERDERJARIG = "jongste_kind_meerderjarig"
    MAATREGEL = "maatregel"  # a recorded child-protection measure needs it
    GEKOPPELDE_CASUS = "gekoppelde_casus"  # a linked, later case is kept that long
    VERLENGD = "verlengd"  # a reviewer of a destruction list kept it longer, with a reason


class Bewaarbeleid(Model, frozen=True):
    """An organisation's policy (defaults: see the module)."""

    jaren_na_afsluiting: Annotated[int, Field(ge=1, le=115)] = 20
    tot_jongste_kind_meerderjarig: bool = True


class Bewaartermijn(Model, frozen=True):
    """Keep until the end of `tot` (a date in Europe/Amsterdam); destroy from the next day."""

    tot: date
    grond: Grond


def plus_jaren(dag: date, jaren: int) -> date:
    """`dag` plus whole years; 29 February becomes 28 February in a year without it (the term
    must not outrun the calendar)."""
    try:
        return dag.replace(year=dag.year + jaren)
    except ValueError:
        return dag.replace(year=dag.year + jaren, day=28)


def bereken(
    afgesloten_op: date,
    geboortedata_kinderen: Iterable[date | None] = (),
    maatregel_tot: date | None = None,
    gekoppelde_termijnen: Iterable[Bewaartermijn] = (),
    beleid: Bewaarbeleid | None = None,
) -> Bewaartermijn:
    """The latest of: the years after closing; the day before the youngest child (of those with
    a known date of birth) turns 18; the end of a recorded maatregel; the terms of linked later
    cases. On a tie the earlier rule in that order is named."""
    beleid = beleid or Bewaarbeleid()
    kandidaten = [(plus_jaren(afgesloten_op, beleid.jaren_na_afsluiting), Grond.NA_AFSLUITING)]
    geboren = [d for d in geboortedata_kinderen if d is not None]
    if beleid.tot_jongste_kind_meerderjarig and geboren:
        kandidaten.append((plus_jaren(max(geboren), MEERDERJARIG), Grond.JONGSTE_KIND_MEERDERJARIG))
    if maatregel_tot is not None:
        kandidaten.append((maatregel_tot, Grond.MAATREGEL))
    kandidaten += [(t.tot, Grond.GEKOPPELDE_CASUS) for t in gekoppelde_termijnen]
    laatste = max(d for d, _ in kandidaten)
    grond = next(g for d, g in kandidaten if d == laatste)
    return Bewaartermijn(tot=laatste, grond=grond)


def kinderen(melding: Melding) -> list[date | None]:
    """The dates of birth of the household's children (the betrokkenen with the role kind)."""
    return [b.geboortedatum for b in melding.betrokkenen if b.rol is Rol.KIND]


def verlopen(termijn: Bewaartermijn, vandaag: date) -> bool:
    """Past its term: the dossier goes onto the next destruction list."""
    return vandaag > termijn.tot
