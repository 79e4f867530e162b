"""The search attributes of a melding (ids, region, phase, dates and counts; never personal
data), upserted only when they change.

A continued run starts with the attributes of the run before it on the server; the cache
starts empty, so a deadline still on the server is remembered and can be cleared.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeKey, SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from contract.search_attributes import (
        VT_BEZORGING,
        VT_FASE,
        VT_GEKOPPELD,
        VT_OVERDRACHT,
        VT_REGIO,
        VT_TERMIJN_OVERSCHREDEN,
        VT_URGENTIE,
        VT_VERVOLG,
        VT_VOLGENDE_DEADLINE,
    )
    from domain.bezorging import samengevat
    from domain.keten import stand_van_overdracht
    from domain.status import MeldingStatus

# Replay: clearing a deadline the run inherited is a newer command (v1 left it standing).
PATCH_DEADLINE_WISSEN = "zoekattributen-geerfde-deadline-wissen"


class Zoekattributen:
    def __init__(self) -> None:
        self._bekend: dict[str, Any] = {}
        self._geerfde_deadline = (
            workflow.info().typed_search_attributes.get(VT_VOLGENDE_DEADLINE) is not None
        )

    def werk_bij(self, s: MeldingStatus, deadline: datetime | None) -> None:
        gewenst: dict[str, tuple[SearchAttributeKey[Any], Any]] = {
            VT_REGIO.name: (VT_REGIO, s.regio),
            VT_FASE.name: (VT_FASE, s.fase.value),
            VT_TERMIJN_OVERSCHREDEN.name: (VT_TERMIJN_OVERSCHREDEN, s.termijn_overschreden),
            VT_GEKOPPELD.name: (VT_GEKOPPELD, s.gekoppeld()),
        }
        if s.besluit is not None:
            gewenst[VT_VERVOLG.name] = (VT_VERVOLG, s.besluit.vervolg.value)
        if s.triage is not None:
            gewenst[VT_URGENTIE.name] = (VT_URGENTIE, s.triage.urgentie.value)
        bezorging = samengevat([b.uitkomst for b in s.bezorgingen])
        if bezorging is not None:  # only since v6 (patch berichten-bezorgen)
            gewenst[VT_BEZORGING.name] = (VT_BEZORGING, bezorging)
        if s.overdracht is not None:  # only since v7 (patch overdracht-als-zaak)
            gewenst[VT_OVERDRACHT.name] = (VT_OVERDRACHT, stand_van_overdracht(s.overdracht))
        if deadline is not None:
            gewenst[VT_VOLGENDE_DEADLINE.name] = (VT_VOLGENDE_DEADLINE, deadline)
        updates: list[SearchAttributeUpdate[Any]] = []
        for naam, (sleutel, waarde) in gewenst.items():
            if self._bekend.get(naam) != waarde:
                updates.append(sleutel.value_set(waarde))
                self._bekend[naam] = waarde
        if deadline is None and self._deadline_staat_er():
            updates.append(VT_VOLGENDE_DEADLINE.value_unset())
        if updates:
            workflow.upsert_search_attributes(updates)

    def _deadline_staat_er(self) -> bool:
        if self._bekend.pop(VT_VOLGENDE_DEADLINE.name, None) is not None:
            self._geerfde_deadline = False
            return True
        if self._geerfde_deadline and workflow.patched(PATCH_DEADLINE_WISSEN):
            self._geerfde_deadline = False
            return True
        return False
