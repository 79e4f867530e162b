"""The CLI's exit codes: one per kind of outcome, from one table (starter.cli.SOORTEN), the same
table docs/contract.md shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload

from starter.cli import SOORTEN, soort
from starter.codec_client import (
    CodecServerCodec,
    CodecServerOnbereikbaar,
    CodecServerUitgever,
    GeenVerklaring,
    VerklaringOnbereikbaar,
)
from starter.demo import DemoMislukt, DemoZonderWorker
from starter.fouten import (
    GeenAntwoord,
    GeenVerbinding,
    GeenWorker,
    Geweigerd,
    MeldingBestaatAl,
    MeldingFout,
    OnbekendeMelding,
    OnbekendeNamespace,
    OngeldigeInvoer,
    Vastgelopen,
)
from versleuteling.codec import SleutelFout, SleutelopslagOnbereikbaar, SleutelVernietigd

CONTRACT_DOC = Path(__file__).resolve().parents[2] / "docs" / "contract.md"


@pytest.mark.parametrize(
    ("fout", "verwacht"),
    [
        (OngeldigeInvoer(["regio: onbekend"]), ("ongeldige_invoer", 2)),
        (OnbekendeMelding("VT-1"), ("onbekende_melding", 3)),
        (Geweigerd("besluit: eerst de triage registreren"), ("geweigerd", 4)),
        (MeldingBestaatAl("VT-1"), ("bestaat_al", 5)),
        (GeenVerbinding("127.0.0.1:1", "verbinding geweigerd"), ("niet_beschikbaar", 6)),
        (GeenWorker("leeg", "veilig-thuis"), ("niet_beschikbaar", 6)),
        (GeenAntwoord("geen antwoord binnen 30 s"), ("niet_beschikbaar", 6)),
        (Vastgelopen("PostgreSQL weg", "sla_op", "x", database=True), ("niet_beschikbaar", 6)),
        (SleutelopslagOnbereikbaar("FileNotFoundError"), ("niet_beschikbaar", 6)),
        (CodecServerOnbereikbaar("codec server weg"), ("niet_beschikbaar", 6)),
        (VerklaringOnbereikbaar("codec server weg"), ("niet_beschikbaar", 6)),
        (DemoZonderWorker("geen worker"), ("niet_beschikbaar", 6)),
        (OnbekendeNamespace("x", "127.0.0.1:7233"), ("intern", 1)),
        (GeenVerklaring("HTTP 403"), ("intern", 1)),
        (DemoMislukt("staat na 30 s nog in fase"), ("intern", 1)),
        (SleutelVernietigd("melding/VT-1"), ("intern", 1)),
        (SleutelFout("beschadigd"), ("intern", 1)),
        (MeldingFout("iets anders"), ("intern", 1)),
        (RuntimeError("onverwacht"), ("intern", 1)),
    ],
)
def test_each_error_has_the_exit_code_of_its_kind(
    fout: BaseException, verwacht: tuple[str, int]
) -> None:
    assert soort(fout) == verwacht


def test_every_kind_has_a_code_of_its_own() -> None:
    codes = [code for _, _, code in SOORTEN]
    namen = [naam for _, naam, _ in SOORTEN]
    assert len(set(codes)) == len(codes) and 0 not in codes and 1 not in codes
    assert len(set(namen)) == len(namen)


def test_the_contract_shows_the_table_of_the_code() -> None:
    """docs/contract.md, "Exit codes": one row per kind, with its code and its errors."""
    tekst = CONTRACT_DOC.read_text(encoding="utf-8")
    deel = tekst[tekst.index("### Exit codes") :]
    rijen = {
        int(m.group(1)): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| (\d+) \| `?([a-z_]*)`? \|[^|]*\|([^|]*)\|$", deel, re.M)
    }
    assert rijen[1][0] == "intern"
    for klassen, naam, code in SOORTEN:
        assert rijen[code][0] == naam
        for klasse in klassen:
            if klasse is not DemoZonderWorker:
                assert f"`{klasse.__name__}`" in rijen[code][1], (code, klasse.__name__)


async def test_an_unreachable_codec_server_is_a_part_not_available() -> None:
    """Encoding through a codec server nobody listens on, or asking it for a verklaring."""
    with pytest.raises(CodecServerOnbereikbaar) as codec:
        await CodecServerCodec("http://127.0.0.1:1").encode([Payload(data=b"{}")])
    assert soort(codec.value) == ("niet_beschikbaar", 6)
    with pytest.raises(VerklaringOnbereikbaar) as verklaring:
        CodecServerUitgever("http://127.0.0.1:1")._vraag({"workflow_id": "melding-VT-1"})
    assert soort(verklaring.value) == ("niet_beschikbaar", 6)
