"""Outages named by the part that is down (issue 23 item 8), and the example files `make run`
writes with today's receipt (issue 23 item 9). Each test fails on the code before: a stopped
worker read as running, a failed workflow task as Temporal's bare FAILED_PRECONDITION, no
`onderdeel` in the JSON, examples received weeks ago."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from temporalio.api.taskqueue.v1 import PollerInfo
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionResponse
from temporalio.converter import DataConverter
from temporalio.service import RPCError, RPCStatusCode

from domain.advies import Adviesvraag, Omzetting
from domain.besluiten import VernietigingsVerzoek
from domain.melding import Melding
from domain.termijnen import beoordeling_deadline
from domain.zorgmelding import Zorgmelding
from runtime.voorbeelden import BRON, schrijf_voorbeelden
from starter.cli import fout_als_json, onderdeel
from starter.client import POLLER_LEVEND_S, worker_pollt
from starter.codec_client import CodecServerOnbereikbaar, VerklaringOnbereikbaar
from starter.fouten import (
    GeenAntwoord,
    GeenVerbinding,
    GeenWorker,
    Geweigerd,
    OnbekendeMelding,
    Vastgelopen,
)
from starter.vertaling import geen_antwoord, rpc_fout, vastgelopen
from versleuteling.codec import SleutelopslagOnbereikbaar

ROOT = Path(__file__).resolve().parents[2]
NU = datetime(2026, 12, 7, 13, 30, tzinfo=UTC)


def _poller(seconden_geleden: float) -> PollerInfo:
    moment = Timestamp()
    moment.FromDatetime(NU - timedelta(seconds=seconden_geleden))
    return PollerInfo(last_access_time=moment, identity="worker@host")


def test_a_worker_seen_within_a_long_poll_polls_one_gone_for_longer_does_not() -> None:
    """Temporal lists a stopped worker for minutes: counting it made `geen antwoord … terwijl er
    een worker draait` out of a stopped worker."""
    assert worker_pollt([_poller(5)], NU.timestamp())
    assert worker_pollt([_poller(POLLER_LEVEND_S + 60), _poller(30)], NU.timestamp())
    assert not worker_pollt([_poller(POLLER_LEVEND_S + 1)], NU.timestamp())
    assert not worker_pollt([], NU.timestamp())


def test_an_update_refused_because_the_workflow_task_fails_asks_the_workflow_why() -> None:
    """Was: `Temporal weigerde het verzoek (FAILED_PRECONDITION): … Workflow Task in failed
    state`, exit 1. Now a GeenAntwoord, which MeldingClient explains from the workflow."""
    fout = RPCError(
        "Unable to perform workflow execution update due to Workflow Task in failed state.",
        RPCStatusCode.FAILED_PRECONDITION,
        b"",
    )
    vertaald = rpc_fout(
        fout, "VT-1", adres="x", antwoordtijd=timedelta(seconds=30), task_queue="veilig-thuis"
    )
    assert isinstance(vertaald, GeenAntwoord)
    anders = RPCError("iets anders", RPCStatusCode.FAILED_PRECONDITION, b"")
    assert not isinstance(
        rpc_fout(anders, "VT-1", adres="x", antwoordtijd=timedelta(1), task_queue="q"),
        GeenAntwoord,
    )


def test_an_update_aborted_because_the_case_closed_is_a_refusal_not_an_unknown_case() -> None:
    """Was: OnbekendAdvies ("advies … is onbekend") for an update that reached an advies in the
    moment it closed (tests/integration/test_advies_client.py, in a full run)."""
    fout = RPCError("workflow update was aborted by closing workflow", RPCStatusCode.NOT_FOUND, b"")
    vertaald = rpc_fout(fout, "VT-1", adres="x", antwoordtijd=timedelta(1), task_queue="q")
    assert isinstance(vertaald, Geweigerd) and "afgesloten" in str(vertaald)
    onbekend = RPCError("workflow not found for ID: melding-VT-1", RPCStatusCode.NOT_FOUND, b"")
    assert isinstance(
        rpc_fout(onbekend, "VT-1", adres="x", antwoordtijd=timedelta(1), task_queue="q"),
        OnbekendeMelding,
    )


async def test_a_workflow_task_failing_on_the_key_store_names_postgresql() -> None:
    beschrijving = DescribeWorkflowExecutionResponse()
    beschrijving.pending_workflow_task.attempt = 4
    fout = await vastgelopen(
        "VT-1",
        beschrijving,
        DataConverter.default,
        timedelta(seconds=30),
        "sleutelopslag (PostgreSQL) niet bereikbaar (ConnectionRefusedError)",
    )
    assert isinstance(fout, Vastgelopen) and fout.database
    assert "PostgreSQL, de database van de worker, is niet bereikbaar" in str(fout)
    assert onderdeel(fout) == "postgresql"
    anders = await vastgelopen(
        "VT-1", beschrijving, DataConverter.default, timedelta(seconds=30), "NondeterminismError"
    )
    assert anders is not None and not anders.database and onderdeel(anders) == "worker"


@pytest.mark.parametrize(
    ("fout", "naam"),
    [
        (GeenVerbinding("127.0.0.1:7233", "verbinding geweigerd"), "temporal"),
        (GeenWorker("q", "veilig-thuis"), "worker"),
        (geen_antwoord(timedelta(seconds=5), "q", worker=False), "worker"),
        (geen_antwoord(timedelta(seconds=5), "q"), None),
        (SleutelopslagOnbereikbaar("achter de codec server http://x"), "postgresql"),
        (CodecServerOnbereikbaar("codec server http://x niet bereikbaar"), "codec_server"),
        (VerklaringOnbereikbaar("codec server http://x niet bereikbaar"), "codec_server"),
        (
            VerklaringOnbereikbaar("PostgreSQL niet bereikbaar", onderdeel="postgresql"),
            "postgresql",
        ),
        (Geweigerd("nee"), None),
    ],
)
def test_json_errors_name_the_part_that_is_down(fout: Exception, naam: str | None) -> None:
    regel = json.loads(fout_als_json(fout, "VT-UTR-2026-000123"))
    assert regel["onderdeel"] == naam
    assert list(regel) == ["fout", "onderdeel", "melding", "melding_id", "velden"]


def test_make_run_writes_every_example_received_now_once(tmp_path: Path) -> None:
    """The tour's melding was received on 24 November: overdue on arrival on today's clock."""
    map_ = schrijf_voorbeelden(tmp_path, NU)
    assert sorted(p.name for p in map_.glob("*.json")) == sorted(
        p.name for p in BRON.glob("*.json")
    )
    meldingen = 0
    for pad in map_.glob("*.json"):
        data = json.loads(pad.read_text("utf-8"))
        bron = json.loads((BRON / pad.name).read_text("utf-8"))
        if pad.name in DATUM_VANDAAG:
            continue  # their own test below
        if "ontvangen_op" not in bron:
            assert data == bron
            continue
        ontvangen = datetime.fromisoformat(data["ontvangen_op"])
        assert timedelta(0) < NU - ontvangen <= timedelta(minutes=2), pad.name
        assert {k: v for k, v in data.items() if k != "ontvangen_op"} == {
            k: v for k, v in bron.items() if k != "ontvangen_op"
        }
        if pad.name.startswith("melding_"):
            Melding.model_validate_json(pad.read_text("utf-8"))
            assert beoordeling_deadline(ontvangen) > NU
            meldingen += 1
        elif pad.name.startswith("advies_"):
            Adviesvraag.model_validate_json(pad.read_text("utf-8"))
        elif pad.name.startswith("zorgmelding"):  # the politie's, within its term as a melding
            melding = Zorgmelding.model_validate_json(pad.read_text("utf-8")).als_melding(NU)
            assert beoordeling_deadline(melding.ontvangen_op) > NU
        else:
            VernietigingsVerzoek.model_validate_json(pad.read_text("utf-8"))
    assert meldingen >= 5
    # A second start leaves them alone: the tour can be repeated on the same data folder.
    voor = (map_ / "melding_advies.json").read_text("utf-8")
    schrijf_voorbeelden(tmp_path, NU + timedelta(days=30))
    assert (map_ / "melding_advies.json").read_text("utf-8") == voor


DATUM_VANDAAG = {"advies_gesprek.json", "advies_vertrouwensarts.json", "advies_omzetting.json"}


def test_make_run_dates_the_advies_tour_today(tmp_path: Path) -> None:
    """The tour's conversation is dated today and its omzetting's melding received now: a fixed
    date would lie before the adviesvraag (refused) or make the melding overdue on arrival."""
    map_ = schrijf_voorbeelden(tmp_path, NU)
    vandaag = NU.astimezone(ZoneInfo("Europe/Amsterdam")).date().isoformat()
    for naam in ("advies_gesprek.json", "advies_vertrouwensarts.json"):
        data = json.loads((map_ / naam).read_text("utf-8"))
        bron = json.loads((BRON / naam).read_text("utf-8"))
        assert data == {**bron, "datum": vandaag}, naam
    omzetting = Omzetting.model_validate_json((map_ / "advies_omzetting.json").read_text("utf-8"))
    vraag = Adviesvraag.model_validate_json((map_ / "advies_vraag.json").read_text("utf-8"))
    assert vraag.ontvangen_op <= omzetting.melding.ontvangen_op
    assert beoordeling_deadline(omzetting.melding.ontvangen_op) > NU


def test_the_status_example_of_the_contract_agrees_with_its_own_dates() -> None:
    """contract.md shows a case within its term: its deadline is the one the rules compute."""
    tekst = (ROOT / "docs" / "contract.md").read_text("utf-8").split("## MeldingStatus", 1)[1]
    voorbeeld = json.loads(re.search(r"```json\n(.*?)\n```", tekst, re.S).group(1))  # type: ignore[union-attr]
    ontvangen = datetime.fromisoformat(voorbeeld["ontvangen_op"])
    deadline = beoordeling_deadline(ontvangen)
    assert datetime.fromisoformat(voorbeeld["beoordeling_deadline"]) == deadline
    assert voorbeeld["termijn_overschreden"] is False
    assert voorbeeld["volgende_deadline"] == voorbeeld["beoordeling_deadline"]
    assert "on the\nday it was received" in tekst
