"""The destruction request's one decision (`beslis_vernietiging`) as a rule of the shared
mechanism (workflows/besluitvorming.py): accepted only while the request waits for it, by a
teamleider other than the one who filed it, since v7 a refusal with a legal ground; an identical
repeat answers as the first; audited under the update's name before it is applied."""

from __future__ import annotations

from typing import Protocol

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contract import names, verklaring
    from domain.besluiten import VernietigingsBesluit, weiger_grond
    from domain.identiteit import weiger_tweede_persoon
    from workflows.besluitvorming import Besluiten, Besluitregel


class Verzoekstand(Protocol):
    """What the rule reads of a VernietigingWorkflow."""

    besluit: VernietigingsBesluit | None
    wacht_op_besluit: bool
    beoordeeld: bool
    met_gronden: bool
    indiener: str | None


VERNIETIGINGSBESLUITEN = Besluiten[Verzoekstand](
    names.VERNIETIGING_WORKFLOW,
    Besluitregel(
        names.UPDATE_VERNIETIGING,
        lambda v, b: v.besluit is not None and v.besluit == b,
        audit=names.UPDATE_VERNIETIGING,
    ),
)


def weigering(v: Verzoekstand, besluit: VernietigingsBesluit) -> str | None:
    """The protocol, checked by the validator and again inside the lock."""
    return _niet_nu(v) or _grond(v, besluit)


def weigering_vooraf(v: Verzoekstand, besluit: VernietigingsBesluit) -> str | None:
    """The validator's check: also two people (the author is attested by then; a check only
    the validator makes, as since v5)."""
    wie = verklaring.auteur()
    tweede = weiger_tweede_persoon(v.indiener, wie) if wie is not None else None
    return _niet_nu(v) or tweede or _grond(v, besluit)


def _grond(v: Verzoekstand, besluit: VernietigingsBesluit) -> str | None:
    """Since v7 a refusal names a legal ground with a concrete onderbouwing."""
    return weiger_grond(besluit) if v.met_gronden else None


def _niet_nu(v: Verzoekstand) -> str | None:
    if v.besluit is not None:
        return "beslis_vernietiging: over dit verzoek is al beslist"
    if v.wacht_op_besluit:
        return None
    if v.beoordeeld:
        return "beslis_vernietiging: dit verzoek vraagt geen besluit (onbekende melding)"
    return "beslis_vernietiging: het verzoek wordt nog beoordeeld; probeer het zo opnieuw"
