"""MeldingWorkflow: one melding through the Veilig Thuis process.

registratie → informatie verzamelen → triage → besluit → eerste terugkoppeling (and the
household informed) → dienst with tweede terugkoppeling → monitoring → afloop.

This module holds the class that reads as the lifecycle: `__init__` sets all state (a message
may arrive before `run`), `run` tells the steps, the status query, and the continue-as-new. The
steps and the messages are written in the rooms it inherits, one per part of the lifecycle:
`MeldingVerloop` (workflows/meldingverloop.py: registratie to the dienst), `MeldingAfsluiting`
(workflows/meldingafloop.py: monitoring and every way a case ends) and `MeldingBerichten`
(workflows/meldingberichten.py: the human decisions and the radar's signals), on
`MeldingBasis` (workflows/meldingbasis.py: the state they share, declared once, and the
mechanics every step uses). Its mechanics are objects it owns: the activity calls
(`Handelingen`), the wait that can continue as new (`Wachten`), the deadline watch (`bewaak`),
the source gathering (`Verzameling`), the search attributes (`Zoekattributen`) and the way a
decision is applied (`Beslissen`); its state and what derives from it (`MeldingToestand`), its
current details in the Web UI (`casusweergave`) and the descriptions of its messages
(`beschrijvingen`) live apart.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ApplicationError, FailureError, is_cancelled_exception

with workflow.unsafe.imports_passed_through():
    from contract import names
    from domain.melding import Melding
    from domain.model import LEZEN
    from domain.status import MeldingAfloop, MeldingStatus
    from domain.waarden import DIENSTEN
    from workflows.auteurschap import Signaalcontrole
    from workflows.beschrijvingen import BESCHRIJVING_STATUS
    from workflows.beslissen import Beslissen
    from workflows.handelingen import Handelingen
    from workflows.huishouden import Opvolging
    from workflows.meldingafloop import PATCH_ANNULERING_MAAKT_AF, MeldingAfsluiting
    from workflows.meldingberichten import MeldingBerichten
    from workflows.meldingverloop import MeldingVerloop
    from workflows.overdragen import PATCH_OVERDRACHT_ALS_ZAAK, Overdragen, overdracht_open
    from workflows.raad import Raadsverzoek
    from workflows.toestand import MeldingToestand
    from workflows.verzamelen import Verzameling
    from workflows.wachten import Wachten
    from workflows.zoekattributen import Zoekattributen

# A case that receives this many radar links in one run continues as new: bounded history.
KOPPELINGEN_PER_RUN = 100

# A waiting case whose run's history holds this many events continues as new. The longest
# stretch without a wait (a besluit through its messages and dossier update, about 40 events)
# and the continue-as-new itself fit under 200 events per run.
EVENTS_PER_RUN = 150

# Replay: v2 continued as new only at 100 radar links; since v3 also at EVENTS_PER_RUN events.
PATCH_EVENTS_PER_RUN = "verder-als-nieuw-bij-events"

# Replay: before v6 a failure in the main path (a non-retryable activity error, a follow-up
# that could not start) failed the run and told nobody; since v6 it is escalated first (a
# signalering `mislukt` for the team lead, the metric MISLUKT_METRIC).
PATCH_MISLUKT_GESIGNALEERD = "mislukt-gesignaleerd"

# Refusals, not failures: a second case for a melding_id, a start without a valid verklaring.
GEEN_STORING = frozenset({names.FOUT_BESTAAT_AL, names.FOUT_GEWEIGERD})

# Replay: before v7.2 a run continued as new with its side tasks (the Raad's readings, the
# household's follow-up) still waiting on their timers, which the closed run left behind (the
# time-skipping test server stopped skipping at one: tests/workflows/test_raad.py); since v7.2
# the run waits until no activity of theirs is in flight, cancels them, then continues.
PATCH_TAKEN_STOPPEN = "taken-stoppen-voor-verder-als-nieuw"


def _telt_als_mislukt(fout: FailureError) -> bool:
    """A failure someone must act on; a refusal at the start is an answer, not a failure."""
    return not (isinstance(fout, ApplicationError) and fout.type in GEEN_STORING)


@workflow.defn(name=names.MELDING_WORKFLOW)
class MeldingWorkflow(MeldingBerichten, MeldingVerloop, MeldingAfsluiting):
    @workflow.init
    def __init__(self, melding: Melding, toestand: MeldingToestand | None = None) -> None:
        # The SDK applies type hints only when the argument count matches them (a first run has
        # one argument, a continued run two): decode what arrived untyped. Decoding is lenient:
        # rules that may change (regions, time bounds) ran at intake, not here, and a field a
        # later release added is ignored (LEZEN: the previous release replays it).
        self.melding = Melding.model_validate(melding, context=LEZEN)
        self.toestand = (
            MeldingToestand.model_validate(toestand, context=LEZEN)
            if toestand is not None
            else MeldingToestand.nieuw(self.melding)
        )
        self.koppelingen_deze_run = 0
        self._attributen_gepland = False
        self.handelingen = Handelingen(self.melding.melding_id, self.melding.regio)
        self.verzameling = Verzameling(
            self.melding.melding_id, self.toestand, self._werk_attributen_bij, self._toon
        )
        self.wacht = Wachten(self._te_lang, self._ga_verder_als_nieuw, self._toon)
        self.geannuleerd = False
        # The start passed its verklaring check (or had none to pass): a cancel during
        # registration may then still store the melding, to close it.
        self._start_goedgekeurd = False
        self._op_keten = False
        self.zoekattributen = Zoekattributen()
        self.beslis = Beslissen(
            self.toestand,
            self.handelingen,
            self._werk_attributen_bij,
            self.status,
            sluit_run=lambda: self.wacht.sluit_run,
            geannuleerd=lambda: self.geannuleerd,
        )
        self.signaalcontrole = Signaalcontrole(self.handelingen)
        self.opvolging = Opvolging(self.melding, self.toestand, self.handelingen, self._verstuur)
        self.bronnen_na_besluit: asyncio.Task[None] | None = None
        self.raad = Raadsverzoek(self.handelingen, self.toestand, self._werk_attributen_bij)
        self.overdragen = Overdragen(
            self.handelingen,
            self.toestand,
            self.wacht,
            self._werk_attributen_bij,
            self._werk_dossier_bij,
            self._informeer_professionals,
        )

    @workflow.run
    async def run(self, melding: Melding, toestand: MeldingToestand | None = None) -> MeldingAfloop:
        t = self.toestand
        # A continued run has no static summary or details (continue_as_new cannot carry them):
        # the current details, set from the first task of every run, say all they said.
        self._toon()
        try:
            if not t.geregistreerd:
                await self._registreer()
            if t.status.besluit is None:
                await self._beoordeel()
            if not t.eerste_verstuurd:
                await self._eerste_terugkoppeling()
            self.opvolging.start()
            self.raad.start()  # since v7 (issue 22): the VTO, beside the main path
            # Since v7 (issue 22): the zaak at the ketenpartner, the warme overdracht.
            while overdracht_open(t.status) and workflow.patched(PATCH_OVERDRACHT_ALS_ZAAK):
                await self.overdragen()
            besluit = t.status.besluit
            assert besluit is not None
            if t.einde is None and besluit.vervolg in DIENSTEN:
                await self._dienst()
            if t.einde is None:
                await self._monitor()
            await self.opvolging.klaar()
            if self.bronnen_na_besluit is not None:
                await self.bronnen_na_besluit
            return await self._sluit_af()
        except asyncio.CancelledError:
            await self._sluit_af_na_annulering()
            raise
        except FailureError as fout:
            # A cancel that lands while an activity is in flight arrives as that activity's
            # error (v5 closed nothing then); any other failure ends the run Failed: since v6
            # never silently.
            if is_cancelled_exception(fout):
                if workflow.patched(PATCH_ANNULERING_MAAKT_AF):
                    await self._sluit_af_na_annulering()
            elif _telt_als_mislukt(fout) and workflow.patched(PATCH_MISLUKT_GESIGNALEERD):
                await self._meld_mislukt(fout)
            raise

    # -- registratie ------------------------------------------------------------------------

    # -- veiligheidsbeoordeling ---------------------------------------------------------------

    # -- eerste terugkoppeling en het huishouden informeren ----------------------------------

    # -- dienst: voorwaarden en vervolg, of onderzoek ---------------------------------------

    # -- monitoring -------------------------------------------------------------------------

    # -- mislukt -----------------------------------------------------------------------------

    # -- afsluiting -------------------------------------------------------------------------

    # -- de menselijke beslissingen ------------------------------------------------------------

    # -- radar ------------------------------------------------------------------------------

    # -- status -----------------------------------------------------------------------------
    @workflow.query(name=names.QUERY_STATUS, description=BESCHRIJVING_STATUS)
    def status(self) -> MeldingStatus:
        return self.toestand.antwoord()

    # -- mechanics the steps share ------------------------------------------------------------

    def _te_lang(self) -> bool:
        if not self.verzameling.klaar():
            return False
        return (
            self.koppelingen_deze_run >= KOPPELINGEN_PER_RUN
            or workflow.info().is_continue_as_new_suggested()
            # patched() last: its marker only where the bound is reached (a run with fewer
            # events keeps the v2 commands).
            or (
                workflow.info().get_current_history_length() >= EVENTS_PER_RUN
                and workflow.patched(PATCH_EVENTS_PER_RUN)
            )
        )

    async def _ga_verder_als_nieuw(self) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        zijtaken = (self.raad, self.opvolging)
        lopend = [z for z in zijtaken if z.taak is not None and not z.taak.done()]
        # patched() last: its marker only where a side task runs.
        if lopend and workflow.patched(PATCH_TAKEN_STOPPEN):
            # The next run restarts them from the state it is given (every reading and reminder
            # done so far is in it); an activity in flight finishes here first.
            # A task that ends meanwhile (the household informed, its message sent) is done too.
            await workflow.wait_condition(
                lambda: all(z.rust or (z.taak is not None and z.taak.done()) for z in lopend)
            )
            taken = [z.taak for z in lopend if z.taak is not None]
            for taak in taken:
                taak.cancel()
            await workflow.wait(taken)
        workflow.continue_as_new(args=[self.melding, self.toestand.voor_voortzetting()])
