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
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Refuses unknown fields unless the subclass says `extra="ignore"` (see the module)."""

    model_config = ConfigDict(extra="forbid")


@contextmanager
def veld_register() -> Iterator[None]:
    """Define a model with a field `register` (the national register, a name of the contract)
    inside this block: the field shadows `BaseModel.register` (ABCMeta's, which nobody calls
    here), and pydantic's warning about it is silenced for that definition only, never for the
    process that imports it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)
        yield
