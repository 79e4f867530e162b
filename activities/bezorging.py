"""Delivery of the outbox (issue 20): one activity per message takes it to its addressee, read
from the dossier at this moment (never from the history), through a port of domain/bezorging.py.

Exactly once where it can be: the row records the attempt (`poging_op`) just before the point
of no return (SMTP DATA, the letter's rename) and `verzonden_op` right after it. A retry that
finds an attempt recorded and no `verzonden_op` does not send again: a letter whose file is in
the folder was delivered; anything else is an outcome nobody knows (`onzeker`: the process died
between the server's 250 and the marker, or the connection dropped during DATA), a case for a
human, as are a refusal and the last failed attempt (`BEZORG_POGINGEN`)."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import outbox
from activities.dossier import lees_melding
from contract import names
from contract.policies import BEZORG_POGINGEN
from domain import berichten, brieftekst
from domain.bezorging import (
    AAN_HUISHOUDEN,
    Adressering,
    Bezorging,
    BezorgOpdracht,
    BezorgUitkomst,
    Brief,
    Drukstraat,
    Kanaal,
    Mail,
    Mailer,
    Onbestelbaar,
    TijdelijkeFout,
    kanaal_voor,
)
from domain.melding import Melding
from domain.uitwisseling import BerichtSoort, outbox_soort
from versleuteling.codec import KeyStore, SleutelVernietigd
from versleuteling.kolommen import OUTBOX, Kolomsleutels, melding_sleutel

log = structlog.get_logger(__name__)


class BezorgActiviteiten:
    def __init__(
        self,
        pool: asyncpg.Pool,
        datasleutels: KeyStore,
        mailer: Mailer | None = None,
        drukstraat: Drukstraat | None = None,
        domein: str = "veiligthuis.invalid",
    ) -> None:
        self._pool, self._sleutels = pool, datasleutels
        self._mailer, self._drukstraat, self._domein = mailer, drukstraat, domein

    @activity.defn(name="bezorg_bericht")
    async def bezorg_bericht(self, opdracht: BezorgOpdracht) -> Bezorging:
        sleutel = _sleutel(opdracht)
        async with self._pool.acquire() as con:
            rij = await outbox.bezorgrij(con, *sleutel)
        if rij is None:
            raise ApplicationError(
                "geen bericht in de outbox", type=names.FOUT_ONBEKENDE_MELDING, non_retryable=True
            )
        if rij["verzonden_op"] is not None or rij["uitkomst"] is not None:
            return self._bezorging(opdracht, rij)
        if self._mailer is None and self._drukstraat is None:
            return await self._leg_vast(opdracht, None, BezorgUitkomst.NIET_INGESTELD)
        try:
            melding = await lees_melding(self._pool, self._sleutels, opdracht.melding_id)
        except SleutelVernietigd:
            melding = None
        if melding is None:  # destroyed: there is nothing to say and nobody to say it to
            return await self._leg_vast(opdracht, Kanaal.GEEN, BezorgUitkomst.GEEN_KANAAL)
        adressering = kanaal_voor(melding, opdracht.soort, opdracht.ontvanger)
        kenmerk = f"{opdracht.melding_id}-{sleutel[1]}"
        if adressering.kanaal is Kanaal.GEEN:
            return await self._leg_vast(opdracht, Kanaal.GEEN, BezorgUitkomst.GEEN_KANAAL)
        if rij["poging_op"] is not None:
            # An attempt passed its point of no return and its end was never recorded.
            gelegd = self._drukstraat is not None and self._drukstraat.afgeleverd(kenmerk)
            if adressering.kanaal is Kanaal.BRIEF and gelegd:
                return await self._leg_vast(opdracht, Kanaal.BRIEF, BezorgUitkomst.VERZONDEN)
            return await self._leg_vast(
                opdracht, adressering.kanaal, BezorgUitkomst.ONZEKER, "afloop onbekend"
            )
        inhoud = await self._inhoud(opdracht, rij["inhoud"], melding)
        tekst = brieftekst.tekst(opdracht.soort, inhoud, adressering.naam)
        try:
            await self._bezorg(opdracht, adressering, kenmerk, tekst)
        except TijdelijkeFout as fout:
            return await self._tijdelijk(opdracht, adressering.kanaal, str(fout))
        except Onbestelbaar as fout:
            return await self._leg_vast(
                opdracht, adressering.kanaal, BezorgUitkomst.GEWEIGERD, str(fout)
            )
        except _AlOvergedragen:
            # Another attempt passed the point of no return: its record decides (next attempt).
            raise ApplicationError(
                "bezorging: een andere poging is al bezig", type=names.FOUT_BEZORGING_TIJDELIJK
            ) from None
        except _NietIngesteld:
            return await self._leg_vast(opdracht, adressering.kanaal, BezorgUitkomst.NIET_INGESTELD)
        return await self._leg_vast(opdracht, adressering.kanaal, BezorgUitkomst.VERZONDEN)

    async def _bezorg(
        self, opdracht: BezorgOpdracht, a: Adressering, kenmerk: str, tekst: brieftekst.Tekst
    ) -> None:
        async def voor_overgave() -> None:
            """Claim the point of no return: only if no other attempt did (an attempt whose
            timeout passed may still run), so two attempts never both hand the message over."""
            async with self._pool.acquire() as con:
                geclaimd = await outbox.claim_overgave(
                    con, *_sleutel(opdracht), a.kanaal.value, bericht_id
                )
            if not geclaimd:
                raise _AlOvergedragen

        if a.kanaal is Kanaal.EMAIL:
            if self._mailer is None:
                raise _NietIngesteld
            assert a.email is not None
            bericht_id = f"<{kenmerk}@{self._domein}>"
            mail = Mail(
                bericht_id, a.email, a.naam, tekst.onderwerp, tekst.platte_tekst(), tekst.html()
            )
            await self._mailer.verstuur(mail, voor_overgave)
            return
        if self._drukstraat is None:
            raise _NietIngesteld
        assert a.adres is not None
        bericht_id = f"{kenmerk}.pdf"
        aan = ([a.naam] if a.naam else []) + a.adres.regels()
        if opdracht.soort in AAN_HUISHOUDEN:
            aan = ["Aan de bewoners van", *a.adres.regels()]
        brief = Brief(
            kenmerk, aan, tekst.onderwerp, [tekst.aanhef, *tekst.alineas, brieftekst.AFSLUITING]
        )
        await self._drukstraat.lever_af(brief, voor_overgave)

    async def _inhoud(
        self, opdracht: BezorgOpdracht, waarde: bytes, melding: Melding
    ) -> dict[str, Any]:
        data = await Kolomsleutels(self._sleutels).ontsleutel(
            melding_sleutel(opdracht.melding_id),
            OUTBOX,
            _sleutel(opdracht),
            waarde,
        )
        assert data is not None
        inhoud: dict[str, Any] = json.loads(data)
        if opdracht.soort is BerichtSoort.PROFESSIONAL_INFORMEREN:
            # Which child: from the dossier, now (Q&A 10), never from the history.
            inhoud["kinderen"] = berichten.kinderen(melding)
        return inhoud

    async def _tijdelijk(self, opdracht: BezorgOpdracht, kanaal: Kanaal, fout: str) -> Bezorging:
        """Nothing was delivered: retried with backoff, the last attempt is `mislukt`."""
        poging = activity.info().attempt
        if poging >= BEZORG_POGINGEN:
            return await self._leg_vast(opdracht, kanaal, BezorgUitkomst.MISLUKT, fout, poging)
        async with self._pool.acquire() as con:
            await outbox.poging_mislukt(
                con,
                *_sleutel(opdracht),
                kanaal.value,
                poging,
                fout,
            )
        log.warning(
            "bezorging mislukt, volgt opnieuw",
            melding_id=opdracht.melding_id,
            soort=opdracht.soort.value,
            kanaal=kanaal.value,
            poging=poging,
            fout=fout,
        )
        raise ApplicationError(f"bezorging: {fout}", type=names.FOUT_BEZORGING_TIJDELIJK)

    async def _leg_vast(
        self,
        opdracht: BezorgOpdracht,
        kanaal: Kanaal | None,
        uitkomst: BezorgUitkomst,
        fout: str | None = None,
        poging: int | None = None,
    ) -> Bezorging:
        verzonden = uitkomst is BezorgUitkomst.VERZONDEN
        async with self._pool.acquire() as con:
            rij = await outbox.leg_uitkomst_vast(
                con,
                *_sleutel(opdracht),
                kanaal.value if kanaal else None,
                uitkomst.value,
                fout,
                verzonden,
                poging or activity.info().attempt,
            )
        (log.info if verzonden or kanaal in (Kanaal.GEEN, None) else log.warning)(
            "bezorging",
            melding_id=opdracht.melding_id,
            soort=opdracht.soort.value,
            kanaal=kanaal.value if kanaal else None,
            uitkomst=uitkomst.value,
            fout=fout,
        )
        if rij is None:  # the row went with a destroyed dossier
            return Bezorging(
                soort=opdracht.soort,
                kanaal=kanaal,
                uitkomst=uitkomst,
                fout=fout,
                ontvanger=opdracht.ontvanger,
            )
        return self._bezorging(opdracht, rij)

    @staticmethod
    def _bezorging(opdracht: BezorgOpdracht, rij: asyncpg.Record) -> Bezorging:
        return Bezorging(
            soort=opdracht.soort,
            kanaal=Kanaal(rij["kanaal"]) if rij["kanaal"] else None,
            uitkomst=BezorgUitkomst(rij["uitkomst"] or BezorgUitkomst.VERZONDEN),
            verzonden_op=rij["verzonden_op"],
            pogingen=rij["pogingen"],
            fout=rij["laatste_fout"],
            ontvanger=opdracht.ontvanger,
        )


def _sleutel(opdracht: BezorgOpdracht) -> tuple[str, str]:
    """The outbox row's key: a professional's message has one per professional."""
    return opdracht.melding_id, outbox_soort(opdracht.soort, opdracht.ontvanger)


class _AlOvergedragen(Exception):
    """Another attempt of this message claimed the point of no return first."""


class _NietIngesteld(Exception):
    """This worker has no adapter for the channel (no SMTP server or print folder configured)."""
