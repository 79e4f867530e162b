"""Who acts, wired into Temporal: one plugin on the client that puts a verklaring on every write
it sends and, for a worker made with that client, checks the verklaring of every write the
workflows receive (docs/architecture.md, "Who is acting").

- Updates: checked in the validator (before anything enters the history): the verklaring's MAC,
  that it names this workflow, this update and this update ID, that it has not expired, that
  the login's role may do it, and that the payload's `medewerker` is the login. The handler
  then finds the author in `contract.verklaring.auteur()`.
- Starts and signals: the workflow asks the activity `controleer_verklaringen` (a start's as a
  local activity, before anything is stored; signals of one workflow task in one batch), whose
  answer is recorded, so a replay never depends on today's key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError
from temporalio.plugin import SimplePlugin
from temporalio.worker import (
    ExecuteWorkflowInput,
    HandleSignalInput,
    HandleUpdateInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from activities.verklaring import VerklaringActiviteiten
from contract import names, verklaring
from contract.verklaring import (
    PLUGIN,
    LokaleUitgever,
    Uitgever,
    VerklaringClientInterceptor,
    systeem,
)
from domain.identiteit import Auteur, Handeling, Soort, Taakrol, weiger_handeling, weiger_medewerker
from versleuteling import verklaring as tokens


def _weiger(reden: str) -> ApplicationError:
    return ApplicationError(reden, type=names.FOUT_GEWEIGERD, non_retryable=True)


_ONZE = frozenset(
    {
        names.MELDING_WORKFLOW,
        names.VERNIETIGING_WORKFLOW,
        names.ADVIES_WORKFLOW,
        names.VERNIETIGINGSLIJST_WORKFLOW,
    }
)


_ARCHIVARIS = frozenset({names.UPDATE_LIJST_GOEDKEUREN, names.UPDATE_LIJST_ANNULEREN})


class _Inkomend(WorkflowInboundInterceptor):
    sleutels: tuple[bytes, ...] = ()

    async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
        verklaring.TOKEN.set(verklaring.uit_headers(input.headers))
        return await super().execute_workflow(input)

    async def handle_signal(self, input: HandleSignalInput) -> None:
        verklaring.TOKEN.set(verklaring.uit_headers(input.headers))
        await super().handle_signal(input)

    def handle_update_validator(self, input: HandleUpdateInput) -> None:
        info = workflow.info()
        if info.workflow_type not in _ONZE:  # another workflow on this worker (a benchmark's)
            return super().handle_update_validator(input)
        verwacht = tokens.Verwacht(info.workflow_id, Handeling.UPDATE, input.update, input.id)
        try:
            auteur = tokens.controleer(
                verklaring.uit_headers(input.headers), self.sleutels, verwacht, workflow.now()
            )
        except tokens.VerklaringOngeldig as fout:
            raise _weiger(str(fout)) from None
        beslissing = input.args[0] if input.args else None
        reden = weiger_handeling(
            auteur, info.workflow_type, Handeling.UPDATE, input.update
        ) or weiger_medewerker(auteur, beslissing)
        if reden is not None:
            raise _weiger(reden)
        vorige = verklaring.AUTEUR.set(auteur)
        try:
            super().handle_update_validator(input)
        finally:
            verklaring.AUTEUR.reset(vorige)

    async def handle_update_handler(self, input: HandleUpdateInput) -> Any:
        token = verklaring.uit_headers(input.headers)
        auteur = None
        if token is not None:
            try:
                auteur = tokens.lees(token).auteur  # checked by the validator
            except tokens.VerklaringOngeldig:
                auteur = None
        verklaring.AUTEUR.set(auteur)
        return await super().handle_update_handler(input)


class VerklaringWorkerInterceptor(Interceptor):
    def __init__(self, sleutels: Sequence[bytes]) -> None:
        self._klasse = type("Inkomend", (_Inkomend,), {"sleutels": tuple(sleutels)})

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        return self._klasse


def auteurschap(sleutels: Sequence[bytes], uitgever: Uitgever | None) -> SimplePlugin:
    """The plugin: `uitgever` signs this client's writes (None: a client that writes nothing of
    ours); `sleutels` check the writes a worker of this client receives (empty: no worker)."""
    interceptors: list[Any] = []
    if uitgever is not None:
        interceptors.append(VerklaringClientInterceptor(uitgever))
    activiteiten: list[Callable[..., Any]] = []
    if sleutels:
        interceptors.append(VerklaringWorkerInterceptor(sleutels))
        activiteiten.append(VerklaringActiviteiten(sleutels).controleer_verklaringen)
    return SimplePlugin(PLUGIN, interceptors=interceptors, activities=activiteiten)


def van_worker(hoofdsleutel: bytes) -> SimplePlugin:
    """The worker's plugin: checks what it receives, signs what it sends (the radar) as
    `systeem`, with the key derived from the master key (as the codec server derives it)."""
    sleutel = tokens.sleutel_uit_hoofdsleutel(hoofdsleutel)
    return auteurschap([sleutel], LokaleUitgever(sleutel, systeem()))


def heeft_plugin(plugins: Sequence[object]) -> bool:
    return any(getattr(p, "name", lambda: "")() == PLUGIN for p in plugins)


def zoals_de_payload(handeling: Handeling, naam: str, inhoud: Any) -> Auteur:
    """For a holder of the master key who drives cases itself (a benchmark, the tests): a
    decision as the medewerker its payload names (with both deciding roles), a start as that
    medewerker or `mw-0001`, a signal as the worker. Holding the master key is holding every
    key: this signs nothing its holder could not sign anyway."""
    if handeling is Handeling.SIGNAAL:
        return Auteur(id="worker", soort=Soort.SYSTEEM, rollen=(Taakrol.SYSTEEM,))
    gegeven = inhoud.get("medewerker") if isinstance(inhoud, dict) else None
    wie = gegeven or getattr(inhoud, "medewerker", None) or "mw-0001"
    # The archivaris only where a destruction list is approved or stopped: a role a previous
    # release does not know must not enter other histories (it could not decode them).
    archief = (Taakrol.ARCHIVARIS,) if naam in _ARCHIVARIS else ()
    return Auteur(
        id=str(wie), soort=Soort.PERSOON, rollen=(Taakrol.MEDEWERKER, Taakrol.TEAMLEIDER, *archief)
    )


def zelf_ondertekend(hoofdsleutel: bytes, geldig_s: int | None = None) -> SimplePlugin:
    """Checks and signs with the key of `hoofdsleutel`, as `zoals_de_payload` says."""
    sleutel = tokens.sleutel_uit_hoofdsleutel(hoofdsleutel)
    return auteurschap([sleutel], LokaleUitgever(sleutel, zoals_de_payload, geldig_s))
