"""The contract's bounds on moments, dates and size (docs/contract.md, "Limits of intake").

Each check has a structural part that always holds (a moment has a timezone) and an intake part
that runs only with the intake context of domain.invoer: the bounds may change, and a history
recorded under older bounds must still decode.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import ValidationInfo

from domain.invoer import intake_moment, omvang_in_bytes  # noqa: F401 (re-exported)
from domain.werkdagen import AMSTERDAM

# Clocks of client and worker differ a little; a receipt this far ahead is still accepted.
KLOKMARGE = timedelta(minutes=5)
# Veilig Thuis began on 1 January 2015: no melding was received before.
VROEGST_ONTVANGEN = datetime(2015, 1, 1, tzinfo=AMSTERDAM)
VROEGSTE_GEBOORTEDATUM = date(1900, 1, 1)
# A melding's JSON (compact, UTF-8) at intake.
MELDING_MAX_BYTES = 256 * 1024


def controleer_tijdstip(waarde: datetime, veld: str) -> datetime:
    """A contract moment is timezone-aware."""
    if waarde.tzinfo is None or waarde.utcoffset() is None:
        raise ValueError(f"{veld}: moet een tijdzone hebben (bijv. +01:00)")
    return waarde


def controleer_ontvangen_op(waarde: datetime, info: ValidationInfo) -> datetime:
    """Timezone-aware; at intake also from VROEGST_ONTVANGEN up to now (+ KLOKMARGE)."""
    veld = info.field_name or "ontvangen_op"
    controleer_tijdstip(waarde, veld)
    nu = intake_moment(info)
    if nu is None:
        return waarde
    bereik = f"toegestaan: {VROEGST_ONTVANGEN.date().isoformat()} tot nu"
    # Compare years first: an aware moment in year 1 or 9999 overflows when shifted to UTC.
    if waarde.year < VROEGST_ONTVANGEN.year or (
        waarde.year == VROEGST_ONTVANGEN.year and waarde < VROEGST_ONTVANGEN
    ):
        raise ValueError(
            f"{veld}: mag niet voor {VROEGST_ONTVANGEN.date().isoformat()} liggen, Veilig Thuis "
            f"bestaat sinds 2015 ({bereik})"
        )
    if waarde.year > nu.year + 1 or waarde > nu + KLOKMARGE:
        raise ValueError(f"{veld}: mag niet in de toekomst liggen ({bereik})")
    return waarde


def controleer_geboortedatum(waarde: date, info: ValidationInfo) -> date:
    """At intake: from VROEGSTE_GEBOORTEDATUM up to today (Amsterdam, + KLOKMARGE)."""
    nu = intake_moment(info)
    if nu is None:
        return waarde
    vandaag = (nu + KLOKMARGE).astimezone(AMSTERDAM).date()
    bereik = f"toegestaan: {VROEGSTE_GEBOORTEDATUM.isoformat()} tot vandaag"
    if waarde < VROEGSTE_GEBOORTEDATUM:
        raise ValueError(
            f"geboortedatum: mag niet voor {VROEGSTE_GEBOORTEDATUM.isoformat()} liggen ({bereik})"
        )
    if waarde > vandaag:
        raise ValueError(f"geboortedatum: mag niet in de toekomst liggen ({bereik})")
    return waarde
