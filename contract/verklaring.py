"""The verklaring on the wire: the Temporal header every write carries, and the client side.

A client interceptor asks an `Uitgever` (issuer) for a verklaring of each start, update and
signal of our workflows and puts it in the `vt-verklaring` header: the integrator's issuer is
the codec server (starter/codec_client.py), which attests the login; the worker's own is local
(runtime/auteurschap.py), for the radar's signal. The workflow side reads the header in an
interceptor (runtime/auteurschap.py) and hands the attested author to the workflow code through
the context variables below (this module is passed through the sandbox, so both see one).
"""

from __future__ import annotations

import contextvars
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel
from temporalio import client as tclient
from temporalio.api.common.v1 import Payload
from temporalio.plugin import SimplePlugin

from contract import ids, names
from domain.identiteit import Auteur, Handeling, Soort, Taakrol
from versleuteling import verklaring as tokens

HEADER = "vt-verklaring"
PLUGIN = "vt-auteurschap"
_SCHRIJVERS = {names.MELDING_WORKFLOW, names.VERNIETIGING_WORKFLOW, names.ADVIES_WORKFLOW}

# Set by the workflow interceptor for the message being handled (None: no verklaring).
AUTEUR: contextvars.ContextVar[Auteur | None] = contextvars.ContextVar("vt_auteur", default=None)
TOKEN: contextvars.ContextVar[str | None] = contextvars.ContextVar("vt_token", default=None)


def auteur() -> Auteur | None:
    """The attested author of the update or signal being handled (workflow code)."""
    return AUTEUR.get()


def token() -> str | None:
    """The raw verklaring of the start or signal being handled, for the check in an activity."""
    return TOKEN.get()


def als_header(token: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(token).encode())


def uit_headers(headers: Mapping[str, Payload] | None) -> str | None:
    payload = (headers or {}).get(HEADER)
    if payload is None:
        return None
    try:
        waarde = json.loads(payload.data)
    except ValueError:
        return None
    return waarde if isinstance(waarde, str) else None


class Uitgever(Protocol):
    """Issues a verklaring for one write, or raises (the codec server refused: its reason)."""

    async def verklaar(
        self, workflow_id: str, handeling: Handeling, naam: str, verzoek: str, inhoud: Any
    ) -> str: ...


class VerklaringClientInterceptor(tclient.Interceptor):
    """Puts a verklaring on every start, update and signal of MeldingWorkflow and
    VernietigingWorkflow this client sends."""

    def __init__(self, uitgever: Uitgever) -> None:
        self.uitgever = uitgever

    def intercept_client(self, next: tclient.OutboundInterceptor) -> tclient.OutboundInterceptor:
        return _Uitgaand(next, self.uitgever)


class _Uitgaand(tclient.OutboundInterceptor):
    def __init__(self, next: tclient.OutboundInterceptor, uitgever: Uitgever) -> None:
        super().__init__(next)
        self.uitgever = uitgever

    async def _met(
        self,
        headers: Mapping[str, Payload],
        wf: str,
        h: Handeling,
        naam: str,
        verzoek: str,
        args: Any,
    ) -> dict[str, Payload]:
        token = await self.uitgever.verklaar(wf, h, naam, verzoek, args[0] if args else None)
        return {**headers, HEADER: als_header(token)}

    async def start_workflow(self, input: tclient.StartWorkflowInput) -> Any:
        if input.workflow in _SCHRIJVERS:
            input.headers = await self._met(
                input.headers, input.id, Handeling.START, input.workflow, "", input.args
            )
        return await super().start_workflow(input)

    async def start_workflow_update(self, input: tclient.StartWorkflowUpdateInput) -> Any:
        # The verklaring binds the update ID, always in the contract's form (contract.ids):
        # an ID the caller brought, or a fresh UUID, becomes its verzoek_id.
        update_id = input.update_id or ""
        if ids.lees_update_id(update_id) is None:
            update_id = ids.update_id(
                input.update, update_id or str(uuid.uuid4()), _inhoud(input.args)
            )
        input.update_id = update_id
        input.headers = await self._met(
            input.headers, input.id, Handeling.UPDATE, input.update, update_id, input.args
        )
        return await super().start_workflow_update(input)

    async def signal_workflow(self, input: tclient.SignalWorkflowInput) -> None:
        onderwerp = _onderwerp(input.args)
        input.headers = await self._met(
            input.headers, input.id, Handeling.SIGNAAL, input.signal, onderwerp, input.args
        )
        await super().signal_workflow(input)


def _inhoud(args: Any) -> bytes:
    """The payload as the update ID's digest reads it (MeldingClient does the same)."""
    eerste = args[0] if args else None
    if isinstance(eerste, BaseModel):
        return eerste.model_dump_json().encode()
    return json.dumps(eerste, sort_keys=True, default=str).encode()


def _onderwerp(args: Any) -> str:
    """A signal's verklaring binds its subject: the linked melding (Koppeling.melding_id)."""
    eerste = args[0] if args else None
    return str(getattr(eerste, "melding_id", "") or "")


class LokaleUitgever:
    """Issues verklaringen in this process, with the key itself: the worker (for the radar's
    signal, as `systeem`) and whoever else holds the master key. `wie` names the author of each
    write (it may read the payload: a test's scenario acting as the medewerker it names)."""

    def __init__(
        self,
        sleutel: bytes,
        wie: Callable[[Handeling, str, Any], Auteur],
        geldig_s: int | None = None,
    ) -> None:
        self.sleutel, self.wie, self.geldig_s = sleutel, wie, geldig_s

    async def verklaar(
        self, workflow_id: str, handeling: Handeling, naam: str, verzoek: str, inhoud: Any
    ) -> str:
        return tokens.maak(
            self.sleutel,
            self.wie(handeling, naam, inhoud),
            workflow_id=workflow_id,
            handeling=handeling,
            naam=naam,
            verzoek=verzoek,
            nu=datetime.now(UTC),
            geldig_s=self.geldig_s,
        )


def systeem(naam: str = "worker") -> Callable[[Handeling, str, Any], Auteur]:
    """The worker's own author: its radar signal (and the child it starts) as `systeem`."""
    auteur = Auteur(id=naam, soort=Soort.SYSTEEM, rollen=(Taakrol.SYSTEEM,))
    return lambda *_: auteur


def client_plugin(uitgever: Uitgever) -> SimplePlugin:
    """A client's plugin: a verklaring on every write it sends (an integrator's client)."""
    return SimplePlugin(PLUGIN, interceptors=[VerklaringClientInterceptor(uitgever)])
