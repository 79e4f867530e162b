"""Which decision ends which term (issue 27): a reminder or escalation stays open until the
human decision that ends its term is recorded, or until the case closes. The audit activity and
the dossier update close the rows (activities/signalering.py builds the SQL)."""

from __future__ import annotations

from domain import namen as n
from domain.uitwisseling import Termijnsoort

# The decision (update name, as the audit records it) that ends a term.
AFGEROND_DOOR: dict[str, Termijnsoort] = {
    n.UPDATE_BESLUIT: Termijnsoort.BEOORDELING,
    n.UPDATE_DIENST_AFRONDEN: Termijnsoort.TWEEDE_TERUGKOPPELING,
    n.UPDATE_MONITORING: Termijnsoort.MONITORING,
    n.UPDATE_HUISHOUDEN_INFORMEREN: Termijnsoort.HUISHOUDEN_INFORMEREN,
}
# The terms of the melding itself: closing the case ends them (a request to destroy the
# dossier is a case of its own, and so is a message that could not be delivered; information
# that came after a spoed besluit asks the team to look again, also when the case closed
# meanwhile, so it stays until handled; an overdracht waits for the ketenpartner).
TERMIJNEN_VAN_DE_MELDING = frozenset(Termijnsoort) - {
    Termijnsoort.VERNIETIGING,
    Termijnsoort.BEZORGING,
    Termijnsoort.NAGEKOMEN_INFORMATIE,
    Termijnsoort.OVERDRACHT,
}


def afgerond_door(handeling: str) -> Termijnsoort | None:
    """The term the recorded decision `handeling` ends, if any."""
    return AFGEROND_DOOR.get(handeling)


def afgerond_bij_dossier(besluit_genomen: bool, afgesloten: bool) -> frozenset[Termijnsoort]:
    """The terms a dossier update ends: a besluit taken ends the beoordeling; a closed case
    every term of the melding itself."""
    termijnen: set[Termijnsoort] = set()
    if besluit_genomen:
        termijnen.add(Termijnsoort.BEOORDELING)
    if afgesloten:
        termijnen |= TERMIJNEN_VAN_DE_MELDING
    return frozenset(termijnen)
