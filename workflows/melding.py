"""MeldingWorkflow: one melding through the Veilig Thuis process, as DESIGN §3 tells it.

registratie → informatie verzamelen → triage → besluit → eerste terugkoppeling (and the
household informed) → dienst with tweede terugkoppeling → monitoring → afloop.
The human steps arrive as updates (workflows/melding_berichten.py validates and records them);
this module only orchestrates and reads top to bottom.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.bronnen import BronActiviteiten
    from activities.dossier import DossierActiviteiten
    from activities.kalender import KalenderActiviteiten
    from activities.register import RegisterActiviteiten
    from domain import berichten, regels, termijnen
    from domain.activiteiten import (
        Bron,
        BronVraag,
        SignaleringSoort,
        Termijnsoort,
    )
    from domain.melding import Melding
    from domain.monitoring import vervolgmelding
    from domain.names import MELDING_WORKFLOW, melding_workflow_id
    from domain.status import MeldingAfloop
    from domain.waarden import DIENSTEN, BronStatus, Einde, Fase, TerugkoppelingSoort
    from workflows.melding_handelingen import DATABASE_RETRY, KORT, MeldingHandelingen
    from workflows.termijnbewaking import bewaak
    from workflows.toestand import MeldingToestand

# A source is retried within its bound (one werkdag); a refusal by type is final.
BRON_RETRY = RetryPolicy(
    maximum_interval=timedelta(minutes=30),
    non_retryable_error_types=["OnbekendeBron", "OnbekendeMelding"],
)


@workflow.defn(name=MELDING_WORKFLOW)
class MeldingWorkflow(MeldingHandelingen):
    @workflow.run
    async def run(self, melding: Melding, toestand: MeldingToestand | None = None) -> MeldingAfloop:
        # The SDK applies type hints only when the argument count matches them: a first run gets
        # one argument (the melding), a continued run two. Decode what arrived untyped.
        melding = Melding.model_validate(melding)
        if toestand is not None:
            toestand = MeldingToestand.model_validate(toestand)
        self.begin(melding, toestand or MeldingToestand.nieuw(melding))
        t = self.t
        if not t.geregistreerd:
            await self._registreer()
        if t.status.besluit is None:
            await self._beoordeel()
        if not t.eerste_verstuurd:
            await self._eerste_terugkoppeling()
        besluit = t.status.besluit
        assert besluit is not None
        if t.einde is None and besluit.vervolg in DIENSTEN:
            await self._dienst()
        if t.einde is None:
            await self._monitor()
        return await self._sluit_af()

    # -- registratie ------------------------------------------------------------------------
    async def _registreer(self) -> None:
        t = self.t
        t.termijnen = await workflow.execute_activity_method(
            KalenderActiviteiten.bereken_termijnen,
            self.melding.ontvangen_op,
            start_to_close_timeout=KORT,
        )
        t.status.beoordeling_deadline = t.termijnen.beoordeling_deadline
        await workflow.execute_activity_method(
            DossierActiviteiten.sla_melding_op,
            self.melding,
            start_to_close_timeout=KORT,
            retry_policy=DATABASE_RETRY,
        )
        t.geregistreerd = True
        self.werk_zoekattributen_bij()

    # -- veiligheidsbeoordeling ---------------------------------------------------------------
    async def _beoordeel(self) -> None:
        t = self.t
        assert t.termijnen is not None
        verzamelen = None if t.bronnen_klaar else asyncio.create_task(self._verzamel())
        self.bezig = verzamelen
        await bewaak(
            self.wacht,
            lambda: t.status.besluit is not None,
            sleutel=Termijnsoort.BEOORDELING,
            herinnering=t.termijnen.herinnering,
            deadline=t.termijnen.beoordeling_deadline,
            gedaan=t.signaleringen,
            bij_herinnering=lambda: self._signaleer(
                SignaleringSoort.HERINNERING, Termijnsoort.BEOORDELING
            ),
            bij_overschrijding=lambda: self._overschreden(Termijnsoort.BEOORDELING),
        )
        if verzamelen is not None:
            await verzamelen

    async def _verzamel(self) -> None:
        """The three sources in parallel, each bounded; silence is recorded, not fatal."""
        t = self.t
        assert t.termijnen is not None
        grens = max(t.termijnen.bron_deadline - workflow.now(), timedelta(minutes=1))
        opties: dict[str, Any] = {
            "schedule_to_close_timeout": grens,
            "start_to_close_timeout": min(grens, KORT),
            "retry_policy": BRON_RETRY,
        }
        melding_id = self.melding.melding_id

        async def register() -> None:
            try:
                gevonden = await workflow.execute_activity_method(
                    RegisterActiviteiten.zoek_eerdere_meldingen, melding_id, **opties
                )
                t.register = gevonden
                t.status.eerdere_meldingen = gevonden.aantal
                t.status.bronnen.register = BronStatus.ONTVANGEN
                radar = await workflow.execute_activity_method(
                    RegisterActiviteiten.koppel_aan_open_meldingen, melding_id, **opties
                )
                # A melding of the household stored just after the first search is seen here.
                if radar.stand is not None and radar.stand.aantal > gevonden.aantal:
                    t.register = radar.stand
                    t.status.eerdere_meldingen = radar.stand.aantal
            except ActivityError:
                if t.status.bronnen.register is BronStatus.BEZIG:
                    t.status.bronnen.register = BronStatus.NIET_ONTVANGEN
                workflow.logger.warning("register niet ontvangen", extra={"melding_id": melding_id})

        async def partner(bron: Bron) -> None:
            try:
                await workflow.execute_activity_method(
                    BronActiviteiten.vraag_bron,
                    BronVraag(melding_id=melding_id, bron=bron),
                    **opties,
                )
                setattr(t.status.bronnen, bron.value, BronStatus.ONTVANGEN)
            except ActivityError:
                setattr(t.status.bronnen, bron.value, BronStatus.NIET_ONTVANGEN)
                workflow.logger.warning(
                    "bron niet ontvangen", extra={"melding_id": melding_id, "bron": bron.value}
                )

        taken = [register(), partner(Bron.POLITIE)]
        if t.status.bronnen.raad is BronStatus.BEZIG:
            taken.append(partner(Bron.RAAD))
        await asyncio.gather(*taken)
        t.bronnen_klaar = True
        if t.status.fase is Fase.INFORMATIE_VERZAMELEN:
            t.status.fase = Fase.WACHT_OP_BESLUIT if t.status.triage else Fase.WACHT_OP_TRIAGE
        self.werk_zoekattributen_bij()

    # -- eerste terugkoppeling en het huishouden informeren ----------------------------------
    async def _eerste_terugkoppeling(self) -> None:
        t, melding = self.t, self.melding
        besluit, triage = t.status.besluit, t.status.triage
        assert besluit is not None and triage is not None
        await self._verstuur(
            berichten.eerste_terugkoppeling(melding, triage, besluit, t.register),
            TerugkoppelingSoort.EERSTE,
        )
        t.eerste_verstuurd = True
        if not t.huishouden_afgehandeld:
            if besluit.huishouden_informeren_uitstellen:
                await self._signaleer(SignaleringSoort.UITSTEL, Termijnsoort.HUISHOUDEN_INFORMEREN)
            else:
                await self._verstuur(berichten.huishouden_bericht(melding, besluit))
            t.huishouden_afgehandeld = True
        t.einde = regels.einde_na_besluit(besluit.vervolg)
        if t.einde is None:
            t.status.fase = Fase(besluit.vervolg.value)
        await self._werk_dossier_bij()

    # -- dienst: voorwaarden en vervolg, of onderzoek ---------------------------------------
    async def _dienst(self) -> None:
        t = self.t
        eerste = t.status.terugkoppelingen[0].verstuurd_op
        deadline = termijnen.tweede_terugkoppeling_deadline(eerste)
        t.status.tweede_terugkoppeling_deadline = deadline
        self.werk_zoekattributen_bij()
        await bewaak(
            self.wacht,
            lambda: t.afronding is not None,
            sleutel=Termijnsoort.TWEEDE_TERUGKOPPELING,
            herinnering=termijnen.tweede_terugkoppeling_herinnering(eerste),
            deadline=deadline,
            gedaan=t.signaleringen,
            bij_herinnering=lambda: self._signaleer(
                SignaleringSoort.HERINNERING, Termijnsoort.TWEEDE_TERUGKOPPELING
            ),
            bij_overschrijding=self._tweede_te_laat,
        )
        if not t.tweede_verstuurd:
            await self._tweede_terugkoppeling()
        afronding = t.afronding
        assert afronding is not None and t.status.besluit is not None
        t.dienst_einde = t.dienst_einde or workflow.now()
        if not regels.monitoring_nodig(t.status.besluit.vervolg, afronding):
            t.einde = regels.einde_na_dienst(afronding)
        await self._werk_dossier_bij()

    async def _tweede_te_laat(self) -> None:
        """At 10 weeks the melder hears the state of that moment; the case is marked overdue."""
        await self._tweede_terugkoppeling()
        await self._overschreden(Termijnsoort.TWEEDE_TERUGKOPPELING)

    async def _tweede_terugkoppeling(self) -> None:
        t = self.t
        assert t.status.besluit is not None
        bericht = berichten.tweede_terugkoppeling(self.melding, t.status.besluit, t.afronding)
        await self._verstuur(bericht, TerugkoppelingSoort.TWEEDE)
        t.tweede_verstuurd = True

    # -- monitoring -------------------------------------------------------------------------
    async def _monitor(self) -> None:
        """Checks at 3 and 12 months after the dienst, then every 3 months until stably safe."""
        t = self.t
        assert t.dienst_einde is not None
        t.status.fase = Fase.MONITORING
        while t.einde is None:
            nummer = self.plan_monitoring(t.dienst_einde)
            regel = t.status.monitoring[nummer - 1]
            self.werk_zoekattributen_bij()
            await self.wacht(lambda: False, regel.gepland_op)
            t.monitoring_open = True
            self.werk_zoekattributen_bij()
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
            )
            uitkomst = regel.uitkomst
            assert uitkomst is not None
            if uitkomst.nieuwe_melding_nodig:
                await self._nieuwe_melding(nummer)
            elif uitkomst.stabiel_veilig and nummer >= 2:
                t.einde = Einde.STABIEL_VEILIG

    async def _nieuwe_melding(self, nummer: int) -> None:
        """Monitoring found renewed unsafety: a new, linked MeldingWorkflow (seed 000, Q&A 26)."""
        t = self.t
        regel = t.status.monitoring[nummer - 1]
        assert regel.uitkomst is not None
        nieuw: Melding = vervolgmelding(self.melding, regel.uitkomst, workflow.now(), nummer)
        await workflow.start_child_workflow(
            MeldingWorkflow.run,
            nieuw,
            id=melding_workflow_id(nieuw.melding_id),
            parent_close_policy=ParentClosePolicy.ABANDON,
        )
        t.einde = Einde.NIEUWE_MELDING

    # -- afsluiting -------------------------------------------------------------------------
    async def _sluit_af(self) -> MeldingAfloop:
        t = self.t
        assert t.einde is not None and t.status.besluit is not None
        t.status.fase = Fase.AFGESLOTEN
        t.monitoring_open = False
        await self._werk_dossier_bij()
        self.werk_zoekattributen_bij()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return MeldingAfloop(
            melding_id=self.melding.melding_id,
            vervolg=t.status.besluit.vervolg,
            einde=t.einde,
            terugkoppelingen=len(t.status.terugkoppelingen),
            monitoringen=sum(1 for m in t.status.monitoring if m.uitkomst is not None),
        )
