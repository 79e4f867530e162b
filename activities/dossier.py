"""The dossier: the melding and its betrokkenen in PostgreSQL (idempotent), and its state."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import asyncpg
import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import bewaartermijn, meldingen
from activities.beleidsinformatie import Beleidsinformatie
from activities.signalering import gesloten, schrijf_en_sluit
from activities.sleutels import Registersleutels, hashes_per_versie
from activities.vernietiging import is_vernietigd
from contract import names
from domain.afsluiting import afgerond_bij_dossier
from domain.bewaartermijn import Bewaarbeleid, Bewaartermijn, Grond
from domain.melding import Melding
from domain.uitwisseling import DossierStand
from versleuteling.codec import KeyStore, SleutelVernietigd
from versleuteling.kolommen import KETENPARTNER, MELDING, Kolomsleutels, melding_sleutel

log = structlog.get_logger(__name__)


def _bestaat_al(melding_id: str, waarom: str) -> ApplicationError:
    return ApplicationError(
        f"melding {melding_id} bestaat al ({waarom}): er start geen tweede casus",
        type=names.FOUT_BESTAAT_AL,
        non_retryable=True,
    )


class DossierActiviteiten:
    """`sleutel`: the register's HMAC key(s); `datasleutels`: the store of the data keys the
    melding itself is encrypted with (versleuteling/kolommen.py)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        sleutel: bytes | Registersleutels,
        datasleutels: KeyStore,
        beleid: Beleidsinformatie | None = None,
        bewaarbeleid: Bewaarbeleid | None = None,
    ) -> None:
        self._pool, self._sleutels = pool, Registersleutels.van(sleutel)
        self._kolommen = Kolomsleutels(datasleutels)
        self._beleid = beleid or Beleidsinformatie()
        self._bewaarbeleid = bewaarbeleid or Bewaarbeleid()

    @activity.defn(name="sla_melding_op")
    async def sla_melding_op(self, melding: Melding, keten: str | None = None) -> None:
        """Store once: a retry of the registering run finds its row and changes nothing; any
        other run for this melding_id (a resubmission after Temporal forgot the first, or after
        the dossier was destroyed) is refused: PostgreSQL, not Temporal's retention, decides.
        `keten`: the run the workflow's chain began with (since v6; a Reset keeps it, so the
        reset run registers as its original did); None: the calling run (before v6)."""
        # The SDK applies type hints only when the argument count matches them (a v5 workflow
        # passes one argument): decode what arrived untyped.
        melding = Melding.model_validate(melding)
        # Outside a workflow (a direct call in a test or a tool) there is no run: "".
        run = keten or ((activity.info().workflow_run_id or "") if activity.in_activity() else "")
        rijen = [
            (n, b.rol.value, bsn, naam, versie)
            for n, b in enumerate(melding.betrokkenen, 1)
            for versie, bsn, naam in hashes_per_versie(self._sleutels, b)
        ]
        try:
            sleutel = await self._kolommen.voor_schrijven(melding_sleutel(melding.melding_id))
        except SleutelVernietigd:  # never a new key for a destroyed dossier
            raise _bestaat_al(melding.melding_id, "het dossier is vernietigd") from None
        gegevens = sleutel.versleutel(
            MELDING, (melding.melding_id,), melding.model_dump_json().encode()
        )
        # One statement, atomic on its own: the melding and its betrokkenen, unless the dossier
        # was destroyed or the melding_id is taken (two round trips instead of six; measured
        # with bench.activiteiten). The rare refusal is told apart afterwards.
        async with self._pool.acquire() as con:
            nieuw = await meldingen.registreer(
                con,
                melding.melding_id,
                melding.regio,
                melding.ontvangen_op,
                melding.melder.soort.value,
                gegevens,
                run,
                rijen,
            )
            log.info("melding opgeslagen", nieuw=bool(nieuw), regio=melding.regio)
            if not nieuw:
                if await is_vernietigd(con, melding.melding_id):
                    raise _bestaat_al(melding.melding_id, "het dossier is vernietigd")
                await self._zelfde_run(con, melding, run)
            # Its statistics (idempotent: a retry of the same run finds the row).
            await self._beleid.melding(con, melding)

    async def _zelfde_run(self, con: asyncpg.Connection, melding: Melding, run: str) -> None:
        rij = await meldingen.registratie(con, melding.melding_id)
        assert rij is not None  # a row refused the registration
        if rij["registratie_run"] in (None, run):  # a retry, or registered before v2
            return
        opgeslagen = await self._kolommen.ontsleutel(
            melding_sleutel(melding.melding_id), MELDING, (melding.melding_id,), rij["gegevens"]
        )
        gelijk = json.loads(opgeslagen or b"null") == melding.model_dump(mode="json")
        raise _bestaat_al(
            melding.melding_id,
            f"{'dezelfde' if gelijk else 'een andere'} melding is geregistreerd op "
            f"{rij['geregistreerd_op']:%Y-%m-%d}",
        )

    @activity.defn(name="werk_dossier_bij")
    async def werk_dossier_bij(self, stand: DossierStand) -> None:
        """The register's view of the case; a besluit taken ends the beoordeling's reminders and
        escalations, a closed case all of its own. The ketenpartner is stored encrypted with
        the melding's data key (migration 009): its name may be a person's. A closed case's
        bewaartermijn is recorded (issue 25; `lees_bewaartermijn` reads it back)."""
        await self.werk_bij(stand)

    async def werk_bij(self, stand: DossierStand) -> Bewaartermijn | None:
        """`werk_dossier_bij`, answering with the bewaartermijn once closed."""
        ketenpartner = await self._ketenpartner(stand)
        afgerond = afgerond_bij_dossier(stand.vervolg is not None, stand.afgesloten)
        args = (
            stand.melding_id,
            stand.vervolg.value if stand.vervolg else None,
            ketenpartner,
            stand.afgesloten,
            stand.vernietigingsrecht,
        )
        async with self._pool.acquire() as con:
            await self._beleid.dossier(con, stand)
            if not afgerond:
                await meldingen.werk_bij(con, *args)
                return None
            # The dossier and the terms it ends in one statement: atomic without a
            # transaction's BEGIN and COMMIT round trips (the WITH runs whatever the rest reads).
            sql, waarden = schrijf_en_sluit(meldingen.WERK_BIJ, args, afgerond)
            status = await con.execute(sql, *waarden)
            gesloten(status, stand.melding_id)
            if not stand.afgesloten:
                return None
            return await bewaartermijn.leg_vast(
                con, self._kolommen, stand.melding_id, _afgesloten_op(stand), self._bewaarbeleid
            )

    @activity.defn(name="lees_bewaartermijn")
    async def lees_bewaartermijn(self, melding_id: str) -> Bewaartermijn | None:
        """The term in force as the dossier records it (None: open, or no dossier)."""
        async with self._pool.acquire() as con:
            rij = await meldingen.bewaartermijn(con, melding_id)
        if rij is None or rij["bewaren_tot"] is None:
            return None
        return Bewaartermijn(tot=rij["bewaren_tot"], grond=Grond(rij["bewaar_grond"]))

    async def _ketenpartner(self, stand: DossierStand) -> bytes | None:
        if stand.ketenpartner is None:
            return None
        try:
            sleutel = await self._kolommen.voor_schrijven(melding_sleutel(stand.melding_id))
        except SleutelVernietigd:  # the dossier is gone: the UPDATE finds no row
            return None
        return sleutel.versleutel(
            KETENPARTNER, (stand.melding_id,), stand.ketenpartner.model_dump_json().encode()
        )


def _afgesloten_op(stand: DossierStand) -> datetime:
    """The workflow's closing moment; before v7 the stand had none: when this activity was
    scheduled (the workflow's moment too), or now for a direct call outside a worker."""
    if stand.afgesloten_op is not None:
        return stand.afgesloten_op
    if activity.in_activity():
        return activity.info().scheduled_time
    return datetime.now(UTC)


async def lees_melding(
    pool: asyncpg.Pool, datasleutels: KeyStore, melding_id: str
) -> Melding | None:
    """The melding as stored (decrypted with its data key; SleutelVernietigd once destroyed)."""
    async with pool.acquire() as con:
        waarde = await meldingen.gegevens(con, melding_id)
    if waarde is None:
        return None
    data = await Kolomsleutels(datasleutels).ontsleutel(
        melding_sleutel(melding_id), MELDING, (melding_id,), waarde
    )
    assert data is not None
    return Melding.model_validate_json(data)
