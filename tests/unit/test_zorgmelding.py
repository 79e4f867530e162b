"""A politie zorgmelding (domain/zorgmelding.py) and its file drop (keten/uitwisselmap.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from domain.invoer import valideer_streng
from domain.waarden import Beroepsgroep, MelderCategorie, MelderSoort
from domain.zorgmelding import Zorgmelding
from keten.uitwisselmap import Uitwisselmap

NU = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def zorgmelding(**over: Any) -> dict[str, Any]:
    return {
        "kenmerk": "PL0900-2026-004711",
        "regio": "utrecht",
        "ontvangen_op": "2026-03-02T08:00:00+00:00",
        "melder": {"naam": "Agent De Vries", "telefoon": "0900-8844"},
        "meldnorm": 1,
        "betrokkenen": [{"rol": "kind", "voornaam": "Sam", "achternaam": "Jansen"}],
        "zorgen": {"vormen": ["partnergeweld"], "acuut_vermoeden": True},
        **over,
    }


def test_a_zorgmelding_becomes_a_melding_of_a_professional_of_the_politie() -> None:
    m = valideer_streng(Zorgmelding, zorgmelding(), NU).als_melding(NU)
    assert m.melding_id == "POL-PL0900-2026-004711"
    assert (m.melder.soort, m.melder.beroepsgroep, m.melder.categorie) == (
        MelderSoort.PROFESSIONAL,
        Beroepsgroep.POLITIE,
        MelderCategorie.POLITIE,
    )
    assert m.melder.naam == "Agent De Vries" and m.zorgen.acuut_vermoeden


@pytest.mark.parametrize(
    ("over", "veld"),
    [
        ({"kenmerk": "PL 0900"}, "kenmerk"),
        ({"meldnorm": 7}, "meldnorm"),
        ({"betrokkenen": []}, "betrokkenen"),
        ({"melder": {"telefoon": "0900-8844"}}, "melder.naam"),
        ({"onbekend": 1}, "onbekend"),
    ],
)
def test_a_zorgmelding_is_refused_naming_the_field(over: dict[str, Any], veld: str) -> None:
    with pytest.raises(ValidationError) as fout:
        valideer_streng(Zorgmelding, zorgmelding(**over), NU)
    assert veld in {".".join(str(d) for d in e["loc"]) for e in fout.value.errors()}


def test_the_drop_reads_only_whole_json_files_and_moves_them_once_handled(tmp_path: Path) -> None:
    kanaal = Uitwisselmap(tmp_path)
    (tmp_path / "in" / "a.json").write_text(json.dumps(zorgmelding()))
    (tmp_path / "in" / "b.json.deel").write_text("{")  # still being written
    (bericht,) = kanaal.nieuwe()
    assert bericht.naam == "a"
    kanaal.verwerkt(bericht, "POL-PL0900-2026-004711")
    assert kanaal.nieuwe() == []
    assert (tmp_path / "verwerkt" / "a.melding").read_text() == "POL-PL0900-2026-004711\n"
    (tmp_path / "in" / "c.json").write_text("{}")
    (c,) = kanaal.nieuwe()
    kanaal.weiger(c, ["kenmerk: Field required"])
    assert (tmp_path / "geweigerd" / "c.json").exists()
    assert (tmp_path / "geweigerd" / "c.fout.txt").read_text() == "kenmerk: Field required\n"
