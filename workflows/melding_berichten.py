"""The messages MeldingWorkflow takes: the human decisions (updates with validators built on
the domain rules), the radar signal and the status query; plus its search attributes.

Each update records who decided what and when (audit activity) and returns the new status.
A validator that refuses raises ValueError with the rule's reason: the update is rejected and
the workflow carries on.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey, SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from activities.audit import AuditActiviteiten
    from domain import names, regels, termijnen
    from domain.activiteiten import AuditRegel
    from domain.besluiten import Besluit, DienstAfronding, Koppeling, MonitoringUitkomst, Triage
    from domain.melding import Melding
    from domain.status import MeldingStatus, MonitoringRegel
    from domain.waarden import DIENSTEN, Fase
    from workflows.toestand import MeldingToestand

VT_REGIO = SearchAttributeKey.for_keyword(names.SA_REGIO)
VT_FASE = SearchAttributeKey.for_keyword(names.SA_FASE)
VT_VERVOLG = SearchAttributeKey.for_keyword(names.SA_VERVOLG)
VT_URGENTIE = SearchAttributeKey.for_keyword(names.SA_URGENTIE)
VT_VOLGENDE_DEADLINE = SearchAttributeKey.for_datetime(names.SA_VOLGENDE_DEADLINE)
VT_TERMIJN_OVERSCHREDEN = SearchAttributeKey.for_bool(names.SA_TERMIJN_OVERSCHREDEN)
VT_GEKOPPELD = SearchAttributeKey.for_int(names.SA_GEKOPPELD)

AUDIT_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))


class Geweigerd(ValueError):
    """An update refused by a protocol rule; the message names the rule."""


def _weiger(reden: str | None) -> None:
    if reden is not None:
        raise Geweigerd(reden)


class MeldingBerichten:
    melding: Melding
    t: MeldingToestand

    def __init__(self) -> None:
        self.slot = asyncio.Lock()
        self.bezig: asyncio.Task[None] | None = None
        self.koppelingen_deze_run = 0
        self._zoekattributen: dict[str, Any] = {}

    def begin(self, melding: Melding, toestand: MeldingToestand) -> None:
        self.melding, self.t = melding, toestand

    # -- triage -----------------------------------------------------------------------------
    @workflow.update(name=names.UPDATE_TRIAGE)
    async def registreer_triage(self, triage: Triage) -> MeldingStatus:
        async with self.slot:
            self.t.status.triage = triage
            if self.t.status.fase is Fase.WACHT_OP_TRIAGE:
                self.t.status.fase = Fase.WACHT_OP_BESLUIT
            self.werk_zoekattributen_bij()
            await self._audit(names.UPDATE_TRIAGE, triage.medewerker, triage)
            return self.status()

    @registreer_triage.validator
    def _valideer_triage(self, triage: Triage) -> None:
        _weiger(regels.weiger_triage(self.t.status.fase, self.t.status.besluit is not None))

    # -- besluit ----------------------------------------------------------------------------
    @workflow.update(name=names.UPDATE_BESLUIT)
    async def neem_besluit(self, besluit: Besluit) -> MeldingStatus:
        async with self.slot:
            self.t.status.besluit = besluit
            if besluit.vervolg in DIENSTEN:
                self.t.status.fase = Fase(besluit.vervolg.value)
            self.werk_zoekattributen_bij()
            await self._audit(names.UPDATE_BESLUIT, besluit.medewerker, besluit)
            return self.status()

    @neem_besluit.validator
    def _valideer_besluit(self, besluit: Besluit) -> None:
        s = self.t.status
        _weiger(regels.weiger_besluit_tijdens_verzamelen(s.fase))
        _weiger(regels.weiger_besluit(self.melding, s.triage, besluit, s.besluit is not None))

    # -- dienst -----------------------------------------------------------------------------
    @workflow.update(name=names.UPDATE_DIENST_AFRONDEN)
    async def rond_dienst_af(self, afronding: DienstAfronding) -> MeldingStatus:
        async with self.slot:
            self.t.afronding = afronding
            self.t.dienst_einde = workflow.now()
            await self._audit(names.UPDATE_DIENST_AFRONDEN, afronding.medewerker, afronding)
            return self.status()

    @rond_dienst_af.validator
    def _valideer_afronding(self, afronding: DienstAfronding) -> None:
        _weiger(regels.weiger_dienst_afronding(self.t.status.fase))
        if self.t.afronding is not None:
            raise Geweigerd("dienst: is al afgerond")

    # -- monitoring -------------------------------------------------------------------------
    @workflow.update(name=names.UPDATE_MONITORING)
    async def registreer_monitoring(self, uitkomst: MonitoringUitkomst) -> MeldingStatus:
        async with self.slot:
            self.t.status.monitoring[-1].uitkomst = uitkomst
            self.t.monitoring_open = False
            self.werk_zoekattributen_bij()
            await self._audit(names.UPDATE_MONITORING, uitkomst.medewerker, uitkomst)
            return self.status()

    @registreer_monitoring.validator
    def _valideer_monitoring(self, uitkomst: MonitoringUitkomst) -> None:
        _weiger(regels.weiger_monitoring(self.t.monitoring_open))

    def plan_monitoring(self, dienst_einde: datetime) -> int:
        """The number of the current check, planning the next one when the last is done."""
        lijst = self.t.status.monitoring
        if not lijst or lijst[-1].uitkomst is not None:
            nummer = len(lijst) + 1
            lijst.append(
                MonitoringRegel(gepland_op=termijnen.monitoring_moment(dienst_einde, nummer))
            )
        return len(lijst)

    # -- radar ------------------------------------------------------------------------------
    @workflow.signal(name=names.SIGNAL_GEKOPPELD)
    def melding_gekoppeld(self, koppeling: Koppeling) -> None:
        bekend = {k.melding_id for k in self.t.status.gekoppelde_meldingen}
        if koppeling.melding_id == self.melding.melding_id or koppeling.melding_id in bekend:
            return
        self.t.status.gekoppelde_meldingen.append(koppeling)
        self.koppelingen_deze_run += 1
        self.werk_zoekattributen_bij()

    # -- status -----------------------------------------------------------------------------
    @workflow.query(name=names.QUERY_STATUS)
    def status(self) -> MeldingStatus:
        status = self.t.status.model_copy(deep=True)
        status.volgende_deadline = self.volgende_deadline()
        return status

    def volgende_deadline(self) -> datetime | None:
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

    def werk_zoekattributen_bij(self) -> None:
        """Upsert the search attributes that changed: ids, phase, dates and counts only."""
        s = self.t.status
        gewenst: dict[str, tuple[SearchAttributeKey[Any], Any]] = {
            VT_REGIO.name: (VT_REGIO, s.regio),
            VT_FASE.name: (VT_FASE, s.fase.value),
            VT_TERMIJN_OVERSCHREDEN.name: (VT_TERMIJN_OVERSCHREDEN, s.termijn_overschreden),
            VT_GEKOPPELD.name: (VT_GEKOPPELD, len(s.gekoppelde_meldingen)),
        }
        if s.besluit is not None:
            gewenst[VT_VERVOLG.name] = (VT_VERVOLG, s.besluit.vervolg.value)
        if s.triage is not None:
            gewenst[VT_URGENTIE.name] = (VT_URGENTIE, s.triage.urgentie.value)
        deadline = self.volgende_deadline()
        if deadline is not None:
            gewenst[VT_VOLGENDE_DEADLINE.name] = (VT_VOLGENDE_DEADLINE, deadline)
        updates: list[SearchAttributeUpdate[Any]] = []
        for naam, (sleutel, waarde) in gewenst.items():
            if self._zoekattributen.get(naam) != waarde:
                updates.append(sleutel.value_set(waarde))
                self._zoekattributen[naam] = waarde
        if deadline is None and self._zoekattributen.pop(VT_VOLGENDE_DEADLINE.name, None):
            updates.append(VT_VOLGENDE_DEADLINE.value_unset())
        if updates:
            workflow.upsert_search_attributes(updates)

    async def _audit(self, handeling: str, medewerker: str, gegevens: BaseModel) -> None:
        await workflow.execute_activity_method(
            AuditActiviteiten.leg_beslissing_vast,
            AuditRegel(
                melding_id=self.melding.melding_id,
                handeling=handeling,
                medewerker=medewerker,
                op=workflow.now(),
                gegevens=gegevens.model_dump(mode="json"),
            ),
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=AUDIT_RETRY,
        )
