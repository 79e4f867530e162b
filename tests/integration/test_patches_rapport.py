"""`scripts/patches.py` counts, per patch, the running cases on each side from the visibility
store (`TemporalChangeVersion`), and says when the next step of its lifecycle is allowed."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import PatchActivationInput, Worker

from contract.client import data_converter
from contract.search_attributes import alle_zoekattributen
from runtime.assembly import activeer_patch
from runtime.devserver import programma
from scripts import patches as rapport
from tests import auteurs
from tests.workflows import scenario as sc
from tests.workflows.nep import NepActiviteiten
from workflows import ALLE_WORKFLOWS
from workflows.meldingverloop import PATCH_START_VERKLAARD


@pytest.fixture
async def eigen_server() -> AsyncIterator[WorkflowEnvironment]:
    """A dev server of this test only: the counts are of the whole namespace."""
    omgeving = await WorkflowEnvironment.start_local(
        plugins=[auteurs.plugin()],
        data_converter=dataclasses.replace(data_converter(), payload_codec=None),
        dev_server_existing_path=programma("temporal"),
        search_attributes=alle_zoekattributen(),
    )
    yield omgeving
    await omgeving.shutdown()


async def _start(env: WorkflowEnvironment, zonder: str = "") -> WorkflowHandle[Any, Any]:
    def activeer(invoer: PatchActivationInput) -> bool:
        return invoer.patch_id != zonder and activeer_patch(invoer)

    async with Worker(
        env.client,
        task_queue=f"rapport-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=NepActiviteiten().alle(),
        patch_activation_callback=activeer,
    ) as worker:
        handle = await sc.start(env.client, worker, sc.melding())
        await sc.wacht_tot(handle, lambda s: s.fase == "wacht_op_triage")
    return handle


async def _telling(env: WorkflowEnvironment, sinds: dict[str, datetime]) -> rapport.Telling:
    """The count of start-verklaard once the visibility store has caught up."""
    einde = time.monotonic() + 20
    while True:
        tellingen = {t.patch: t for t in await rapport.tel(env.client, sinds)}
        telling = tellingen[PATCH_START_VERKLAARD]
        if (telling.lopend == 2 and telling.met_marker == 1) or time.monotonic() > einde:
            return telling
        await asyncio.sleep(0.2)


async def test_the_report_counts_each_side_and_allows_deprecation_only_when_none_is_old(
    eigen_server: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    sc.NU = datetime.now(UTC)
    voor = datetime.now(UTC)
    await asyncio.sleep(1.1)  # visibility keeps StartTime to the second
    await _start(eigen_server, zonder=PATCH_START_VERKLAARD)  # the old side: no marker
    await _start(eigen_server)
    na = datetime.now(UTC)

    telling = await _telling(eigen_server, {PATCH_START_VERKLAARD: na})
    assert (telling.lopend, telling.met_marker) == (2, 1)
    assert telling.volgende_stap == "verouderen nog niet: 1 lopende casussen op de oude kant"
    telling = await _telling(eigen_server, {PATCH_START_VERKLAARD: voor})
    assert telling.volgende_stap == "verouderen mag"
    assert (await _telling(eigen_server, {})).volgende_stap == "onbekend: geef --sinds"

    monkeypatch.setenv("TEMPORAL_ADDRESS", eigen_server.client.service_client.config.target_host)
    assert await rapport.main(["--sinds", f"{PATCH_START_VERKLAARD}={na.isoformat()}"]) == 0
    regel = next(r for r in capsys.readouterr().out.splitlines() if r.startswith("start-verklaard"))
    assert regel.split()[3:6] == ["2", "1", "1"]
    assert await rapport.main(["--sinds", "geen-patch=2027-01-01T00:00:00Z"]) == 2
