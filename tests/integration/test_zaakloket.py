"""The zaakloket of `make run` (keten/zaakloket.py, runtime/ketenpartners.py): the real ZGW
adapter (keten/zaken.py) creates an overdracht's zaak there as it does in Open Zaak, the zaak is
kept as an owner-only file, and the wiring of `make run` (koppelingen file, drop folder) works
with the worker's own configuration reader."""

from __future__ import annotations

import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from domain.keten import ZaakGeweigerd, koppeling_voor
from keten import zaakloket
from keten.instellingen import Ketenkoppelingen
from keten.zaakloket import Zaakloket
from keten.zaken import CRS, ZgwZaken, token
from runtime.devserver import StackFout
from runtime.ketenpartners import start_ketenpartners
from tests.integration import test_zaken as tz

SECRET = tz.CLIENTS["veilig-thuis-utrecht"]


@pytest.fixture
async def loket(tmp_path: Path) -> AsyncIterator[Zaakloket]:
    loket = Zaakloket(tz.CLIENTS, tz.ROLTYPEN, tmp_path / "zaken")
    runner = await zaakloket.start(loket)
    yield loket
    await runner.cleanup()


def _modus(pad: Path) -> int:
    return stat.S_IMODE(pad.stat().st_mode)


async def test_the_adapter_creates_one_zaak_there_kept_as_an_owner_only_file(
    loket: Zaakloket, tmp_path: Path
) -> None:
    m = tz.melding()
    k = tz.koppeling(loket.basis)
    verwijzing = await ZgwZaken().draag_over(k, tz.overdracht(m))
    # A retry (the activity again after an interruption) finds every part: still one of each.
    assert await ZgwZaken().draag_over(k, tz.overdracht(m)) == verwijzing
    aantallen = {soort: len(loket.lijst(soort)) for soort in zaakloket.RESOURCES}
    assert aantallen == {
        "zaken": 1,
        "rollen": 2 + len(m.betrokkenen),
        "statussen": 1,
        "zaakinformatieobjecten": 1,
        "enkelvoudiginformatieobjecten": 1,
    }
    map_ = tmp_path / "zaken"
    bestanden = sorted(map_.iterdir())
    assert [p.name for p in bestanden] == [f"{verwijzing.identificatie}.json"]
    assert _modus(map_) == 0o700 and _modus(bestanden[0]) == 0o600
    zaak = json.loads(bestanden[0].read_text("utf-8"))
    assert zaak["zaak"]["url"] == verwijzing.url
    generiek = sorted(r["omschrijvingGeneriek"] for r in zaak["rollen"])
    assert generiek == ["behandelaar", "belanghebbende", "belanghebbende", "initiator"]
    assert [s["statustype"] for s in zaak["statussen"]] == [k.statustype]
    [document] = zaak["documenten"]
    assert document["vertrouwelijkheidaanduiding"] == "geheim"
    assert document["tekst"] == tz.overdracht(m).document_tekst
    # The ketenpartner accepts in its own application: the adapter reads the status type.
    loket.zet_status(verwijzing.url, tz.IN_BEHANDELING)
    assert await ZgwZaken().statustype(k, verwijzing.url) == tz.IN_BEHANDELING


async def test_a_request_without_the_clients_secret_is_refused(loket: Zaakloket) -> None:
    k = tz.koppeling(loket.basis, secret="niet-het-geheim-" + "x" * 32)
    with pytest.raises(ZaakGeweigerd, match="zaken 403"):
        await ZgwZaken().draag_over(k, tz.overdracht())
    assert loket.lijst("zaken") == []


async def test_make_runs_wiring_reaches_the_zaakloket_through_the_workers_configuration(
    tmp_path: Path,
) -> None:
    """What stack.py starts: the koppelingen file (0600) as the worker reads it, and the drop."""
    env: dict[str, str] = {}
    runner, waarden = await start_ketenpartners(tmp_path, 0, env)
    try:
        assert runner is not None
        pad = Path(env["VT_ZGW_KOPPELINGEN"])
        assert _modus(pad) == 0o600 and _modus(pad.parent) == 0o700
        instellingen = Ketenkoppelingen.uit_omgeving(env)
        m = tz.melding()  # woonplaats Utrecht; a household without address gets the standaard
        k = koppeling_voor(m, instellingen.gemeenten, instellingen.standaard)
        assert k is not None and k.zaken_url.startswith(waarden["VT_ZAAKLOKET"])
        verwijzing = await ZgwZaken().draag_over(k, tz.overdracht(m))
        assert (Path(waarden["VT_ZAKEN_MAP"]) / f"{verwijzing.identificatie}.json").is_file()
        drop = Path(waarden["VT_ZORGMELDINGEN_MAP"])
        assert all((drop / deel).is_dir() for deel in ("in", "verwerkt", "geweigerd"))
    finally:
        if runner is not None:
            await runner.cleanup()


async def test_with_koppelingen_given_no_zaakloket_starts(tmp_path: Path) -> None:
    env = {"VT_ZGW_KOPPELINGEN": str(tmp_path / "open-zaak.json")}
    runner, waarden = await start_ketenpartners(tmp_path, 0, env)
    assert runner is None and "VT_ZAAKLOKET" not in waarden
    assert env == {"VT_ZGW_KOPPELINGEN": str(tmp_path / "open-zaak.json")}
    assert not (tmp_path / "zaken").exists()


async def test_a_taken_port_is_named_with_its_variable(tmp_path: Path) -> None:
    bezet = web.AppRunner(web.Application())
    await bezet.setup()
    site = web.TCPSite(bezet, "127.0.0.1", 0)
    await site.start()
    try:
        with pytest.raises(StackFout, match="VT_ZAKEN_PORT"):
            await start_ketenpartners(tmp_path, bezet.addresses[0][1], {})
    finally:
        await bezet.cleanup()


async def test_an_identificatie_that_is_no_file_name_is_kept_under_the_zaaks_uuid(
    loket: Zaakloket, tmp_path: Path
) -> None:
    """A client chooses the identificatie: one with a path in it never names the file."""
    k = tz.koppeling(loket.basis)
    kop = {"Authorization": f"Bearer {token(k.client_id, SECRET)}", **CRS}
    body = {
        "identificatie": "../../buiten",
        "bronorganisatie": k.bronorganisatie,
        "verantwoordelijkeOrganisatie": k.verantwoordelijke_organisatie,
        "zaaktype": k.zaaktype,
        "startdatum": "2026-03-02",
    }
    async with aiohttp.ClientSession() as sessie:
        async with sessie.post(f"{k.zaken_url}/zaken", json=body, headers=kop) as antwoord:
            assert antwoord.status == 201
            zaak = await antwoord.json()
        zonder = {k: v for k, v in body.items() if k != "zaaktype"}
        async with sessie.post(f"{k.zaken_url}/zaken", json=zonder, headers=kop) as antwoord:
            assert antwoord.status == 400
            assert (await antwoord.json())["invalidParams"][0]["name"] == "zaaktype"
    assert [p.name for p in (tmp_path / "zaken").iterdir()] == [f"{zaak['uuid']}.json"]
    assert not (tmp_path / "buiten.json").exists()
