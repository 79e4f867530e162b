"""MeldingClient against a real dev server, real workflows and real PostgreSQL activities."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker

from contract.client import data_converter
from contract.ids import melding_workflow_id
from domain.besluiten import (
    Besluit,
    Triage,
    VernietigingsBesluit,
    VernietigingsVerzoek,
)
from domain.status import MeldingStatus
from domain.waarden import Fase
from starter.client import MeldingClient
from starter.demo import verse_melding, voorbeeld, wacht_op
from starter.fouten import (
    Geweigerd,
    MeldingBestaatAl,
    MeldingFout,
    OnbekendeMelding,
    VernietigingWachtOpBesluit,
)
from tests.ids import nieuw_melding_id
from versleuteling.codec import InMemoryKeyStore

pytestmark = pytest.mark.integration

T = TypeVar("T")


@pytest.fixture
def melding_client(client: Client, worker: Worker) -> MeldingClient:
    return MeldingClient(client, worker.task_queue)


def nieuw_id() -> str:
    return nieuw_melding_id("IT")


async def binnen(poging: Callable[[], Awaitable[T | None]], seconden: float = 10) -> T:
    """Repeat `poging` until it returns something (visibility is eventually consistent)."""
    einde = time.monotonic() + seconden
    while True:
        uitkomst = await poging()
        if uitkomst is not None:
            return uitkomst
        assert time.monotonic() < einde, "niet binnen de tijd gevonden"
        await asyncio.sleep(0.2)


async def ingediend(mc: MeldingClient, voorbeeldnaam: str = "melding_voorwaarden") -> str:
    """A fresh melding submitted and past its sources."""
    melding_id = nieuw_id()
    await mc.indienen(verse_melding(voorbeeldnaam, melding_id))
    await wacht_op(mc, melding_id, lambda s: s.fase is not Fase.INFORMATIE_VERZAMELEN, 20)
    return melding_id


async def test_indienen_returns_the_workflow_id_and_status_shows_the_case(
    melding_client: MeldingClient,
) -> None:
    """A submitted melding gets ID melding-<id> and its status moves to wacht_op_triage."""
    melding_id = nieuw_id()
    workflow_id = await melding_client.indienen(verse_melding("melding_voorwaarden", melding_id))
    assert workflow_id == melding_workflow_id(melding_id)
    status = await wacht_op(
        melding_client, melding_id, lambda s: s.fase is Fase.WACHT_OP_TRIAGE, 20
    )
    assert isinstance(status, MeldingStatus)
    assert status.regio == "utrecht"
    assert status.beoordeling_deadline is not None


async def test_a_second_indienen_with_the_same_id_raises_melding_bestaat_al(
    melding_client: MeldingClient,
) -> None:
    """Another melding with a used melding_id is refused and never makes a second workflow;
    the same melding again returns its workflow ID (idempotent intake, v2)."""
    melding_id = nieuw_id()
    melding = verse_melding("melding_advies", melding_id)
    workflow_id = await melding_client.indienen(melding)
    assert await melding_client.indienen(melding) == workflow_id
    anders = melding.model_copy(
        update={"ontvangen_op": melding.ontvangen_op - timedelta(minutes=1)}
    )
    with pytest.raises(MeldingBestaatAl, match=f"melding {melding_id} bestaat al"):
        await melding_client.indienen(anders)
    gevonden = [
        wf
        async for wf in melding_client.client.list_workflows(
            f'WorkflowId = "{melding_workflow_id(melding_id)}"'
        )
    ]
    assert len(gevonden) <= 1


async def test_a_refused_update_raises_geweigerd_naming_the_rule(
    melding_client: MeldingClient,
) -> None:
    """A besluit before the triage, and advies against structurele onveiligheid, are refused."""
    melding_id = await ingediend(melding_client)
    besluit = Besluit.model_validate(voorbeeld("besluit_voorwaarden_en_vervolg"))
    with pytest.raises(Geweigerd, match="eerst de triage registreren"):
        await melding_client.neem_besluit(melding_id, besluit)
    await melding_client.registreer_triage(
        melding_id, Triage.model_validate(voorbeeld("triage_structureel"))
    )
    advies = Besluit.model_validate(
        {**voorbeeld("besluit_advies"), "advies_aan_melder": "voortzetten"}
    )
    with pytest.raises(Geweigerd, match="structurele onveiligheid") as fout:
        await melding_client.neem_besluit(melding_id, advies)
    assert "besluit.vervolg" in fout.value.reden
    status = await melding_client.neem_besluit(melding_id, besluit)
    assert status.fase is Fase.VOORWAARDEN_EN_VERVOLG


async def test_an_unknown_melding_raises_onbekende_melding(
    melding_client: MeldingClient,
) -> None:
    """Status and updates for a melding_id that was never submitted raise OnbekendeMelding."""
    melding_id = nieuw_id()
    with pytest.raises(OnbekendeMelding, match=melding_id):
        await melding_client.status(melding_id)
    with pytest.raises(OnbekendeMelding):
        await melding_client.registreer_triage(
            melding_id, Triage.model_validate(voorbeeld("triage"))
        )


async def test_lijst_finds_the_melding_by_fase_and_regio(melding_client: MeldingClient) -> None:
    """The visibility query on VtFase and VtRegio finds the new melding, and not elsewhere."""
    melding_id = await ingediend(melding_client, "melding_ex_partner")

    async def gevonden() -> bool | None:
        regels = await melding_client.lijst(fase="wacht_op_triage", regio="flevoland")
        return True if any(r.melding_id == melding_id for r in regels) else None

    await binnen(gevonden)
    regels = await melding_client.lijst(fase="wacht_op_triage", regio="flevoland")
    regel = next(r for r in regels if r.melding_id == melding_id)
    assert (regel.fase, regel.regio, regel.status) == (Fase.WACHT_OP_TRIAGE, "flevoland", "running")
    assert regel.volgende_deadline is not None and not regel.overschreden
    elders = await melding_client.lijst(fase="wacht_op_triage", regio="utrecht")
    assert melding_id not in {r.melding_id for r in elders}


async def test_vernietig_waits_for_a_medewerker_when_no_right_to_destruction(
    melding_client: MeldingClient,
) -> None:
    """A request on a case without the right waits for beslis_vernietiging, then is refused."""
    melding_id = await ingediend(melding_client)
    verzoek = VernietigingsVerzoek.model_validate(
        {**voorbeeld("vernietiging"), "melding_id": melding_id}
    )
    with pytest.raises(VernietigingWachtOpBesluit, match="beslis_vernietiging"):
        await melding_client.vernietig(verzoek, wacht=timedelta(seconds=1))
    besluit = VernietigingsBesluit.model_validate(voorbeeld("vernietigingsbesluit"))
    await melding_client.beslis_vernietiging(melding_id, besluit)
    resultaat = await melding_client.vernietig(verzoek)
    assert not resultaat.toegekend and "Geweld is vastgesteld" in resultaat.reden


class TellendeClient(MeldingClient):
    """The real client, counting how often it asks Temporal whether a worker polls."""

    vragen = 0

    async def worker_actief(self) -> bool:
        self.vragen += 1
        return await super().worker_actief()


async def test_a_burst_of_indienen_asks_once_whether_a_worker_polls(
    client: Client, worker: Worker
) -> None:
    """Issue 12: every indienen asked Temporal (describe_task_queue) before it started the case,
    a server round trip per melding; a worker seen polling is believed for WORKER_GEZIEN_S."""
    mc = TellendeClient(client, worker.task_queue)
    await mc.indienen(verse_melding("melding_advies", nieuw_id()))
    na_eerste = mc.vragen  # a worker that just started may need a second look
    for _ in range(3):
        await mc.indienen(verse_melding("melding_advies", nieuw_id()))
    assert na_eerste >= 1 and mc.vragen == na_eerste


async def test_a_client_without_the_codec_or_the_plugin_is_refused_saying_what_to_do(
    temporal_adres: str, client: Client
) -> None:
    """Issue 23: over pydantic_data_converter a melding went to Temporal in plaintext without a
    word; over the SDK's default converter it failed with a raw TypeError. Now MeldingFout, at
    construction, nothing sent; the test fixture's client (the project's converter and the
    verklaring plugin) is accepted."""
    for converter in (pydantic_data_converter, None):
        kaal = await Client.connect(
            temporal_adres, **({"data_converter": converter} if converter else {})
        )
        with pytest.raises(MeldingFout) as fout:
            MeldingClient(kaal)
        tekst = str(fout.value)
        assert "versleutelt de meldingen niet" in tekst and "MeldingClient.connect()" in tekst
        assert "contract.client.data_converter(codec=CodecServerCodec" in tekst
    zonder_plugin = await Client.connect(
        temporal_adres, data_converter=data_converter(InMemoryKeyStore())
    )
    with pytest.raises(MeldingFout, match="mist de plugin 'vt-auteurschap'") as fout:
        MeldingClient(zonder_plugin)
    assert "MeldingClient.connect()" in str(fout.value)
    assert MeldingClient(client).client is client
