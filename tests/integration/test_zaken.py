"""The ZGW adapter (keten/zaken.py) against a loopback Zaken and Documenten API that validates
every request and response against Open Zaak's published OpenAPI documents (zgw_nep.py)."""

from __future__ import annotations

import base64
import functools
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web
from temporalio.testing import ActivityEnvironment

from activities.keten import KetenActiviteiten
from domain import voorbeelden
from domain.keten import (
    Aanvaardingsvraag,
    GemeenteKoppeling,
    OverdrachtStand,
    ZaakGeweigerd,
    Zaakoverdracht,
    ZaakTijdelijk,
    koppeling_voor,
    zaak_identificatie,
    zaakoverdracht,
)
from domain.melding import Melding
from keten.instellingen import Ketenkoppelingen
from keten.zaken import ZgwZaken
from tests.integration import zgw_nep
from tests.integration.zgw_nep import NepZgw

NU = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# The gemeente's Catalogi API: the zaaktype and its types are configuration, never fetched.
CATALOGI = "https://open-zaak.utrecht.invalid/catalogi/api/v1"
ROLTYPEN = {
    f"{CATALOGI}/roltypen/0b7e1a3c-0000-4000-8000-000000000004": "initiator",
    f"{CATALOGI}/roltypen/0b7e1a3c-0000-4000-8000-000000000005": "behandelaar",
    f"{CATALOGI}/roltypen/0b7e1a3c-0000-4000-8000-000000000006": "belanghebbende",
}
IN_BEHANDELING = f"{CATALOGI}/statustypen/0b7e1a3c-0000-4000-8000-000000000007"
TERUGGEGEVEN = f"{CATALOGI}/statustypen/0b7e1a3c-0000-4000-8000-000000000008"
CLIENTS = {"veilig-thuis-utrecht": "geheim-van-de-test-0123456789abcdef"}


def koppeling(basis: str, secret: str = CLIENTS["veilig-thuis-utrecht"]) -> GemeenteKoppeling:
    catalogi = CATALOGI
    return GemeenteKoppeling(
        gemeente="utrecht",
        zaken_url=f"{basis}/zaken/api/v1",
        documenten_url=f"{basis}/documenten/api/v1",
        client_id="veilig-thuis-utrecht",
        secret=secret,
        zaaktype=f"{catalogi}/zaaktypen/0b7e1a3c-0000-4000-8000-000000000001",
        statustype=f"{catalogi}/statustypen/0b7e1a3c-0000-4000-8000-000000000002",
        informatieobjecttype=f"{catalogi}/informatieobjecttypen/0b7e1a3c-0000-4000-8000-000000000003",
        roltype_initiator=f"{catalogi}/roltypen/0b7e1a3c-0000-4000-8000-000000000004",
        roltype_behandelaar=f"{catalogi}/roltypen/0b7e1a3c-0000-4000-8000-000000000005",
        roltype_belanghebbende=f"{catalogi}/roltypen/0b7e1a3c-0000-4000-8000-000000000006",
        bronorganisatie="123456782",
        verantwoordelijke_organisatie="002220647",
        woonplaatsen=("Utrecht",),
        statustypen_aanvaard=(IN_BEHANDELING,),
        statustypen_teruggegeven=(TERUGGEGEVEN,),
    )


def melding(melding_id: str = "VT-UTR-2026-0001") -> Melding:
    return Melding.ontvang(
        {
            "melding_id": melding_id,
            "regio": "utrecht",
            "ontvangen_op": NU,
            "melder": {"soort": "burger", "anonimiteit_gevraagd": True},
            "betrokkenen": [
                {
                    "rol": "kind",
                    "voornaam": "Sam",
                    "achternaam": "Jansen",
                    "geboortedatum": "2019-03-01",
                    "bsn": "111222333",
                },
                {"rol": "ouder_verzorger", "voornaam": "Kim", "achternaam": "Jansen"},
            ],
            "zorgen": {"vormen": ["kindermishandeling"]},
            "adres": {
                "straat": "Oudegracht",
                "huisnummer": "1",
                "postcode": "3511 AA",
                "woonplaats": "Utrecht",
            },
        },
        nu=NU,
    )


@pytest.fixture
async def nep() -> AsyncIterator[NepZgw]:
    nep = NepZgw(CLIENTS, ROLTYPEN)
    runner = await zgw_nep.start(nep)
    yield nep
    await runner.cleanup()


def overdracht(m: Melding | None = None) -> Zaakoverdracht:
    return zaakoverdracht(
        m or melding(), voorbeelden.besluit("overdracht", anonimiteit_toegezegd=True), NU
    )


async def test_an_overdracht_creates_one_zaak_with_its_roles_document_and_status(
    nep: NepZgw,
) -> None:
    """One zaak of the gemeente's zaaktype; initiator Veilig Thuis, behandelaar the wijkteam,
    each betrokkene a belanghebbende; the document (geheim) linked to it; one status."""
    m = melding()
    k = koppeling_voor(m, {"utrecht": koppeling(nep.basis)}, None)
    assert k is not None
    verwijzing = await ZgwZaken().draag_over(k, overdracht(m))
    assert nep.fouten == []
    (zaak,) = nep.lijst("zaken")
    assert (verwijzing.url, verwijzing.identificatie) == (
        zaak["url"],
        zaak_identificatie(m.melding_id),
    )
    assert zaak["zaaktype"] == k.zaaktype and zaak["vertrouwelijkheidaanduiding"] == "geheim"
    rollen = {r["roltoelichting"]: r for r in nep.lijst("rollen")}
    assert sorted(rollen) == [
        "VT:behandelaar",
        "VT:belanghebbende:1:kind",
        "VT:belanghebbende:2:ouder_verzorger",
        "VT:initiator",
    ]
    assert rollen["VT:behandelaar"]["betrokkeneIdentificatie"]["naam"] == "Wijkteam Oost"
    assert rollen["VT:belanghebbende:1:kind"]["betrokkeneIdentificatie"]["inpBsn"] == "111222333"
    (document,) = nep.lijst("enkelvoudiginformatieobjecten")
    assert document["vertrouwelijkheidaanduiding"] == "geheim"
    (koppeling_,) = nep.lijst("zaakinformatieobjecten")
    assert (koppeling_["zaak"], koppeling_["informatieobject"]) == (zaak["url"], document["url"])
    (status,) = nep.lijst("statussen")
    assert status["statustype"] == k.statustype


async def test_the_document_says_the_reason_and_that_anonymity_was_promised(nep: NepZgw) -> None:
    await ZgwZaken().draag_over(koppeling(nep.basis), overdracht())
    (document,) = nep.lijst("enkelvoudiginformatieobjecten")
    tekst = base64.b64decode(nep.inhouden[document["url"]]).decode()
    assert "Besproken in het MDO." in tekst and "anonimiteit toegezegd" in tekst


async def test_a_retry_after_an_interruption_completes_the_same_zaak(nep: NepZgw) -> None:
    """The connection drops right after the zaak was stored: the retry finds it by its
    identificatie and adds what is missing; nothing exists twice."""
    afgebroken: list[str] = []

    async def breek_af(soort: str, _: dict[str, object]) -> None:
        if soort == "zaken" and not afgebroken:
            afgebroken.append(soort)
            raise web.HTTPServiceUnavailable

    nep.na_aanmaken = breek_af
    with pytest.raises(ZaakTijdelijk):
        await ZgwZaken().draag_over(koppeling(nep.basis), overdracht())
    assert len(nep.lijst("zaken")) == 1 and nep.lijst("rollen") == []
    await ZgwZaken().draag_over(koppeling(nep.basis), overdracht())
    await ZgwZaken().draag_over(koppeling(nep.basis), overdracht())
    assert [len(nep.lijst(s)) for s in zgw_nep.RESOURCES] == [1, 4, 1, 1, 1]
    assert nep.fouten == []


async def test_a_wrong_secret_is_refused_for_good(nep: NepZgw) -> None:
    with pytest.raises(ZaakGeweigerd, match="zaken 403"):
        await ZgwZaken().draag_over(
            koppeling(nep.basis, "een-ander-geheim-dat-lang-genoeg-is-0123"), overdracht()
        )
    assert nep.lijst("zaken") == []


async def test_an_api_that_is_not_there_is_temporary() -> None:
    with pytest.raises(ZaakTijdelijk, match="zaken onbereikbaar"):
        await ZgwZaken(timeout=2).draag_over(koppeling("http://127.0.0.1:9"), overdracht())


async def test_the_warme_overdracht_is_read_from_the_zaaks_current_statustype(nep: NepZgw) -> None:
    """Waiting while the zaak has our first status; accepted once the partner sets "in
    behandeling"; handed back by its statustype for that (every read validated)."""
    k = koppeling(nep.basis)
    zaken = ZgwZaken()
    verwijzing = await zaken.draag_over(k, overdracht())
    activiteit = KetenActiviteiten(None, None, Ketenkoppelingen({"utrecht": k}), zaken)  # type: ignore[arg-type]
    vraag = Aanvaardingsvraag(
        melding_id="VT-UTR-2026-0001", gemeente="utrecht", zaak_url=verwijzing.url
    )
    lees = functools.partial(ActivityEnvironment().run, activiteit.lees_aanvaarding, vraag)
    assert await lees() is OverdrachtStand.WACHT
    nep.zet_status(verwijzing.url, IN_BEHANDELING)
    assert await lees() is OverdrachtStand.AANVAARD
    nep.zet_status(verwijzing.url, TERUGGEGEVEN)
    assert await lees() is OverdrachtStand.TERUGGEGEVEN
    assert nep.fouten == []
