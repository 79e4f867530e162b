"""VernietigingslijstWorkflow (issue 25, docs/retention.md): the dossiers past their
bewaartermijn, started monthly by a Temporal Schedule (runtime/vernietigingslijst.py).

A round: the list is drawn up (activity), a teamleider reviews it (update `beoordeel_lijst`: keep
items with a reason and a new date, or send it back to be drawn up again), an archivist who did
not review it approves (`keur_lijst_goed`), then a waiting period of seven days in which
`annuleer_vernietiging` stops it and a new round begins. Then every dossier not kept is
destroyed, a part (LIJSTDEEL) per activity, each idempotent; last the verklaring van
vernietiging is recorded. Decisions through the one mechanism (workflows/besluitvorming.py): the
validator refuses before anything enters the history, the handler checks again inside one lock,
an identical repeat (or the same update ID) answers as the first did.

Visible: the phase in VtFase, the end of the waiting period in VtVolgendeDeadline, the current
details (ids, counts, logins), the query `status` (LijstStatus), the CLI's `lijst-status`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from activities.bewaartermijn import dag
    from activities.vernietigingslijst import VernietigingslijstActiviteiten
    from contract import names, verklaring
    from contract.policies import DATABASE_RETRY, KORT, LIJST_RETRY, LIJST_VERNIETIGEN, LIJSTDEEL
    from contract.search_attributes import VT_FASE, VT_VOLGENDE_DEADLINE
    from domain import vernietigingslijst as regels
    from domain.leesbaar import Leesbaar
    from domain.uitwisseling import Vernietigingsverslag
    from domain.vernietigingslijst import (
        WACHTTIJD,
        LijstAnnulering,
        LijstBeoordeling,
        LijstFase,
        LijstGoedkeuring,
        LijstStatus,
        Vernietigingsverklaring,
    )
    from workflows.besluitvorming import (
        Besluiten,
        Besluitregel,
        Besluitvorming,
        Vastgesteld,
        Weigering,
    )


@workflow.defn(name=names.VERNIETIGINGSLIJST_WORKFLOW)
class VernietigingslijstWorkflow:
    @workflow.init
    def __init__(self) -> None:
        info = workflow.info()
        self.s = LijstStatus(
            lijst_id=info.workflow_id, fase=LijstFase.SAMENSTELLEN, peildatum=dag(info.start_time)
        )
        # v7 applied a reused verzoek_id in a later round: since, the validator refuses it.
        self.beslissen = Besluitvorming(LIJSTBESLUITEN, self, audit=None, verzoek_in_slot=False)
        self.beoordeling: LijstBeoordeling | None = None
        self.goedkeuring: LijstGoedkeuring | None = None
        self.annulering: LijstAnnulering | None = None
        self.beoordeeld_op = self.goedgekeurd_op = info.start_time
        self.al_weg: list[str] = []

    @workflow.run
    async def run(self) -> LijstStatus:
        while True:
            self.s.ronde += 1
            self.beoordeling = self.goedkeuring = self.annulering = None
            self.s.beoordeeld_door = self.s.goedgekeurd_door = self.s.wacht_tot = None
            self.s.behouden = []
            self._naar(LijstFase.SAMENSTELLEN)
            self.s.items = await workflow.execute_activity_method(
                VernietigingslijstActiviteiten.stel_lijst_samen,
                self.s.peildatum,
                start_to_close_timeout=KORT,
                retry_policy=DATABASE_RETRY,
                summary=Leesbaar("Dossiers voorbij hun bewaartermijn verzamelen"),
            )
            if not self.s.items:
                self._naar(LijstFase.LEEG)
                return self.s
            self._naar(LijstFase.BEOORDELEN)
            await workflow.wait_condition(lambda: self.beoordeling is not None)
            assert self.beoordeling is not None
            if self.beoordeling.terugsturen:
                continue
            self._naar(LijstFase.GOEDKEUREN)
            await workflow.wait_condition(
                lambda: self.goedkeuring is not None or self.annulering is not None
            )
            if self.annulering is not None:  # the archivist sends it back: a new round
                self.s.geannuleerd += 1
                continue
            self.s.wacht_tot = workflow.now() + WACHTTIJD
            self._naar(LijstFase.WACHTTIJD)
            try:
                await workflow.wait_condition(
                    lambda: self.annulering is not None,
                    timeout=WACHTTIJD,
                    timeout_summary=Leesbaar("Wachttijd van zeven dagen voor de vernietiging"),
                )
            except TimeoutError:
                break
            self.s.geannuleerd += 1
        return await self._vernietig()

    async def _vernietig(self) -> LijstStatus:
        self.s.wacht_tot = None
        self._naar(LijstFase.VERNIETIGEN)
        assert self.s.beoordeeld_door is not None and self.s.goedgekeurd_door is not None
        verslag = Vernietigingsverslag(
            aangevraagd_door=self.s.beoordeeld_door,
            aangevraagd_op=self.beoordeeld_op,
            besloten_door=self.s.goedgekeurd_door,
            besloten_op=self.goedgekeurd_op,
        )
        weg = regels.te_vernietigen(self.s)
        for begin in range(0, len(weg), LIJSTDEEL):
            deel = await workflow.execute_activity_method(
                VernietigingslijstActiviteiten.vernietig_lijstdeel,
                args=[self.s.lijst_id, weg[begin : begin + LIJSTDEEL], verslag],
                start_to_close_timeout=LIJST_VERNIETIGEN,
                heartbeat_timeout=LIJST_VERNIETIGEN / 10,
                retry_policy=LIJST_RETRY,
                summary=Leesbaar(f"Vernietigen: dossiers {begin + 1} tot {begin + LIJSTDEEL}"),
            )
            self.s.vernietigd += deel.vernietigd + deel.al_gedaan
            self.al_weg += deel.niet_gevonden
            self._toon()
        nu = workflow.now()
        self.s.verklaring = await workflow.execute_activity_method(
            VernietigingslijstActiviteiten.stel_verklaring_op,
            args=[
                Vernietigingsverklaring(
                    lijst_id=self.s.lijst_id,
                    peildatum=self.s.peildatum,
                    ronden=self.s.ronde,
                    kenmerken=[],
                    aantal_op_lijst=len(self.s.items),
                    aantal_behouden=len(self.s.behouden),
                    aantal_vernietigd=len(self.s.vernietigd),
                    aantal_al_weg=len(self.al_weg),
                    beoordeeld_door=self.s.beoordeeld_door,
                    beoordeeld_op=self.beoordeeld_op,
                    goedgekeurd_door=self.s.goedgekeurd_door,
                    goedgekeurd_op=self.goedgekeurd_op,
                    vernietigd_op=nu,
                ),
                self.s.vernietigd,
            ],
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
            summary=Leesbaar("Verklaring van vernietiging vastleggen"),
        )
        self._naar(LijstFase.AFGEROND)
        return self.s

    def _naar(self, fase: LijstFase) -> None:
        self.s.fase = fase
        updates: list[SearchAttributeUpdate[Any]] = [VT_FASE.value_set(fase.value)]
        if self.s.wacht_tot is not None:
            updates.append(VT_VOLGENDE_DEADLINE.value_set(self.s.wacht_tot))
        elif workflow.info().typed_search_attributes.get(VT_VOLGENDE_DEADLINE) is not None:
            updates.append(VT_VOLGENDE_DEADLINE.value_unset())
        workflow.upsert_search_attributes(updates)
        self._toon()

    def _toon(self) -> None:
        workflow.set_current_details(regels.details(self.s))

    @workflow.query(
        name=names.QUERY_STATUS,
        description="De lijst (LijstStatus): fase, ronde, items, behouden, vernietigd, wie "
        "beoordeelde en goedkeurde, het einde van de wachttijd, de verklaring. Geen invoer.",
    )
    def status(self) -> LijstStatus:
        return self.s

    # -- de besluiten (the shared mechanism, workflows/besluitvorming.py) ---------------------
    @workflow.update(
        name=names.UPDATE_LIJST_BEOORDELEN,
        description="Beoordeling door een teamleider (LijstBeoordeling: medewerker, behouden "
        "[{melding_id, tot, reden}], terugsturen, reden). Antwoord: de LijstStatus.",
    )
    async def beoordeel_lijst(self, b: LijstBeoordeling) -> LijstStatus:
        async def eerst(vastgesteld: Vastgesteld) -> None:
            if b.behouden and not b.terugsturen:
                await workflow.execute_activity_method(
                    VernietigingslijstActiviteiten.verleng_bewaartermijnen,
                    args=[self.s.lijst_id, vastgesteld.door, vastgesteld.op, b.behouden],
                    start_to_close_timeout=KORT,
                    retry_policy=DATABASE_RETRY,
                    summary=Leesbaar("Behouden dossiers: bewaartermijn verlengd (audit)"),
                )

        def pas_toe() -> None:
            self.beoordeling = b
            self.s.beoordeeld_door, self.beoordeeld_op = _auteur(b.medewerker), workflow.now()
            self.s.behouden = [h.melding_id for h in b.behouden]

        return await self._beslis(names.UPDATE_LIJST_BEOORDELEN, b, self._weiger_b, pas_toe, eerst)

    @beoordeel_lijst.validator
    def _valideer_b(self, b: LijstBeoordeling) -> None:
        self.beslissen.valideer(names.UPDATE_LIJST_BEOORDELEN, b, self._weiger_b)

    def _weiger_b(self, b: Any) -> str | None:
        return regels.weiger_beoordeling(self.s, b, dag(workflow.now()))

    @workflow.update(
        name=names.UPDATE_LIJST_GOEDKEUREN,
        description="Goedkeuring door een archivaris die de lijst niet beoordeelde "
        "(LijstGoedkeuring: medewerker). Daarna zeven dagen wachttijd. Antwoord: LijstStatus.",
    )
    async def keur_lijst_goed(self, g: LijstGoedkeuring) -> LijstStatus:
        def goedgekeurd() -> None:
            self.goedkeuring = g
            self.s.goedgekeurd_door, self.goedgekeurd_op = _auteur(g.medewerker), workflow.now()

        return await self._beslis(names.UPDATE_LIJST_GOEDKEUREN, g, self._weiger_g, goedgekeurd)

    @keur_lijst_goed.validator
    def _valideer_g(self, g: LijstGoedkeuring) -> None:
        self.beslissen.valideer(names.UPDATE_LIJST_GOEDKEUREN, g, self._weiger_g)

    def _weiger_g(self, g: Any) -> str | None:
        return regels.weiger_goedkeuring(self.s, _auteur(g.medewerker))

    @workflow.update(
        name=names.UPDATE_LIJST_ANNULEREN,
        description="Stopt de vernietiging tijdens de wachttijd (LijstAnnulering: medewerker, "
        "reden); de lijst wordt opnieuw opgesteld en beoordeeld. Antwoord: LijstStatus.",
    )
    async def annuleer_vernietiging(self, a: LijstAnnulering) -> LijstStatus:
        def geannuleerd() -> None:
            self.annulering = a

        return await self._beslis(names.UPDATE_LIJST_ANNULEREN, a, self._weiger_a, geannuleerd)

    @annuleer_vernietiging.validator
    def _valideer_a(self, a: LijstAnnulering) -> None:
        self.beslissen.valideer(names.UPDATE_LIJST_ANNULEREN, a, self._weiger_a)

    def _weiger_a(self, a: Any) -> str | None:
        return regels.weiger_annulering(self.s)

    async def _beslis(
        self,
        naam: str,
        besluit: Lijstbesluit,
        weiger: Weigering,
        pas_toe: Callable[[], None],
        eerst: Callable[[Vastgesteld], Awaitable[None]] | None = None,
    ) -> LijstStatus:
        async def toepassen(vastgesteld: Vastgesteld) -> None:
            if eerst is not None:
                await eerst(vastgesteld)
            fase = self.s.fase
            pas_toe()
            self._toon()
            # Answer with the list as the decision leaves it (the next phase).
            await workflow.wait_condition(lambda: self.s.fase is not fase)

        await self.beslissen.beslis(naam, besluit, besluit.medewerker, weiger, toepassen)
        return self.s


def _auteur(medewerker: str) -> str:
    """The attested login (the payload's `medewerker` is checked equal to it)."""
    wie = verklaring.auteur()
    return wie.id if wie is not None else medewerker


Lijstbesluit = LijstBeoordeling | LijstGoedkeuring | LijstAnnulering

# The list's decisions write no audit row of their own: who reviewed and who approved, and when,
# stand in its verklaring van vernietiging; a review's kept dossiers are audited in their own
# trails by its step (verleng_bewaartermijnen), before the review is applied.
LIJSTBESLUITEN = Besluiten[VernietigingslijstWorkflow](
    names.VERNIETIGINGSLIJST_WORKFLOW,
    Besluitregel(names.UPDATE_LIJST_BEOORDELEN, lambda w, b: w.beoordeling == b, audit=None),
    Besluitregel(names.UPDATE_LIJST_GOEDKEUREN, lambda w, b: w.goedkeuring == b, audit=None),
    Besluitregel(names.UPDATE_LIJST_ANNULEREN, lambda w, b: w.annulering == b, audit=None),
)
