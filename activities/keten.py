"""The chain (issue 22): an overdracht besluit becomes a zaak in the gemeente's Zaken API, through
the port of domain/keten.py. The household is read from the dossier at this moment (never from
the history); the gemeente is the one its woonplaats is configured for (else the standaard).

Idempotent by the port: a retry after any interruption (a worker killed after the zaak was
created) finds what exists by its identificatie and adds only what is missing. The outcome is
the result, never an exception, except a temporary fault before the last attempt (retried)."""

from __future__ import annotations

import asyncpg
import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.dossier import lees_melding
from contract import names
from contract.policies import OVERDRACHT_POGINGEN
from domain.keten import (
    Aanvaardingsvraag,
    OverdrachtOpdracht,
    OverdrachtStand,
    OverdrachtUitkomst,
    ZaakGeweigerd,
    ZaakOverdracht,
    Zaaksysteem,
    ZaakTijdelijk,
    aanvaardingstermijn,
    koppeling_voor,
    zaakoverdracht,
)
from domain.werkdagen import STANDAARD_KALENDER, Werkdagkalender
from keten.instellingen import Ketenkoppelingen
from versleuteling.codec import KeyStore, SleutelVernietigd

log = structlog.get_logger(__name__)


class KetenActiviteiten:
    def __init__(
        self,
        pool: asyncpg.Pool,
        datasleutels: KeyStore,
        koppelingen: Ketenkoppelingen,
        zaken: Zaaksysteem | None,
        kalender: Werkdagkalender = STANDAARD_KALENDER,
    ) -> None:
        self._pool, self._sleutels = pool, datasleutels
        self._koppelingen, self._zaken = koppelingen, zaken
        self._kalender = kalender

    @activity.defn(name="lees_aanvaarding")
    async def lees_aanvaarding(self, vraag: Aanvaardingsvraag) -> OverdrachtStand:
        """Where the warme overdracht stands: the zaak's current statustype read from the
        gemeente's Zaken API. A fault is retried; the workflow asks again later."""
        koppeling = self._koppelingen.gemeenten.get(vraag.gemeente)
        if koppeling is None or self._zaken is None:
            # The gemeente left the configuration: nobody can read it, a human follows up.
            raise ApplicationError(
                f"overdracht: gemeente {vraag.gemeente} niet ingesteld",
                type=names.FOUT_KETEN_TIJDELIJK,
                non_retryable=True,
            )
        try:
            statustype = await self._zaken.statustype(koppeling, vraag.zaak_url)
        except (ZaakTijdelijk, ZaakGeweigerd) as fout:
            raise ApplicationError(f"overdracht: {fout}", type=names.FOUT_KETEN_TIJDELIJK) from None
        stand = koppeling.stand_van(statustype)
        log.info(
            "warme overdracht",
            melding_id=vraag.melding_id,
            gemeente=vraag.gemeente,
            stand=stand.value,
        )
        return stand

    @activity.defn(name="draag_zaak_over")
    async def draag_zaak_over(self, opdracht: OverdrachtOpdracht) -> ZaakOverdracht:
        if self._zaken is None or not self._koppelingen.aan:
            return self._uitkomst(opdracht, OverdrachtUitkomst.NIET_INGESTELD)
        try:
            melding = await lees_melding(self._pool, self._sleutels, opdracht.melding_id)
        except SleutelVernietigd:
            melding = None
        if melding is None:  # destroyed: nothing to hand over
            return self._uitkomst(opdracht, OverdrachtUitkomst.GEEN_KOPPELING)
        koppeling = koppeling_voor(
            melding, self._koppelingen.gemeenten, self._koppelingen.standaard
        )
        if koppeling is None:
            return self._uitkomst(opdracht, OverdrachtUitkomst.GEEN_KOPPELING)
        overdracht = zaakoverdracht(melding, opdracht.besluit, opdracht.op, opdracht.afronding)
        try:
            zaak = await self._zaken.draag_over(koppeling, overdracht)
        except ZaakGeweigerd as fout:
            return self._uitkomst(
                opdracht, OverdrachtUitkomst.GEWEIGERD, koppeling.gemeente, fout=str(fout)
            )
        except ZaakTijdelijk as fout:
            poging = activity.info().attempt
            if poging >= OVERDRACHT_POGINGEN:
                return self._uitkomst(
                    opdracht, OverdrachtUitkomst.MISLUKT, koppeling.gemeente, fout=str(fout)
                )
            log.warning(
                "overdracht mislukt, volgt opnieuw",
                melding_id=opdracht.melding_id,
                gemeente=koppeling.gemeente,
                poging=poging,
                fout=str(fout),
            )
            raise ApplicationError(f"overdracht: {fout}", type=names.FOUT_KETEN_TIJDELIJK) from None
        uitkomst = self._uitkomst(
            opdracht,
            OverdrachtUitkomst.AANGEMAAKT,
            koppeling.gemeente,
            identificatie=zaak.identificatie,
            url=zaak.url,
        )
        if not koppeling.statustypen_aanvaard:
            return uitkomst
        herinnering, deadline = aanvaardingstermijn(
            opdracht.op, koppeling.aanvaarding_werkdagen, self._kalender
        )
        return uitkomst.model_copy(
            update={
                "stand": OverdrachtStand.WACHT,
                "herinnering_op": herinnering,
                "aanvaarden_voor": deadline,
                "peilinterval_seconden": koppeling.peilinterval_seconden,
            }
        )

    @staticmethod
    def _uitkomst(
        opdracht: OverdrachtOpdracht,
        uitkomst: OverdrachtUitkomst,
        gemeente: str | None = None,
        *,
        identificatie: str | None = None,
        url: str | None = None,
        fout: str | None = None,
    ) -> ZaakOverdracht:
        aangemaakt = uitkomst is OverdrachtUitkomst.AANGEMAAKT
        (log.info if aangemaakt or uitkomst is OverdrachtUitkomst.NIET_INGESTELD else log.warning)(
            "overdracht als zaak",
            melding_id=opdracht.melding_id,
            gemeente=gemeente,
            uitkomst=uitkomst.value,
            fout=fout,
        )
        return ZaakOverdracht(
            uitkomst=uitkomst,
            gemeente=gemeente,
            zaak_identificatie=identificatie,
            zaak_url=url,
            aangemaakt_op=activity.info().current_attempt_scheduled_time if aangemaakt else None,
            fout=fout,
        )
