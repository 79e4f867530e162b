"""Issue 22 item 4 (Q&A 10), delivered for real: the real worker places one outbox row per
professional the besluit names and delivers it to a real SMTP server on loopback (STARTTLS) or
as a letter in the print folder; the tests read what arrived back, the audit trail and the
encrypted outbox row."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client
from temporalio.worker import Worker

from activities.audit import audit_van
from activities.outbox import OutboxActiviteiten, outbox_inhoud
from domain.uitwisseling import Bericht, BerichtSoort
from tests.integration import voorbeelden as vb
from tests.integration.bezorging import (
    AFZENDER,
    HUISHOUDEN_ADRES,
    Loopback,
    bezorgende_worker,
    loopback,
    met,
)
from tests.integration.conftest import datasleutels_op
from tests.workflows import scenario as sc
from tests.workflows.conftest import met as met_patch
from workflows import MeldingWorkflow
from workflows.professionals import AUDIT_HANDELING, PATCH_PROFESSIONALS_INFORMEREN

BSN = re.compile(r"\b\d{9}\b")
SCHOOL_ADRES = {
    "straat": "Schoolstraat",
    "huisnummer": "1",
    "postcode": "3512 CD",
    "woonplaats": "Utrecht",
}
PROFESSIONALS = [
    {"soort": "huisarts", "organisatie": "Praktijk De Linde", "email": "praktijk@linde.example"},
    {"soort": "school", "organisatie": "Basisschool De Regenboog", "adres": SCHOOL_ADRES},
    {"soort": "jgz", "organisatie": "JGZ Utrecht", "email": "jgz@utrecht.example"},
]
WAAROM = [
    {"professional": 1, "onderbouwing": "De huisarts behandelt het kind."},
    {"professional": 2, "onderbouwing": "De school ziet het kind dagelijks."},
]


@pytest.fixture
async def lb(tmp_path: Path) -> AsyncIterator[Loopback]:
    async for x in loopback(tmp_path):
        yield x


@pytest.fixture
async def bezorger(client: Client, pool: asyncpg.Pool, lb: Loopback) -> AsyncIterator[Worker]:
    # The patch is voorbereid in v7.2: switched on here, as the release that activates it.
    async for w in bezorgende_worker(client, pool, lb, met_patch(PATCH_PROFESSIONALS_INFORMEREN)):
        yield w


async def test_the_named_professionals_get_a_mail_and_a_letter_once_without_the_melder(
    client: Client, bezorger: Worker, pool: asyncpg.Pool, lb: Loopback
) -> None:
    m = met(
        vb.melding(),
        melder={"email": "ilse.leerkracht@school.example", "naam": "Ilse Leerkracht"},
        adres=HUISHOUDEN_ADRES,
        professionals=PROFESSIONALS,
    )
    handle = await sc.start(client, bezorger, m)
    await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    await handle.execute_update(MeldingWorkflow.registreer_triage, vb.triage())
    await handle.execute_update(
        MeldingWorkflow.neem_besluit, vb.besluit("advies", professionals_informeren=WAAROM)
    )
    assert (await handle.result()).einde == "advies"

    (mail,) = lb.mails("praktijk@linde.example")
    assert str(mail["From"]) == f"Veilig Thuis <{AFZENDER}>"
    assert str(mail["To"]) == "Praktijk De Linde <praktijk@linde.example>"
    assert mail["Subject"] == "Veilig Thuis informeert u over een kind in uw zorg"
    bericht_id = f"<{m.melding_id}-professional_informeren-1@veiligthuis.example>"
    assert str(mail["Message-ID"]).strip() == bericht_id  # a long header is folded
    tekst = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert tekst.startswith("Geachte Praktijk De Linde,")
    assert "een melding ontvangen over uw patiënt" in tekst
    kind = m.betrokkenen[0]
    assert f"{kind.voornaam} {kind.achternaam}" in tekst
    assert f"kenmerk {m.melding_id}" in tekst
    assert lb.mails("jgz@utrecht.example") == []  # not named in the besluit
    brief = lb.brief(f"{m.melding_id}-professional_informeren-2")
    assert "Basisschool De Regenboog" in brief and "3512 CD  UTRECHT" in brief
    assert "een leerling van uw school" in brief
    for woorden in (tekst, brief):
        assert "Ilse" not in woorden and "Leerkracht" not in woorden  # the melder, protected
        assert not BSN.search(woorden)
        assert "melding is gedaan door" not in woorden

    async with pool.acquire() as con:
        rijen = await con.fetch(
            "SELECT soort, kanaal, uitkomst, verzonden_op, inhoud FROM outbox"
            " WHERE melding_id = $1 AND soort LIKE 'professional%' ORDER BY soort",
            m.melding_id,
        )
    assert [(r["soort"], r["kanaal"], r["uitkomst"]) for r in rijen] == [
        ("professional_informeren-1", "email", "verzonden"),
        ("professional_informeren-2", "brief", "verzonden"),
    ]
    assert all(r["verzonden_op"] is not None for r in rijen)
    # The row is encrypted (its content unreadable in the table) and holds no name.
    assert b"huisarts" not in bytes(rijen[0]["inhoud"])
    inhoud = await outbox_inhoud(
        pool, datasleutels_op(pool), m.melding_id, "professional_informeren-1"
    )
    assert isinstance(inhoud, dict) and inhoud["professional_soort"] == "huisarts"
    assert kind.achternaam not in str(inhoud)

    audit = [
        r
        for r in await audit_van(pool, datasleutels_op(pool), m.melding_id)
        if r.handeling == AUDIT_HANDELING
    ]
    assert [(r.gegevens["professional"], r.gegevens["uitkomst"]) for r in audit] == [
        (1, "verzonden"),
        (2, "verzonden"),
    ]
    assert audit[0].gegevens["onderbouwing"] == "De huisarts behandelt het kind."


async def test_each_professional_has_its_own_outbox_row_placed_once(pool: asyncpg.Pool) -> None:
    """A retried verstuur_bericht finds its professional's row; another professional's message
    is a row of its own (the outbox key is the kind and the number)."""
    outbox = OutboxActiviteiten(pool, datasleutels_op(pool))

    def bericht(nummer: int) -> Bericht:
        return Bericht(
            melding_id="VT-IT-prof-outbox",
            soort=BerichtSoort.PROFESSIONAL_INFORMEREN,
            inhoud={"professional_soort": "huisarts"},
            ontvanger=nummer,
        )

    eerste = await outbox.plaats_in_outbox(bericht(1))
    opnieuw = await outbox.plaats_in_outbox(bericht(1))
    ander = await outbox.plaats_in_outbox(bericht(2))
    assert (eerste.nieuw, opnieuw.nieuw, ander.nieuw) == (True, False, True)
    assert eerste.verstuurd_op == opnieuw.verstuurd_op
    async with pool.acquire() as con:
        soorten = await con.fetch(
            "SELECT soort FROM outbox WHERE melding_id = 'VT-IT-prof-outbox' ORDER BY soort"
        )
    assert [r["soort"] for r in soorten] == [
        "professional_informeren-1",
        "professional_informeren-2",
    ]
