"""One time-skipping test server for the room; a fresh worker and task queue per test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.names import SEARCH_ATTRIBUTES
from starter.verbinding import data_converter
from tests.programmas import programma
from tests.workflows import scenario
from tests.workflows.nep import NepActiviteiten
from workflows import ALLE_WORKFLOWS


async def registreer_zoekattributen(client: Client) -> None:
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={
                naam: IndexedValueType.Value(f"INDEXED_VALUE_TYPE_{soort.upper()}")
                for naam, soort in SEARCH_ATTRIBUTES.items()
            },
        )
    )


@pytest.fixture(scope="session")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    pad = programma("temporal-test-server")
    omgeving = await WorkflowEnvironment.start_time_skipping(
        data_converter=data_converter(), test_server_existing_path=pad
    )
    await registreer_zoekattributen(omgeving.client)
    yield omgeving
    await omgeving.shutdown()


@pytest.fixture(autouse=True)
async def klok(env: WorkflowEnvironment) -> None:
    """Meldingen of this test are received at the test server's current time."""
    scenario.NU = await env.get_current_time()


@pytest.fixture
def nep() -> NepActiviteiten:
    return NepActiviteiten()


@pytest.fixture
async def worker(env: WorkflowEnvironment, nep: NepActiviteiten) -> AsyncIterator[Worker]:
    async with Worker(
        env.client,
        task_queue=f"test-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=nep.alle(),
    ) as w:
        yield w
