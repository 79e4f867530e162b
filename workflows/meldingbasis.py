"""What the steps and the messages of MeldingWorkflow share (workflows/melding.py): the state it
holds, declared once, and the mechanics every step uses (the search attributes and the current
details, a message placed and delivered, a signalering, a passed term, the dossier)."""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.melding import Melding
    from domain.status import TerugkoppelingRegel
    from domain.uitwisseling import SignaleringSoort, Termijnsoort
    from domain.waarden import TerugkoppelingSoort
    from workflows.auteurschap import Signaalcontrole
    from workflows.beslissen import Beslissen
    from workflows.bezorgen import PATCH_BEZORGEN, bezorg
    from workflows.casusweergave import toon
    from workflows.handelingen import Handelingen
    from workflows.huishouden import Opvolging
    from workflows.overdragen import Overdragen, overdracht_open
    from workflows.raad import Raadsverzoek
    from workflows.toestand import MeldingToestand
    from workflows.verzamelen import Verzameling
    from workflows.wachten import Wachten
    from workflows.zoekattributen import Zoekattributen

# Replay: before v7.2 an overdracht besluit closed the dossier at the eerste terugkoppeling,
# while the warme overdracht still waited for the ketenpartner (the radar then linked no new
# melding to the case, and its bewaartermijn began before the case ended); since v7.2 the
# dossier stays open until the overdracht is answered.
PATCH_DOSSIER_OPEN_TIJDENS_OVERDRACHT = "dossier-open-tijdens-overdracht"


class MeldingBasis:
    # Set by MeldingWorkflow.__init__ (workflows/melding.py).
    melding: Melding
    toestand: MeldingToestand
    handelingen: Handelingen
    wacht: Wachten
    verzameling: Verzameling
    zoekattributen: Zoekattributen
    beslis: Beslissen
    signaalcontrole: Signaalcontrole
    opvolging: Opvolging
    raad: Raadsverzoek
    overdragen: Overdragen
    geannuleerd: bool
    koppelingen_deze_run: int
    bronnen_na_besluit: asyncio.Task[None] | None
    _attributen_gepland: bool
    _start_goedgekeurd: bool
    _op_keten: bool

    def _werk_attributen_bij(self) -> None:
        self.zoekattributen.werk_bij(self.toestand.status, self.toestand.volgende_deadline())
        self._toon()

    def _toon(self) -> None:
        """The current details in the Web UI (not a command: replay-safe, any time)."""
        toon(self.melding, self.toestand, geannuleerd=self.geannuleerd)

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
