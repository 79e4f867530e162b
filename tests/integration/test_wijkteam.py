"""The wijkteam's side of the warme overdracht under `make run` (keten/wijkteam.py): it sets the
zaak's status "in behandeling" (or hands it back) through the Zaken API with its own client, as
its own application would; every request and response validated against Open Zaak's published
documents (tests/integration/zgw_nep.py); the worker's adapter then reads the acceptance."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.keten import OverdrachtStand, koppeling_voor
from keten import wijkteam
from keten.instellingen import Ketenkoppelingen
from keten.zaken import ZgwZaken
from runtime import ketenpartners
from runtime.ketenpartners import start_ketenpartners
from tests.integration import test_zaken as tz
from tests.integration import zgw_nep
from tests.integration.zgw_nep import NepZgw

WIJKTEAM_SECRET = "geheim-van-het-wijkteam-0123456789abcdef"


@pytest.fixture
async def nep() -> AsyncIterator[NepZgw]:
    clients = {**tz.CLIENTS, ketenpartners.WIJKTEAM_CLIENT_ID: WIJKTEAM_SECRET}
    nep = NepZgw(clients, tz.ROLTYPEN)
    runner = await zgw_nep.start(nep)
    yield nep
    await runner.cleanup()


def _client(map_: Path, secret: str = WIJKTEAM_SECRET) -> str:
    pad = map_ / "wijkteam.json"
    gegevens = {
        "client_id": ketenpartners.WIJKTEAM_CLIENT_ID,
        "secret": secret,
        "statustypen": ketenpartners.STATUSTYPEN,
    }
    pad.write_text(json.dumps(gegevens), encoding="utf-8")
    return str(pad)


async def _wijkteam(*argv: str) -> int:
    # The command is synchronous (urllib), the zaakloket runs on this loop: in a thread.
    return await asyncio.to_thread(wijkteam.main, list(argv))


@pytest.mark.parametrize(
    ("handeling", "stand"),
    [("aanvaard", OverdrachtStand.AANVAARD), ("teruggeven", OverdrachtStand.TERUGGEGEVEN)],
)
async def test_the_wijkteam_answers_through_the_zaken_api_and_the_adapter_reads_it(
    nep: NepZgw, tmp_path: Path, handeling: str, stand: OverdrachtStand
) -> None:
    k = tz.koppeling(nep.basis).model_copy(
        update={
            "statustypen_aanvaard": (ketenpartners.STATUSTYPEN["aanvaard"],),
            "statustypen_teruggegeven": (ketenpartners.STATUSTYPEN["teruggegeven"],),
        }
    )
    verwijzing = await ZgwZaken().draag_over(k, tz.overdracht())
    assert k.stand_van(await ZgwZaken().statustype(k, verwijzing.url)) is OverdrachtStand.WACHT
    code = await _wijkteam(
        handeling, verwijzing.identificatie, "--zaakloket", nep.basis, "--client", _client(tmp_path)
    )
    assert code == 0
    assert k.stand_van(await ZgwZaken().statustype(k, verwijzing.url)) is stand
    assert len(nep.lijst("statussen")) == 2
    assert nep.fouten == []  # every request and answer as the published documents say


async def test_an_unknown_zaak_or_a_wrong_secret_is_named_and_changes_nothing(
    nep: NepZgw, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    k = tz.koppeling(nep.basis)
    verwijzing = await ZgwZaken().draag_over(k, tz.overdracht())
    basis = ["--zaakloket", nep.basis, "--wacht", "0"]
    code = await _wijkteam("aanvaard", "VT-BESTAAT-NIET", *basis, "--client", _client(tmp_path))
    assert code == 1
    assert "zaak VT-BESTAAT-NIET: niet bij het zaakloket" in capsys.readouterr().err
    fout = _client(tmp_path, "niet-het-geheim-" + "x" * 32)
    assert await _wijkteam("aanvaard", verwijzing.identificatie, *basis, "--client", fout) == 1
    assert "HTTP 403" in capsys.readouterr().err
    assert len(nep.lijst("statussen")) == 1


async def test_make_run_turns_the_warme_overdracht_on_with_the_wijkteams_own_client(
    tmp_path: Path,
) -> None:
    """What stack.py writes: the koppeling waits for "in behandeling" and reads the zaak every
    few seconds; the wijkteam's client file (0600) accepts a zaak the worker's adapter made."""
    env: dict[str, str] = {}
    runner, waarden = await start_ketenpartners(tmp_path, 0, env)
    try:
        assert runner is not None
        instellingen = Ketenkoppelingen.uit_omgeving(env)
        k = koppeling_voor(tz.melding(), instellingen.gemeenten, instellingen.standaard)
        assert k is not None
        assert k.statustypen_aanvaard == (ketenpartners.STATUSTYPEN["aanvaard"],)
        assert k.peilinterval_seconden == ketenpartners.PEILINTERVAL_SECONDEN
        client = Path(waarden["VT_WIJKTEAM_CLIENT"])
        assert client.stat().st_mode & 0o777 == 0o600
        verwijzing = await ZgwZaken().draag_over(k, tz.overdracht())
        argv = ["aanvaard", verwijzing.identificatie, "--zaakloket", waarden["VT_ZAAKLOKET"]]
        assert await _wijkteam(*argv, "--client", str(client)) == 0
        statustype = await ZgwZaken().statustype(k, verwijzing.url)
        assert k.stand_van(statustype) is OverdrachtStand.AANVAARD
    finally:
        if runner is not None:
            await runner.cleanup()
