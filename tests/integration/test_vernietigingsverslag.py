"""After a destruction a pseudonymised record stays (issue 17): who filed, who decided, when,
and who had decoded the dossier, keyed by an HMAC of the melding id; nothing of the melding
itself. Before it, the audit rows were deleted with the dossier and no trace of who destroyed
it, or who had read it, was left."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

import asyncpg

from activities.dossier import DossierActiviteiten
from activities.vernietiging import VernietigingActiviteiten
from domain.uitwisseling import DossierStand, Vernietigingsverslag
from domain.waarden import Vervolg
from starter.codec_server import audit_in
from tests.integration import voorbeelden as vb
from tests.integration.conftest import SLEUTEL, datasleutels_op


async def test_the_record_names_filer_decider_and_decoders_and_nothing_of_the_case(
    pool: asyncpg.Pool,
) -> None:
    m = vb.melding()
    dossier = DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool))
    await dossier.sla_melding_op(m)
    await dossier.werk_dossier_bij(
        DossierStand(
            melding_id=m.melding_id,
            vervolg=Vervolg.AFSLUITEN,
            afgesloten=True,
            vernietigingsrecht=True,
        )
    )
    schrijf = audit_in(pool)
    await schrijf(m.melding_id, "payload_ontsleuteld", "mw-0042", {"payloads": 3})
    await schrijf(m.melding_id, "payload_ontsleuteld", "ops-0001", {"payloads": 1})
    nu = datetime.now(UTC)
    verslag = Vernietigingsverslag(
        aangevraagd_door="mw-0001", aangevraagd_op=nu, besloten_door="tl-0007", besloten_op=nu
    )
    await VernietigingActiviteiten(pool, None, SLEUTEL).vernietig(m.melding_id, verslag)
    await VernietigingActiviteiten(pool, None, SLEUTEL).vernietig(m.melding_id, verslag)  # retry

    kenmerk = hmac.new(SLEUTEL, b"vernietiging:" + m.melding_id.encode(), hashlib.sha256).digest()
    rijen = await pool.fetch(
        "SELECT * FROM vernietigingsverslagen WHERE melding_hmac = $1", kenmerk
    )
    assert len(rijen) == 1
    rij = rijen[0]
    assert (rij["aangevraagd_door"], rij["besloten_door"]) == ("mw-0001", "tl-0007")
    assert [d["wie"] for d in json.loads(rij["ontsleuteld"])] == ["mw-0042", "ops-0001"]
    tekst = str(dict(rij))
    assert m.melding_id not in tekst and m.betrokkenen[0].achternaam not in tekst
    assert (
        await pool.fetchval("SELECT count(*) FROM audit WHERE melding_id = $1", m.melding_id) == 0
    )
