"""AdviesClient against a real dev server, the real workflows and PostgreSQL activities: the
advies path end to end, from the example files of starter/examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client
from temporalio.worker import Worker

from contract.ids import advies_workflow_id
from domain.advies import (
    AdviesAfsluiting,
    AdviesFase,
    Adviesvraag,
    Gesprek,
    Omzetting,
    VertrouwensartsConsult,
)
from domain.invoer import valideer_streng
from domain.waarden import Fase
from starter.advies_client import AdviesBestaatAl, AdviesClient, OnbekendAdvies
from starter.client import MeldingClient
from starter.demo import voorbeeld, wacht_op
from starter.fouten import Geweigerd, MeldingBestaatAl
from tests.ids import nieuw_melding_id

pytestmark = pytest.mark.integration


@pytest.fixture
def advies(client: Client, worker: Worker) -> AdviesClient:
    return AdviesClient(MeldingClient(client, worker.task_queue))


def vers(naam: str, **over: Any) -> Any:
    """Example `naam`, received now and dated today (as make run writes them)."""
    nu = datetime.now(UTC) - timedelta(minutes=1)
    gegevens = {**voorbeeld(naam), **over}
    if "ontvangen_op" in gegevens:
        gegevens["ontvangen_op"] = nu.isoformat()
    if "datum" in gegevens:
        gegevens["datum"] = nu.date().isoformat()
    if "melding" in gegevens:
        gegevens["melding"] = {**gegevens["melding"], "ontvangen_op": nu.isoformat()}
    return gegevens


def vraag(naam: str = "advies_vraag") -> Adviesvraag:
    return valideer_streng(Adviesvraag, vers(naam, advies_id=nieuw_melding_id("AV")))


async def test_an_advies_is_submitted_once_talked_about_and_closed(advies: AdviesClient) -> None:
    """The same adviesvraag again is the same workflow; another under its id is refused."""
    v = vraag("advies_vraag_anoniem")
    assert await advies.indienen(v) == advies_workflow_id(v.advies_id)
    assert await advies.indienen(v) == advies_workflow_id(v.advies_id)
    with pytest.raises(AdviesBestaatAl, match=f"advies {v.advies_id} bestaat al"):
        await advies.indienen(v.model_copy(update={"vraag": "Een andere vraag."}))
    gesprek = valideer_streng(Gesprek, vers("advies_gesprek"))
    status = await advies.registreer_gesprek(v.advies_id, gesprek)
    assert len(status.gesprekken) == 1
    afsluiting = valideer_streng(AdviesAfsluiting, vers("advies_afsluiting"))
    status = await advies.sluit(v.advies_id, afsluiting, verzoek_id="ticket-1")
    assert status.fase is AdviesFase.AFGESLOTEN and status.afsluiting == afsluiting
    # A retry of the closing answers as the first did; another update is refused.
    assert (await advies.sluit(v.advies_id, afsluiting, verzoek_id="ticket-1")).afsluiting
    with pytest.raises(Geweigerd, match="advies_afgesloten"):
        await advies.registreer_gesprek(v.advies_id, gesprek)
    assert (await advies.status(v.advies_id)).fase is AdviesFase.AFGESLOTEN


async def test_an_omzetting_starts_the_melding_that_runs_its_protocol(
    advies: AdviesClient,
) -> None:
    """advies-omzetten: the melding's workflow starts, stores its dossier and gathers its
    sources; the advies names it; its melding_id cannot be used twice."""
    v, tweede = vraag(), vraag()
    for a in (v, tweede):
        await advies.indienen(a)
        await advies.registreer_gesprek(
            a.advies_id, valideer_streng(Gesprek, vers("advies_gesprek"))
        )
    consult = valideer_streng(VertrouwensartsConsult, vers("advies_vertrouwensarts"))
    await advies.raadpleeg_vertrouwensarts(v.advies_id, consult)
    melding_id = nieuw_melding_id("IT")
    gegevens = vers("advies_omzetting")
    gegevens["melding"]["melding_id"] = melding_id
    omzetting = valideer_streng(Omzetting, gegevens)
    status = await advies.zet_om(v.advies_id, omzetting)
    assert status.fase is AdviesFase.OMGEZET and status.melding_id == melding_id
    melding = await wacht_op(
        advies.meldingen, melding_id, lambda s: s.fase is Fase.WACHT_OP_TRIAGE, 20
    )
    assert melding.melding_id == melding_id
    with pytest.raises(MeldingBestaatAl, match=f"melding {melding_id} bestaat al"):
        await advies.zet_om(tweede.advies_id, omzetting)
    assert (await advies.status(tweede.advies_id)).fase is AdviesFase.OPEN


async def test_an_unknown_advies_is_named_as_an_advies(advies: AdviesClient) -> None:
    with pytest.raises(OnbekendAdvies, match="advies AV-1a000 is onbekend"):
        await advies.status("AV-1a000")


async def test_an_omzetting_under_a_destroyed_melding_id_leaves_the_advies_open(
    advies: AdviesClient, pool: asyncpg.Pool
) -> None:
    """The dossier remembers a destroyed melding_id (`vernietigingen`): the omzetting is refused
    with exit 5's error, and the advies does not wedge on a key that is gone."""
    v = vraag()
    await advies.indienen(v)
    await advies.registreer_gesprek(v.advies_id, valideer_streng(Gesprek, vers("advies_gesprek")))
    melding_id = nieuw_melding_id("IT")
    async with pool.acquire() as con:
        await con.execute("INSERT INTO vernietigingen (melding_id) VALUES ($1)", melding_id)
    gegevens = vers("advies_omzetting")
    gegevens["melding"]["melding_id"] = melding_id
    with pytest.raises(MeldingBestaatAl):
        await advies.zet_om(v.advies_id, valideer_streng(Omzetting, gegevens))
    assert (await advies.status(v.advies_id)).fase is AdviesFase.OPEN
