"""Authors for tests: a plugin whose client signs each write as the scenario's actor and whose
workers check them (runtime/auteurschap.py), with a test key. A decision is signed by the login
its payload names (the test plays that medewerker; the check that the two agree is tested with
forged ones, tests/workflows/test_auteurschap.py); a start as a medewerker, a signal as the
worker itself."""

from __future__ import annotations

import hashlib

from temporalio.plugin import SimplePlugin

from contract.verklaring import LokaleUitgever
from domain.identiteit import Auteur, Soort, Taakrol
from runtime.auteurschap import auteurschap, zoals_de_payload

SLEUTEL = hashlib.sha256(b"vt-test-verklaring").digest()
INDIENER = "mw-0001"
ALLE_ROLLEN = (Taakrol.MEDEWERKER, Taakrol.TEAMLEIDER)


def persoon(wie: str, *rollen: Taakrol) -> Auteur:
    return Auteur(id=wie, soort=Soort.PERSOON, rollen=rollen or ALLE_ROLLEN)


scenario = zoals_de_payload


def plugin(sleutel: bytes = SLEUTEL) -> SimplePlugin:
    # Valid for a century: the time-skipping server's clock runs years ahead of the real one.
    return auteurschap([sleutel], LokaleUitgever(sleutel, scenario, geldig_s=100 * 365 * 86400))
