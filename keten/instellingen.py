"""The chain's configuration (docs/deployment.md, *Ketenpartners: Open Zaak*): per gemeente the
ZGW APIs an overdracht goes to, read from a JSON file that `VT_ZGW_KOPPELINGEN` names. A secret
may stay out of the file: `VT_ZGW_SECRET_<GEMEENTE>` (upper case, `-` as `_`) gives it and wins.
Not set: this worker creates no zaken (each overdracht is recorded `niet_ingesteld`).

    {"standaard": "utrecht",
     "gemeenten": {"utrecht": {"woonplaatsen": ["Utrecht"], "zaken_url": "…", …}}}
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from domain.keten import VERTROUWELIJKHEDEN, GemeenteKoppeling
from keten.raadmap import Raadmap
from keten.zaken import ZgwZaken

OMGEVINGSVARIABELEN = ("VT_ZGW_KOPPELINGEN", "VT_RAAD_MAP")


@dataclass(frozen=True)
class Ketenkoppelingen:
    gemeenten: dict[str, GemeenteKoppeling] = field(default_factory=dict)
    standaard: str | None = None
    # The folder shared with the Raad (keten/raadmap.py): the verzoeken tot onderzoek.
    raad_map: Path | None = None

    @classmethod
    def uit_omgeving(cls, env: Mapping[str, str]) -> Ketenkoppelingen:
        """ValueError naming the variable, the gemeente and the field when a value cannot work."""
        raad = Path(env["VT_RAAD_MAP"]) if env.get("VT_RAAD_MAP") else None
        pad = env.get("VT_ZGW_KOPPELINGEN")
        if not pad:
            return cls(raad_map=raad)
        try:
            data = json.loads(Path(pad).read_text(encoding="utf-8"))
        except (OSError, ValueError) as fout:
            raise ValueError(
                f"VT_ZGW_KOPPELINGEN: {pad} onleesbaar ({type(fout).__name__})"
            ) from None
        return dataclasses.replace(cls.uit_gegevens(data, env), raad_map=raad)

    @classmethod
    def uit_gegevens(cls, data: Any, env: Mapping[str, str]) -> Ketenkoppelingen:
        if not isinstance(data, dict) or not isinstance(data.get("gemeenten"), dict):
            raise ValueError("VT_ZGW_KOPPELINGEN: gemeenten: een object per gemeente verwacht")
        gemeenten = {}
        for naam, gegevens in data["gemeenten"].items():
            if not isinstance(gegevens, dict):
                raise ValueError(f"VT_ZGW_KOPPELINGEN: gemeenten.{naam}: een object verwacht")
            sleutel = "VT_ZGW_SECRET_" + naam.upper().replace("-", "_")
            gegevens = {**gegevens, "gemeente": naam}
            if env.get(sleutel):
                gegevens["secret"] = env[sleutel]
            try:
                koppeling = GemeenteKoppeling.model_validate(gegevens)
            except ValidationError as fout:
                eerste = fout.errors()[0]
                veld = ".".join(str(d) for d in eerste["loc"])
                raise ValueError(
                    f"VT_ZGW_KOPPELINGEN: gemeenten.{naam}.{veld}: {eerste['msg']}"
                ) from None
            if koppeling.vertrouwelijkheid not in VERTROUWELIJKHEDEN:
                raise ValueError(
                    f"VT_ZGW_KOPPELINGEN: gemeenten.{naam}.vertrouwelijkheid: "
                    f"een van {', '.join(VERTROUWELIJKHEDEN)}"
                )
            gemeenten[naam] = koppeling
        standaard = data.get("standaard")
        if standaard is not None and standaard not in gemeenten:
            raise ValueError(f"VT_ZGW_KOPPELINGEN: standaard: {standaard!r} is geen gemeente")
        return cls(gemeenten=gemeenten, standaard=standaard)

    @property
    def aan(self) -> bool:
        return bool(self.gemeenten)

    def zaaksysteem(self) -> ZgwZaken | None:
        return ZgwZaken() if self.aan else None

    def raadkanaal(self) -> Raadmap | None:
        return Raadmap(self.raad_map) if self.raad_map is not None else None

    def beschrijving(self) -> str:
        """For the start log line: which gemeenten (no URLs with credentials, no secrets), and
        whether the Raad is reached."""
        gemeenten = ", ".join(sorted(self.gemeenten)) if self.gemeenten else "uit"
        return f"{gemeenten}; raad: {'map' if self.raad_map else 'uit'}"
