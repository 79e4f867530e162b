"""Authors for tests: a plugin whose client signs each write as the scenario's actor and whose
workers check them (runtime/auteurschap.py), with a test key. A decision is signed by the login
its payload names (the test plays that medewerker; the check that the two agree is tested with
forged ones, tests/workflows/test_auteurschap.py); a start as a medewerker, a signal as the
worker itself."""

from __future__ import annotations

import hashlib
from typing import Any

from temporalio.plugin import SimplePlugin

from contract.verklaring import LokaleUitgever
from domain.identiteit import Auteur, Handeling, Rol, Soort
from runtime.auteurschap import auteurschap

SLEUTEL = hashlib.sha256(b"vt-test-verklaring").digest()
INDIENER = "mw-0001"
ALLE_ROLLEN = (Rol.MEDEWERKER, Rol.TEAMLEIDER)


def persoon(wie: str, *rollen: Rol) -> Auteur:
    return Auteur(id=wie, soort=Soort.PERSOON, rollen=rollen or ALLE_ROLLEN)


def scenario(handeling: Handeling, naam: str, inhoud: Any) -> Auteur:
    if handeling is Handeling.SIGNAAL:
        return Auteur(id="worker", soort=Soort.SYSTEEM, rollen=(Rol.SYSTEEM,))
    if isinstance(inhoud, dict):
        wie = inhoud.get("medewerker") or INDIENER
    else:
        wie = getattr(inhoud, "medewerker", None) or INDIENER
    return persoon(str(wie))


def plugin(sleutel: bytes = SLEUTEL) -> SimplePlugin:
    # Valid for a century: the time-skipping server's clock runs years ahead of the real one.
    return auteurschap([sleutel], LokaleUitgever(sleutel, scenario, geldig_s=100 * 365 * 86400))
