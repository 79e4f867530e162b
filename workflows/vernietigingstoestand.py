"""What a VernietigingWorkflow carries over continue-as-new while a granted destruction waits
for the melding's case to close: the decision and its answer, never the dossier."""

from __future__ import annotations

from datetime import datetime

from domain.besluiten import VernietigingsBesluit, VernietigingsResultaat
from domain.model import Model


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
