"""MeldingWorkflow: one melding through the Veilig Thuis process.

registratie → informatie verzamelen → triage → besluit → eerste terugkoppeling (and the
household informed) → dienst with tweede terugkoppeling → monitoring → afloop.

One class that reads as the lifecycle: `__init__` sets all state (a message may arrive before
`run`), `run` tells the steps, then the human decisions (updates with validators), the radar
signal and the status query. Its mechanics are objects it owns: the activity calls
(`Handelingen`), the wait that can continue as new (`Wachten`), the deadline watch (`bewaak`),
the source gathering (`Verzameling`), the search attributes (`Zoekattributen`) and the way a
decision is applied (`Beslissen`: checked by its validator and again inside one lock, audited,
once); its state and what derives from it (`MeldingToestand`), its current details in the Web
UI (`casusweergave`) and the descriptions of its messages (`beschrijvingen`) live apart.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    FailureError,
    WorkflowAlreadyStartedError,
    is_cancelled_exception,
)
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from contract import ids, names
    from domain import berichten, casusbeeld, regels, termijnen
    from domain.besluiten import (
        Besluit,
        DienstAfronding,
        HuishoudenInformeren,
        Koppeling,
        MonitoringUitkomst,
        Triage,
    )
    from domain.melding import Melding
    from domain.model import LEZEN
    from domain.monitoring import vervolgmelding
    from domain.status import (
        Annulering,
        MeldingAfloop,
        MeldingStatus,
        MonitoringRegel,
        TerugkoppelingRegel,
    )
    from domain.uitwisseling import SignaleringSoort, Termijnsoort
    from domain.waarden import DIENSTEN, DienstVervolg, Einde, Fase, TerugkoppelingSoort
    from workflows.auteurschap import Signaalcontrole, controleer_start
    from workflows.beschrijvingen import (
        BESCHRIJVING_AFRONDING,
        BESCHRIJVING_BESLUIT,
        BESCHRIJVING_GEKOPPELD,
        BESCHRIJVING_HUISHOUDEN,
        BESCHRIJVING_MOGELIJK_GEKOPPELD,
        BESCHRIJVING_MONITORING,
        BESCHRIJVING_STATUS,
        BESCHRIJVING_TRIAGE,
    )
    from workflows.beslissen import Beslissen
    from workflows.bezorgen import PATCH_BEZORGEN, bezorg
    from workflows.casusweergave import statisch, toon
    from workflows.handelingen import (
        PATCH_BRONNEN_VANAF_INVOER,
        PATCH_REGISTRATIE_OP_KETEN,
        PATCH_TERMIJNEN_LOKAAL,
        Handelingen,
    )
    from workflows.huishouden import Opvolging
    from workflows.overdragen import (
        PATCH_DIENST_OVERDRACHT_ALS_ZAAK,
        PATCH_OVERDRACHT_ALS_ZAAK,
        Overdragen,
        overdracht_open,
    )
    from workflows.professionals import PATCH_PROFESSIONALS_INFORMEREN, informeer_professionals
    from workflows.raad import Raadsverzoek
    from workflows.termijnbewaking import bewaak
    from workflows.toestand import MOGELIJK_BEWAARD, MeldingToestand
    from workflows.verzamelen import Verzameling
    from workflows.wachten import Wachten
    from workflows.zoekattributen import Zoekattributen

# A case that receives this many radar links in one run continues as new: bounded history.
KOPPELINGEN_PER_RUN = 100
# A waiting case whose run's history holds this many events continues as new. The longest
# stretch without a wait (a besluit through its messages and dossier update, about 40 events)
# and the continue-as-new itself fit under 200 events per run.
EVENTS_PER_RUN = 150
# Replay: v1 upserted VtGekoppeld once per radar signal; since v2 once per workflow task.
PATCH_RADAR_PER_TAAK = "radar-zoekattributen-per-taak"
# Replay: v2 continued as new only at 100 radar links; since v3 also at EVENTS_PER_RUN events.
PATCH_EVENTS_PER_RUN = "verder-als-nieuw-bij-events"
# Replay: v2 marked a late tweede terugkoppeling overdue after sending it; since v3 the mark
# (VtTermijnOverschreden) comes first, so it never waits for the outbox.
PATCH_TE_LAAT_EERST = "tweede-terugkoppeling-te-laat-eerst"
# Replay: since v5 a start is checked for its verklaring (who submits) before anything is stored.
PATCH_START_VERKLAARD = "start-verklaard"
# Replay: since v5 a radar signal is applied only with a valid verklaring (the worker's own).
PATCH_SIGNAAL_VERKLAARD = "signaal-verklaard"
# Replay: before v6 a cancel closed the case at once (a decision in flight was audited after
# the close and never applied; a cancel during registration closed and audited nothing); since
# v6 it refuses new decisions, waits for those in flight, and closes and audits in every phase.
PATCH_ANNULERING_MAAKT_AF = "annulering-maakt-af"
# Replay: before v6 a failure in the main path (a non-retryable activity error, a follow-up
# that could not start) failed the run and told nobody; since v6 it is escalated first (a
# signalering `mislukt` for the team lead, the metric MISLUKT_METRIC).
PATCH_MISLUKT_GESIGNALEERD = "mislukt-gesignaleerd"
# Replay: before v6 a follow-up melding whose workflow ID was taken failed the parent; since
# v6 the follow-up is taken to exist (its ID is derived, so it is this case's own).
PATCH_VERVOLG_BESTAAT_AL = "vervolg-bestaat-al"
MISLUKT_METRIC = "vt_meldingen_mislukt"
# Refusals, not failures: a second case for a melding_id, a start without a valid verklaring.
GEEN_STORING = frozenset({names.FOUT_BESTAAT_AL, names.FOUT_GEWEIGERD})

# Replay: since v7 a besluit after a spoed triage may come while sources are asked (Q&A 25): the
# case goes on at once, the sources are awaited before it closes, a telling late answer signals.
PATCH_SPOED_ZONDER_BRONNEN = "spoed-besluit-zonder-bronnen"
# Replay: before v7.2 a run continued as new with its side tasks (the Raad's readings, the
# household's follow-up) still waiting on their timers, which the closed run left behind (the
# time-skipping test server stopped skipping at one: tests/workflows/test_raad.py); since v7.2
# the run waits until no activity of theirs is in flight, cancels them, then continues.
PATCH_TAKEN_STOPPEN = "taken-stoppen-voor-verder-als-nieuw"
# Replay: before v7.2 an overdracht besluit closed the dossier at the eerste terugkoppeling,
# while the warme overdracht still waited for the ketenpartner (the radar then linked no new
# melding to the case, and its bewaartermijn began before the case ended); since v7.2 the
# dossier stays open until the overdracht is answered.
PATCH_DOSSIER_OPEN_TIJDENS_OVERDRACHT = "dossier-open-tijdens-overdracht"
# Replay: since v7 a postponed informing of the household is followed up until done (Q&A 4).
PATCH_UITSTEL_OPVOLGEN = "huishouden-uitstel-opvolgen"
# Replay: since v7 a dienst that found no violence points the household to its right (Q&A 28).
PATCH_VERNIETIGINGSRECHT_NA_DIENST = "vernietigingsrecht-na-dienst"
# Replay: since v7 the tweede terugkoppeling sent at the 10-week deadline is on time (Q&A 8).
PATCH_TWEEDE_OP_TIJD = "tweede-terugkoppeling-op-tijd"
# Replay: since v7 a new melding at a monitoring check is linked and monitoring goes on (Q&A 23).
PATCH_MONITORING_DOOR = "monitoring-door-na-nieuwe-melding"
# Replay: since v7 a name-only radar link (signal melding_mogelijk_gekoppeld) is checked and
# listed; before, the signal had no handler (a worker without the patch leaves it unhandled).
PATCH_RADAR_MOGELIJK = "radar-mogelijk"


def _telt_als_mislukt(fout: FailureError) -> bool:
    """A failure someone must act on; a refusal at the start is an answer, not a failure."""
    return not (isinstance(fout, ApplicationError) and fout.type in GEEN_STORING)


@workflow.defn(name=names.MELDING_WORKFLOW)
class MeldingWorkflow:
    @workflow.init
    def __init__(self, melding: Melding, toestand: MeldingToestand | None = None) -> None:
        # The SDK applies type hints only when the argument count matches them (a first run has
        # one argument, a continued run two): decode what arrived untyped. Decoding is lenient:
        # rules that may change (regions, time bounds) ran at intake, not here, and a field a
        # later release added is ignored (LEZEN: the previous release replays it).
        self.melding = Melding.model_validate(melding, context=LEZEN)
        self.toestand = (
            MeldingToestand.model_validate(toestand, context=LEZEN)
            if toestand is not None
            else MeldingToestand.nieuw(self.melding)
        )
        self.koppelingen_deze_run = 0
        self._attributen_gepland = False
        self.handelingen = Handelingen(self.melding.melding_id, self.melding.regio)
        self.verzameling = Verzameling(
            self.melding.melding_id, self.toestand, self._werk_attributen_bij, self._toon
        )
        self.wacht = Wachten(self._te_lang, self._ga_verder_als_nieuw, self._toon)
        self.geannuleerd = False
        # The start passed its verklaring check (or had none to pass): a cancel during
        # registration may then still store the melding, to close it.
        self._start_goedgekeurd = False
        self._op_keten = False
        self.zoekattributen = Zoekattributen()
        self.beslis = Beslissen(
            self.toestand,
            self.handelingen,
            self._werk_attributen_bij,
            self.status,
            sluit_run=lambda: self.wacht.sluit_run,
            geannuleerd=lambda: self.geannuleerd,
        )
        self.signaalcontrole = Signaalcontrole(self.handelingen)
        self.opvolging = Opvolging(self.melding, self.toestand, self.handelingen, self._verstuur)
        self.bronnen_na_besluit: asyncio.Task[None] | None = None
        self.raad = Raadsverzoek(self.handelingen, self.toestand, self._werk_attributen_bij)
        self.overdragen = Overdragen(
            self.handelingen,
            self.toestand,
            self.wacht,
            self._werk_attributen_bij,
            self._werk_dossier_bij,
            self._informeer_professionals,
        )

    @workflow.run
    async def run(self, melding: Melding, toestand: MeldingToestand | None = None) -> MeldingAfloop:
        t = self.toestand
        # A continued run has no static summary or details (continue_as_new cannot carry them):
        # the current details, set from the first task of every run, say all they said.
        self._toon()
        try:
            if not t.geregistreerd:
                await self._registreer()
            if t.status.besluit is None:
                await self._beoordeel()
            if not t.eerste_verstuurd:
                await self._eerste_terugkoppeling()
            self.opvolging.start()
            self.raad.start()  # since v7 (issue 22): the VTO, beside the main path
            # Since v7 (issue 22): the zaak at the ketenpartner, the warme overdracht.
            while overdracht_open(t.status) and workflow.patched(PATCH_OVERDRACHT_ALS_ZAAK):
                await self.overdragen()
            besluit = t.status.besluit
            assert besluit is not None
            if t.einde is None and besluit.vervolg in DIENSTEN:
                await self._dienst()
            if t.einde is None:
                await self._monitor()
            await self.opvolging.klaar()
            if self.bronnen_na_besluit is not None:
                await self.bronnen_na_besluit
            return await self._sluit_af()
        except asyncio.CancelledError:
            await self._sluit_af_na_annulering()
            raise
        except FailureError as fout:
            # A cancel that lands while an activity is in flight arrives as that activity's
            # error (v5 closed nothing then); any other failure ends the run Failed: since v6
            # never silently.
            if is_cancelled_exception(fout):
                if workflow.patched(PATCH_ANNULERING_MAAKT_AF):
                    await self._sluit_af_na_annulering()
            elif _telt_als_mislukt(fout) and workflow.patched(PATCH_MISLUKT_GESIGNALEERD):
                await self._meld_mislukt(fout)
            raise

    # -- registratie ------------------------------------------------------------------------
    async def _registreer(self) -> None:
        t = self.toestand
        verklaard = workflow.patched(PATCH_START_VERKLAARD)
        # Every patch of this step decided before its first local activity: on replay a patch
        # is known only from the workflow task whose history holds its marker, and a local
        # activity can end the task it ran in (then the next patch lands in the next task).
        workflow.patched(PATCH_TERMIJNEN_LOKAAL)
        vanaf_invoer = workflow.patched(PATCH_BRONNEN_VANAF_INVOER)
        self._op_keten = workflow.patched(PATCH_REGISTRATIE_OP_KETEN)
        if verklaard:
            await controleer_start(self.handelingen)  # refused: the workflow fails, nothing stored
        self._start_goedgekeurd = True
        t.termijnen = await self.handelingen.bereken_termijnen(
            self.melding.ontvangen_op, vanaf_invoer=vanaf_invoer
        )
        t.status.beoordeling_deadline = t.termijnen.beoordeling_deadline
        try:
            await self.handelingen.sla_op(self.melding, op_keten=self._op_keten)
        except ActivityError as fout:
            oorzaak = fout.cause
            if isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_BESTAAT_AL:
                # PostgreSQL is the authority: a second case for this melding_id never starts.
                t.status.fase = Fase.AFGESLOTEN
                self._werk_attributen_bij()
                raise ApplicationError(
                    oorzaak.message, type=names.FOUT_BESTAAT_AL, non_retryable=True
                ) from None
            raise
        t.geregistreerd = True
        self._werk_attributen_bij()

    # -- veiligheidsbeoordeling ---------------------------------------------------------------
    async def _beoordeel(self) -> None:
        t = self.toestand
        assert t.termijnen is not None
        verzamelen = (
            None
            if t.bronnen_klaar
            else asyncio.create_task(self.verzameling.verzamel(self._nieuw_beeld))
        )
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
            samenvattingen=(
                casusbeeld.herinnering("beoordeling", t.termijnen.herinnering),
                casusbeeld.termijn("beoordeling", t.termijnen.beoordeling_deadline),
            ),
        )
        if (
            verzamelen is not None
            and not t.bronnen_klaar
            and workflow.patched(PATCH_SPOED_ZONDER_BRONNEN)
        ):
            # A spoed besluit came first (Q&A 25): the case goes on; the sources keep arriving.
            self.bronnen_na_besluit = verzamelen
        elif verzamelen is not None:
            await verzamelen

    async def _nieuw_beeld(self) -> None:
        """A source answered after the besluit with something it could not weigh: signalled."""
        assert self.toestand.termijnen is not None
        await self.handelingen.signaleer(
            SignaleringSoort.NIEUWE_INFORMATIE,
            Termijnsoort.NAGEKOMEN_INFORMATIE,
            self.toestand.termijnen.beoordeling_deadline,
        )

    # -- eerste terugkoppeling en het huishouden informeren ----------------------------------
    async def _eerste_terugkoppeling(self) -> None:
        t, melding = self.toestand, self.melding
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
                if workflow.patched(PATCH_UITSTEL_OPVOLGEN):
                    t.huishouden_uitgesteld_op = workflow.now()
            else:
                await self._verstuur(berichten.huishouden_bericht(melding, besluit))
                t.vernietigingsrecht_gemeld = regels.vernietigingsrecht(besluit)
            t.huishouden_afgehandeld = True
        await self._informeer_professionals(besluit)
        t.einde = regels.einde_na_besluit(besluit.vervolg)
        if t.einde is None:
            t.status.fase = Fase(besluit.vervolg.value)
        await self._werk_dossier_bij()

    async def _informeer_professionals(self, besluit: Besluit) -> None:
        """Since v7 (issue 22, Q&A 10): the huisarts, JGZ or school the besluit names."""
        if besluit.professionals_informeren and workflow.patched(PATCH_PROFESSIONALS_INFORMEREN):
            await informeer_professionals(
                self.handelingen,
                self.melding,
                self.toestand.status,
                besluit,
                self._werk_attributen_bij,
            )

    # -- dienst: voorwaarden en vervolg, of onderzoek ---------------------------------------
    async def _dienst(self) -> None:
        t = self.toestand
        eerste = t.status.terugkoppelingen[0].verstuurd_op
        deadline = termijnen.tweede_terugkoppeling_deadline(eerste)
        t.status.tweede_terugkoppeling_deadline = deadline
        self._werk_attributen_bij()
        herinnering = termijnen.tweede_terugkoppeling_herinnering(eerste)
        await bewaak(
            self.wacht,
            lambda: t.afronding is not None,
            sleutel=Termijnsoort.TWEEDE_TERUGKOPPELING,
            herinnering=herinnering,
            deadline=deadline,
            gedaan=t.signaleringen,
            bij_herinnering=lambda: self._signaleer(
                SignaleringSoort.HERINNERING, Termijnsoort.TWEEDE_TERUGKOPPELING
            ),
            bij_overschrijding=self._tweede_te_laat,
            samenvattingen=(
                casusbeeld.herinnering("tweede terugkoppeling", herinnering),
                casusbeeld.termijn("tweede terugkoppeling", deadline),
            ),
        )
        if not t.tweede_verstuurd:
            await self._tweede_terugkoppeling()
        afronding = t.afronding
        assert afronding is not None and t.status.besluit is not None
        t.dienst_einde = t.dienst_einde or workflow.now()
        await self._wijs_op_vernietigingsrecht()
        # Since v7 (issue 22): the dienst's overdracht as a zaak, with its warme overdracht.
        if afronding.vervolg is DienstVervolg.OVERDRACHT and workflow.patched(
            PATCH_DIENST_OVERDRACHT_ALS_ZAAK
        ):
            afronding = await self.overdragen.na_dienst()
        if not regels.monitoring_nodig(t.status.besluit.vervolg, afronding):
            t.einde = regels.einde_na_dienst(afronding)
        await self._werk_dossier_bij()

    async def _wijs_op_vernietigingsrecht(self) -> None:
        """Q&A 28: the afronding found no violence, and the household (already informed) was
        not pointed to its right: it is now, in a message of its own. A household whose
        informing is still postponed hears of it when informed (workflows/huishouden.py)."""
        t = self.toestand
        assert t.afronding is not None and t.status.besluit is not None
        if (
            regels.vernietigingsrecht_na_dienst(t.status.besluit, t.afronding)
            and not t.vernietigingsrecht_gemeld
            and not t.huishouden_wacht()
            and workflow.patched(PATCH_VERNIETIGINGSRECHT_NA_DIENST)
        ):
            await self._verstuur(berichten.vernietigingsrecht_bericht(self.melding))
            t.vernietigingsrecht_gemeld = True

    async def _tweede_te_laat(self) -> None:
        """At 10 weeks the melder hears the state of that moment: within Q&A 8's term, so
        marked overdue only when it left after the deadline's day (since v7; v3 to v6 marked
        it first, then sent it; before v3 sent first, then marked)."""
        if workflow.patched(PATCH_TWEEDE_OP_TIJD):
            await self._tweede_terugkoppeling()
            self._werk_attributen_bij()  # sent: no next deadline
            deadline = self.toestand.status.tweede_terugkoppeling_deadline
            verstuurd = self.toestand.status.terugkoppelingen[-1].verstuurd_op
            assert deadline is not None
            if termijnen.tweede_terugkoppeling_te_laat(verstuurd, deadline):
                await self._overschreden(Termijnsoort.TWEEDE_TERUGKOPPELING)
            return
        if workflow.patched(PATCH_TE_LAAT_EERST):
            self._markeer_te_laat(Termijnsoort.TWEEDE_TERUGKOPPELING)
            await self._tweede_terugkoppeling()
            self._werk_attributen_bij()  # sent: no next deadline
            await self._signaleer(SignaleringSoort.ESCALATIE, Termijnsoort.TWEEDE_TERUGKOPPELING)
            return
        await self._tweede_terugkoppeling()
        await self._overschreden(Termijnsoort.TWEEDE_TERUGKOPPELING)

    async def _tweede_terugkoppeling(self) -> None:
        t = self.toestand
        assert t.status.besluit is not None
        bericht = berichten.tweede_terugkoppeling(self.melding, t.status.besluit, t.afronding)
        await self._verstuur(bericht, TerugkoppelingSoort.TWEEDE)
        t.tweede_verstuurd = True

    # -- monitoring -------------------------------------------------------------------------
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
                lambda: False, regel.gepland_op, casusbeeld.monitoringsmoment(nummer, afspraak)
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
                    casusbeeld.herinnering(
                        naam, regel.gepland_op + termijnen.MONITORING_HERINNERING
                    ),
                    casusbeeld.escalatie(naam, regel.gepland_op + termijnen.MONITORING_ESCALATIE),
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
            await workflow.start_child_workflow(
                MeldingWorkflow.run,
                nieuw,
                id=ids.melding_workflow_id(nieuw.melding_id),
                parent_close_policy=ParentClosePolicy.ABANDON,
                static_summary=samenvatting,
                static_details=details,
            )
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

    # -- mislukt -----------------------------------------------------------------------------
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

    # -- afsluiting -------------------------------------------------------------------------
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

    # -- de menselijke beslissingen ------------------------------------------------------------
    @workflow.update(name=names.UPDATE_TRIAGE, description=BESCHRIJVING_TRIAGE)
    async def registreer_triage(self, triage: Triage) -> MeldingStatus:
        def pas_toe() -> None:
            self.toestand.status.triage = triage
            if self.toestand.status.fase is Fase.WACHT_OP_TRIAGE:
                self.toestand.status.fase = Fase.WACHT_OP_BESLUIT

        return await self.beslis(
            names.UPDATE_TRIAGE, triage, triage.medewerker, self._weiger_triage, pas_toe
        )

    @registreer_triage.validator
    def _valideer_triage(self, triage: Triage) -> None:
        self.beslis.valideer(names.UPDATE_TRIAGE, triage, self._weiger_triage)

    def _weiger_triage(self, triage: Triage) -> str | None:
        return regels.weiger_triage(
            self.toestand.status.fase, self.toestand.status.besluit is not None
        )

    @workflow.update(name=names.UPDATE_BESLUIT, description=BESCHRIJVING_BESLUIT)
    async def neem_besluit(self, besluit: Besluit) -> MeldingStatus:
        def pas_toe() -> None:
            self.toestand.status.besluit = besluit
            if besluit.vervolg in DIENSTEN:
                self.toestand.status.fase = Fase(besluit.vervolg.value)

        return await self.beslis(
            names.UPDATE_BESLUIT, besluit, besluit.medewerker, self._weiger_besluit, pas_toe
        )

    @neem_besluit.validator
    def _valideer_besluit(self, besluit: Besluit) -> None:
        self.beslis.valideer(names.UPDATE_BESLUIT, besluit, self._weiger_besluit)

    def _weiger_besluit(self, besluit: Besluit) -> str | None:
        s = self.toestand.status
        # The triage first: a besluit without one is told so, also while sources are asked.
        return regels.weiger_besluit(
            self.melding, s.triage, besluit, s.besluit is not None
        ) or regels.weiger_besluit_tijdens_verzamelen(s.fase, s.triage)

    @workflow.update(name=names.UPDATE_DIENST_AFRONDEN, description=BESCHRIJVING_AFRONDING)
    async def rond_dienst_af(self, afronding: DienstAfronding) -> MeldingStatus:
        def pas_toe() -> None:
            self.toestand.afronding = afronding
            self.toestand.dienst_einde = workflow.now()
            self._toon()

        return await self.beslis(
            names.UPDATE_DIENST_AFRONDEN,
            afronding,
            afronding.medewerker,
            self._weiger_afronding,
            pas_toe,
            bijwerken=False,
        )

    @rond_dienst_af.validator
    def _valideer_afronding(self, afronding: DienstAfronding) -> None:
        self.beslis.valideer(names.UPDATE_DIENST_AFRONDEN, afronding, self._weiger_afronding)

    def _weiger_afronding(self, afronding: DienstAfronding) -> str | None:
        if self.toestand.afronding is not None:
            return "dienst: is al afgerond"
        return regels.weiger_dienst_afronding(self.toestand.status.fase)

    @workflow.update(name=names.UPDATE_MONITORING, description=BESCHRIJVING_MONITORING)
    async def registreer_monitoring(self, uitkomst: MonitoringUitkomst) -> MeldingStatus:
        def pas_toe() -> None:
            self.toestand.status.monitoring[-1].uitkomst = uitkomst
            self.toestand.monitoring_open = False

        return await self.beslis(
            names.UPDATE_MONITORING, uitkomst, uitkomst.medewerker, self._weiger_monitoring, pas_toe
        )

    @registreer_monitoring.validator
    def _valideer_monitoring(self, uitkomst: MonitoringUitkomst) -> None:
        self.beslis.valideer(names.UPDATE_MONITORING, uitkomst, self._weiger_monitoring)

    def _weiger_monitoring(self, uitkomst: MonitoringUitkomst) -> str | None:
        return regels.weiger_monitoring(
            self.toestand.monitoring_open, self.toestand.afronding, uitkomst
        )

    @workflow.update(name=names.UPDATE_HUISHOUDEN_INFORMEREN, description=BESCHRIJVING_HUISHOUDEN)
    async def informeer_huishouden(self, informatie: HuishoudenInformeren) -> MeldingStatus:
        def pas_toe() -> None:
            self.toestand.huishouden_geinformeerd = informatie

        return await self.beslis(
            names.UPDATE_HUISHOUDEN_INFORMEREN,
            informatie,
            informatie.medewerker,
            self._weiger_informeren,
            pas_toe,
        )

    @informeer_huishouden.validator
    def _valideer_informeren(self, informatie: HuishoudenInformeren) -> None:
        self.beslis.valideer(
            names.UPDATE_HUISHOUDEN_INFORMEREN, informatie, self._weiger_informeren
        )

    def _weiger_informeren(self, informatie: HuishoudenInformeren) -> str | None:
        t = self.toestand
        return regels.weiger_huishouden_informeren(
            t.huishouden_uitgesteld_op is not None, t.huishouden_geinformeerd is not None
        )

    # -- radar ------------------------------------------------------------------------------
    @workflow.signal(name=names.SIGNAL_GEKOPPELD, description=BESCHRIJVING_GEKOPPELD)
    async def melding_gekoppeld(self, koppeling: Koppeling) -> None:
        if workflow.patched(PATCH_SIGNAAL_VERKLAARD):
            wie = await self.signaalcontrole.auteur(names.SIGNAL_GEKOPPELD, koppeling.melding_id)
            if wie is None:
                return  # counted and logged, nothing changed
        bekend = {k.melding_id for k in self.toestand.status.gekoppelde_meldingen}
        if koppeling.melding_id == self.melding.melding_id or koppeling.melding_id in bekend:
            return
        self.toestand.status.gekoppelde_meldingen.append(koppeling)
        self.koppelingen_deze_run += 1
        if not workflow.patched(PATCH_RADAR_PER_TAAK):
            self._werk_attributen_bij()
        elif not self._attributen_gepland:
            # A burst of links arrives in one workflow task: one upsert for all of them.
            self._attributen_gepland = True
            asyncio.get_running_loop().call_soon(self._werk_attributen_bij_na_signalen)

    @workflow.signal(
        name=names.SIGNAL_MOGELIJK_GEKOPPELD, description=BESCHRIJVING_MOGELIJK_GEKOPPELD
    )
    async def melding_mogelijk_gekoppeld(self, koppeling: Koppeling) -> None:
        """Issue 21.7: a newer melding matched on name and date of birth only may be another
        household (Q&A 10 is about the same one): listed for the medewerker as "mogelijk", no
        search attribute, no ketenpartner, no other effect."""
        if not workflow.patched(PATCH_RADAR_MOGELIJK):
            return
        if (
            await self.signaalcontrole.auteur(names.SIGNAL_MOGELIJK_GEKOPPELD, koppeling.melding_id)
            is None
        ):
            return
        lijst = self.toestand.status.mogelijk_gekoppeld
        if koppeling.melding_id == self.melding.melding_id or any(
            k.melding_id == koppeling.melding_id for k in lijst
        ):
            return
        lijst.append(koppeling)
        del lijst[:-MOGELIJK_BEWAARD]
        self.koppelingen_deze_run += 1
        self._toon()

    def _werk_attributen_bij_na_signalen(self) -> None:
        self._attributen_gepland = False
        self._werk_attributen_bij()

    # -- status -----------------------------------------------------------------------------
    @workflow.query(name=names.QUERY_STATUS, description=BESCHRIJVING_STATUS)
    def status(self) -> MeldingStatus:
        return self.toestand.antwoord()

    # -- mechanics the steps share ------------------------------------------------------------
    def _werk_attributen_bij(self) -> None:
        self.zoekattributen.werk_bij(self.toestand.status, self.toestand.volgende_deadline())
        self._toon()

    def _toon(self) -> None:
        """The current details in the Web UI (not a command: replay-safe, any time)."""
        toon(self.melding, self.toestand, geannuleerd=self.geannuleerd)

    def _te_lang(self) -> bool:
        if not self.verzameling.klaar():
            return False
        return (
            self.koppelingen_deze_run >= KOPPELINGEN_PER_RUN
            or workflow.info().is_continue_as_new_suggested()
            # patched() last: its marker only where the bound is reached (a run with fewer
            # events keeps the v2 commands).
            or (
                workflow.info().get_current_history_length() >= EVENTS_PER_RUN
                and workflow.patched(PATCH_EVENTS_PER_RUN)
            )
        )

    async def _ga_verder_als_nieuw(self) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        zijtaken = (self.raad, self.opvolging)
        lopend = [z for z in zijtaken if z.taak is not None and not z.taak.done()]
        # patched() last: its marker only where a side task runs.
        if lopend and workflow.patched(PATCH_TAKEN_STOPPEN):
            # The next run restarts them from the state it is given (every reading and reminder
            # done so far is in it); an activity in flight finishes here first.
            # A task that ends meanwhile (the household informed, its message sent) is done too.
            await workflow.wait_condition(
                lambda: all(z.rust or (z.taak is not None and z.taak.done()) for z in lopend)
            )
            taken = [z.taak for z in lopend if z.taak is not None]
            for taak in taken:
                taak.cancel()
            await workflow.wait(taken)
        workflow.continue_as_new(args=[self.melding, self.toestand.voor_voortzetting()])

    async def _verstuur(self, bericht: Any, soort: TerugkoppelingSoort | None = None) -> None:
        verzending = await self.handelingen.plaats_in_outbox(bericht)
        if soort is not None:
            self.toestand.status.terugkoppelingen.append(
                TerugkoppelingRegel(soort=soort, verstuurd_op=verzending.verstuurd_op)
            )
        self._werk_attributen_bij()
        if workflow.patched(PATCH_BEZORGEN):  # since v6: delivered, not only stored
            await bezorg(
                self.handelingen, self.toestand.status, bericht.soort, self.melding.melder.soort
            )
            self._werk_attributen_bij()

    async def _signaleer(self, soort: SignaleringSoort, termijn: Termijnsoort) -> None:
        await self.handelingen.signaleer(
            soort, termijn, self.toestand.volgende_deadline() or workflow.now()
        )

    async def _overschreden(self, termijn: Termijnsoort) -> None:
        self._markeer_te_laat(termijn)
        await self._signaleer(SignaleringSoort.ESCALATIE, termijn)

    def _markeer_te_laat(self, termijn: Termijnsoort) -> None:
        """A legal term passed: VtTermijnOverschreden and the banner, at once."""
        self.toestand.status.termijn_overschreden = True
        if termijn.value not in self.toestand.verstreken:
            self.toestand.verstreken.append(termijn.value)
        self._werk_attributen_bij()
        workflow.logger.warning(
            "termijn overschreden",
            extra={"melding_id": self.melding.melding_id, "termijn": termijn},
        )

    async def _werk_dossier_bij(self, *, afgesloten: bool | None = None) -> None:
        stand = self.toestand.dossier_stand(self.melding.melding_id, afgesloten)
        if (
            stand.afgesloten
            and afgesloten is None
            and overdracht_open(self.toestand.status)
            and workflow.patched(PATCH_DOSSIER_OPEN_TIJDENS_OVERDRACHT)  # last: only where due
        ):
            stand = stand.model_copy(update={"afgesloten": False})
        if stand.afgesloten:  # the start of the bewaartermijn (issue 25); not a command
            stand = stand.model_copy(update={"afgesloten_op": workflow.now()})
        termijn = await self.handelingen.werk_dossier_bij(
            stand, termijn_bekend=self.toestand.status.bewaartermijn is not None
        )
        if termijn is not None:
            self.toestand.status.bewaartermijn = termijn
