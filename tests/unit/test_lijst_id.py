"""A destruction list's ID is its workflow ID (`vernietigingslijst-<moment>`): the CLI's list
commands take it, and refuse what cannot be one (the README tour's `lijst-status
vernietigingslijst-2027-01-01T02:00:00Z` was refused as an invalid melding_id)."""

from __future__ import annotations

import pytest

from starter.fouten import OngeldigeInvoer
from starter.invoer import controleer_id


@pytest.mark.parametrize(
    "lijst_id",
    ["vernietigingslijst-2027-01-01T02:00:00Z", "vernietigingslijst", "vernietigingslijst-test_1"],
)
def test_a_list_id_passes(lijst_id: str) -> None:
    controleer_id(lijst_id, lijst=True)


@pytest.mark.parametrize(
    "lijst_id",
    [
        "VT-UTR-2026-000001",
        "vernietigingslijst-2027-01-01T02:00:00Z\x00",
        "vernietigingslijst-\u0662\u0660\u0662\u0667",
        "vernietigingslijst-" + "x" * 65,
        "vernietigingslijst-Jan Jansen",
    ],
)
def test_what_cannot_be_a_list_id_is_invalid_input(lijst_id: str) -> None:
    with pytest.raises(OngeldigeInvoer, match="lijst-ID"):
        controleer_id(lijst_id, lijst=True)


def test_a_list_id_is_no_melding_id() -> None:
    with pytest.raises(OngeldigeInvoer, match="melding_id"):
        controleer_id("vernietigingslijst-2027-01-01T02:00:00Z")
