"""Informatie verzamelen: the national register (with the radar link), the Raad and the politie
in parallel, each bounded by the sources' deadline; silence is recorded, never fatal (Q&A 3, 21).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.bronnen import BronActiviteiten
    from activities.register import RegisterActiviteiten
    from contract.policies import BRON_MINIMUM, BRON_RETRY, KORT
    from domain import casusbeeld, regels
    from domain.uitwisseling import (
        Bron,
        BronAntwoord,
        BronVraag,
        RadarResultaat,
        RegisterResultaat,
    )
    from domain.waarden import BronStatus, Fase
    from workflows.toestand import MeldingToestand

# Replay: before v6 a failed register lookup skipped the radar (the household's open case was
# never linked); since v6 the radar runs whatever the lookup's outcome, and its answer (the
# register as it stands) serves as the lookup's when that one failed.
PATCH_RADAR_ZONDER_ZOEKING = "radar-ook-zonder-zoeking"


class Verzameling:
    def __init__(
        self,
        melding_id: str,
        toestand: MeldingToestand,
        bijgewerkt: Callable[[], None],
        getoond: Callable[[], None] = lambda: None,
    ) -> None:
        """`bijgewerkt` runs when the gathering is done (search attributes), `getoond` when a
        source answered (the current details)."""
        self.melding_id, self.toestand, self._bijgewerkt = melding_id, toestand, bijgewerkt
        self._getoond = getoond
        self._bezig = False
        self._nieuw_beeld: Callable[[], Awaitable[None]] | None = None

    def klaar(self) -> bool:
        """No source is being asked now (a continued run never starts mid-gathering)."""
        return not self._bezig

    async def verzamel(self, nieuw_beeld: Callable[[], Awaitable[None]] | None = None) -> None:
        """Ask every source; `nieuw_beeld` runs when one answers after the besluit (a spoed
        besluit, Q&A 25) with something that besluit could not weigh."""
        t = self.toestand
        assert t.termijnen is not None
        self._bezig = True
        self._nieuw_beeld = nieuw_beeld
        grens = max(t.termijnen.bron_deadline - workflow.now(), BRON_MINIMUM)
        opties: dict[str, Any] = {
            "schedule_to_close_timeout": grens,
            "start_to_close_timeout": min(grens, KORT),
            "retry_policy": BRON_RETRY,
        }
        taken = [self._register(opties), self._partner(Bron.POLITIE, opties)]
        if t.status.bronnen.raad is BronStatus.BEZIG:
            taken.append(self._partner(Bron.RAAD, opties))
        await asyncio.gather(*taken)
        t.bronnen_klaar = True
        if t.status.fase is Fase.INFORMATIE_VERZAMELEN and t.status.besluit is None:
            t.status.fase = Fase.WACHT_OP_BESLUIT if t.status.triage else Fase.WACHT_OP_TRIAGE
        self._bezig = False
        self._bijgewerkt()

    async def _register(self, opties: dict[str, Any]) -> None:
        if not workflow.patched(PATCH_RADAR_ZONDER_ZOEKING):
            await self._register_v5(opties)
            return
        t = self.toestand
        gevonden = None
        try:
            gevonden = await self._zoek(opties)
        except ActivityError:
            t.status.bronnen.register = BronStatus.NIET_ONTVANGEN
            self._getoond()
            workflow.logger.warning(
                "register niet ontvangen", extra={"melding_id": self.melding_id}
            )
        if gevonden is not None:
            await self._na_besluit(register=gevonden)
        try:
            radar = await self._radar(opties)
        except ActivityError:
            workflow.logger.warning("radar niet gelukt", extra={"melding_id": self.melding_id})
            return
        # A melding of the household stored just after the first search is seen here; when the
        # search failed, the radar's view of the register is the answer.
        stand = radar.stand
        if stand is not None and (gevonden is None or stand.aantal > gevonden.aantal):
            t.register = stand
            t.status.eerdere_meldingen = stand.aantal
            t.status.bronnen.register = BronStatus.ONTVANGEN
            self._getoond()

    async def _zoek(self, opties: dict[str, Any]) -> RegisterResultaat:
        t = self.toestand
        gevonden: RegisterResultaat = await workflow.execute_activity_method(
            RegisterActiviteiten.zoek_eerdere_meldingen,
            self.melding_id,
            **opties,
            summary=casusbeeld.REGISTER_RAADPLEGEN,
        )
        t.register = gevonden
        t.status.eerdere_meldingen = gevonden.aantal
        t.status.bronnen.register = BronStatus.ONTVANGEN
        self._getoond()
        return gevonden

    async def _radar(self, opties: dict[str, Any]) -> RadarResultaat:
        return await workflow.execute_activity_method(
            RegisterActiviteiten.koppel_aan_open_meldingen,
            self.melding_id,
            **opties,
            summary=casusbeeld.RADAR,
        )

    async def _register_v5(self, opties: dict[str, Any]) -> None:
        """Before v6: the radar only after a successful lookup."""
        t = self.toestand
        try:
            gevonden = await self._zoek(opties)
            await self._na_besluit(register=gevonden)
            radar = await self._radar(opties)
            if radar.stand is not None and radar.stand.aantal > gevonden.aantal:
                t.register = radar.stand
                t.status.eerdere_meldingen = radar.stand.aantal
        except ActivityError:
            if t.status.bronnen.register is BronStatus.BEZIG:
                t.status.bronnen.register = BronStatus.NIET_ONTVANGEN
            workflow.logger.warning(
                "register niet ontvangen", extra={"melding_id": self.melding_id}
            )

    async def _partner(self, bron: Bron, opties: dict[str, Any]) -> None:
        try:
            antwoord = await workflow.execute_activity_method(
                BronActiviteiten.vraag_bron,
                BronVraag(melding_id=self.melding_id, bron=bron),
                **opties,
                summary=casusbeeld.BRON_BEVRAGEN[bron.value],
            )
            setattr(self.toestand.status.bronnen, bron.value, BronStatus.ONTVANGEN)
            self._getoond()
        except ActivityError:
            setattr(self.toestand.status.bronnen, bron.value, BronStatus.NIET_ONTVANGEN)
            self._getoond()
            workflow.logger.warning(
                "bron niet ontvangen", extra={"melding_id": self.melding_id, "bron": bron.value}
            )
            return
        await self._na_besluit(antwoord=antwoord)

    async def _na_besluit(
        self, register: RegisterResultaat | None = None, antwoord: BronAntwoord | None = None
    ) -> None:
        """An answer after the besluit that changes the picture: signalled once (only a spoed
        besluit comes before the sources, since v7)."""
        if (
            self._nieuw_beeld is not None
            and self.toestand.status.besluit is not None
            and regels.verandert_beeld(register, antwoord)
        ):
            melden, self._nieuw_beeld = self._nieuw_beeld, None
            await melden()
