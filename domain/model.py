"""The one base of every pydantic model of the code, and its one switch.

Strict by default: a field the model does not know is refused (`extra="forbid"`), so a typo
in a decision, an activity's input or its result never passes silently.

The switch is pydantic's own class argument `extra="ignore"`, set on the models the workflows
produce and read back from their histories: MeldingStatus, MeldingAfloop and their parts,
VernietigingsResultaat, and the state carried over continue-as-new (MeldingToestand). A field
that a later version adds or drops must never make a recorded history, a carried-over state or
a result read by an older client unreadable (docs/contract.md, Versioning). What a person or an
integrator sends is also immutable (`frozen=True`).

    class Triage(Model, frozen=True): ...          # an input: strict, immutable
    class Termijnen(Model): ...                    # an activity's input or result: strict
    class MeldingStatus(Model, extra="ignore"): ...  # produced and read back: lenient

Reading a payload back from a history is a third case: the worker's data converter decodes every
payload with `LEZEN` as validation context (contract/client.py), and then any model ignores the
fields it does not know. A worker of the previous release must replay a decision, an activity's
result or a start that the next release wrote with a field added (a rollback, or a rolling
update with both releases side by side: docs/deployment.md, Releases and rollback). Intake (the
client's `Melding.ontvang`, the CLI, `streng`, a model built in code) has no such context and
stays strict.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

# The validation context of a payload read back from a history (see the module).
LEZEN: dict[str, Any] = {"uit_geschiedenis": True}


# What decoding dropped, by the object it made (the last few decodes of this thread): a
# validator, which runs only when a decision arrives, never on replay, refuses a payload that
# had a field its worker does not know, as intake would (`onbekend_bij_aankomst`).
_WEGGELATEN = threading.local()
_BEWAARD = 64


def noteer_weggelaten(waarde: object, velden: list[str]) -> None:
    """Called by the data converter after a decode that dropped `velden`."""
    register: dict[int, tuple[object, list[str]]] = getattr(_WEGGELATEN, "register", {})
    register[id(waarde)] = (waarde, velden)  # the object kept: its id is not reused meanwhile
    while len(register) > _BEWAARD:
        del register[next(iter(register))]
    _WEGGELATEN.register = register


def onbekend_bij_aankomst(waarde: object) -> bool:
    """Whether decoding `waarde` dropped a field it does not know (see `noteer_weggelaten`)."""
    register: dict[int, tuple[object, list[str]]] = getattr(_WEGGELATEN, "register", {})
    gevonden = register.get(id(waarde))
    return gevonden is not None and gevonden[0] is waarde


def leest(info: ValidationInfo) -> bool:
    """True while a payload is read back from a history (the data converter's context)."""
    context = info.context
    return isinstance(context, dict) and context.get("uit_geschiedenis") is True


class Model(BaseModel):
    """Refuses unknown fields unless the subclass says `extra="ignore"`, or the payload is read
    back from a history (see the module)."""

    model_config = ConfigDict(extra="forbid")
    _bekende_velden: ClassVar[frozenset[str] | None] = None

    @model_validator(mode="before")
    @classmethod
    def _onbekend_bij_lezen(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or not leest(info):
            return data
        bekend = cls.__dict__.get("_bekende_velden")
        if bekend is None:
            bekend = frozenset(
                naam
                for veld_naam, veld in cls.model_fields.items()
                for naam in (veld_naam, veld.alias)
                if isinstance(naam, str)
            )
            cls._bekende_velden = bekend
        if all(sleutel in bekend for sleutel in data):
            return data
        weggelaten = info.context.get("weggelaten") if isinstance(info.context, dict) else None
        if isinstance(weggelaten, list):
            weggelaten.extend(f"{cls.__name__}.{s}" for s in data if s not in bekend)
        return {sleutel: waarde for sleutel, waarde in data.items() if sleutel in bekend}


@contextmanager
def veld_register() -> Iterator[None]:
    """Define a model with a field `register` (the national register, a name of the contract)
    inside this block: the field shadows `BaseModel.register` (ABCMeta's, which nobody calls
    here), and pydantic's warning about it is silenced for that definition only, never for the
    process that imports it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)
        yield
