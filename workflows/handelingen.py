"""The activities one melding's workflows call, each as one method with its timeouts and
retries: the workflow owns a `Handelingen` and reads as its steps, not as activity options.

Shared by MeldingWorkflow and VernietigingWorkflow. Business refusals and data errors are
non-retryable by the activity's own ApplicationError; transient faults are retried.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.audit import AuditActiviteiten
    from activities.dossier import DossierActiviteiten
    from activities.kalender import KalenderActiviteiten
    from activities.outbox import OutboxActiviteiten
    from activities.signalering import SignaleringActiviteiten
    from contract.policies import BEZORG_RETRY, BEZORGEN, DATABASE_RETRY, KORT, LOKAAL_RETRY
    from domain import tijdlijn
    from domain.bewaartermijn import Bewaartermijn
    from domain.bezorging import Bezorging, BezorgOpdracht
    from domain.identiteit import VerklaringUitslag, VerklaringVraag
    from domain.leesbaar import Leesbaar
    from domain.melding import Melding
    from domain.uitwisseling import (
        AuditRegel,
        Bericht,
        BerichtSoort,
        DossierStand,
        Signalering,
        SignaleringSoort,
        Termijnen,
        Termijnsoort,
        Verzending,
    )

# Replay: v2 computed the deadlines in an activity; since v3 in a local activity (a pure
# calculation in the worker itself, its result a marker in the same workflow task: one server
# round trip and one workflow task fewer per melding).
PATCH_TERMIJNEN_LOKAAL = "termijnen-lokaal"
# Replay: before v6 the sources' bound ran from the day of receipt (a melding entered days
# later gave its sources the one-minute minimum); since v6 from intake, the workflow's start.
PATCH_BRONNEN_VANAF_INVOER = "bronnen-vanaf-invoer"
# Replay: before v6 registration was keyed on the run ID (a Reset run was refused as a second
# case); since v6 on the run the chain began with, which a Reset keeps.
PATCH_REGISTRATIE_OP_KETEN = "registratie-op-keten"

# Replay: since v7 a closed case reads its bewaartermijn from the dossier (issue 25).
PATCH_BEWAARTERMIJN = "bewaartermijn-in-status"


class Handelingen:
    """The I/O of one melding (its id and region), done by activities."""

    def __init__(self, melding_id: str, regio: str) -> None:
        self.melding_id, self.regio = melding_id, regio

    async def controleer_verklaringen(
        self, vragen: list[VerklaringVraag], *, lokaal: bool = False
    ) -> list[VerklaringUitslag]:
        """Who sent these writes (runtime/auteurschap.py): a start's as a local activity (its
        answer a marker in the same workflow task), signals' as an activity (its answer starts
        a new task, so no patch after it can land in a task a replay has not seen yet)."""
        uitslagen: list[VerklaringUitslag] = await _kort(
            lokaal,
            "controleer_verklaringen",
            [vragen],
            tijdlijn.VERKLARING_CONTROLEREN,
            list[VerklaringUitslag],
        )
        return uitslagen

    async def bereken_termijnen(
        self, ontvangen_op: datetime, *, vanaf_invoer: bool = False
    ) -> Termijnen:
        """`vanaf_invoer`: the sources' bound from intake (PATCH_BRONNEN_VANAF_INVOER, decided
        by the caller before its first local activity)."""
        args: list[Any] = [ontvangen_op, workflow.now()] if vanaf_invoer else [ontvangen_op]
        lokaal = vanaf_invoer or workflow.patched(PATCH_TERMIJNEN_LOKAAL)
        termijnen: Termijnen = await _kort(
            lokaal, KalenderActiviteiten.bereken_termijnen, args, tijdlijn.TERMIJNEN_BEREKENEN
        )
        return termijnen

    async def sla_op(self, melding: Melding, *, op_keten: bool = False) -> None:
        """`op_keten`: registration keyed on the run the workflow's chain began with
        (PATCH_REGISTRATIE_OP_KETEN): a Reset run registers as its original did."""
        if op_keten:
            await workflow.execute_activity_method(
                DossierActiviteiten.sla_melding_op,
                args=[melding, workflow.info().original_execution_run_id],
                start_to_close_timeout=KORT,
                retry_policy=DATABASE_RETRY,
                summary=tijdlijn.MELDING_VASTLEGGEN,
            )
            return
        await workflow.execute_activity_method(
            DossierActiviteiten.sla_melding_op,
            melding,
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
            summary=tijdlijn.MELDING_VASTLEGGEN,
        )

    async def plaats_in_outbox(self, bericht: Bericht) -> Verzending:
        return await workflow.execute_activity_method(
            OutboxActiviteiten.plaats_in_outbox,
            bericht,
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
            summary=tijdlijn.BERICHT_VERSTUREN[bericht.soort],
        )

    async def bezorg(self, soort: BerichtSoort, ontvanger: int | None = None) -> Bezorging:
        """Take an outbox message to its addressee (activities/bezorging.py), retried with
        backoff; its last attempt records the outcome itself. `ontvanger`: a professional's."""
        bezorging: Bezorging = await workflow.execute_activity(
            "bezorg_bericht",
            BezorgOpdracht(melding_id=self.melding_id, soort=soort, ontvanger=ontvanger),
            result_type=Bezorging,
            start_to_close_timeout=BEZORGEN,
            retry_policy=BEZORG_RETRY,
            summary=tijdlijn.BERICHT_BEZORGEN[soort],
        )
        return bezorging

    async def signaleer(
        self, soort: SignaleringSoort, termijn: Termijnsoort, deadline: datetime
    ) -> None:
        await workflow.execute_activity_method(
            SignaleringActiviteiten.signaleer,
            Signalering(
                melding_id=self.melding_id,
                regio=self.regio,
                soort=soort,
                termijn=termijn,
                deadline=deadline,
            ),
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
            summary=tijdlijn.signalering(soort, termijn),
        )

    async def audit(
        self, handeling: str, medewerker: str, gegevens: BaseModel, *, lokaal: bool = False
    ) -> None:
        """Who decided what, and when: written before the decision is acknowledged. `lokaal`
        (inside an update, PATCH_AUDIT_LOKAAL): a local activity in the update's own workflow
        task, keyed on the run and the update ID; the update completes in the same task."""
        regel = AuditRegel(
            melding_id=self.melding_id,
            handeling=handeling,
            medewerker=medewerker,
            op=workflow.now(),
            gegevens=gegevens.model_dump(mode="json"),
        )
        verzoek = workflow.current_update_info()
        if not lokaal or verzoek is None:
            await workflow.execute_activity_method(
                AuditActiviteiten.leg_beslissing_vast,
                regel,
                start_to_close_timeout=KORT,
                retry_policy=DATABASE_RETRY,
                summary=tijdlijn.audit(handeling),
            )
            return
        sleutel = f"{workflow.info().run_id}/update/{verzoek.id}"
        try:
            await workflow.execute_local_activity_method(
                AuditActiviteiten.leg_beslissing_vast,
                args=[regel, sleutel],
                start_to_close_timeout=KORT,
                retry_policy=LOKAAL_RETRY,
                summary=tijdlijn.audit(handeling),
            )
            return
        except (ActivityError, ApplicationError):
            # (A failed local activity may arrive as its own ApplicationError, unwrapped.)
            # PostgreSQL away or refusing: the same write, under the same key, as an activity
            # retried as before and visible in the description (so the client can say why).
            workflow.logger.warning("audit lokaal mislukt; verder als activiteit")
        await workflow.execute_activity_method(
            AuditActiviteiten.leg_beslissing_vast,
            args=[regel, sleutel],
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
            summary=tijdlijn.audit(handeling),
        )

    async def werk_dossier_bij(
        self, stand: DossierStand, *, termijn_bekend: bool = False
    ) -> Bewaartermijn | None:
        """The dossier's view of the case; once closed (since v7) its bewaartermijn as the
        dossier recorded it, read by an activity of its own (the previous release decodes
        `werk_dossier_bij`'s answer as nothing, so that answer stays nothing)."""
        await workflow.execute_activity_method(
            DossierActiviteiten.werk_dossier_bij,
            stand,
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
            summary=tijdlijn.DOSSIER_BIJWERKEN,
        )
        if not stand.afgesloten or termijn_bekend or not workflow.patched(PATCH_BEWAARTERMIJN):
            return None
        return await workflow.execute_activity_method(
            DossierActiviteiten.lees_bewaartermijn,
            stand.melding_id,
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
            summary=Leesbaar("Bewaartermijn van het dossier lezen"),
        )


async def _kort(
    lokaal: bool,
    activiteit: Any,
    args: list[Any],
    summary: str,
    result_type: type | None = None,
) -> Any:
    """A short activity (KORT): a local one (its answer in the same workflow task) or not."""
    if lokaal:
        return await workflow.execute_local_activity(
            activiteit,
            args=args,
            result_type=result_type,
            start_to_close_timeout=KORT,
            summary=summary,
        )
    return await workflow.execute_activity(
        activiteit, args=args, result_type=result_type, start_to_close_timeout=KORT, summary=summary
    )
