"""The chain's pure rules and configuration (domain/keten.py, keten/instellingen.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from domain import voorbeelden
from domain.keten import aanvaardingstermijn, koppeling_voor, zaak_identificatie, zaakoverdracht
from domain.melding import Melding
from domain.werkdagen import STANDAARD_KALENDER
from keten.instellingen import Ketenkoppelingen

NU = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _gemeente(**over: Any) -> dict[str, Any]:
    catalogi = "https://open-zaak.invalid/catalogi/api/v1"
    return {
        "woonplaatsen": ["Utrecht", "Vleuten"],
        "zaken_url": "https://open-zaak.invalid/zaken/api/v1",
        "documenten_url": "https://open-zaak.invalid/documenten/api/v1",
        "client_id": "vt",
        "secret": "uit-het-bestand",
        "zaaktype": f"{catalogi}/zaaktypen/1",
        "statustype": f"{catalogi}/statustypen/1",
        "informatieobjecttype": f"{catalogi}/informatieobjecttypen/1",
        "roltype_initiator": f"{catalogi}/roltypen/1",
        "roltype_behandelaar": f"{catalogi}/roltypen/2",
        "roltype_belanghebbende": f"{catalogi}/roltypen/3",
        "bronorganisatie": "123456782",
        "verantwoordelijke_organisatie": "002220647",
        **over,
    }


def _melding(woonplaats: str | None) -> Melding:
    gegevens: dict[str, Any] = {
        "melding_id": "VT-UTR-1",
        "regio": "utrecht",
        "ontvangen_op": NU,
        "melder": {"soort": "burger"},
        "betrokkenen": [{"rol": "kind", "voornaam": "Sam", "achternaam": "Jansen"}],
        "zorgen": {"vormen": ["kindermishandeling"]},
    }
    if woonplaats:
        gegevens["adres"] = {
            "straat": "Markt",
            "huisnummer": "1",
            "postcode": "3511 AA",
            "woonplaats": woonplaats,
        }
    return Melding.ontvang(gegevens, nu=NU)


def test_a_short_melding_id_is_the_zaak_identificatie_and_a_long_one_is_hashed_not_cut() -> None:
    assert zaak_identificatie("VT-UTR-1") == "VT-VT-UTR-1"
    lang_a, lang_b = "A" * 60 + "1", "A" * 60 + "2"
    assert len(zaak_identificatie(lang_a)) == 40
    assert zaak_identificatie(lang_a) != zaak_identificatie(lang_b)


def test_the_woonplaats_picks_the_gemeente_else_the_standaard() -> None:
    k = Ketenkoppelingen.uit_gegevens(
        {
            "standaard": "utrecht",
            "gemeenten": {"utrecht": _gemeente(), "breda": _gemeente(woonplaatsen=["Breda"])},
        },
        {},
    )
    assert koppeling_voor(_melding("breda "), k.gemeenten, k.standaard).gemeente == "breda"  # type: ignore[union-attr]
    assert koppeling_voor(_melding("Tilburg"), k.gemeenten, k.standaard).gemeente == "utrecht"  # type: ignore[union-attr]
    assert koppeling_voor(_melding(None), k.gemeenten, None) is None


def test_the_secret_from_the_environment_wins_and_is_never_in_the_repr(tmp_path: Path) -> None:
    pad = tmp_path / "k.json"
    pad.write_text(json.dumps({"gemeenten": {"den-bosch": _gemeente()}}))
    env = {"VT_ZGW_KOPPELINGEN": str(pad), "VT_ZGW_SECRET_DEN_BOSCH": "uit-de-omgeving"}
    koppeling = Ketenkoppelingen.uit_omgeving(env).gemeenten["den-bosch"]
    assert koppeling.secret == "uit-de-omgeving"
    assert "uit-de-omgeving" not in repr(koppeling)


@pytest.mark.parametrize(
    ("data", "fout"),
    [
        ({"gemeenten": {"utrecht": _gemeente(zaaktype=None)}}, "gemeenten.utrecht.zaaktype"),
        (
            {"gemeenten": {"utrecht": {k: v for k, v in _gemeente().items() if k != "secret"}}},
            "gemeenten.utrecht.secret",
        ),
        (
            {"gemeenten": {"utrecht": _gemeente(vertrouwelijkheid="openbaar")}},
            "gemeenten.utrecht.vertrouwelijkheid",
        ),
        ({"standaard": "breda", "gemeenten": {"utrecht": _gemeente()}}, "standaard"),
        ({"gemeenten": []}, "gemeenten"),
    ],
)
def test_a_configuration_that_cannot_work_names_its_field(data: Any, fout: str) -> None:
    with pytest.raises(ValueError, match=f"VT_ZGW_KOPPELINGEN: {fout}"):
        Ketenkoppelingen.uit_gegevens(data, {})


def test_without_the_variable_no_zaken_are_created() -> None:
    assert not Ketenkoppelingen.uit_omgeving({}).aan


def test_the_document_keeps_the_melders_promised_anonymity_and_the_reason() -> None:
    besluit = voorbeelden.besluit("overdracht", anonimiteit_toegezegd=True)
    o = zaakoverdracht(_melding("Utrecht"), besluit, NU)
    assert "Besproken in het MDO." in o.document_tekst
    assert "anonimiteit toegezegd" in o.document_tekst
    assert [b.rol.value for b in o.belanghebbenden] == ["kind"]


def test_a_dienst_overdracht_hands_over_to_its_own_partner_with_its_voorwaarden() -> None:
    """Issue 22: an overdracht at the end of a dienst; its ketenpartner, summary and
    veiligheidsvoorwaarden are the afronding's, not the besluit's onderbouwing."""
    besluit = voorbeelden.besluit("voorwaarden_en_vervolg")
    afronding = voorbeelden.afronding(
        vervolg="overdracht",
        ketenpartner={"soort": "lokaal_veld", "naam": "Jeugdteam Noord"},
        veiligheidsvoorwaarden_gesteld=True,
        samenvatting_voor_melder="Voorwaarden gesteld; het jeugdteam neemt het over.",
        veiligheidsvoorwaarden=[
            {"wat": "Geen fysiek straffen.", "met_wie": "ouders", "hoe_getoetst": "huisbezoek"}
        ],
    )
    o = zaakoverdracht(_melding("Utrecht"), besluit, NU, afronding)
    assert o.ketenpartner == "Jeugdteam Noord"
    assert "Overdracht na afronding van de dienst (voorwaarden_en_vervolg)." in o.document_tekst
    assert "Voorwaarden gesteld; het jeugdteam neemt het over." in o.document_tekst
    assert (
        "Veiligheidsvoorwaarde: Geen fysiek straffen. (met: ouders; getoetst: huisbezoek)"
        in o.document_tekst
    )
    assert besluit.onderbouwing not in o.document_tekst


def test_an_overdracht_with_statustypen_waits_five_werkdagen_for_acceptance() -> None:
    """Created on Monday 2 March 2026: reminded at the start of Monday 9 March, due at its end."""
    herinnering, deadline = aanvaardingstermijn(NU, 5, STANDAARD_KALENDER)
    assert (herinnering.isoformat(), deadline.isoformat()) == (
        "2026-03-09T00:00:00+01:00",
        "2026-03-09T23:59:59+01:00",
    )


def test_the_zgw_openapi_documents_are_in_the_repository_with_their_licence() -> None:
    """The loopback Zaken and Documenten API validates against Open Zaak's own documents: they
    ship in keten/openapi (EUPL-1.2, with its LICENSE.md), so those tests never skip."""
    from pathlib import Path

    import yaml

    map_ = Path(__file__).resolve().parents[2] / "keten" / "openapi"
    assert "EUPL" in (map_ / "LICENSE.md").read_text(encoding="utf-8")
    for naam, titel, versie in (
        ("zaken", "Zaken API", "1.5.1"),
        ("documenten", "Documenten API", "1.4.2"),
    ):
        with (map_ / f"{naam}.yaml").open(encoding="utf-8") as f:
            info = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["info"]
        assert (info["title"], info["version"]) == (titel, versie)
