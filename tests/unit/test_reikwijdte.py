"""Issue 19 item 1: organisations and roles of a login, from a token file, the static token and
an identity provider's claims (docs/privacy.md, "Organisations and roles"); the rule that says
who reads a case's content."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from domain.identiteit import Auteur, Soort, Taakrol
from domain.reikwijdte import ALLE, weiger_inhoud
from starter.codec_toegang import Toegangsregels, auteur_uit_claims


def _auteur(*rollen: Taakrol, organisaties: tuple[str, ...] = ("utrecht",)) -> Auteur:
    return Auteur(id="x-1", soort=Soort.PERSOON, rollen=rollen, organisaties=organisaties)


def test_content_only_for_a_content_role_of_the_owning_region() -> None:
    assert weiger_inhoud(_auteur(Taakrol.MEDEWERKER), "melding 1", "utrecht") is None
    assert weiger_inhoud(_auteur(Taakrol.TEAMLEIDER), "melding 1", "utrecht") is None
    andere = weiger_inhoud(_auteur(Taakrol.MEDEWERKER), "melding 1", "zeeland")
    assert andere is not None and "Neem contact op met Veilig Thuis zeeland" in andere
    for rol in (Taakrol.OPS, Taakrol.BEHEER):
        reden = weiger_inhoud(_auteur(rol), "melding 1", "utrecht")
        assert reden is not None and "nooit inhoud" in reden
    assert weiger_inhoud(_auteur(Taakrol.MEDEWERKER, organisaties=(ALLE,)), "m", None) is None
    assert weiger_inhoud(_auteur(Taakrol.MEDEWERKER), "m", None) is not None


def test_organisations_are_never_serialised_so_verklaringen_and_histories_stay_as_they_were() -> (
    None
):
    auteur = _auteur(Taakrol.MEDEWERKER)
    assert "organisaties" not in auteur.model_dump_json()


def test_keycloak_style_claims_give_roles_and_organisations() -> None:
    """Realm roles in `realm_access.roles`, regions as groups (`/utrecht`) or as a user
    attribute of one comma-separated text; roles and regions of other applications ignored."""
    claims = {
        "sub": "f3a1",
        "vt_medewerker": "mw-0042",
        "realm_access": {"roles": ["offline_access", "medewerker", "ops"]},
        "groups": ["/utrecht", "/andere-app", "/zeeland"],
    }
    auteur = auteur_uit_claims(claims, "realm_access.roles", "groups")
    assert auteur.id == "mw-0042"
    assert auteur.rollen == (Taakrol.MEDEWERKER, Taakrol.OPS)
    assert auteur.organisaties == ("utrecht", "zeeland")
    als_tekst = auteur_uit_claims(
        {"sub": "s", "vt_rollen": ["ops"], "vt_organisaties": "a, utrecht"}, "vt_rollen"
    )
    assert als_tekst.organisaties == ("utrecht",)
    assert auteur_uit_claims({"sub": "s"}, "vt_rollen").organisaties == ()


def test_a_token_file_names_each_logins_organisations_and_refuses_an_unknown_region(
    tmp_path: Path,
) -> None:
    def bestand(organisaties: list[str]) -> dict[str, str]:
        regel = {
            "sha256": hashlib.sha256(b"t" * 20).hexdigest(),
            "id": "svc-intake-utrecht",
            "soort": "systeem",
            "rollen": ["integrator"],
            "organisaties": organisaties,
        }
        pad = tmp_path / "tokens.json"
        pad.write_text(json.dumps({"tokens": [regel]}))
        return {"VT_CODEC_TOKENS": str(pad)}

    [login] = Toegangsregels.uit_omgeving(bestand(["utrecht"])).tokens.values()
    assert login.organisaties == ("utrecht",)
    with pytest.raises(ValueError, match="VT_CODEC_TOKENS"):
        Toegangsregels.uit_omgeving(bestand(["atlantis"]))


def test_the_static_token_serves_the_organisations_it_is_given() -> None:
    env = {"VT_CODEC_TOKEN": "s" * 20}
    [alle] = Toegangsregels.uit_omgeving(env).tokens.values()
    assert alle.organisaties == (ALLE,)
    [een] = Toegangsregels.uit_omgeving({**env, "VT_CODEC_ORGANISATIES": "zeeland"}).tokens.values()
    assert een.organisaties == ("zeeland",)
    with pytest.raises(ValueError, match="organisaties"):
        Toegangsregels.uit_omgeving({**env, "VT_CODEC_ORGANISATIES": "atlantis"})
