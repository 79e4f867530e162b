"""The folder channel to the Raad (keten/raadmap.py): a VTO is written once, whole; the Raad's
acknowledgement and decision are read back; an unreadable answer is a temporary fault."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain import voorbeelden
from domain.melding import Melding
from domain.raad import RaadBeslissing, RaadTijdelijk, Vto, vto_inhoud
from keten.raadmap import Raadmap

NU = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _melding() -> Melding:
    return Melding.ontvang(
        {
            "melding_id": "VT-UTR-7",
            "regio": "utrecht",
            "ontvangen_op": NU,
            "melder": {"soort": "burger"},
            "betrokkenen": [
                {
                    "rol": "kind",
                    "voornaam": "Sam",
                    "achternaam": "Jansen",
                    "geboortedatum": "2019-03-01",
                },
                {
                    "rol": "ouder_verzorger",
                    "voornaam": "Kim",
                    "achternaam": "Jansen",
                    "geboortedatum": "1990-01-01",
                },
            ],
            "zorgen": {"vormen": ["kindermishandeling"]},
        },
        nu=NU,
    )


async def test_a_vto_is_written_once_and_names_only_the_minors(tmp_path: Path) -> None:
    besluit = voorbeelden.besluit("onderzoek", raad_verzoek_tot_onderzoek=True)
    kanaal = Raadmap(tmp_path)
    vto = Vto("VTO-VT-UTR-7", vto_inhoud(_melding(), besluit, "VTO-VT-UTR-7", NU))
    await kanaal.verstuur(vto)
    pad = tmp_path / "uit" / "VTO-VT-UTR-7.json"
    eerste = pad.stat().st_mtime_ns
    await kanaal.verstuur(vto)
    assert pad.stat().st_mtime_ns == eerste and list((tmp_path / "uit").iterdir()) == [pad]
    inhoud = json.loads(pad.read_text())
    assert [k["voornaam"] for k in inhoud["minderjarigen"]] == ["Sam"]
    assert inhoud["onderbouwing"] == besluit.onderbouwing


async def test_the_raads_answers_are_read_back(tmp_path: Path) -> None:
    kanaal = Raadmap(tmp_path)
    assert (await kanaal.antwoord("VTO-1")).ontvangen_op is None
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "VTO-1.ontvangen.json").write_text(
        json.dumps({"ontvangen_op": NU.isoformat()})
    )
    (tmp_path / "in" / "VTO-1.beslissing.json").write_text(json.dumps({"beslissing": "onderzoek"}))
    antwoord = await kanaal.antwoord("VTO-1")
    assert (antwoord.ontvangen_op, antwoord.beslissing) == (NU, RaadBeslissing.ONDERZOEK)
    (tmp_path / "in" / "VTO-2.beslissing.json").write_text(json.dumps({"beslissing": "misschien"}))
    with pytest.raises(RaadTijdelijk):
        await kanaal.antwoord("VTO-2")
