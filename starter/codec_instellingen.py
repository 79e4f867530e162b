"""The codec server's settings (VT_CODEC_*, VT_MASTER_KEY): who may call it, from which browser
origins, where it listens, and the key its verklaringen are made with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starter.codec_toegang import Toegangsregels
from versleuteling import verklaring as tokens
from versleuteling.codec import lees_hoofdsleutel


@dataclass(frozen=True)
class CodecInstellingen:
    toegang: Toegangsregels = field(repr=False)
    origin: str = ""  # the Web UI's origins, comma-separated (VT_CODEC_ORIGIN)
    host: str = "127.0.0.1"
    poort: int = 8081
    verklaringsleutel: bytes = field(default=b"", repr=False)  # set from the master key

    @property
    def oidc(self) -> Any:
        return self.toegang.oidc

    @property
    def origins(self) -> frozenset[str]:
        """The browser origins allowed: an explicit list (a UI reached as `localhost` and as
        `127.0.0.1` are two origins to a browser; make run allows both)."""
        return frozenset(o.strip().rstrip("/") for o in self.origin.split(",") if o.strip())

    @classmethod
    def uit_omgeving(cls, env: Mapping[str, str]) -> CodecInstellingen:
        """From the environment; with VT_MASTER_KEY also the verklaring key (as the worker
        derives it)."""
        hoofdsleutel = env.get("VT_MASTER_KEY", "")
        return cls(
            verklaringsleutel=tokens.sleutel_uit_hoofdsleutel(lees_hoofdsleutel(hoofdsleutel))
            if hoofdsleutel
            else b"",
            toegang=Toegangsregels.uit_omgeving(env),
            origin=env.get("VT_CODEC_ORIGIN", "").rstrip("/"),
            host=env.get("VT_CODEC_HOST") or "127.0.0.1",
            poort=int(env.get("VT_CODEC_PORT") or 8081),
        )
