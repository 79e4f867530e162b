"""The destruction list's I/O (issue 25, migration 021): the dossiers past their bewaartermijn,
the extensions a reviewer grants, the destruction of the rest (the same crypto-shredding and row
removal as on request, activities/vernietiging.py) and the verklaring van vernietiging.

Each dossier is destroyed in one transaction together with its row in
`vernietigingslijst_items`: an attempt that dies half-way leaves every dossier either destroyed
and recorded or untouched, and its retry skips those recorded (none twice, none skipped).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import asyncpg
import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import meldingen
from activities.sleutels import Registersleutels
from activities.vernietiging import VernietigingActiviteiten, kenmerk_van
from contract import names
from domain.bewaartermijn import Grond
from domain.uitwisseling import Vernietigingsverslag
from domain.vernietigingslijst import Behouden, Lijstdeel, LijstItem, Vernietigingsverklaring
from versleuteling import audit
from versleuteling.codec import KeyStore
from versleuteling.kolommen import AUDIT, Kolomsleutels, melding_sleutel

log = structlog.get_logger(__name__)

# More than this many dossiers wait for a next list (a month later): a list stays reviewable.
LIJST_MAX = 2000
_GEDAAN = "SELECT true FROM vernietigingslijst_items WHERE lijst_id = $1 AND melding_hmac = $2"
_VASTLEGGEN = (
    "INSERT INTO vernietigingslijst_items (lijst_id, melding_hmac, sleutel_versie)"
    " VALUES ($1, $2, $3)"
)


class VernietigingslijstActiviteiten:
    def __init__(
        self,
        pool: asyncpg.Pool,
        vernietiging: VernietigingActiviteiten,
        sleutel: bytes | Registersleutels,
        datasleutels: KeyStore,
    ) -> None:
        self._pool, self._vernietiging = pool, vernietiging
        self._sleutels = Registersleutels.van(sleutel)
        self._kolommen = Kolomsleutels(datasleutels)

    @activity.defn(name="stel_lijst_samen")
    async def stel_lijst_samen(self, peildatum: date) -> list[LijstItem]:
        """The closed dossiers whose term ended before `peildatum`, soonest first."""
        async with self._pool.acquire() as con:
            rijen = await meldingen.verlopen(con, peildatum, LIJST_MAX)
        log.info("vernietigingslijst samengesteld", dossiers=len(rijen))
        return [
            LijstItem(
                melding_id=r["melding_id"],
                regio=r["regio"],
                bewaren_tot=r["bewaren_tot"],
                grond=Grond(r["bewaar_grond"]),
            )
            for r in rijen
        ]

    @activity.defn(name="verleng_bewaartermijnen")
    async def verleng_bewaartermijnen(
        self, lijst_id: str, medewerker: str, op: datetime, behouden: list[Behouden]
    ) -> None:
        """Each kept dossier's term is extended (never shortened) and the reason audited in its
        own trail, encrypted with its own key (shredded with it when it goes in the end)."""
        async with self._pool.acquire() as con, con.transaction():
            for h in behouden:
                await meldingen.verleng(con, h.melding_id, h.tot, Grond.VERLENGD.value)
                sleutel = f"{lijst_id}/behouden/{h.melding_id}/{h.tot.isoformat()}"
                rijsleutel = await self._kolommen.voor_schrijven(melding_sleutel(h.melding_id))
                gegevens = rijsleutel.versleutel(
                    AUDIT,
                    (h.melding_id, sleutel),
                    json.dumps(
                        {"lijst_id": lijst_id, "tot": h.tot.isoformat(), "reden": h.reden}
                    ).encode(),
                )
                await audit.schrijf(
                    con, sleutel, h.melding_id, "bewaartermijn_verlengd", medewerker, op, gegevens
                )

    @activity.defn(name="vernietig_lijstdeel")
    async def vernietig_lijstdeel(
        self, lijst_id: str, melding_ids: list[str], verslag: Vernietigingsverslag
    ) -> Lijstdeel:
        """Destroy these dossiers of the list, one transaction each; what an earlier attempt
        did is found in `vernietigingslijst_items` and skipped."""
        deel = Lijstdeel()
        for n, melding_id in enumerate(melding_ids):
            if activity.in_activity():
                activity.heartbeat(n)
            uitkomst = await self._een(lijst_id, melding_id, verslag)
            getattr(deel, uitkomst).append(melding_id)
        log.info(
            "vernietigingslijst: deel vernietigd",
            lijst_id=lijst_id,
            vernietigd=len(deel.vernietigd),
            al_gedaan=len(deel.al_gedaan),
            niet_gevonden=len(deel.niet_gevonden),
        )
        return deel

    async def _een(self, lijst_id: str, melding_id: str, verslag: Vernietigingsverslag) -> str:
        """One dossier: `vernietigd` now, `al_gedaan` by an earlier attempt, or `niet_gevonden`
        (destroyed on request meanwhile, or its case runs again: left for a next list)."""
        versie, kenmerk = kenmerk_van(self._sleutels, melding_id)
        async with self._pool.acquire() as con:
            if await con.fetchval(_GEDAAN, lijst_id, kenmerk):
                return "al_gedaan"
            if not await meldingen.bestaat(con, melding_id):
                return "niet_gevonden"

        async def leg_vast(con: asyncpg.Connection) -> None:
            await con.execute(_VASTLEGGEN, lijst_id, kenmerk, versie)

        try:
            await self._vernietiging.voer_uit(melding_id, verslag, leg_vast)
        except ApplicationError as fout:
            if fout.type != names.FOUT_NOG_OPEN:
                raise
            return "niet_gevonden"
        return "vernietigd"

    @activity.defn(name="stel_verklaring_op")
    async def stel_verklaring_op(
        self, verklaring: Vernietigingsverklaring, melding_ids: list[str]
    ) -> Vernietigingsverklaring:
        """The verklaring van vernietiging, recorded once (a retry finds it): the kenmerken of
        the dossiers the list destroyed, never their ids."""
        versie = self._sleutels.huidige
        kenmerken = sorted(kenmerk_van(self._sleutels, m)[1].hex() for m in melding_ids)
        verklaring = verklaring.model_copy(update={"kenmerken": kenmerken})
        v = verklaring
        async with self._pool.acquire() as con:
            await con.execute(
                "INSERT INTO vernietigingsverklaringen (lijst_id, peildatum, ronden,"
                " sleutel_versie, kenmerken, aantal_op_lijst, aantal_behouden, aantal_vernietigd,"
                " aantal_al_weg, beoordeeld_door, beoordeeld_op, goedgekeurd_door,"
                " goedgekeurd_op, vernietigd_op)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
                " ON CONFLICT (lijst_id) DO NOTHING",
                v.lijst_id,
                v.peildatum,
                v.ronden,
                versie,
                json.dumps(kenmerken),
                v.aantal_op_lijst,
                v.aantal_behouden,
                v.aantal_vernietigd,
                v.aantal_al_weg,
                v.beoordeeld_door,
                v.beoordeeld_op,
                v.goedgekeurd_door,
                v.goedgekeurd_op,
                v.vernietigd_op,
            )
        log.info("verklaring van vernietiging", lijst_id=v.lijst_id, vernietigd=len(kenmerken))
        return verklaring
