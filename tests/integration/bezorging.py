"""The outside world of delivery on loopback for the integration tests: a real SMTP server
(bezorging.postbus: aiosmtpd with STARTTLS under a certificate made here), a print folder, and
a worker with the real activities delivering to both."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import asyncpg
from aiosmtpd.smtp import Envelope
from pypdf import PdfReader
from temporalio.client import Client
from temporalio.worker import PatchActivationInput, Worker

from activities import alle_activiteiten
from adapters.demobron import demo_bronnen
from bezorging.instellingen import Bezorginstellingen
from bezorging.postbus import lees_post, maak_certificaat, start_postbus
from bezorging.smtp import SmtpInstellingen
from domain.melding import Melding
from runtime.assembly import activeer_patch
from tests.integration.conftest import SLEUTEL, datasleutels_op
from tests.poorten import vrije_poort
from workflows import ALLE_WORKFLOWS

AFZENDER = "terugkoppeling@veiligthuis.example"
HUISHOUDEN_ADRES = {
    "straat": "Lindelaan",
    "huisnummer": "12a",
    "postcode": "3512 AB",
    "woonplaats": "Utrecht",
}


@dataclass
class Loopback:
    """The mail sink and the print folder of one test, and what the sink answers."""

    map: Path
    poort: int
    certificaat: tuple[Path, Path]
    # A reply per recipient ("550 ..."), or a coroutine run before the sink answers.
    weiger: dict[str, str] = field(default_factory=dict)
    bij_data: Callable[[], Awaitable[None]] | None = None
    server: asyncio.Server | None = None

    @property
    def post(self) -> Path:
        return self.map / "post"

    @property
    def brieven(self) -> Path:
        return self.map / "brieven"

    async def keuring(self, envelope: Envelope) -> str | None:
        for ontvanger in envelope.rcpt_tos:
            if ontvanger in self.weiger:
                return self.weiger[ontvanger]
        if self.bij_data is not None:
            await self.bij_data()
        return None

    async def start(self) -> None:
        self.server = await start_postbus(
            self.post, self.poort, self.certificaat, keuring=self.keuring
        )

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None

    def instellingen(self) -> Bezorginstellingen:
        return Bezorginstellingen(
            smtp=SmtpInstellingen(
                host="127.0.0.1",
                poort=self.poort,
                afzender=AFZENDER,
                ca_bestand=str(self.certificaat[0]),
                timeout=5.0,
            ),
            drukstraat=self.brieven,
        )

    def omgeving(self) -> dict[str, str]:
        """The same settings as `python worker.py` reads them."""
        return {
            "VT_SMTP_HOST": "127.0.0.1",
            "VT_SMTP_PORT": str(self.poort),
            "VT_SMTP_AFZENDER": AFZENDER,
            "VT_SMTP_CA": str(self.certificaat[0]),
            "VT_DRUKSTRAAT_MAP": str(self.brieven),
        }

    def mails(self, aan: str | None = None) -> list[EmailMessage]:
        if not self.post.exists():
            return []
        return [b for _, b in lees_post(self.post) if aan is None or aan in str(b["To"])]

    def brief(self, kenmerk: str) -> str:
        return "\n".join(p.extract_text() for p in PdfReader(self.brieven / f"{kenmerk}.pdf").pages)


async def loopback(tmp: Path) -> AsyncIterator[Loopback]:
    lb = Loopback(tmp, vrije_poort(), maak_certificaat(tmp / "tls"))
    await lb.start()
    try:
        yield lb
    finally:
        await lb.stop()


async def bezorgende_worker(
    client: Client,
    pool: asyncpg.Pool,
    lb: Loopback,
    activeer: Callable[[PatchActivationInput], bool] = activeer_patch,
) -> AsyncIterator[Worker]:
    async with Worker(
        client,
        task_queue=f"bezorging-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        # By default as production decides: a patch kept voorbereid stays off
        # (contract/patches.py).
        patch_activation_callback=activeer,
        activities=alle_activiteiten(
            pool,
            SLEUTEL,
            client,
            adapters=demo_bronnen(pool, datasleutels_op(pool)),
            datasleutels=datasleutels_op(pool),
            bezorging=lb.instellingen(),
        ),
    ) as w:
        yield w


def met(m: Melding, **over: Any) -> Melding:
    """The melding with fields replaced (melder fields under `melder`), validated again."""
    gegevens = m.model_dump(mode="json")
    melder = over.pop("melder", {})
    gegevens["melder"] = {**gegevens["melder"], **melder}
    return Melding.model_validate({**gegevens, **over})


async def wacht_op(voorwaarde: Callable[[], Any], s: float = 30) -> Any:
    einde = time.monotonic() + s
    while not (uitkomst := voorwaarde()):
        assert time.monotonic() < einde, "niet binnen de tijd"
        await asyncio.sleep(0.1)
    return uitkomst
