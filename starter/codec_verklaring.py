"""`/verklaring` of the codec server: the attestation that a login may do one write (one
workflow ID, one handeling, one name, one request ID), when its roles and scope allow it; a
start of a melding creates its data key here (docs/architecture.md, "Who is acting")."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import structlog
from aiohttp import web

from contract import ids, names
from domain.identiteit import Auteur, Handeling, weiger_handeling
from domain.kenmerken import verzoek_id_fout
from domain.reikwijdte import ALLE
from starter.codec_poort import WIE, Codecpoort
from starter.codec_toegang import Afgewezen
from versleuteling import verklaring as tokens
from versleuteling.codec import SleutelVernietigd, casus_van, sleutel_id

log = structlog.get_logger("codec-server")
_WORKFLOW_TYPE = {
    ids.MELDING: names.MELDING_WORKFLOW,
    ids.VERNIETIGING: names.VERNIETIGING_WORKFLOW,
    ids.ADVIES: names.ADVIES_WORKFLOW,
}


class Verklaringen(Codecpoort):
    """The endpoint `/verklaring`, part of the codec server."""

    async def verklaring(self, verzoek: web.Request) -> web.Response:
        wie = WIE.get()
        if not self.instellingen.verklaringsleutel:
            raise Afgewezen(503, "verklaring: geen sleutel ingesteld (VT_MASTER_KEY)")
        try:
            vraag = json.loads(await verzoek.read())
            workflow_id, naam = str(vraag["workflow_id"]), str(vraag["naam"])
            handeling, aanvraag = Handeling(vraag["handeling"]), str(vraag.get("verzoek", ""))
        except (ValueError, KeyError, TypeError):
            raise Afgewezen(
                400, "verklaring: JSON met workflow_id, handeling, naam en verzoek"
            ) from None
        gevonden = ids.melding_id_uit_workflow_id(workflow_id)
        if gevonden is None or len(aanvraag) > 200:
            raise Afgewezen(400, "verklaring: geen workflow van een melding")
        soort, melding_id = gevonden
        if handeling is Handeling.UPDATE:
            # The update ID stands in clear in the history: `<update>:<verzoek_id>:<digest>`,
            # its verzoek_id a registration number, never a name or a BSN (kenmerken.py).
            gelezen = ids.lees_update_id(aanvraag)
            fout = verzoek_id_fout(gelezen[1]) if gelezen else "verzoek: geen update-ID"
            if fout is not None or (gelezen is not None and gelezen[0] != naam):
                raise Afgewezen(400, fout or "verzoek: de update-ID hoort bij een andere update")
        reden = weiger_handeling(wie, _WORKFLOW_TYPE[soort], handeling, naam)
        if reden is not None:
            raise Afgewezen(403, reden)
        sleutel = sleutel_id(workflow_id)
        await self._sleutel_voor_schrijven(wie, handeling, soort, melding_id, sleutel)
        token = tokens.maak(
            self.instellingen.verklaringsleutel,
            wie,
            workflow_id=workflow_id,
            handeling=handeling,
            naam=naam,
            verzoek=aanvraag,
            nu=datetime.now(UTC),
        )
        casus = casus_van(sleutel) or melding_id  # an advies as advies/<advies_id>
        log.info("verklaring afgegeven", wie=wie.id, melding_id=casus, naam=naam)
        await self._audit(casus, "verklaring_afgegeven", wie, {"naam": naam, "verzoek": aanvraag})
        return web.json_response({"verklaring": token})

    async def _sleutel_voor_schrijven(
        self, wie: Auteur, handeling: Handeling, soort: str, melding_id: str, sleutel: str
    ) -> None:
        """A start makes its own key (a request to destroy: about a melding that exists, of the
        login's region); any other write needs its case's key, of the login's region."""
        if handeling is not Handeling.START:
            await self._bestaat(sleutel)
            await self._in_reikwijdte(wie, sleutel, "verklaring")
            return
        if soort == ids.VERNIETIGING:
            van_melding = sleutel_id(ids.melding_workflow_id(melding_id))
            await self._bestaat(van_melding)
            await self._in_reikwijdte(wie, van_melding, "verklaring")
        try:
            await self.sleutels.sleutel_voor_versleutelen(sleutel)  # the start's own key
        except SleutelVernietigd:
            # A melding whose dossier was destroyed keeps its melding_id: used, not new.
            raise Afgewezen(409, f"melding {melding_id} bestaat al (vernietigd)") from None
        if (
            soort != ids.VERNIETIGING
            and len(wie.organisaties) == 1
            and ALLE not in wie.organisaties
        ):
            # Until its dossier row names the region (migration 025), a new case belongs to the
            # one organisation of the login that starts it: its first status reads in scope.
            await self.sleutels.zet_regio(sleutel, wie.organisaties[0])
