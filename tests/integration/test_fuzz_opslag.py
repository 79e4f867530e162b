"""Fuzzing storage: every melding and update payload that intake accepts is stored by the real
activities on embedded PostgreSQL, and reads back as itself. No NUL, lone surrogate or other
text that intake lets through can make PostgreSQL refuse it (UntranslatableCharacterError would
wedge the case for ever)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from temporalio.testing import ActivityEnvironment

from activities.audit import AuditActiviteiten, audit_van
from activities.dossier import DossierActiviteiten, lees_melding
from domain.invoer import valideer_streng
from domain.melding import Melding
from domain.uitwisseling import AuditRegel
from tests.integration.conftest import SLEUTEL, datasleutels_op
from tests.unit.fuzz_strategieen import NU, UPDATE_MODELLEN, UPDATES, geldige_meldingen

pytestmark = pytest.mark.integration

OPSLAG = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Text PostgreSQL stores, but a careless encoder might not: a literal backslash-u escape,
# U+FFFF, private use, 4-byte characters; in free text also a byte-order mark, a zero-width
# joiner and line separators. (Intake refuses invisible format characters in a one-line value
# and direction overrides anywhere since issue 21: they hid a household from the register.)
LASTIG_REGEL = "\\u0000 \\ud800 \uffff \ue000 😀 𝔑 Zoë e\u0301"
LASTIG = LASTIG_REGEL + " \ufeff \u200d\u2028\u2029\t\n\r"


def eigen_id(melding_id: str) -> str:
    """A melding_id of this example only (the session's database is shared by all tests)."""
    # Hexadecimal with a digit and never five of them in a row: no name, no BSN (kenmerken.py).
    hex_ = uuid.uuid4().hex
    return f"FZ-1{hex_[:4]}a{hex_[4:8]}-{melding_id}"[:64]


@settings(OPSLAG, max_examples=200)
@given(geldige_meldingen())
@example(
    {
        "melding_id": "LAST-1",
        "regio": "utrecht",
        "ontvangen_op": "2015-01-01T00:00:00+01:00",
        "melder": {"soort": "burger", "naam": "O\u2019Brien-Çelik", "email": LASTIG_REGEL},
        "betrokkenen": [{"rol": "kind", "achternaam": "𝔑" * 200, "geboortedatum": "1900-01-01"}],
        "zorgen": {"vormen": ["overig"], "omschrijving": LASTIG * 200},
    }
)
async def test_every_accepted_melding_is_stored_and_reads_back_as_itself(
    pool: asyncpg.Pool, gegevens: dict[str, Any]
) -> None:
    """sla_melding_op stores what Melding.ontvang accepts; the dossier's JSON decodes to it."""
    melding = Melding.ontvang({**gegevens, "melding_id": eigen_id(gegevens["melding_id"])}, nu=NU)
    await DossierActiviteiten(pool, SLEUTEL, datasleutels_op(pool)).sla_melding_op(melding)
    assert await lees_melding(pool, datasleutels_op(pool), melding.melding_id) == melding
    async with pool.acquire() as con:
        rij = await con.fetchrow(
            "SELECT ontvangen_op,"
            " (SELECT count(*) FROM betrokkenen b WHERE b.melding_id = m.melding_id) AS aantal"
            " FROM meldingen m WHERE melding_id = $1",
            melding.melding_id,
        )
    assert rij["ontvangen_op"] == melding.ontvangen_op
    assert rij["aantal"] == len(melding.betrokkenen)


@pytest.mark.parametrize("soort", sorted(UPDATES))
@settings(OPSLAG, max_examples=30)
@given(data=st.data())
async def test_every_accepted_update_payload_is_stored_in_the_audit_trail(
    pool: asyncpg.Pool, soort: str, data: st.DataObject
) -> None:
    """leg_beslissing_vast stores what streng accepts; the audit row decodes to the payload."""
    model: type[BaseModel] = UPDATE_MODELLEN[soort]
    payload = valideer_streng(model, data.draw(UPDATES[soort]()), NU)
    melding_id = eigen_id("audit")
    regel = AuditRegel(
        melding_id=melding_id,
        handeling=soort,
        medewerker=str(getattr(payload, "medewerker", "verzoeker")),
        op=NU,
        gegevens=payload.model_dump(mode="json"),
    )
    omgeving = ActivityEnvironment()
    omgeving.info = dataclasses.replace(omgeving.info, activity_id=melding_id)
    await omgeving.run(AuditActiviteiten(pool, datasleutels_op(pool)).leg_beslissing_vast, regel)
    [opgeslagen] = await audit_van(pool, datasleutels_op(pool), melding_id)
    assert opgeslagen.gegevens == regel.gegevens
    assert model.model_validate(opgeslagen.gegevens) == payload
