"""The regions of the Veilig Thuis organisations, as slugs.

Stappenplan and Q&A 21 speak of 26 regional organisations; the list is data, easy to change
(docs/contract.md notes a merger in 2024).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

from domain.invoer import intake_moment

REGIOS: tuple[str, ...] = (
    "groningen",
    "friesland",
    "drenthe",
    "ijsselland",
    "twente",
    "noord-en-oost-gelderland",
    "gelderland-midden",
    "gelderland-zuid",
    "utrecht",
    "flevoland",
    "noord-holland-noord",
    "zaanstreek-waterland",
    "kennemerland",
    "amsterdam-amstelland",
    "gooi-en-vechtstreek",
    "hollands-midden",
    "haaglanden",
    "rotterdam-rijnmond",
    "zuid-holland-zuid",
    "zeeland",
    "west-brabant",
    "midden-brabant",
    "brabant-noordoost",
    "zuidoost-brabant",
    "limburg-noord",
    "zuid-limburg",
)


def controleer_regio(regio: str) -> str:
    """Return the slug when it names a known region, else raise ValueError naming the rule."""
    if regio not in REGIOS:
        # Never the value: an unknown region may be anything someone typed (a refusal is plain).
        raise ValueError(f"onbekende regio (verwacht een van de {len(REGIOS)} slugs)")
    return regio


_SLUG = re.compile(r"[a-z0-9-]{1,64}")


def _regio(regio: str, info: ValidationInfo) -> str:
    """Always a slug; at intake one of REGIOS. The list changes (mergers), so a history that
    names a region no longer listed still decodes."""
    if not _SLUG.fullmatch(regio):
        raise ValueError("regio: moet een slug zijn (1-64 tekens a-z, 0-9 en -)")
    if intake_moment(info) is not None:
        controleer_regio(regio)
    return regio


Regio = Annotated[str, AfterValidator(_regio)]
