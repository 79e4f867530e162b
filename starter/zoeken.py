"""Finding meldingen for `lijst`: the visibility query on our search attributes and the row it
yields. Only what the search attributes hold is read, so a row never carries personal data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from temporalio.client import Client, WorkflowExecution

from contract import ids, names
from contract.search_attributes import (
    VT_BEZORGING,
    VT_FASE,
    VT_REGIO,
    VT_TERMIJN_OVERSCHREDEN,
    VT_VOLGENDE_DEADLINE,
)
from domain.model import Model
from domain.regio import controleer_regio
from domain.waarden import Fase
from starter.fouten import OngeldigeInvoer


class MeldingRegel(Model):
    """One row of `lijst`: only what the search attributes hold (no personal data)."""

    melding_id: str
    fase: Fase | None = None
    regio: str | None = None
    volgende_deadline: datetime | None = None
    overschreden: bool = False
    status: str
    # VtBezorging: the messages' outcome that most needs a person (`onzeker`, …, `verzonden`).
    bezorging: str | None = None


def zoekvraag_lijst(fase: Fase | str | None, regio: str | None, overschreden: bool) -> str:
    """The visibility query on our search attributes; values are checked, never pasted raw.
    A run closed by continue-as-new is not the melding's current state: left out."""
    delen = [
        f'WorkflowType = "{names.MELDING_WORKFLOW}"',
        'ExecutionStatus != "ContinuedAsNew"',
    ]
    try:
        if fase:
            delen.append(f'{names.SA_FASE} = "{Fase(fase).value}"')
        if regio:
            delen.append(f'{names.SA_REGIO} = "{controleer_regio(regio)}"')
    except ValueError as fout:
        raise OngeldigeInvoer([_lijstfout(fout, fase)]) from fout
    if overschreden:
        delen.append(f"{names.SA_TERMIJN_OVERSCHREDEN} = true")
    return " AND ".join(delen)


async def zoek(client: Client, zoekvraag: str, limiet: int) -> list[MeldingRegel]:
    """One row per melding, of its newest run, soonest deadline first; Temporal's RPCError
    passes up."""
    nieuwste: dict[str, WorkflowExecution] = {}
    async for wf in client.list_workflows(zoekvraag, limit=limiet):
        eerder = nieuwste.get(wf.id)
        if eerder is None or wf.start_time > eerder.start_time:
            nieuwste[wf.id] = wf
    return sorted((regel(wf) for wf in nieuwste.values()), key=_deadline_eerst)


def regel(wf: WorkflowExecution) -> MeldingRegel:
    """The row of one melding workflow, read from its search attributes."""
    sa = wf.typed_search_attributes
    return MeldingRegel(
        melding_id=ids.melding_id_van(wf.id) or wf.id,
        fase=_fase(sa.get(VT_FASE)),
        regio=sa.get(VT_REGIO),
        volgende_deadline=sa.get(VT_VOLGENDE_DEADLINE),
        overschreden=bool(sa.get(VT_TERMIJN_OVERSCHREDEN)),
        status=wf.status.name.lower() if wf.status else "onbekend",
        bezorging=sa.get(VT_BEZORGING),
    )


def _deadline_eerst(regel: MeldingRegel) -> float:
    d = regel.volgende_deadline
    return d.timestamp() if d is not None else float("inf")


def _fase(waarde: str | None) -> Fase | None:
    try:
        return Fase(waarde) if waarde else None
    except ValueError:
        return None


def _lijstfout(fout: ValueError, fase: Any) -> str:
    if fase and _fase(str(fase)) is None:
        return f"fase: {fase!r} is geen fase; kies uit {', '.join(f.value for f in Fase)}"
    return f"regio: {fout}"
