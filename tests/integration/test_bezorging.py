"""Issue 20: messages really delivered. The real worker delivers to a real SMTP server on
loopback (STARTTLS, a certificate made for the test) and drops letters as PDFs in a folder; the
tests read what arrived back: sender, recipient, subject, body, the letter's text."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment
from temporalio.worker import Worker

from activities.bezorging import BezorgActiviteiten
from activities.dossier import DossierActiviteiten
from activities.outbox import OutboxActiviteiten
from contract import names
from contract.ids import melding_workflow_id
from contract.policies import BEZORG_POGINGEN
from domain import voorbeelden
from domain.berichten import eerste_terugkoppeling
from domain.besluiten import Besluit
from domain.bezorging import BezorgOpdracht
from starter import weergave
from starter.zoeken import MeldingRegel, zoek, zoekvraag_lijst
from tests.integration import voorbeelden as vb
from tests.integration.bezorging import (
    AFZENDER,
    HUISHOUDEN_ADRES,
    Loopback,
    bezorgende_worker,
    loopback,
    met,
)
from tests.integration.conftest import HOOFDSLEUTEL_HEX, SLEUTEL, datasleutels_op
from tests.workflows import scenario as sc
from workflows import MeldingWorkflow

HIER = Path(__file__).resolve().parents[2]
BSN = re.compile(r"\b\d{9}\b")


@pytest.fixture
async def lb(tmp_path: Path) -> AsyncIterator[Loopback]:
    async for x in loopback(tmp_path):
        yield x


@pytest.fixture
async def bezorger(client: Client, pool: asyncpg.Pool, lb: Loopback) -> AsyncIterator[Worker]:
    async for w in bezorgende_worker(client, pool, lb):
        yield w


async def _outbox(pool: asyncpg.Pool, melding_id: str) -> dict[str, asyncpg.Record]:
    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT soort, kanaal, uitkomst, verzonden_op, poging_op, pogingen, laatste_fout"
            " FROM outbox WHERE melding_id = $1",
            melding_id,
        )
    return {r["soort"]: r for r in rijen}


async def _signaleringen(pool: asyncpg.Pool, melding_id: str) -> list[tuple[str, str]]:
    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT soort, termijn FROM signaleringen"
            " WHERE melding_id = $1 AND termijn = 'bezorging'",
            melding_id,
        )
    return [(r["soort"], r["termijn"]) for r in rijen]


def _professional(email: str) -> Any:
    m = vb.melding()
    return met(m, melder={"email": email, "naam": "Ilse Leerkracht"}, adres=HUISHOUDEN_ADRES)


def _persoonsgegevens_van_anderen(m: Any) -> list[str]:
    """What no message may hold: the betrokkenen's names and BSNs."""
    uit = []
    for b in m.betrokkenen:
        uit += [w for w in (b.achternaam, b.bsn) if w]
    return uit


async def test_a_closed_case_mails_the_professional_and_posts_the_household_a_letter(
    client: Client, bezorger: Worker, pool: asyncpg.Pool, lb: Loopback
) -> None:
    """Q&A 4, 8, 9: right after the besluit the melder (a professional who stays involved)
    gets the eerste terugkoppeling by mail, with prior meldingen, the veiligheidsbeoordeling and
    the advies; the household a letter; every outbox row of the closed case has verzonden_op."""
    m = _professional("ilse.leerkracht@school.example")
    handle = await sc.start(client, bezorger, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
    assert (await handle.result()).einde == "advies"

    (mail,) = lb.mails()
    assert str(mail["From"]) == f"Veilig Thuis <{AFZENDER}>"
    assert str(mail["To"]) == "Ilse Leerkracht <ilse.leerkracht@school.example>"
    assert mail["Subject"] == "Terugkoppeling over uw melding bij Veilig Thuis"
    assert mail["Message-ID"] == f"<{m.melding_id}-eerste_terugkoppeling@veiligthuis.example>"
    tekst = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert tekst.startswith("Beste Ilse Leerkracht,")
    assert "Veilig Thuis heeft advies gegeven" in tekst
    assert "Eerdere meldingen over dit gezin bij Veilig Thuis: 0." in tekst
    assert "Uitkomst van de veiligheidsbeoordeling" in tekst
    assert "Ons advies: zet uw hulp voort" in tekst
    assert "<p>Beste Ilse Leerkracht,</p>" in html
    brief = lb.brief(f"{m.melding_id}-huishouden_informeren")
    assert "Lindelaan 12a" in brief and "3512 AB  UTRECHT" in brief
    assert "De melding is gedaan door een professional (beroepsgroep: onderwijs)." in brief
    for geheim in _persoonsgegevens_van_anderen(m):
        assert geheim not in tekst and geheim not in html and geheim not in brief
    assert not BSN.search(tekst) and not BSN.search(brief)

    rijen = await _outbox(pool, m.melding_id)
    assert {s: (r["kanaal"], r["uitkomst"]) for s, r in rijen.items()} == {
        "eerste_terugkoppeling": ("email", "verzonden"),
        "huishouden_informeren": ("brief", "verzonden"),
    }
    assert all(r["verzonden_op"] is not None for r in rijen.values())
    status = await handle.query(MeldingWorkflow.status)
    assert [(b.soort, b.uitkomst) for b in status.bezorgingen] == [
        ("eerste_terugkoppeling", "verzonden"),
        ("huishouden_informeren", "verzonden"),
    ]
    assert status.bezorgingen[0].verzonden_op == rijen["eerste_terugkoppeling"]["verzonden_op"]
    regels = await _lijst(client, m.melding_id, lambda r: r.bezorging is not None)
    assert [r.bezorging for r in regels] == ["verzonden"]
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    assert "**Bezorging eerste terugkoppeling:** email, verzonden" in metadata.current_details
    assert "**Bezorging huishouden informeren:** brief, verzonden" in metadata.current_details


async def test_a_burger_who_asked_anonymity_hears_only_what_is_not_confidential(
    client: Client, bezorger: Worker, pool: asyncpg.Pool, lb: Loopback
) -> None:
    """A burger gets only what is not confidential; the household's letter never says who
    reported when anonymity was asked (Q&A 4, 7, 25): no name of the melder in it."""
    m = met(
        vb.melding(),
        melder={
            "soort": "burger",
            "beroepsgroep": None,
            "meldnorm": None,
            "blijft_betrokken": False,
            "naam": "Bart Buurman",
            "email": "bart@buren.example",
            "anonimiteit_gevraagd": True,
        },
        adres=HUISHOUDEN_ADRES,
    )
    handle = await sc.start(client, bezorger, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    besluit: Besluit = voorbeelden.besluit("onderzoek", anonimiteit_toegezegd=True)
    await handle.execute_update(MeldingWorkflow.neem_besluit, besluit)
    await sc.wacht_tot(handle, lambda s: len(s.bezorgingen) == 2)
    (mail,) = lb.mails()
    assert str(mail["To"]) == "Bart Buurman <bart@buren.example>"
    tekst = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Veilig Thuis doet onderzoek naar de situatie." in tekst
    assert "veiligheidsbeoordeling:" not in tekst and "advies" not in tekst.lower()
    brief = lb.brief(f"{m.melding_id}-huishouden_informeren")
    assert "De melder blijft anoniem." in brief
    assert "Bart" not in brief and "Buurman" not in brief and "burger" not in brief
    await handle.terminate("test klaar")


async def test_an_anonymous_burger_without_contact_details_gets_no_message_and_no_alarm(
    client: Client, bezorger: Worker, pool: asyncpg.Pool, lb: Loopback
) -> None:
    """No message where none goes: recorded as 'geen kanaal', not an error, no signalering."""
    m = met(
        vb.melding(),
        melder={
            "soort": "burger",
            "beroepsgroep": None,
            "meldnorm": None,
            "blijft_betrokken": False,
            "naam": None,
        },
        adres=HUISHOUDEN_ADRES,
    )
    handle = await sc.start(client, bezorger, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, voorbeelden.besluit("advies"))
    assert (await handle.result()).einde == "advies"
    rijen = await _outbox(pool, m.melding_id)
    assert (
        rijen["eerste_terugkoppeling"]["kanaal"],
        rijen["eerste_terugkoppeling"]["uitkomst"],
    ) == (
        "geen",
        "geen_kanaal",
    )
    assert rijen["huishouden_informeren"]["uitkomst"] == "verzonden"
    assert lb.mails() == []
    assert await _signaleringen(pool, m.melding_id) == []


async def test_a_recipient_refused_for_good_is_one_signalering_and_the_case_goes_on(
    client: Client, bezorger: Worker, pool: asyncpg.Pool, lb: Loopback
) -> None:
    """550 to the recipient: not retried, not lost: one signalering, the case closes."""
    lb.weiger["weg@school.example"] = "550 5.1.1 Mailbox onbekend"
    m = _professional("weg@school.example")
    handle = await sc.start(client, bezorger, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
    assert (await handle.result()).einde == "advies"
    rijen = await _outbox(pool, m.melding_id)
    eerste = rijen["eerste_terugkoppeling"]
    assert (eerste["uitkomst"], eerste["laatste_fout"], eerste["verzonden_op"]) == (
        "geweigerd",
        "smtp 550",
        None,
    )
    assert rijen["huishouden_informeren"]["uitkomst"] == "verzonden"
    assert await _signaleringen(pool, m.melding_id) == [("onbezorgbaar", "bezorging")]
    assert lb.mails() == []
    # lijst shows it (VtBezorging: the outcome that most needs a person).
    regels = await _lijst(client, m.melding_id, lambda r: r.bezorging is not None)
    assert [(r.melding_id, r.bezorging) for r in regels] == [(m.melding_id, "geweigerd")]
    assert "geweigerd" in weergave.tabel(regels)


async def _lijst(
    client: Client, melding_id: str, klaar: Callable[[MeldingRegel], bool]
) -> list[MeldingRegel]:
    """`lijst`'s rows for one melding, once visibility has them as `klaar` wants."""
    vraag = f'{zoekvraag_lijst(None, None, False)} AND WorkflowId = "melding-{melding_id}"'
    for _ in range(100):
        regels = await zoek(client, vraag, 10)
        if regels and all(klaar(r) for r in regels):
            return regels
        await asyncio.sleep(0.1)
    raise AssertionError(f"lijst toont {melding_id} niet: {regels}")


async def test_mail_sent_while_smtp_is_down_for_30_seconds_arrives_after_it_returns(
    client: Client, bezorger: Worker, pool: asyncpg.Pool, lb: Loopback
) -> None:
    """An unreachable SMTP server is retried with backoff: nothing lost, nothing twice."""
    await lb.stop()
    m = _professional("geduld@school.example")
    handle = await sc.start(client, bezorger, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
    await asyncio.sleep(30)
    rijen = await _outbox(pool, m.melding_id)
    assert rijen["eerste_terugkoppeling"]["verzonden_op"] is None
    assert rijen["eerste_terugkoppeling"]["laatste_fout"].startswith("smtp onbereikbaar")
    assert rijen["eerste_terugkoppeling"]["pogingen"] >= 3
    await lb.start()
    assert (await asyncio.wait_for(handle.result(), 120)).einde == "advies"
    assert len(lb.mails("geduld@school.example")) == 1
    rijen = await _outbox(pool, m.melding_id)
    assert all(r["verzonden_op"] is not None for r in rijen.values())
    assert await _signaleringen(pool, m.melding_id) == []


async def _worker_proces(
    temporal_adres: str, pg_dsn: str, task_queue: str, lb: Loopback
) -> asyncio.subprocess.Process:
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "VT_"))}
    env = {
        **basis,
        "TEMPORAL_ADDRESS": temporal_adres,
        "DATABASE_URL": pg_dsn,
        "VT_TASK_QUEUE": task_queue,
        "VT_MASTER_KEY": HOOFDSLEUTEL_HEX,
        "VT_REGISTER_SLEUTEL": SLEUTEL.decode(),
        "VT_METRICS_PORT": "0",
        "VT_LOG_FORMAT": "json",
        **lb.omgeving(),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "worker.py",
        cwd=HIER,
        env=env,
        stdout=open(lb.map / "worker.log", "ab"),  # the child holds it
        stderr=asyncio.subprocess.STDOUT,
    )


async def test_a_sender_killed_between_the_servers_250_and_its_marker_never_sends_twice(
    client: Client, temporal_adres: str, pg_dsn: str, pool: asyncpg.Pool, lb: Loopback
) -> None:
    """kill -9 of `python worker.py` while the SMTP server takes the message: the server keeps
    it, the worker never hears 250 and never writes verzonden_op. SMTP cannot be exactly-once
    in that window; the attempt was recorded before DATA, so the restarted worker does not send
    again but raises it for a human (`onzeker`, one signalering). One mail arrives, not two."""
    task_queue = f"bezorging-kill-{uuid.uuid4()}"
    proces = await _worker_proces(temporal_adres, pg_dsn, task_queue, lb)
    gedood: list[int] = []

    async def dood() -> None:
        """The message is in the server's hands; before it answers 250, kill -9 the sender."""
        if not gedood:
            os.kill(proces.pid, signal.SIGKILL)
            gedood.append(proces.pid)

    lb.bij_data = dood
    m = _professional("eenmaal@school.example")
    handle = await client.start_workflow(
        MeldingWorkflow.run, m, id=melding_workflow_id(m.melding_id), task_queue=task_queue
    )
    try:
        await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
        await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
        await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
        for _ in range(300):
            if gedood:
                break
            await asyncio.sleep(0.1)
        assert gedood == [proces.pid], (lb.map / "worker.log").read_text()[-3000:]
        assert await asyncio.wait_for(proces.wait(), 10) == -signal.SIGKILL
        rijen = await _outbox(pool, m.melding_id)
        eerste = rijen["eerste_terugkoppeling"]
        assert eerste["poging_op"] is not None and eerste["verzonden_op"] is None
        proces = await _worker_proces(temporal_adres, pg_dsn, task_queue, lb)
        assert (await asyncio.wait_for(handle.result(), 120)).einde == "advies"
    finally:
        if proces.returncode is None:
            proces.send_signal(signal.SIGTERM)
            await proces.wait()
    assert len(lb.mails("eenmaal@school.example")) == 1
    rijen = await _outbox(pool, m.melding_id)
    assert (
        rijen["eerste_terugkoppeling"]["uitkomst"],
        rijen["eerste_terugkoppeling"]["verzonden_op"],
    ) == ("onzeker", None)
    assert rijen["huishouden_informeren"]["uitkomst"] == "verzonden"
    assert await _signaleringen(pool, m.melding_id) == [("onbezorgbaar", "bezorging")]


async def test_a_print_folder_that_cannot_be_written_is_retried_until_the_letter_lands(
    client: Client, bezorger: Worker, pool: asyncpg.Pool, lb: Loopback
) -> None:
    """The print folder unavailable (a file where the folder should be): each attempt fails
    and is retried with backoff; once the folder is there the letter lands, once."""
    lb.map.mkdir(parents=True, exist_ok=True)
    lb.brieven.write_text("geen map")
    m = _professional("brief@school.example")
    handle = await sc.start(client, bezorger, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
    for _ in range(200):
        rij = (await _outbox(pool, m.melding_id)).get("huishouden_informeren")
        if rij is not None and rij["pogingen"] >= 2:
            break
        await asyncio.sleep(0.1)
    assert rij is not None and rij["laatste_fout"] == "drukstraat-map EEXIST", rij
    assert rij["verzonden_op"] is None
    lb.brieven.unlink()
    assert (await asyncio.wait_for(handle.result(), 60)).einde == "advies"
    assert [p.name for p in lb.brieven.iterdir()] == [f"{m.melding_id}-huishouden_informeren.pdf"]
    rij = (await _outbox(pool, m.melding_id))["huishouden_informeren"]
    assert (rij["uitkomst"], rij["laatste_fout"]) == ("verzonden", None)
    assert await _signaleringen(pool, m.melding_id) == []


async def test_a_malformed_email_address_is_refused_for_good_and_raised_once(
    client: Client, bezorger: Worker, pool: asyncpg.Pool, lb: Loopback
) -> None:
    """An address no server can take: not retried, not lost: `geweigerd`, one signalering."""
    m = _professional("niet-een-adres")
    handle = await sc.start(client, bezorger, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(MeldingWorkflow.neem_besluit, vb.besluit("advies"))
    assert (await handle.result()).einde == "advies"
    eerste = (await _outbox(pool, m.melding_id))["eerste_terugkoppeling"]
    assert (eerste["uitkomst"], eerste["laatste_fout"], eerste["pogingen"]) == (
        "geweigerd",
        "adres ongeldig",
        1,
    )
    assert await _signaleringen(pool, m.melding_id) == [("onbezorgbaar", "bezorging")]
    assert lb.mails() == []


async def test_the_last_attempt_against_an_unreachable_server_records_mislukt(
    pool: asyncpg.Pool, lb: Loopback
) -> None:
    """The bound: attempts before the last raise (Temporal retries them with backoff) and
    leave nothing half done; the last records `mislukt` itself, for the workflow to raise."""
    await lb.stop()
    m = _professional("nooit@school.example")
    env = ActivityEnvironment()
    sleutels = datasleutels_op(pool)
    await env.run(DossierActiviteiten(pool, SLEUTEL, sleutels).sla_melding_op, m)
    bericht = eerste_terugkoppeling(m, vb.triage(), vb.besluit("advies"), None)
    await env.run(OutboxActiviteiten(pool, sleutels).plaats_in_outbox, bericht)
    i = lb.instellingen()
    bezorg = BezorgActiviteiten(pool, sleutels, i.mailer(), i.drukstraat_adapter()).bezorg_bericht
    opdracht = BezorgOpdracht(melding_id=m.melding_id, soort=bericht.soort)
    with pytest.raises(ApplicationError) as fout:
        await env.run(bezorg, opdracht)
    assert fout.value.type == names.FOUT_BEZORGING_TIJDELIJK and not fout.value.non_retryable
    rij = (await _outbox(pool, m.melding_id))["eerste_terugkoppeling"]
    assert (rij["pogingen"], rij["poging_op"], rij["uitkomst"]) == (1, None, None)
    env.info = dataclasses.replace(env.info, attempt=BEZORG_POGINGEN)
    uitkomst = await env.run(bezorg, opdracht)
    assert (uitkomst.uitkomst, uitkomst.kanaal, uitkomst.pogingen) == (
        "mislukt",
        "email",
        BEZORG_POGINGEN,
    )
    assert uitkomst.fout is not None and uitkomst.fout.startswith("smtp onbereikbaar")
    # Recorded: a later call (a replay, a retry) answers the same and sends nothing.
    await lb.start()
    assert (await env.run(bezorg, opdracht)).uitkomst == "mislukt"
    assert lb.mails() == []


async def test_two_attempts_at_once_hand_over_one_mail(pool: asyncpg.Pool, lb: Loopback) -> None:
    """An attempt whose timeout passed may still run while its retry starts: the point of no
    return is claimed in the outbox row, so only one of them hands the message over."""
    m = _professional("tweemaal@school.example")
    sleutels = datasleutels_op(pool)
    await ActivityEnvironment().run(DossierActiviteiten(pool, SLEUTEL, sleutels).sla_melding_op, m)
    bericht = eerste_terugkoppeling(m, vb.triage(), vb.besluit("advies"), None)
    await ActivityEnvironment().run(OutboxActiviteiten(pool, sleutels).plaats_in_outbox, bericht)
    i = lb.instellingen()
    bezorg = BezorgActiviteiten(pool, sleutels, i.mailer(), i.drukstraat_adapter()).bezorg_bericht
    opdracht = BezorgOpdracht(melding_id=m.melding_id, soort=bericht.soort)
    uitkomsten = await asyncio.gather(
        *(ActivityEnvironment().run(bezorg, opdracht) for _ in range(4)), return_exceptions=True
    )
    assert len(lb.mails("tweemaal@school.example")) == 1
    verzonden = [u for u in uitkomsten if not isinstance(u, BaseException)]
    assert any(u.uitkomst == "verzonden" for u in verzonden), uitkomsten
    for u in uitkomsten:
        if isinstance(u, BaseException):
            assert isinstance(u, ApplicationError) and "al bezig" in str(u), u
        else:
            assert u.uitkomst in ("verzonden", "onzeker"), u
