"""AdviesWorkflow: an adviesvraag, from a professional or a citizen (possibly anonymous), as its
own durable case (the legal task "Advies geven"; Veilig Thuis' werkwijze, "Adviseren en (zo
nodig) ondersteunen").

One contact or several conversations (`registreer_gesprek`), an optional vertrouwensarts
(`raadpleeg_vertrouwensarts`), then either the closing with the advice and the CBS items of the
adviesvrager (`sluit_advies`) or the omzetting into a melding (`zet_om_naar_melding`): a
MeldingWorkflow started as this workflow's child (it outlives the advies: ABANDON), linked both
ways (the child names its parent, the advies' result names the melding). An advies open for
LANG_OPEN reminds (search attribute VtTermijnOverschreden, current details) and keeps waiting,
again every LANG_OPEN. The advies lives only in this workflow: its payloads are encrypted with
the key `advies/<advies_id>` (docs/architecture.md, "The advies").
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from temporalio import workflow
from temporalio.common import SearchAttributeKey, SearchAttributeUpdate
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.advies import AdviesActiviteiten
    from contract import ids, names, verklaring
    from contract.policies import DATABASE_RETRY, KORT
    from contract.search_attributes import (
        VT_FASE,
        VT_REGIO,
        VT_TERMIJN_OVERSCHREDEN,
        VT_VOLGENDE_DEADLINE,
    )
    from domain import adviesbeeld
    from domain.advies import (
        AdviesAfsluiting,
        AdviesFase,
        AdviesStatus,
        Adviesvraag,
        Gesprek,
        GesprekRegel,
        Omzetting,
        VertrouwensartsConsult,
        weiger_afsluiting,
        weiger_omzetting,
    )
    from domain.beleidsinformatie import advies_informatie
    from domain.invoer import foutregels, streng
    from domain.leesbaar import Leesbaar
    from workflows.auteurschap import controleer_start
    from workflows.handelingen import Handelingen
    from workflows.weigeren import weiger

# An advies open this long reminds (and again after each such period): the werkwijze speaks of "een
# éénmalig contact" or "meerdere gesprekken en ondersteuning", no legal term; four weeks is our
# choice (docs/contract.md, "Advies"), a constant here like every deadline.
LANG_OPEN = timedelta(weeks=4)

# Issue 24: a finished advies records its beleidsinformatie (activity leg_advies_vast) before
# the workflow completes; a history from before has no such activity.
PATCH_ADVIES_BELEIDSINFORMATIE = "advies-beleidsinformatie"


@workflow.defn(name=names.ADVIES_WORKFLOW)
class AdviesWorkflow:
    @workflow.init
    def __init__(self, vraag: Adviesvraag) -> None:
        self.vraag = Adviesvraag.model_validate(vraag)
        self.handelingen = Handelingen(self.vraag.advies_id, regio=self.vraag.regio)
        self.slot = asyncio.Lock()
        self.gestart = False
        self.herinnering: datetime | None = None
        self.stand = AdviesStatus(
            advies_id=self.vraag.advies_id,
            regio=self.vraag.regio,
            fase=AdviesFase.OPEN,
            ontvangen_op=self.vraag.ontvangen_op,
        )
        self._zoek: dict[str, Any] = {}

    @workflow.run
    async def run(self, vraag: Adviesvraag) -> AdviesStatus:
        await controleer_start(self.handelingen)
        self.gestart = True
        self.herinnering = self.vraag.ontvangen_op + LANG_OPEN
        while self.stand.fase is AdviesFase.OPEN:
            self._toon()
            wacht = max(self.herinnering - workflow.now(), timedelta(seconds=1))
            try:
                await workflow.wait_condition(
                    lambda: self.stand.fase is not AdviesFase.OPEN,
                    timeout=wacht,
                    timeout_summary=Leesbaar("herinnering: advies staat lang open"),
                )
            except TimeoutError:
                self.stand.lang_open = True
                self.herinnering += LANG_OPEN
                workflow.logger.warning(
                    "advies staat lang open", extra={"advies_id": self.vraag.advies_id}
                )
        self.herinnering = None
        await workflow.wait_condition(workflow.all_handlers_finished)
        if workflow.patched(PATCH_ADVIES_BELEIDSINFORMATIE):
            # Codes, moments and counts only (domain/beleidsinformatie.py): no text, no name.
            await workflow.execute_activity_method(
                AdviesActiviteiten.leg_advies_vast,
                advies_informatie(self.vraag, self.stand),
                start_to_close_timeout=KORT,
                retry_policy=DATABASE_RETRY,
                summary=Leesbaar("beleidsinformatie van het advies"),
            )
        self._toon()
        return self.stand

    def _toon(self) -> None:
        """Current details and search attributes (ids, region, phase, dates; nothing personal)."""
        workflow.set_current_details(adviesbeeld.details(self.stand, self.herinnering))
        gewenst: dict[str, tuple[SearchAttributeKey[Any], Any]] = {
            VT_REGIO.name: (VT_REGIO, self.stand.regio),
            VT_FASE.name: (VT_FASE, self.stand.fase.value),
            VT_TERMIJN_OVERSCHREDEN.name: (
                VT_TERMIJN_OVERSCHREDEN,
                self.stand.lang_open and self.stand.fase is AdviesFase.OPEN,
            ),
            VT_VOLGENDE_DEADLINE.name: (VT_VOLGENDE_DEADLINE, self.herinnering),
        }
        nieuw: list[SearchAttributeUpdate[Any]] = []
        for naam, (sleutel, waarde) in gewenst.items():
            if self._zoek.get(naam, ...) != waarde:
                self._zoek[naam] = waarde
                nieuw.append(
                    sleutel.value_set(waarde) if waarde is not None else sleutel.value_unset()
                )
        if nieuw:
            workflow.upsert_search_attributes(nieuw)

    @workflow.query(
        name=names.QUERY_STATUS,
        description="De stand van het advies (AdviesStatus): fase, gesprekken, vertrouwensarts, "
        "afsluiting met de CBS-gegevens, de melding van een omzetting. Geen invoer.",
    )
    def status(self) -> AdviesStatus:
        return self.stand

    # -- gesprekken en vertrouwensarts ---------------------------------------------------------
    @workflow.update(
        name=names.UPDATE_GESPREK,
        description="Een gesprek met de adviesvrager. Payload Gesprek: medewerker, datum, soort "
        "(telefonisch, chat, video, op_locatie), samenvatting. Antwoord: de AdviesStatus.",
    )
    async def registreer_gesprek(self, gesprek: Gesprek) -> AdviesStatus:
        await self._open(names.UPDATE_GESPREK)
        self.stand.gesprekken.append(
            GesprekRegel(
                datum=gesprek.datum,
                soort=gesprek.soort,
                medewerker=gesprek.medewerker,
                samenvatting=gesprek.samenvatting,
            )
        )
        self._toon()
        return self.stand

    @registreer_gesprek.validator
    def _valideer_gesprek(self, gesprek: Gesprek) -> None:
        self._valideer(names.UPDATE_GESPREK, gesprek)
        if gesprek.datum < self.vraag.ontvangen_op.date():
            weiger("registreer_gesprek: datum voor de ontvangst van de adviesvraag")
        if gesprek.datum > workflow.now().date() + timedelta(days=1):
            weiger("registreer_gesprek: datum in de toekomst")

    @workflow.update(
        name=names.UPDATE_VERTROUWENSARTS,
        description="Medische expertise van een vertrouwensarts (werkwijze Veilig Thuis). Payload "
        "VertrouwensartsConsult: medewerker, vertrouwensarts, datum, bevinding. Antwoord: de "
        "AdviesStatus.",
    )
    async def raadpleeg_vertrouwensarts(self, consult: VertrouwensartsConsult) -> AdviesStatus:
        await self._open(names.UPDATE_VERTROUWENSARTS)
        self.stand.vertrouwensartsen.append(consult)
        self.stand.vertrouwensarts_geraadpleegd = True
        self._toon()
        return self.stand

    @raadpleeg_vertrouwensarts.validator
    def _valideer_consult(self, consult: VertrouwensartsConsult) -> None:
        self._valideer(names.UPDATE_VERTROUWENSARTS, consult)
        if consult.datum < self.vraag.ontvangen_op.date():
            weiger("raadpleeg_vertrouwensarts: datum voor de ontvangst van de adviesvraag")

    # -- afsluiting of omzetting ---------------------------------------------------------------
    @workflow.update(
        name=names.UPDATE_ADVIES_SLUITEN,
        description="Sluit het advies met het gegeven advies en de CBS-gegevens van de "
        "adviesvrager. Payload AdviesAfsluiting: medewerker, advies, rol, organisatie, aard, "
        "duur. Antwoord: de AdviesStatus.",
    )
    async def sluit_advies(self, afsluiting: AdviesAfsluiting) -> AdviesStatus:
        await self._open(names.UPDATE_ADVIES_SLUITEN)
        self.stand.afsluiting = afsluiting
        self.stand.afgesloten_op = workflow.now()
        self.stand.fase = AdviesFase.AFGESLOTEN
        return self.stand

    @sluit_advies.validator
    def _valideer_afsluiting(self, afsluiting: AdviesAfsluiting) -> None:
        self._valideer(names.UPDATE_ADVIES_SLUITEN, afsluiting)
        soort = self.vraag.adviesvrager.soort
        reden = weiger_afsluiting(afsluiting, len(self.stand.gesprekken), soort)
        if reden is not None:
            weiger(reden)

    @workflow.update(
        name=names.UPDATE_OMZETTEN,
        description="Zet het advies om naar een melding: start een MeldingWorkflow (kind van dit "
        "advies). Payload Omzetting: medewerker, reden, melding (een volledige Melding, met de "
        "regels van de intake). Antwoord: de AdviesStatus met melding_id.",
    )
    async def zet_om_naar_melding(self, omzetting: Omzetting) -> AdviesStatus:
        melding = omzetting.melding
        async with self.slot:
            await self._open(names.UPDATE_OMZETTEN)
            bezet = await workflow.execute_activity_method(
                AdviesActiviteiten.melding_id_vrij,
                melding.melding_id,
                start_to_close_timeout=KORT,
                retry_policy=DATABASE_RETRY,
                summary=Leesbaar("melding_id van de omzetting vrij?"),
            )
            if bezet is not None:
                raise ApplicationError(bezet, type=names.FOUT_BESTAAT_AL, non_retryable=True)
            samenvatting, details = adviesbeeld.omzetting(melding, self.vraag.advies_id)
            try:
                await workflow.start_child_workflow(
                    names.MELDING_WORKFLOW,
                    melding,
                    id=ids.melding_workflow_id(melding.melding_id),
                    parent_close_policy=ParentClosePolicy.ABANDON,
                    static_summary=samenvatting,
                    static_details=details,
                )
            except WorkflowAlreadyStartedError:
                raise ApplicationError(
                    f"melding {melding.melding_id} bestaat al",
                    type=names.FOUT_BESTAAT_AL,
                    non_retryable=True,
                ) from None
            self.stand.melding_id = melding.melding_id
            self.stand.afgesloten_op = workflow.now()
            self.stand.fase = AdviesFase.OMGEZET
        return self.stand

    @zet_om_naar_melding.validator
    def _valideer_omzetting(self, omzetting: Omzetting) -> None:
        self._valideer(names.UPDATE_OMZETTEN, omzetting)
        reden = weiger_omzetting(self.vraag, omzetting.melding)
        if reden is not None:
            weiger(reden)

    async def _open(self, naam: str) -> None:
        """An update accepted in the first workflow task waits for the start's check; one that
        waited behind another (the omzetting's lock) finds the advies maybe closed by it."""
        await workflow.wait_condition(lambda: self.gestart)
        if self.stand.fase is not AdviesFase.OPEN:
            weiger(f"{naam}: het advies is al {self.stand.fase.value}")

    def _valideer(self, naam: str, inhoud: BaseModel) -> None:
        """Every update: the intake rules, an attested author, an open advies."""
        try:
            streng(inhoud, workflow.now())
        except ValidationError as fout:
            weiger("; ".join(foutregels(fout, type(inhoud))))
        if verklaring.auteur() is None:
            weiger(f"{naam}: zonder geldige verklaring van de auteur geweigerd")
        if self.stand.fase is not AdviesFase.OPEN:
            weiger(f"{naam}: het advies is al {self.stand.fase.value}")
