"""Checks the verklaring of a start or a signal (a local activity: its answer is recorded in the
history, so a replay never checks again and a rotated key cannot change a recorded outcome).
Updates are checked in their validator instead, which does not run on replay either."""

from __future__ import annotations

from collections.abc import Sequence

from temporalio import activity

from domain.identiteit import VerklaringUitslag, VerklaringVraag, weiger_handeling
from versleuteling.verklaring import VerklaringOngeldig, Verwacht, controleer


def beoordeel(vraag: VerklaringVraag, sleutels: Sequence[bytes]) -> VerklaringUitslag:
    verwacht = Verwacht(vraag.workflow_id, vraag.handeling, vraag.naam, vraag.verzoek)
    try:
        auteur = controleer(vraag.token, sleutels, verwacht, vraag.nu)
    except VerklaringOngeldig as fout:
        return VerklaringUitslag(reden=str(fout))
    reden = weiger_handeling(auteur, vraag.workflow_type, vraag.handeling, vraag.naam)
    return VerklaringUitslag(reden=reden) if reden else VerklaringUitslag(auteur=auteur)


class VerklaringActiviteiten:
    def __init__(self, sleutels: Sequence[bytes]) -> None:
        self._sleutels = tuple(sleutels)

    @activity.defn(name="controleer_verklaringen")
    async def controleer_verklaringen(
        self, vragen: list[VerklaringVraag]
    ) -> list[VerklaringUitslag]:
        return [beoordeel(v, self._sleutels) for v in vragen]
