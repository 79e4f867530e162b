"""The first steps of MeldingWorkflow (workflows/melding.py): registratie, the
veiligheidsbeoordeling with its sources, the eerste terugkoppeling with the household informed,
and the dienst with its tweede terugkoppeling."""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from contract import names
    from domain import berichten, regels, termijnen, tijdlijn
    from domain.besluiten import Besluit
    from domain.uitwisseling import SignaleringSoort, Termijnsoort
    from domain.waarden import DienstVervolg, Fase, TerugkoppelingSoort
    from workflows.auteurschap import controleer_start
    from workflows.handelingen import (
        PATCH_BRONNEN_VANAF_INVOER,
        PATCH_REGISTRATIE_OP_KETEN,
        PATCH_TERMIJNEN_LOKAAL,
    )
    from workflows.meldingbasis import MeldingBasis
    from workflows.overdragen import PATCH_DIENST_OVERDRACHT_ALS_ZAAK
    from workflows.professionals import PATCH_PROFESSIONALS_INFORMEREN, informeer_professionals
    from workflows.termijnbewaking import bewaak

# Replay: v2 marked a late tweede terugkoppeling overdue after sending it; since v3 the mark
# (VtTermijnOverschreden) comes first, so it never waits for the outbox.
PATCH_TE_LAAT_EERST = "tweede-terugkoppeling-te-laat-eerst"

# Replay: since v5 a start is checked for its verklaring (who submits) before anything is stored.
PATCH_START_VERKLAARD = "start-verklaard"

# Replay: since v7 a besluit after a spoed triage may come while sources are asked (Q&A 25): the
# case goes on at once, the sources are awaited before it closes, a telling late answer signals.
PATCH_SPOED_ZONDER_BRONNEN = "spoed-besluit-zonder-bronnen"

# Replay: since v7 a postponed informing of the household is followed up until done (Q&A 4).
PATCH_UITSTEL_OPVOLGEN = "huishouden-uitstel-opvolgen"

# Replay: since v7 a dienst that found no violence points the household to its right (Q&A 28).
PATCH_VERNIETIGINGSRECHT_NA_DIENST = "vernietigingsrecht-na-dienst"

# Replay: since v7 the tweede terugkoppeling sent at the 10-week deadline is on time (Q&A 8).
PATCH_TWEEDE_OP_TIJD = "tweede-terugkoppeling-op-tijd"


class MeldingVerloop(MeldingBasis):
    async def _registreer(self) -> None:
        t = self.toestand
        verklaard = workflow.patched(PATCH_START_VERKLAARD)
        # Every patch of this step decided before its first local activity: on replay a patch
        # is known only from the workflow task whose history holds its marker, and a local
        # activity can end the task it ran in (then the next patch lands in the next task).
        workflow.patched(PATCH_TERMIJNEN_LOKAAL)
        vanaf_invoer = workflow.patched(PATCH_BRONNEN_VANAF_INVOER)
        self._op_keten = workflow.patched(PATCH_REGISTRATIE_OP_KETEN)
        if verklaard:
            await controleer_start(self.handelingen)  # refused: the workflow fails, nothing stored
        self._start_goedgekeurd = True
        t.termijnen = await self.handelingen.bereken_termijnen(
            self.melding.ontvangen_op, vanaf_invoer=vanaf_invoer
        )
        t.status.beoordeling_deadline = t.termijnen.beoordeling_deadline
        try:
            await self.handelingen.sla_op(self.melding, op_keten=self._op_keten)
        except ActivityError as fout:
            oorzaak = fout.cause
            if isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_BESTAAT_AL:
                # PostgreSQL is the authority: a second case for this melding_id never starts.
                t.status.fase = Fase.AFGESLOTEN
                self._werk_attributen_bij()
                raise ApplicationError(
                    oorzaak.message, type=names.FOUT_BESTAAT_AL, non_retryable=True
                ) from None
            raise
        t.geregistreerd = True
        self._werk_attributen_bij()

    async def _beoordeel(self) -> None:
        t = self.toestand
        assert t.termijnen is not None
        verzamelen = (
            None
            if t.bronnen_klaar
            else asyncio.create_task(self.verzameling.verzamel(self._nieuw_beeld))
        )
        await bewaak(
            self.wacht,
            lambda: t.status.besluit is not None,
            sleutel=Termijnsoort.BEOORDELING,
            herinnering=t.termijnen.herinnering,
            deadline=t.termijnen.beoordeling_deadline,
            gedaan=t.signaleringen,
            bij_herinnering=lambda: self._signaleer(
                SignaleringSoort.HERINNERING, Termijnsoort.BEOORDELING
            ),
            bij_overschrijding=lambda: self._overschreden(Termijnsoort.BEOORDELING),
            samenvattingen=(
                tijdlijn.herinnering("beoordeling", t.termijnen.herinnering),
                tijdlijn.termijn("beoordeling", t.termijnen.beoordeling_deadline),
            ),
        )
        if (
            verzamelen is not None
            and not t.bronnen_klaar
            and workflow.patched(PATCH_SPOED_ZONDER_BRONNEN)
        ):
            # A spoed besluit came first (Q&A 25): the case goes on; the sources keep arriving.
            self.bronnen_na_besluit = verzamelen
        elif verzamelen is not None:
            await verzamelen

    async def _nieuw_beeld(self) -> None:
        """A source answered after the besluit with something it could not weigh: signalled."""
        assert self.toestand.termijnen is not None
        await self.handelingen.signaleer(
            SignaleringSoort.NIEUWE_INFORMATIE,
            Termijnsoort.NAGEKOMEN_INFORMATIE,
            self.toestand.termijnen.beoordeling_deadline,
        )

    async def _eerste_terugkoppeling(self) -> None:
        t, melding = self.toestand, self.melding
        besluit, triage = t.status.besluit, t.status.triage
        assert besluit is not None and triage is not None
        await self._verstuur(
            berichten.eerste_terugkoppeling(melding, triage, besluit, t.register),
            TerugkoppelingSoort.EERSTE,
        )
        t.eerste_verstuurd = True
        if not t.huishouden_afgehandeld:
            if besluit.huishouden_informeren_uitstellen:
                await self._signaleer(SignaleringSoort.UITSTEL, Termijnsoort.HUISHOUDEN_INFORMEREN)
                if workflow.patched(PATCH_UITSTEL_OPVOLGEN):
                    t.huishouden_uitgesteld_op = workflow.now()
            else:
                await self._verstuur(berichten.huishouden_bericht(melding, besluit))
                t.vernietigingsrecht_gemeld = regels.vernietigingsrecht(besluit)
            t.huishouden_afgehandeld = True
        await self._informeer_professionals(besluit)
        t.einde = regels.einde_na_besluit(besluit.vervolg)
        if t.einde is None:
            t.status.fase = Fase(besluit.vervolg.value)
        await self._werk_dossier_bij()

    async def _informeer_professionals(self, besluit: Besluit) -> None:
        """Since v7.2 (issue 22, Q&A 10): the huisarts, JGZ or school the besluit names."""
        if besluit.professionals_informeren and workflow.patched(PATCH_PROFESSIONALS_INFORMEREN):
            await informeer_professionals(
                self.handelingen,
                self.melding,
                self.toestand.status,
                besluit,
                self._werk_attributen_bij,
            )

    async def _dienst(self) -> None:
        t = self.toestand
        eerste = t.status.terugkoppelingen[0].verstuurd_op
        deadline = termijnen.tweede_terugkoppeling_deadline(eerste)
        t.status.tweede_terugkoppeling_deadline = deadline
        self._werk_attributen_bij()
        herinnering = termijnen.tweede_terugkoppeling_herinnering(eerste)
        await bewaak(
            self.wacht,
            lambda: t.afronding is not None,
            sleutel=Termijnsoort.TWEEDE_TERUGKOPPELING,
            herinnering=herinnering,
            deadline=deadline,
            gedaan=t.signaleringen,
            bij_herinnering=lambda: self._signaleer(
                SignaleringSoort.HERINNERING, Termijnsoort.TWEEDE_TERUGKOPPELING
            ),
            bij_overschrijding=self._tweede_te_laat,
            samenvattingen=(
                tijdlijn.herinnering("tweede terugkoppeling", herinnering),
                tijdlijn.termijn("tweede terugkoppeling", deadline),
            ),
        )
        if not t.tweede_verstuurd:
            await self._tweede_terugkoppeling()
        afronding = t.afronding
        assert afronding is not None and t.status.besluit is not None
        t.dienst_einde = t.dienst_einde or workflow.now()
        await self._wijs_op_vernietigingsrecht()
        # Since v7.2 (issue 22): the dienst's overdracht as a zaak, with its warme overdracht.
        if afronding.vervolg is DienstVervolg.OVERDRACHT and workflow.patched(
            PATCH_DIENST_OVERDRACHT_ALS_ZAAK
        ):
            afronding = await self.overdragen.na_dienst()
        if not regels.monitoring_nodig(t.status.besluit.vervolg, afronding):
            t.einde = regels.einde_na_dienst(afronding)
        await self._werk_dossier_bij()

    async def _wijs_op_vernietigingsrecht(self) -> None:
        """Q&A 28: the afronding found no violence, and the household (already informed) was
        not pointed to its right: it is now, in a message of its own. A household whose
        informing is still postponed hears of it when informed (workflows/huishouden.py)."""
        t = self.toestand
        assert t.afronding is not None and t.status.besluit is not None
        if (
            regels.vernietigingsrecht_na_dienst(t.status.besluit, t.afronding)
            and not t.vernietigingsrecht_gemeld
            and not t.huishouden_wacht()
            and workflow.patched(PATCH_VERNIETIGINGSRECHT_NA_DIENST)
        ):
            await self._verstuur(berichten.vernietigingsrecht_bericht(self.melding))
            t.vernietigingsrecht_gemeld = True

    async def _tweede_te_laat(self) -> None:
        """At 10 weeks the melder hears the state of that moment: within Q&A 8's term, so
        marked overdue only when it left after the deadline's day (since v7; v3 to v6 marked
        it first, then sent it; before v3 sent first, then marked)."""
        if workflow.patched(PATCH_TWEEDE_OP_TIJD):
            await self._tweede_terugkoppeling()
            self._werk_attributen_bij()  # sent: no next deadline
            deadline = self.toestand.status.tweede_terugkoppeling_deadline
            verstuurd = self.toestand.status.terugkoppelingen[-1].verstuurd_op
            assert deadline is not None
            if termijnen.tweede_terugkoppeling_te_laat(verstuurd, deadline):
                await self._overschreden(Termijnsoort.TWEEDE_TERUGKOPPELING)
            return
        if workflow.patched(PATCH_TE_LAAT_EERST):
            self._markeer_te_laat(Termijnsoort.TWEEDE_TERUGKOPPELING)
            await self._tweede_terugkoppeling()
            self._werk_attributen_bij()  # sent: no next deadline
            await self._signaleer(SignaleringSoort.ESCALATIE, Termijnsoort.TWEEDE_TERUGKOPPELING)
            return
        await self._tweede_terugkoppeling()
        await self._overschreden(Termijnsoort.TWEEDE_TERUGKOPPELING)

    async def _tweede_terugkoppeling(self) -> None:
        t = self.toestand
        assert t.status.besluit is not None
        bericht = berichten.tweede_terugkoppeling(self.melding, t.status.besluit, t.afronding)
        await self._verstuur(bericht, TerugkoppelingSoort.TWEEDE)
        t.tweede_verstuurd = True
