"""The verklaring (versleuteling/verklaring.py) and who may write what (domain/identiteit.py):
a forged, altered, reused or expired attestation is refused with a reason that names the rule
and nothing of a payload."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from domain.besluiten import VernietigingsBesluit
from domain.identiteit import (
    Auteur,
    Handeling,
    Soort,
    Taakrol,
    weiger_handeling,
    weiger_medewerker,
    weiger_tweede_persoon,
)
from tests.workflows import scenario as sc
from versleuteling.verklaring import (
    VerklaringOngeldig,
    Verwacht,
    controleer,
    lees,
    maak,
    sleutel_uit_hoofdsleutel,
)

SLEUTEL = sleutel_uit_hoofdsleutel(bytes(32))
NU = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
MW = Auteur(id="mw-0042", soort=Soort.PERSOON, rollen=(Taakrol.MEDEWERKER,))
TL = Auteur(id="tl-0007", soort=Soort.PERSOON, rollen=(Taakrol.TEAMLEIDER,))
VERWACHT = Verwacht("melding-VT-1", Handeling.UPDATE, "neem_besluit", "u-1")


def _token(auteur: Auteur = MW, sleutel: bytes = SLEUTEL, nu: datetime = NU) -> str:
    return maak(
        sleutel,
        auteur,
        workflow_id="melding-VT-1",
        handeling=Handeling.UPDATE,
        naam="neem_besluit",
        verzoek="u-1",
        nu=nu,
    )


def test_a_verklaring_of_the_key_names_its_author() -> None:
    """The round trip: made with the key, checked with the key, the login comes back."""
    assert controleer(_token(), [SLEUTEL], VERWACHT, NU + timedelta(seconds=5)) == MW


def test_the_key_is_derived_from_the_master_key_alike_in_every_process() -> None:
    """Codec server and worker derive the same key from the same master key, another from
    another."""
    assert sleutel_uit_hoofdsleutel(bytes(32)) == SLEUTEL
    assert sleutel_uit_hoofdsleutel(b"\x01" * 32) != SLEUTEL


@pytest.mark.parametrize(
    ("token", "rede"),
    [
        (None, "zonder verklaring"),
        ("", "zonder verklaring"),
        ("v1.abc", "onleesbaar"),
        ("v2.e30.AAAA", "onbekende versie"),
        ("v1." + "A" * 5000 + ".x", "te lang"),
        ("v1.\x00\x00.\x00", "onleesbaar"),
    ],
)
def test_a_missing_or_malformed_verklaring_is_refused(token: str | None, rede: str) -> None:
    """Nothing, garbage, another version, a huge or binary token: refused, never a crash."""
    with pytest.raises(VerklaringOngeldig, match=rede):
        controleer(token, [SLEUTEL], VERWACHT, NU)


def test_a_verklaring_made_with_another_key_is_a_forgery() -> None:
    with pytest.raises(VerklaringOngeldig, match="vervalst"):
        controleer(_token(sleutel=hashlib.sha256(b"x").digest()), [SLEUTEL], VERWACHT, NU)


def test_altered_claims_break_the_mac() -> None:
    """A teamleider's role written into a medewerker's verklaring: the MAC no longer fits."""
    versie, lichaam, mac = _token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(lichaam + "=" * (-len(lichaam) % 4)))
    claims["rollen"] = ["teamleider"]
    nieuw = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(VerklaringOngeldig, match="vervalst"):
        controleer(f"{versie}.{nieuw}.{mac}", [SLEUTEL], VERWACHT, NU)


@pytest.mark.parametrize(
    "verwacht",
    [
        Verwacht("melding-VT-2", Handeling.UPDATE, "neem_besluit", "u-1"),
        Verwacht("melding-VT-1", Handeling.SIGNAAL, "neem_besluit", "u-1"),
        Verwacht("melding-VT-1", Handeling.UPDATE, "registreer_triage", "u-1"),
        Verwacht("melding-VT-1", Handeling.UPDATE, "neem_besluit", "u-2"),
    ],
)
def test_a_verklaring_holds_for_one_workflow_one_write_and_one_request(
    verwacht: Verwacht,
) -> None:
    """A captured verklaring reused for another case, message or request is refused."""
    with pytest.raises(VerklaringOngeldig, match="andere workflow, handeling of verzoek"):
        controleer(_token(), [SLEUTEL], verwacht, NU)


def test_an_expired_or_future_verklaring_is_refused() -> None:
    with pytest.raises(VerklaringOngeldig, match="verlopen"):
        controleer(_token(), [SLEUTEL], VERWACHT, NU + timedelta(minutes=6))
    with pytest.raises(VerklaringOngeldig, match="verlopen"):
        controleer(_token(), [SLEUTEL], VERWACHT, NU - timedelta(minutes=5))


def test_the_claims_hold_no_more_than_a_login_and_ids() -> None:
    claims = lees(_token())
    assert set(claims.model_dump()) == {
        "sub", "soort", "rollen", "wf", "h", "n", "id", "iat", "exp", "kid"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("auteur", "soort", "handeling", "naam", "mag"),
    [
        (MW, "MeldingWorkflow", Handeling.UPDATE, "neem_besluit", True),
        (TL, "MeldingWorkflow", Handeling.UPDATE, "registreer_triage", True),
        (MW, "MeldingWorkflow", Handeling.SIGNAAL, "melding_gekoppeld", False),
        (MW, "VernietigingWorkflow", Handeling.UPDATE, "beslis_vernietiging", False),
        (TL, "VernietigingWorkflow", Handeling.UPDATE, "beslis_vernietiging", True),
        (MW, "VernietigingWorkflow", Handeling.START, "VernietigingWorkflow", True),
        (
            Auteur(id="svc-intake", soort=Soort.SYSTEEM, rollen=(Taakrol.INTEGRATOR,)),
            "MeldingWorkflow",
            Handeling.START,
            "MeldingWorkflow",
            True,
        ),
        (
            Auteur(id="svc-intake", soort=Soort.SYSTEEM, rollen=(Taakrol.INTEGRATOR,)),
            "MeldingWorkflow",
            Handeling.UPDATE,
            "neem_besluit",
            False,
        ),
        (
            Auteur(id="ops-1", soort=Soort.PERSOON, rollen=(Taakrol.OPS,)),
            "MeldingWorkflow",
            Handeling.UPDATE,
            "neem_besluit",
            False,
        ),
        (MW, "KaalWorkflow", Handeling.UPDATE, "neem_besluit", False),
    ],
)
def test_who_may_write_what(
    auteur: Auteur, soort: str, handeling: Handeling, naam: str, mag: bool
) -> None:
    """The table of docs/contract.md, "Who writes"."""
    assert (weiger_handeling(auteur, soort, handeling, naam) is None) is mag


def test_the_medewerker_field_must_be_the_login_and_destruction_takes_a_second_person() -> None:
    assert weiger_medewerker(MW, sc.triage()) is None
    assert "ingelogde" in (weiger_medewerker(TL, sc.triage()) or "")
    besluit = VernietigingsBesluit(medewerker="tl-0007", toegekend=True, reden="Q&A 28.")
    assert weiger_medewerker(TL, besluit) is None
    assert weiger_tweede_persoon("mw-0001", TL) is None
    assert "tweede persoon" in (weiger_tweede_persoon("tl-0007", TL) or "")
