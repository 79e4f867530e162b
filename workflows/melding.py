"""MeldingWorkflow: one melding through the Veilig Thuis process.

registratie → informatie verzamelen → triage → besluit → eerste terugkoppeling (and the
household informed) → dienst with tweede terugkoppeling → monitoring → afloop.

One class that reads as the lifecycle: `__init__` sets all state (a message may arrive before
`run`), `run` tells the steps, then the human decisions (updates with validators), the radar
signal and the status query. Its mechanics are objects it owns: the activity calls
(`Handelingen`), the wait that can continue as new (`Wachten`), the deadline watch (`bewaak`),
the source gathering (`Verzameling`) and the search attributes (`Zoekattributen`).

Every decision is checked twice: by its validator (a refusal never enters the history) and again
inside the handler's lock (two decisions in flight at once cannot both pass), and an identical
repeat of an applied decision answers as the first did.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from contract import ids, names
    from domain import berichten, casusbeeld, regels, termijnen
    from domain.besluiten import Besluit, DienstAfronding, Koppeling, MonitoringUitkomst, Triage
    from domain.invoer import foutregels, streng
    from domain.melding import Melding
    from domain.monitoring import vervolgmelding
    from domain.status import (
        Annulering,
        MeldingAfloop,
        MeldingStatus,
        MonitoringRegel,
        TerugkoppelingRegel,
    )
    from domain.uitwisseling import DossierStand, SignaleringSoort, Termijnsoort
    from domain.waarden import DIENSTEN, Einde, Fase, TerugkoppelingSoort
    from workflows.handelingen import Handelingen
    from workflows.termijnbewaking import bewaak
    from workflows.toestand import VERZOEKEN_BEWAARD, MeldingToestand
    from workflows.verzamelen import Verzameling
    from workflows.wachten import Wachten
    from workflows.zoekattributen import Zoekattributen

# A case that receives this many radar links in one run continues as new: bounded history.
KOPPELINGEN_PER_RUN = 100
# A waiting case whose run's history holds this many events continues as new. The longest
# stretch without a wait (a besluit through its messages and dossier update, about 40 events)
# and the continue-as-new itself fit under 200 events per run.
EVENTS_PER_RUN = 150
# Replay: v1 applied a decision and then audited it; since v2 the audit comes first.
PATCH_AUDIT_EERST = "beslissing-na-audit"
# Replay: v1 upserted VtGekoppeld once per radar signal; since v2 once per workflow task.
PATCH_RADAR_PER_TAAK = "radar-zoekattributen-per-taak"
# Replay: v2 continued as new only at 100 radar links; since v3 also at EVENTS_PER_RUN events.
PATCH_EVENTS_PER_RUN = "verder-als-nieuw-bij-events"


Weigering = Callable[[Any], str | None]


def _weiger(reden: str | None) -> None:
    """Refuse the update in its validator: the reason names the rule; the error type is the
    contract's `Geweigerd`, as when the handler refuses (the client raises starter.Geweigerd)."""
    if reden is not None:
        raise ApplicationError(reden, type=names.FOUT_GEWEIGERD, non_retryable=True)


def _intake(beslissing: Any) -> str | None:
    """What the contract's intake rules say of a decision (None: nothing), by today's clock."""
    try:
        streng(beslissing, workflow.now())
    except ValidationError as fout:
        return "; ".join(foutregels(fout, type(beslissing)))
    return None


# Replay: v2 marked a late tweede terugkoppeling overdue after sending it; since v3 the mark
# (VtTermijnOverschreden) comes first, so it never waits for the outbox.
PATCH_TE_LAAT_EERST = "tweede-terugkoppeling-te-laat-eerst"

BESCHRIJVING_TRIAGE = (
    "Triage registreren, voor het besluit. Payload Triage: medewerker, acute_onveiligheid, "
    "directe_interventie_nodig, structurele_onveiligheid, schadelijke_leefsituatie, "
    "informatie_toereikend, nader_onderzoek_nodig (true/false), urgentie "
    "(spoed|hoog|normaal), onderbouwing. Antwoord: de MeldingStatus."
)
BESCHRIJVING_BESLUIT = (
    "Besluit over het vervolg, na de triage en de bronnen. Payload Besluit: medewerker, "
    "vervolg (afsluiten|advies|overdracht|voorwaarden_en_vervolg|onderzoek), ketenpartner "
    "{soort, naam} (bij overdracht), contact_huishouden "
    "(veilig_thuis|wijkteam|betrokken_professional), anonimiteit_toegezegd, "
    "raad_verzoek_tot_onderzoek, politie_informeren, geweld_vastgesteld, advies_aan_melder "
    "(voortzetten|aanpassen|uitbreiden), huishouden_informeren_uitstellen, onderbouwing. "
    "Antwoord: de MeldingStatus."
)
BESCHRIJVING_AFRONDING = (
    "Dienst afronden (fase voorwaarden_en_vervolg of onderzoek). Payload DienstAfronding: "
    "medewerker, veiligheidsvoorwaarden_gesteld, geweld_vastgesteld, vervolg "
    "(overdracht|afsluiten), ketenpartner {soort, naam}, samenvatting_voor_melder. "
    "Antwoord: de MeldingStatus."
)
BESCHRIJVING_MONITORING = (
    "Uitkomst van het open monitoringsmoment (een gepland moment dat nog niet open is, wordt "
    "geweigerd). Payload MonitoringUitkomst: medewerker, stabiel_veilig, herstel_gaande, "
    "nieuwe_melding_nodig, toelichting. Antwoord: de MeldingStatus."
)
BESCHRIJVING_GEKOPPELD = (
    "Radar: een nieuwe melding over hetzelfde huishouden (gestuurd door het register, niet "
    "door mensen). Payload Koppeling: melding_id, regio, ontvangen_op."
)
BESCHRIJVING_STATUS = (
    "De stand van de melding (MeldingStatus): fase, termijnen, bronnen, triage, besluit, "
    "terugkoppelingen, monitoring (gepland of open), gekoppelde meldingen, volgende_deadline. "
    "Geen invoer."
)


@workflow.defn(name=names.MELDING_WORKFLOW)
class MeldingWorkflow:
    @workflow.init
    def __init__(self, melding: Melding, toestand: MeldingToestand | None = None) -> None:
        # The SDK applies type hints only when the argument count matches them (a first run has
        # one argument, a continued run two): decode what arrived untyped. Decoding is lenient:
        # rules that may change (regions, time bounds) ran at intake, not here.
        self.melding = Melding.model_validate(melding)
        self.t = (
            MeldingToestand.model_validate(toestand)
            if toestand is not None
            else MeldingToestand.nieuw(self.melding)
        )
        self.slot = asyncio.Lock()
        self.koppelingen_deze_run = 0
        self._attributen_gepland = False
        self.doe = Handelingen(self.melding.melding_id, self.melding.regio)
        self.verzameling = Verzameling(
            self.melding.melding_id, self.t, self._werk_attributen_bij, self._toon
        )
        self.wacht = Wachten(self._te_lang, self._ga_verder_als_nieuw, self._toon)
        self.geannuleerd = False
        self.zoekattributen = Zoekattributen()

    @workflow.run
    async def run(self, melding: Melding, toestand: MeldingToestand | None = None) -> MeldingAfloop:
        t = self.t
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
            besluit = t.status.besluit
            assert besluit is not None
            if t.einde is None and besluit.vervolg in DIENSTEN:
                await self._dienst()
            if t.einde is None:
                await self._monitor()
            return await self._sluit_af()
        except asyncio.CancelledError:
            await self._sluit_af_na_annulering()
            raise

    # -- registratie ------------------------------------------------------------------------
    async def _registreer(self) -> None:
        t = self.t
        t.termijnen = await self.doe.bereken_termijnen(self.melding.ontvangen_op)
        t.status.beoordeling_deadline = t.termijnen.beoordeling_deadline
        try:
            await self.doe.sla_op(self.melding)
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
        t = self.t
        assert t.termijnen is not None
        verzamelen = None if t.bronnen_klaar else asyncio.create_task(self.verzameling.verzamel())
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
        if verzamelen is not None:
            await verzamelen

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
        if not regels.monitoring_nodig(t.status.besluit.vervolg, afronding):
            t.einde = regels.einde_na_dienst(afronding)
        await self._werk_dossier_bij()

    async def _tweede_te_laat(self) -> None:
        """At 10 weeks the case is marked overdue and the melder hears the state of that
        moment (before v3: sent first, then marked)."""
        if workflow.patched(PATCH_TE_LAAT_EERST):
            self._markeer_te_laat(Termijnsoort.TWEEDE_TERUGKOPPELING)
            await self._tweede_terugkoppeling()
            self._werk_attributen_bij()  # sent: no next deadline
            await self._signaleer(SignaleringSoort.ESCALATIE, Termijnsoort.TWEEDE_TERUGKOPPELING)
            return
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
            nummer = self._plan_monitoring(t.dienst_einde)
            regel = t.status.monitoring[nummer - 1]
            self._werk_attributen_bij()
            await self.wacht(lambda: False, regel.gepland_op, casusbeeld.monitoringsmoment(nummer))
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
                await self._nieuwe_melding(nummer)
            elif uitkomst.stabiel_veilig and nummer >= 2:
                t.einde = Einde.STABIEL_VEILIG

    def _plan_monitoring(self, dienst_einde: datetime) -> int:
        """The number of the current check, planning the next one when the last is done."""
        lijst = self.t.status.monitoring
        if not lijst or lijst[-1].uitkomst is not None:
            nummer = len(lijst) + 1
            lijst.append(
                MonitoringRegel(gepland_op=termijnen.monitoring_moment(dienst_einde, nummer))
            )
        return len(lijst)

    async def _nieuwe_melding(self, nummer: int) -> None:
        """Monitoring found renewed unsafety: a new, linked MeldingWorkflow (Q&A 26)."""
        regel = self.t.status.monitoring[nummer - 1]
        assert regel.uitkomst is not None
        nieuw: Melding = vervolgmelding(self.melding, regel.uitkomst, workflow.now(), nummer)
        await workflow.start_child_workflow(
            MeldingWorkflow.run,
            nieuw,
            id=ids.melding_workflow_id(nieuw.melding_id),
            parent_close_policy=ParentClosePolicy.ABANDON,
            static_summary=casusbeeld.statische_samenvatting(nieuw.melding_id, nieuw.regio),
            static_details=casusbeeld.statische_details(
                nieuw.melding_id,
                nieuw.regio,
                nieuw.melder.soort.value,
                nieuw.ontvangen_op,
                termijnen.beoordeling_deadline(nieuw.ontvangen_op),
                vervolg_op=self.melding.melding_id,
            ),
        )
        self.t.einde = Einde.NIEUWE_MELDING

    # -- afsluiting -------------------------------------------------------------------------
    async def _sluit_af(self) -> MeldingAfloop:
        t = self.t
        assert t.einde is not None and t.status.besluit is not None
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
        on the request in the history, the audit trail records that it happened."""
        t = self.t
        t.status.fase = Fase.AFGESLOTEN
        t.monitoring_open = False
        self.geannuleerd = True
        self._werk_attributen_bij()
        workflow.logger.warning(
            "melding geannuleerd", extra={"melding_id": self.melding.melding_id}
        )
        if t.geregistreerd:
            await self.doe.audit(
                "annulering", "temporal-annulering", Annulering(fase=t.status.fase)
            )
            await self._werk_dossier_bij(afgesloten=True)

    # -- de menselijke beslissingen ------------------------------------------------------------
    @workflow.update(name=names.UPDATE_TRIAGE, description=BESCHRIJVING_TRIAGE)
    async def registreer_triage(self, triage: Triage) -> MeldingStatus:
        def pas_toe() -> None:
            self.t.status.triage = triage
            if self.t.status.fase is Fase.WACHT_OP_TRIAGE:
                self.t.status.fase = Fase.WACHT_OP_BESLUIT

        return await self._beslis(
            names.UPDATE_TRIAGE, triage, triage.medewerker, self._weiger_triage, pas_toe
        )

    @registreer_triage.validator
    def _valideer_triage(self, triage: Triage) -> None:
        self._valideer(names.UPDATE_TRIAGE, triage, self._weiger_triage)

    def _weiger_triage(self, triage: Triage) -> str | None:
        return regels.weiger_triage(self.t.status.fase, self.t.status.besluit is not None)

    @workflow.update(name=names.UPDATE_BESLUIT, description=BESCHRIJVING_BESLUIT)
    async def neem_besluit(self, besluit: Besluit) -> MeldingStatus:
        def pas_toe() -> None:
            self.t.status.besluit = besluit
            if besluit.vervolg in DIENSTEN:
                self.t.status.fase = Fase(besluit.vervolg.value)

        return await self._beslis(
            names.UPDATE_BESLUIT, besluit, besluit.medewerker, self._weiger_besluit, pas_toe
        )

    @neem_besluit.validator
    def _valideer_besluit(self, besluit: Besluit) -> None:
        self._valideer(names.UPDATE_BESLUIT, besluit, self._weiger_besluit)

    def _weiger_besluit(self, besluit: Besluit) -> str | None:
        s = self.t.status
        # The triage first: a besluit without one is told so, also while sources are asked.
        return regels.weiger_besluit(
            self.melding, s.triage, besluit, s.besluit is not None
        ) or regels.weiger_besluit_tijdens_verzamelen(s.fase)

    @workflow.update(name=names.UPDATE_DIENST_AFRONDEN, description=BESCHRIJVING_AFRONDING)
    async def rond_dienst_af(self, afronding: DienstAfronding) -> MeldingStatus:
        def pas_toe() -> None:
            self.t.afronding = afronding
            self.t.dienst_einde = workflow.now()
            self._toon()

        return await self._beslis(
            names.UPDATE_DIENST_AFRONDEN,
            afronding,
            afronding.medewerker,
            self._weiger_afronding,
            pas_toe,
            bijwerken=False,
        )

    @rond_dienst_af.validator
    def _valideer_afronding(self, afronding: DienstAfronding) -> None:
        self._valideer(names.UPDATE_DIENST_AFRONDEN, afronding, self._weiger_afronding)

    def _weiger_afronding(self, afronding: DienstAfronding) -> str | None:
        if self.t.afronding is not None:
            return "dienst: is al afgerond"
        return regels.weiger_dienst_afronding(self.t.status.fase)

    @workflow.update(name=names.UPDATE_MONITORING, description=BESCHRIJVING_MONITORING)
    async def registreer_monitoring(self, uitkomst: MonitoringUitkomst) -> MeldingStatus:
        def pas_toe() -> None:
            self.t.status.monitoring[-1].uitkomst = uitkomst
            self.t.monitoring_open = False

        return await self._beslis(
            names.UPDATE_MONITORING, uitkomst, uitkomst.medewerker, self._weiger_monitoring, pas_toe
        )

    @registreer_monitoring.validator
    def _valideer_monitoring(self, uitkomst: MonitoringUitkomst) -> None:
        self._valideer(names.UPDATE_MONITORING, uitkomst, self._weiger_monitoring)

    def _weiger_monitoring(self, uitkomst: MonitoringUitkomst) -> str | None:
        return regels.weiger_monitoring(self.t.monitoring_open)

    def _valideer(self, handeling: str, beslissing: Any, weiger: Weigering) -> None:
        """The validator: every intake rule of the contract (those that may change are not
        applied when a history is decoded, so they are applied here), then the protocol; a
        repeat of an applied decision passes (the handler answers it)."""
        _weiger(_intake(beslissing))
        if not self._herhaling(handeling, beslissing):
            _weiger(weiger(beslissing))

    async def _beslis(
        self,
        handeling: str,
        beslissing: Any,
        medewerker: str,
        weiger: Weigering,
        pas_toe: Callable[[], None],
        *,
        bijwerken: bool = True,
    ) -> MeldingStatus:
        """Apply one human decision: once, audited, and re-checked inside the lock, where no
        other decision can be half-way (the validator ran before any of them started)."""
        async with self.slot:
            if self._herhaling(handeling, beslissing):
                return self.status()
            reden = weiger(beslissing)
            if reden is not None:
                raise ApplicationError(reden, type=names.FOUT_GEWEIGERD, non_retryable=True)
            if workflow.patched(PATCH_AUDIT_EERST):
                await self.doe.audit(handeling, medewerker, beslissing)
                pas_toe()
                if bijwerken:
                    self._werk_attributen_bij()
            else:
                pas_toe()
                if bijwerken:
                    self._werk_attributen_bij()
                await self.doe.audit(handeling, medewerker, beslissing)
            self._onthoud()
            return self.status()

    def _herhaling(self, handeling: str, beslissing: Any) -> bool:
        """A client's retry: the same update ID, or an identical repeat of the decision in
        force (a retry after a timeout that was applied all the same)."""
        verzoek = workflow.current_update_info()
        if verzoek is not None and verzoek.id in self.t.verzoeken:
            return True
        t = self.t
        if handeling == names.UPDATE_BESLUIT:
            return bool(t.status.besluit == beslissing)
        if handeling == names.UPDATE_DIENST_AFRONDEN:
            return bool(t.afronding == beslissing)
        if handeling == names.UPDATE_MONITORING:
            return not t.monitoring_open and any(
                m.uitkomst == beslissing for m in t.status.monitoring
            )
        return handeling == names.UPDATE_TRIAGE and t.status.triage == beslissing

    def _onthoud(self) -> None:
        verzoek = workflow.current_update_info()
        if verzoek is not None:
            self.t.verzoeken.append(verzoek.id)
            del self.t.verzoeken[:-VERZOEKEN_BEWAARD]

    # -- radar ------------------------------------------------------------------------------
    @workflow.signal(name=names.SIGNAL_GEKOPPELD, description=BESCHRIJVING_GEKOPPELD)
    def melding_gekoppeld(self, koppeling: Koppeling) -> None:
        bekend = {k.melding_id for k in self.t.status.gekoppelde_meldingen}
        if koppeling.melding_id == self.melding.melding_id or koppeling.melding_id in bekend:
            return
        self.t.status.gekoppelde_meldingen.append(koppeling)
        self.koppelingen_deze_run += 1
        if not workflow.patched(PATCH_RADAR_PER_TAAK):
            self._werk_attributen_bij()
        elif not self._attributen_gepland:
            # A burst of links arrives in one workflow task: one upsert for all of them.
            self._attributen_gepland = True
            asyncio.get_running_loop().call_soon(self._werk_attributen_bij_na_signalen)

    def _werk_attributen_bij_na_signalen(self) -> None:
        self._attributen_gepland = False
        self._werk_attributen_bij()

    # -- status -----------------------------------------------------------------------------
    @workflow.query(name=names.QUERY_STATUS, description=BESCHRIJVING_STATUS)
    def status(self) -> MeldingStatus:
        status = self.t.status.model_copy(deep=True)
        status.volgende_deadline = self._volgende_deadline()
        status.voorgestelde_ketenpartner = regels.voorgestelde_ketenpartner(self.t.register)
        if status.monitoring and self.t.monitoring_open:
            status.monitoring[-1].open = True
        return status

    def _volgende_deadline(self) -> datetime | None:
        """The next due moment: beoordeling, tweede terugkoppeling or monitoring check."""
        t = self.t
        fase = t.status.fase
        if fase in (Fase.INFORMATIE_VERZAMELEN, Fase.WACHT_OP_TRIAGE, Fase.WACHT_OP_BESLUIT):
            return t.status.beoordeling_deadline
        if fase in (Fase.VOORWAARDEN_EN_VERVOLG, Fase.ONDERZOEK) and not t.tweede_verstuurd:
            return t.status.tweede_terugkoppeling_deadline
        if fase is Fase.MONITORING and t.status.monitoring:
            return t.status.monitoring[-1].gepland_op
        return None

    # -- mechanics the steps share ------------------------------------------------------------
    def _werk_attributen_bij(self) -> None:
        self.zoekattributen.werk_bij(self.t.status, self._volgende_deadline())
        self._toon()

    def _toon(self) -> None:
        """The current details in the Web UI (not a command: replay-safe, any time)."""
        t = self.t
        casus = self._casus()
        sleutel = casusbeeld.wachtpunt(casus).sleutel
        if sleutel != t.wacht_sleutel:
            t.wacht_sleutel, t.wacht_sinds = sleutel, workflow.now()
        casus = replace(casus, sinds=t.wacht_sinds)
        workflow.set_current_details(casusbeeld.huidige_details(casus))

    def _casus(self) -> casusbeeld.Casus:
        t, s = self.t, self.t.status
        eerste = s.terugkoppelingen[0].verstuurd_op if s.terugkoppelingen else None
        return casusbeeld.Casus(
            melding_id=s.melding_id,
            regio=s.regio,
            melder_soort=self.melding.melder.soort.value,
            fase=s.fase,
            ontvangen_op=s.ontvangen_op,
            nu=workflow.now(),
            geregistreerd=t.geregistreerd,
            beoordeling_deadline=s.beoordeling_deadline,
            beoordeling_herinnering=t.termijnen.herinnering if t.termijnen else None,
            bron_deadline=t.termijnen.bron_deadline if t.termijnen else None,
            bronnen=s.bronnen,
            bronnen_klaar=t.bronnen_klaar,
            eerdere_meldingen=s.eerdere_meldingen,
            triage_urgentie=s.triage.urgentie.value if s.triage else None,
            vervolg=s.besluit.vervolg.value if s.besluit else None,
            eerste_verstuurd_op=eerste if t.eerste_verstuurd else None,
            tweede_deadline=s.tweede_terugkoppeling_deadline,
            tweede_verstuurd=t.tweede_verstuurd,
            dienst_afgerond=t.afronding is not None,
            monitoring=tuple(
                casusbeeld.Monitoringmoment(
                    nummer=i,
                    gepland_op=m.gepland_op,
                    open=t.monitoring_open and i == len(s.monitoring),
                    geregistreerd=m.uitkomst is not None,
                )
                for i, m in enumerate(s.monitoring, start=1)
            ),
            gekoppeld=len(s.gekoppelde_meldingen),
            verstreken=tuple(t.verstreken),
            termijn_overschreden=s.termijn_overschreden,
            einde=t.einde.value if t.einde else ("geannuleerd" if self.geannuleerd else None),
        )

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
        workflow.continue_as_new(args=[self.melding, self.t])

    async def _verstuur(self, bericht: Any, soort: TerugkoppelingSoort | None = None) -> None:
        verzending = await self.doe.verstuur(bericht)
        if soort is not None:
            self.t.status.terugkoppelingen.append(
                TerugkoppelingRegel(soort=soort, verstuurd_op=verzending.verstuurd_op)
            )
        self._werk_attributen_bij()

    async def _signaleer(self, soort: SignaleringSoort, termijn: Termijnsoort) -> None:
        await self.doe.signaleer(soort, termijn, self._volgende_deadline() or workflow.now())

    async def _overschreden(self, termijn: Termijnsoort) -> None:
        self._markeer_te_laat(termijn)
        await self._signaleer(SignaleringSoort.ESCALATIE, termijn)

    def _markeer_te_laat(self, termijn: Termijnsoort) -> None:
        """A legal term passed: VtTermijnOverschreden and the banner, at once."""
        self.t.status.termijn_overschreden = True
        if termijn.value not in self.t.verstreken:
            self.t.verstreken.append(termijn.value)
        self._werk_attributen_bij()
        workflow.logger.warning(
            "termijn overschreden",
            extra={"melding_id": self.melding.melding_id, "termijn": termijn},
        )

    async def _werk_dossier_bij(self, *, afgesloten: bool | None = None) -> None:
        t = self.t
        besluit = t.status.besluit
        ketenpartner = t.afronding.ketenpartner if t.afronding else None
        await self.doe.werk_dossier_bij(
            DossierStand(
                melding_id=self.melding.melding_id,
                vervolg=besluit.vervolg if besluit else None,
                ketenpartner=ketenpartner or (besluit.ketenpartner if besluit else None),
                afgesloten=t.einde is not None if afgesloten is None else afgesloten,
                vernietigingsrecht=regels.vernietigingsrecht(besluit, t.afronding),
            )
        )
