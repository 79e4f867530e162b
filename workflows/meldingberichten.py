"""The messages MeldingWorkflow answers (workflows/melding.py): the human decisions (updates,
each with its validator and its refusal rule, applied by `Beslissen`) and the radar's signals."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contract import names
    from domain import regels
    from domain.besluiten import (
        Besluit,
        DienstAfronding,
        HuishoudenInformeren,
        Koppeling,
        MonitoringUitkomst,
        Triage,
    )
    from domain.status import MeldingStatus
    from domain.waarden import DIENSTEN, Fase
    from workflows.beschrijvingen import (
        BESCHRIJVING_AFRONDING,
        BESCHRIJVING_BESLUIT,
        BESCHRIJVING_GEKOPPELD,
        BESCHRIJVING_HUISHOUDEN,
        BESCHRIJVING_MOGELIJK_GEKOPPELD,
        BESCHRIJVING_MONITORING,
        BESCHRIJVING_TRIAGE,
    )
    from workflows.meldingbasis import MeldingBasis
    from workflows.toestand import MOGELIJK_BEWAARD

# Replay: v1 upserted VtGekoppeld once per radar signal; since v2 once per workflow task.
PATCH_RADAR_PER_TAAK = "radar-zoekattributen-per-taak"

# Replay: since v5 a radar signal is applied only with a valid verklaring (the worker's own).
PATCH_SIGNAAL_VERKLAARD = "signaal-verklaard"

# Replay: since v7 a name-only radar link (signal melding_mogelijk_gekoppeld) is checked and
# listed; before, the signal had no handler (a worker without the patch leaves it unhandled).
PATCH_RADAR_MOGELIJK = "radar-mogelijk"


class MeldingBerichten(MeldingBasis):
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
