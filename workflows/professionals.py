"""Informing the professionals around the child (issue 22, Q&A 10): after the eerste
terugkoppeling, each professional of the melding the besluit names (`professionals_informeren`)
receives a message of its own, placed in the outbox (one row per professional: placed and sent
once, also on a retry or a replay) and delivered like every other message (workflows/bezorgen.py:
one that does not arrive is a case for a human). Each is audited: which professional, why (the
besluit's onderbouwing) and the delivery's outcome.

Nothing of it reaches a log, a search attribute or a summary: the professional is named by its
number only; the address is read from the dossier by the delivery."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import berichten
    from domain.besluiten import Besluit
    from domain.melding import Melding
    from domain.professionals import ProfessionalGeinformeerd
    from domain.status import MeldingStatus
    from workflows.bezorgen import bezorg
    from workflows.handelingen import Handelingen

# Replay: before v7 the professionals a besluit named were not informed; since v7 each receives
# a message through the delivery service, audited.
PATCH_PROFESSIONALS_INFORMEREN = "professionals-informeren"
AUDIT_HANDELING = "professional_geinformeerd"
# Who the audit row names: the workflow, acting on the besluit. The person is the one the
# besluit's own audit row names (the attested login); the besluit's `medewerker` field is only
# what the payload said, so it is not repeated here as if it were attested.
AUTEUR = "workflow-na-besluit"


async def informeer_professionals(
    handelingen: Handelingen,
    melding: Melding,
    status: MeldingStatus,
    besluit: Besluit,
    attributen: Callable[[], None],
) -> None:
    for keuze in besluit.professionals_informeren:
        nummer = keuze.professional
        if nummer > len(melding.professionals):
            continue  # refused by the besluit's validator; never sent to nobody
        bericht = berichten.professional_bericht(melding, besluit, nummer)
        await handelingen.plaats_in_outbox(bericht)
        bezorging = await bezorg(handelingen, status, bericht.soort, melding.melder.soort, nummer)
        attributen()
        await handelingen.audit(
            AUDIT_HANDELING,
            AUTEUR,
            ProfessionalGeinformeerd(
                professional=nummer,
                soort=melding.professionals[nummer - 1].soort,
                onderbouwing=keuze.onderbouwing,
                uitkomst=bezorging.uitkomst.value,
            ),
        )
