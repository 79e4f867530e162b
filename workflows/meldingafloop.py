"""The last steps of MeldingWorkflow (workflows/melding.py): monitoring with its follow-up
meldingen, and the ways a case ends (closed, cancelled, failed)."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError, FailureError, WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from domain import regels, termijnen, tijdlijn
    from domain.besluiten import Koppeling
    from domain.melding import Melding
    from domain.monitoring import vervolgmelding
    from domain.status import Annulering, MeldingAfloop, MonitoringRegel
    from domain.uitwisseling import SignaleringSoort, Termijnsoort
    from domain.waarden import Einde, Fase
    from workflows.casusweergave import statisch
    from workflows.kindmelding import start_kindmelding
    from workflows.meldingbasis import MeldingBasis
    from workflows.termijnbewaking import bewaak

# Replay: before v6 a cancel closed the case at once (a decision in flight was audited after
# the close and never applied; a cancel during registration closed and audited nothing); since
# v6 it refuses new decisions, waits for those in flight, and closes and audits in every phase.
PATCH_ANNULERING_MAAKT_AF = "annulering-maakt-af"

# Replay: before v6 a follow-up melding whose workflow ID was taken failed the parent; since
# v6 the follow-up is taken to exist (its ID is derived, so it is this case's own).
PATCH_VERVOLG_BESTAAT_AL = "vervolg-bestaat-al"

MISLUKT_METRIC = "vt_meldingen_mislukt"

# Replay: since v7 a new melding at a monitoring check is linked and monitoring goes on (Q&A 23).
PATCH_MONITORING_DOOR = "monitoring-door-na-nieuwe-melding"


class MeldingAfsluiting(MeldingBasis):
    async def _monitor(self) -> None:
        """Checks at 3 and 12 months after the dienst, then every 3 months until stably safe."""
        t = self.toestand
        assert t.dienst_einde is not None
        t.status.fase = Fase.MONITORING
        afspraak = self.toestand.monitoringafspraak()
        while t.einde is None:
            nummer = self._plan_monitoring(t.dienst_einde)
            regel = t.status.monitoring[nummer - 1]
            self._werk_attributen_bij()
            await self.wacht(
                lambda: False, regel.gepland_op, tijdlijn.monitoringsmoment(nummer, afspraak)
            )
            t.monitoring_open = True
            self._werk_attributen_bij()
            naam = f"monitoring {nummer}"
            await bewaak(
                self.wacht,
                lambda: regel.uitkomst is not None,  # noqa: B023 - awaited in this iteration
                sleutel=f"{Termijnsoort.MONITORING}:{nummer}",
                herinnering=regel.gepland_op + termijnen.MONITORING_HERINNERING,
                deadline=regel.gepland_op + termijnen.MONITORING_ESCALATIE,
                gedaan=t.signaleringen,
                bij_herinnering=lambda: self._signaleer(
                    SignaleringSoort.HERINNERING, Termijnsoort.MONITORING
                ),
                bij_overschrijding=lambda: self._signaleer(
                    SignaleringSoort.ESCALATIE, Termijnsoort.MONITORING
                ),
                samenvattingen=(
                    tijdlijn.herinnering(naam, regel.gepland_op + termijnen.MONITORING_HERINNERING),
                    tijdlijn.escalatie(naam, regel.gepland_op + termijnen.MONITORING_ESCALATIE),
                ),
            )
            uitkomst = regel.uitkomst
            assert uitkomst is not None
            if uitkomst.nieuwe_melding_nodig:
                if workflow.patched(PATCH_MONITORING_DOOR):
                    await self._nieuwe_melding(nummer, gekoppeld=True)
                else:
                    await self._nieuwe_melding(nummer)
            elif regels.monitoring_klaar(uitkomst, nummer, len(afspraak)):
                t.einde = Einde.STABIEL_VEILIG

    def _plan_monitoring(self, dienst_einde: datetime) -> int:
        """The number of the current check, planning the next one when the last is done."""
        lijst = self.toestand.status.monitoring
        if not lijst or lijst[-1].uitkomst is not None:
            nummer = len(lijst) + 1
            moment = termijnen.monitoring_moment(
                dienst_einde, nummer, self.toestand.monitoringafspraak()
            )
            lijst.append(MonitoringRegel(gepland_op=moment))
        return len(lijst)

    async def _nieuwe_melding(self, nummer: int, *, gekoppeld: bool = False) -> None:
        """Monitoring found renewed unsafety: a new, linked MeldingWorkflow (Q&A 26). Since v7
        it is linked to this case, which keeps monitoring "totdat het stabiel veilig is" (Q&A
        23); before, this case closed."""
        regel = self.toestand.status.monitoring[nummer - 1]
        assert regel.uitkomst is not None
        nieuw: Melding = vervolgmelding(self.melding, regel.uitkomst, workflow.now(), nummer)
        samenvatting, details = statisch(nieuw, vervolg_op=self.melding.melding_id)
        try:
            await start_kindmelding(nieuw, samenvatting, details)
        except WorkflowAlreadyStartedError:
            if not workflow.patched(PATCH_VERVOLG_BESTAAT_AL):
                raise
            # Started before (by this case's earlier run, before a Reset): the ID is derived
            # from this case, so the follow-up is its own; were it stuck, the reconciliation
            # (workflows/naloop.py) raises it.
            workflow.logger.warning(
                "vervolgmelding bestond al", extra={"melding_id": self.melding.melding_id}
            )
        if not gekoppeld:
            self.toestand.einde = Einde.NIEUWE_MELDING
            return
        self.toestand.status.gekoppelde_meldingen.append(
            Koppeling(
                melding_id=nieuw.melding_id, regio=nieuw.regio, ontvangen_op=nieuw.ontvangen_op
            )
        )
        self._werk_attributen_bij()

    async def _meld_mislukt(self, fout: FailureError) -> None:
        """The run is about to fail: the team lead hears it (a signalering `mislukt` on the
        case, open until the dossier closes) and the metric counts it; the dossier stays open,
        so the reconciliation (workflows/naloop.py) keeps it in sight too. The error's own
        text stays in the history (encoded), never in a log or metric."""
        fase = self.toestand.status.fase.value
        workflow.metric_meter().create_counter(
            MISLUKT_METRIC, "meldingen whose workflow failed in the main path"
        ).add(1, {"fase": fase})
        workflow.logger.error(
            "melding mislukt",
            extra={
                "melding_id": self.melding.melding_id,
                "fase": fase,
                "fout": type(fout).__name__,
            },
        )
        try:
            await self.handelingen.signaleer(
                SignaleringSoort.MISLUKT, Termijnsoort.CASUS, workflow.now()
            )
        except ActivityError:
            workflow.logger.error(
                "melding mislukt: niet gesignaleerd", extra={"melding_id": self.melding.melding_id}
            )

    async def _sluit_af(self) -> MeldingAfloop:
        t = self.toestand
        assert t.einde is not None and t.status.besluit is not None
        await self.raad.klaar(self.wacht)
        t.status.fase = Fase.AFGESLOTEN
        t.monitoring_open = False
        await self._werk_dossier_bij()
        self._werk_attributen_bij()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return MeldingAfloop(
            melding_id=self.melding.melding_id,
            vervolg=t.status.besluit.vervolg,
            einde=t.einde,
            terugkoppelingen=len(t.status.terugkoppelingen),
            monitoringen=sum(1 for m in t.status.monitoring if m.uitkomst is not None),
        )

    async def _sluit_af_na_annulering(self) -> None:
        """A cancel request (the Web UI's button) closes the case deliberately: the dossier is
        closed, the search attributes say so, and no reminder or escalation follows; who asked is
        on the request in the history, the audit trail records that it happened. Since v6 it
        finishes what it started first: new decisions are refused, those in flight are applied
        and audited before the cancel is, and a cancel during registration stores the melding
        (idempotent) so that its dossier is closed and the cancel audited too."""
        t = self.toestand
        if not workflow.patched(PATCH_ANNULERING_MAAKT_AF):
            await self._sluit_af_na_annulering_v5()
            return
        self.geannuleerd = True  # the validators refuse new decisions from here on
        self._toon()
        await workflow.wait_condition(workflow.all_handlers_finished)
        fase = t.status.fase  # the phase the case was cancelled in, for the audit
        t.status.fase = Fase.AFGESLOTEN
        t.monitoring_open = False
        self._werk_attributen_bij()
        workflow.logger.warning(
            "melding geannuleerd", extra={"melding_id": self.melding.melding_id}
        )
        if not t.geregistreerd and self._start_goedgekeurd:
            try:
                await self.handelingen.sla_op(self.melding, op_keten=self._op_keten)
            except ActivityError:
                # Refused (a second case for this melding_id): not ours to close.
                workflow.logger.warning(
                    "annulering: melding niet geregistreerd",
                    extra={"melding_id": self.melding.melding_id},
                )
                return
            t.geregistreerd = True
        if t.geregistreerd:
            await self.handelingen.audit("annulering", "temporal-annulering", Annulering(fase=fase))
            await self._werk_dossier_bij(afgesloten=True)
            await workflow.wait_condition(workflow.all_handlers_finished)

    async def _sluit_af_na_annulering_v5(self) -> None:
        t = self.toestand
        t.status.fase = Fase.AFGESLOTEN
        t.monitoring_open = False
        self.geannuleerd = True
        self._werk_attributen_bij()
        workflow.logger.warning(
            "melding geannuleerd", extra={"melding_id": self.melding.melding_id}
        )
        if t.geregistreerd:
            await self.handelingen.audit(
                "annulering", "temporal-annulering", Annulering(fase=t.status.fase)
            )
            await self._werk_dossier_bij(afgesloten=True)
