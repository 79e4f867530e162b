"""What a VernietigingWorkflow carries over continue-as-new while a granted destruction waits
for the melding's case to close: the decision and its answer, never the dossier."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.besluiten import VernietigingsBesluit, VernietigingsResultaat, VernietigingsVerzoek
from domain.model import Model
from domain.uitwisseling import Vernietigingsverslag


class VernietigingVoortzetting(Model, extra="ignore"):
    # Read back from a continued run's input: a field a later release drops is ignored.
    reden: str
    regio: str = ""
    uitkomst: VernietigingsResultaat | None = None
    besluit: VernietigingsBesluit | None = None
    indiener: str | None = None
    beslisser: str | None = None
    besloten_op: datetime | None = None
    recht: bool = False


class Verzoekstaat(Protocol):
    """What a VernietigingWorkflow carries over, and what its destruction's record names."""

    verzoek: VernietigingsVerzoek
    uitkomst: VernietigingsResultaat | None
    besluit: VernietigingsBesluit | None
    indiener: str | None
    beslisser: str | None
    besloten_op: datetime | None
    recht: bool
    beoordeeld: bool


def voortzetting(w: Verzoekstaat, reden: str, regio: str) -> VernietigingVoortzetting:
    return VernietigingVoortzetting(
        reden=reden,
        regio=regio,
        uitkomst=w.uitkomst,
        besluit=w.besluit,
        indiener=w.indiener,
        beslisser=w.beslisser,
        besloten_op=w.besloten_op,
        recht=w.recht,
    )


def neem_over(w: Verzoekstaat, v: VernietigingVoortzetting) -> None:
    """A continued run: decided, answered, waiting for the case to close."""
    w.uitkomst, w.besluit = v.uitkomst, v.besluit
    w.indiener, w.beslisser, w.besloten_op = v.indiener, v.beslisser, v.besloten_op
    w.recht, w.beoordeeld = v.recht, True


def vernietig_args(w: Verzoekstaat) -> list[object]:
    """The melding, and since v5 the record of who filed and who decided."""
    if w.indiener is None:
        return [w.verzoek.melding_id]
    verslag = Vernietigingsverslag(
        aangevraagd_door=w.indiener,
        aangevraagd_op=w.verzoek.ontvangen_op,
        besloten_door=w.beslisser,
        besloten_op=w.besloten_op,
    )
    return [w.verzoek.melding_id, verslag]
