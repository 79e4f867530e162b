"""The ports: every system outside the project, as the small interface the activities call.
The real adapters live in the rooms of adapters (`adapters/`, `bezorging/`, `keten/`) and are
constructed only at the worker's bootstrap (runtime/assembly.py); workflows see activities,
never a port.

- `Bronpoort`: a ketenpartner source (Raad voor de Kinderbescherming, politie); adapter
  `adapters/demobron.py` (the demo: answers from our own table).
- `domain.bezorging.Mailer`: the mail server (SMTP with STARTTLS); `bezorging/smtp.py`.
- `domain.bezorging.Drukstraat`: the print street for letters; `bezorging/drukstraat.py`.
- `domain.keten.Zaaksysteem`: a gemeente's ZGW Zaken and Documenten APIs; `keten/zaken.py`.
- `domain.raad.Raadkanaal`: the verzoek tot onderzoek to the Raad; `keten/raadmap.py`.
- `domain.zorgmelding.Zorgmeldingkanaal`: the politie's zorgmeldingen; `keten/uitwisselmap.py`.
"""

from __future__ import annotations

from typing import Protocol

from domain.bezorging import Drukstraat, Mailer
from domain.uitwisseling import BronAntwoord

__all__ = ["Bronpoort", "Drukstraat", "Mailer"]


class Bronpoort(Protocol):
    """A ketenpartner source asked about a melding (Q&A 7: Raad and politie): what it knows of
    the household of `melding_id` (the adapter reads the household's register keys itself)."""

    async def vraag(self, melding_id: str) -> BronAntwoord: ...
