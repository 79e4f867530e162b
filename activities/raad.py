"""The verzoek tot onderzoek (issue 22): sent once through the port of domain/raad.py, the
minors and the address read from the dossier at this moment; the Raad's answers read back."""

from __future__ import annotations

import asyncpg
import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.dossier import lees_melding
from contract import names
from contract.policies import RAAD_POGINGEN
from domain.raad import (
    BESLISSING_WERKDAGEN,
    ONTVANGST_WERKDAGEN,
    RaadAntwoord,
    Raadkanaal,
    RaadTijdelijk,
    RaadUitkomst,
    RaadVerzoek,
    Vto,
    VtoOpdracht,
    termijn,
    vto_inhoud,
    vto_kenmerk,
)
from domain.werkdagen import STANDAARD_KALENDER, Werkdagkalender
from versleuteling.codec import KeyStore, SleutelVernietigd

log = structlog.get_logger(__name__)


class RaadActiviteiten:
    def __init__(
        self,
        pool: asyncpg.Pool,
        datasleutels: KeyStore,
        kanaal: Raadkanaal | None,
        kalender: Werkdagkalender = STANDAARD_KALENDER,
    ) -> None:
        self._pool, self._sleutels = pool, datasleutels
        self._kanaal, self._kalender = kanaal, kalender

    @activity.defn(name="verstuur_vto")
    async def verstuur_vto(self, opdracht: VtoOpdracht) -> RaadVerzoek:
        kenmerk = vto_kenmerk(opdracht.melding_id)
        if self._kanaal is None:
            return self._uitkomst(opdracht, RaadUitkomst.NIET_INGESTELD, kenmerk)
        try:
            melding = await lees_melding(self._pool, self._sleutels, opdracht.melding_id)
        except SleutelVernietigd:
            melding = None
        if melding is None:
            raise ApplicationError(
                "geen melding in het dossier", type=names.FOUT_ONBEKENDE_MELDING, non_retryable=True
            )
        vto = Vto(kenmerk, vto_inhoud(melding, opdracht.besluit, kenmerk, opdracht.op))
        try:
            await self._kanaal.verstuur(vto)
        except RaadTijdelijk as fout:
            if activity.info().attempt >= RAAD_POGINGEN:
                return self._uitkomst(opdracht, RaadUitkomst.MISLUKT, kenmerk, str(fout))
            raise ApplicationError(str(fout), type=names.FOUT_KETEN_TIJDELIJK) from None
        verzonden = opdracht.op
        uitkomst = self._uitkomst(opdracht, RaadUitkomst.VERSTUURD, kenmerk)
        return uitkomst.model_copy(
            update={
                "verzonden_op": verzonden,
                "ontvangst_voor": termijn(verzonden, ONTVANGST_WERKDAGEN, self._kalender),
                "beslissing_voor": termijn(verzonden, BESLISSING_WERKDAGEN, self._kalender),
            }
        )

    @activity.defn(name="lees_raad_antwoord")
    async def lees_raad_antwoord(self, kenmerk: str) -> RaadAntwoord:
        if self._kanaal is None:
            return RaadAntwoord()
        try:
            return await self._kanaal.antwoord(kenmerk)
        except RaadTijdelijk as fout:
            raise ApplicationError(str(fout), type=names.FOUT_KETEN_TIJDELIJK) from None

    @staticmethod
    def _uitkomst(
        opdracht: VtoOpdracht, uitkomst: RaadUitkomst, kenmerk: str, fout: str | None = None
    ) -> RaadVerzoek:
        (log.info if uitkomst is RaadUitkomst.VERSTUURD else log.warning)(
            "verzoek tot onderzoek",
            melding_id=opdracht.melding_id,
            uitkomst=uitkomst.value,
            fout=fout,
        )
        return RaadVerzoek(uitkomst=uitkomst, kenmerk=kenmerk, fout=fout)
