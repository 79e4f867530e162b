"""The workflow side of "who acts": a start's and a signal's verklaring checked by the worker's
activity `controleer_verklaringen` (a start's as a local activity), whose answer is recorded in
the history.

Signals arriving in one workflow task are checked together, in one activity: a burst of radar
links costs one activity, not one per link. A refused signal changes nothing, is counted
(metric `vt_geweigerde_signalen`) and logged in one line without content.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from contract import ids, names, verklaring
    from domain.identiteit import (
        Auteur,
        Handeling,
        Soort,
        Taakrol,
        VerklaringUitslag,
        VerklaringVraag,
    )
    from workflows.handelingen import Handelingen


def vraag(handeling: Handeling, naam: str, verzoek: str, nu: datetime) -> VerklaringVraag:
    info = workflow.info()
    return VerklaringVraag(
        token=verklaring.token(),
        workflow_type=info.workflow_type,
        workflow_id=info.workflow_id,
        handeling=handeling,
        naam=naam,
        verzoek=verzoek,
        nu=nu,
    )


async def controleer_start(handelingen: Handelingen) -> Auteur:
    """The author of this workflow's start, or a non-retryable refusal before anything is
    stored. A child started by a MeldingWorkflow (a vervolgmelding from monitoring) or by an
    AdviesWorkflow (its omzetting into a melding, audited there) has the
    server's word for its parent and is the system's own start."""
    info = workflow.info()
    ouder = ids.melding_id_uit_workflow_id(info.parent.workflow_id) if info.parent else None
    if ouder is not None and ouder[0] in (ids.MELDING, ids.ADVIES):
        return Auteur(id="worker", soort=Soort.SYSTEEM, rollen=(Taakrol.SYSTEEM,))
    [uitslag] = await handelingen.controleer_verklaringen(
        [vraag(Handeling.START, info.workflow_type, "", info.start_time)], lokaal=True
    )
    if uitslag.auteur is None:
        workflow.logger.warning(
            "start geweigerd: geen geldige verklaring", extra={"workflow_id": info.workflow_id}
        )
        raise ApplicationError(
            uitslag.reden or "start: geweigerd", type=names.FOUT_GEWEIGERD, non_retryable=True
        )
    return uitslag.auteur


class Signaalcontrole:
    """Checks signals' verklaringen in batches: the first signal of a workflow task lets the
    others of that task join (one turn of the loop), then one activity checks them all."""

    def __init__(self, handelingen: Handelingen) -> None:
        self.handelingen = handelingen
        self._rij: list[VerklaringVraag] = []
        self._uitslagen: dict[int, list[VerklaringUitslag]] = {}
        self._ronde = 0

    async def auteur(self, naam: str, onderwerp: str) -> Auteur | None:
        ronde, plek = self._ronde, len(self._rij)
        self._rij.append(vraag(Handeling.SIGNAAL, naam, onderwerp, workflow.now()))
        if plek == 0:
            await asyncio.sleep(0)  # a turn of the workflow's loop: no timer, deterministic
            rij, self._rij = self._rij, []
            self._ronde += 1
            self._uitslagen[ronde] = await self.handelingen.controleer_verklaringen(rij)
        else:
            await workflow.wait_condition(lambda: ronde in self._uitslagen)
        uitslagen = self._uitslagen[ronde]
        uitslag = uitslagen[plek]
        if plek == len(uitslagen) - 1:
            del self._uitslagen[ronde]
        if uitslag.auteur is None:
            workflow.metric_meter().create_counter(
                "vt_geweigerde_signalen", "signalen zonder geldige verklaring, genegeerd"
            ).add(1, {"signaal": naam})
            workflow.logger.warning(
                "signaal geweigerd: geen geldige verklaring",
                extra={"workflow_id": workflow.info().workflow_id, "signaal": naam},
            )
        return uitslag.auteur
