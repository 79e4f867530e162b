"""A time-skipping test server, worker and task queue per test: a server starts in about
0.1 s, and a case one test leaves running (a timer, an activity in flight) can never hold up
the clock of the next."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import PatchActivationInput, Worker

from contract.client import data_converter
from contract.search_attributes import registreer_zoekattributen
from runtime.assembly import activeer_patch
from runtime.devserver import programma
from tests import auteurs
from tests.workflows import scenario
from tests.workflows.nep import NepActiviteiten
from workflows import ALLE_WORKFLOWS


@pytest.fixture
async def env() -> AsyncIterator[WorkflowEnvironment]:
    pad = programma("temporal-test-server")
    omgeving = await WorkflowEnvironment.start_time_skipping(
        plugins=[auteurs.plugin()], data_converter=data_converter(), test_server_existing_path=pad
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


def werker(
    env: WorkflowEnvironment,
    nep: NepActiviteiten,
    activeer: Callable[[PatchActivationInput], bool] = activeer_patch,
) -> Worker:
    """A worker on a task queue of its own with the fake activities; `activeer` decides the
    patches (by default as production does, contract/patches.py: a patch kept voorbereid stays
    off). Use it with `async with`."""
    return Worker(
        env.client,
        task_queue=f"test-{uuid.uuid4()}",
        workflows=ALLE_WORKFLOWS,
        activities=nep.alle(),
        patch_activation_callback=activeer,
    )


def met(patch: str) -> Callable[[PatchActivationInput], bool]:
    """`patch` switched on (its new side, as the release that activates it runs it), the
    others as production decides them."""
    return lambda invoer: invoer.patch_id == patch or activeer_patch(invoer)


def zonder(patch: str) -> Callable[[PatchActivationInput], bool]:
    """`patch` kept on its old side, the others as production decides them."""
    return lambda invoer: invoer.patch_id != patch and activeer_patch(invoer)


@pytest.fixture
async def worker(env: WorkflowEnvironment, nep: NepActiviteiten) -> AsyncIterator[Worker]:
    async with werker(env, nep) as w:
        yield w


@pytest.fixture
async def worker_alle_patches(
    env: WorkflowEnvironment, nep: NepActiviteiten
) -> AsyncIterator[Worker]:
    """Every patch on, also those this release keeps voorbereid (contract/patches.py): for the
    tests of a prepared patch's new side."""
    async with werker(env, nep, lambda _: True) as w:
        yield w
