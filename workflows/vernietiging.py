"""VernietigingWorkflow: a betrokkene asks to have the dossier destroyed (Q&A 28).

Who filed the request is the login its verklaring attests (checked at the start, before
anything happens). A teamleider other than that person decides (`beslis_vernietiging`, accepted
only while the request waits for that decision, and audited), also when the case concluded there
was no domestic violence or child abuse and the grant is the rule (before v5 that was granted at
once, with nobody deciding); the answer is due within a month (AVG art. 12(3)): a
reminder at three weeks, an escalation at the month, and the request keeps waiting. Granted: the
dossier rows and the melding's workflow histories are removed. While the melding's own case
still runs, a granted destruction waits for it to close (checked daily); the decision's answer
says so rather than claiming a destruction that has not happened; since v6 a waiting request
continues as new every POGINGEN_PER_RUN days, so its history stays bounded however long the
case runs (before: one run, about 11 events a day, ~4,000 a year). A pseudonymised record of
who filed, who decided and who had decoded the dossier stays after it is gone.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from pydantic import ValidationError
from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.vernietiging import VernietigingActiviteiten
    from contract import names, verklaring
    from contract.policies import KORT, VERNIETIGEN, VERNIETIGEN_HARTSLAG, VERNIETIGING_RETRY
    from domain import casusbeeld
    from domain.besluiten import (
        VernietigingsBesluit,
        VernietigingsResultaat,
        VernietigingsVerzoek,
        weiger_grond,
    )
    from domain.identiteit import weiger_tweede_persoon
    from domain.invoer import ONBEKEND_VELD, foutregels, streng
    from domain.model import LEZEN, onbekend_bij_aankomst
    from domain.uitwisseling import SignaleringSoort, Termijnsoort, Vernietigingsverslag
    from workflows.auteurschap import controleer_start
    from workflows.handelingen import Handelingen
    from workflows.termijnbewaking import bewaak
    from workflows.vernietigingsantwoord import termijn, vertel
    from workflows.vernietigingstoestand import VernietigingVoortzetting
    from workflows.wachten import Wachten
    from workflows.weigeren import weiger

HERINNERING = timedelta(weeks=3)
ANTWOORDTERMIJN = timedelta(days=30)
# A granted destruction whose case still runs is tried again after this long.
OPNIEUW_NA = timedelta(days=1)
# Replay: the decision is audited and answered with the real outcome since v2.
PATCH_BESLUIT_AUDIT = "vernietiging-besluit-audit"
# Replay: since v5 the request's author is checked at its start, and a teamleider other than the
# one who filed it decides, also where Q&A 28 makes the grant the rule; a record stays.
PATCH_TWEE_PERSONEN = "vernietiging-twee-personen"
# Replay: since v6 a granted destruction that waits for the case continues as new every
# POGINGEN_PER_RUN daily attempts (before: one run that grew by a day's attempt forever).
PATCH_VERDER_ALS_NIEUW = "vernietiging-verder-als-nieuw"
POGINGEN_PER_RUN = 7
# Replay: since v7 the term is the organisation's (default three months, a reminder two weeks
# before its end), a refusal names a legal ground with a concrete onderbouwing, and the
# requester is told of the outcome by letter (workflows/vernietigingsantwoord.py; before: 30
# days, any reason, no letter).
PATCH_TERMIJN_GRONDEN = "vernietiging-termijn-gronden"
RECHT_UIT_BESLUIT = "geen huiselijk geweld of kindermishandeling vastgesteld (Q&A 28)"


@workflow.defn(name=names.VERNIETIGING_WORKFLOW)
class VernietigingWorkflow:
    @workflow.init
    def __init__(
        self, verzoek: VernietigingsVerzoek, voortzetting: VernietigingVoortzetting | None = None
    ) -> None:
        # A first run has one argument, so the SDK hands it over untyped: decode it here.
        self.verzoek = VernietigingsVerzoek.model_validate(verzoek, context=LEZEN)
        self.handelingen = Handelingen(self.verzoek.melding_id, regio="")
        self.wacht = Wachten(te_lang=lambda: False, ga_verder_als_nieuw=_nooit)
        self.verstreken = False
        self.slot = asyncio.Lock()
        self.besluit: VernietigingsBesluit | None = None
        self.wacht_op_besluit = False
        self.beoordeeld = False
        self.uitkomst: VernietigingsResultaat | None = None
        self.gedaan: list[str] = []
        self.indiener: str | None = None
        self.beslisser: str | None = None
        self.besloten_op: datetime | None = None
        self.recht: bool = False
        # Since v7 (PATCH_TERMIJN_GRONDEN): the organisation's term, grounds, a letter.
        self.met_gronden = False
        self.bericht: str | None = None
        self.voortzetting = (
            None
            if voortzetting is None
            else VernietigingVoortzetting.model_validate(voortzetting, context=LEZEN)
        )
        if self.voortzetting is not None:
            self._neem_over(self.voortzetting)

    @workflow.run
    async def run(
        self, verzoek: VernietigingsVerzoek, voortzetting: VernietigingVoortzetting | None = None
    ) -> VernietigingsResultaat:
        if self.voortzetting is not None:
            return await self._vernietig(self.voortzetting.reden)
        v = self.verzoek
        twee_personen = workflow.patched(PATCH_TWEE_PERSONEN)
        if twee_personen:
            self.indiener = (await controleer_start(self.handelingen)).id
        self.met_gronden = workflow.patched(PATCH_TERMIJN_GRONDEN)
        self._toon("het verzoek wordt beoordeeld (recht op vernietiging volgt uit het besluit?)")
        grond = await workflow.execute_activity_method(
            VernietigingActiviteiten.beoordeel_verzoek,
            v.melding_id,
            start_to_close_timeout=KORT,
            retry_policy=VERNIETIGING_RETRY,
            summary=casusbeeld.VERZOEK_BEOORDELEN,
        )
        self.beoordeeld = True
        if not grond.bekend:
            return self._besloten(toegekend=False, reden="onbekende melding")
        self.handelingen.regio = grond.regio
        self.recht = grond.vernietigingsrecht
        if grond.vernietigingsrecht and not twee_personen:
            reden = RECHT_UIT_BESLUIT
        else:
            besluit = await self._wacht_op_besluit()
            reden = besluit.reden
            if not besluit.toegekend:
                uitkomst = self._besloten(toegekend=False, reden=reden, grond=besluit)
                if self.met_gronden:
                    self.bericht = await vertel(self.handelingen, v, besluit)
                    uitkomst.bericht = self.bericht
                return uitkomst
            if self.met_gronden:  # told before the dossier, and the address in it, is gone
                self.bericht = await vertel(self.handelingen, v, besluit)
        return await self._vernietig(reden)

    async def _wacht_op_besluit(self) -> VernietigingsBesluit:
        # Waiting from here: a decision that arrives while the term is read (v7) is accepted.
        self.wacht_op_besluit = True
        deadline = self.verzoek.ontvangen_op + ANTWOORDTERMIJN
        herinnering = self.verzoek.ontvangen_op + HERINNERING
        if self.met_gronden:
            herinnering, deadline = await termijn(self.verzoek)

        async def signaleer(soort: SignaleringSoort) -> None:
            if soort is SignaleringSoort.ESCALATIE:
                self.verstreken = True
                self._toon(wacht, deadline)
            await self.handelingen.signaleer(soort, Termijnsoort.VERNIETIGING, deadline)

        wacht = "het besluit van een teamleider (update `beslis_vernietiging`)"
        self._toon(wacht, deadline)
        await bewaak(
            self.wacht,
            lambda: self.besluit is not None,
            sleutel="vernietiging",
            herinnering=herinnering,
            deadline=deadline,
            gedaan=self.gedaan,
            bij_herinnering=lambda: signaleer(SignaleringSoort.HERINNERING),
            bij_overschrijding=lambda: signaleer(SignaleringSoort.ESCALATIE),
            samenvattingen=(
                casusbeeld.herinnering("besluit vernietiging", herinnering),
                casusbeeld.termijn("besluit vernietiging", deadline),
            ),
        )
        self.wacht_op_besluit = False
        assert self.besluit is not None
        return self.besluit

    async def _vernietig(self, reden: str) -> VernietigingsResultaat:
        """Destroy; while the melding's case still runs, answer that and try again daily (since
        v6 in a new run every POGINGEN_PER_RUN attempts)."""
        pogingen = 0
        while True:
            self._toon("de vernietiging van het dossier en de workflowgeschiedenis")
            try:
                await workflow.execute_activity_method(
                    VernietigingActiviteiten.vernietig,
                    args=self._vernietig_args(),
                    start_to_close_timeout=VERNIETIGEN,
                    heartbeat_timeout=VERNIETIGEN_HARTSLAG,
                    retry_policy=VERNIETIGING_RETRY,
                    summary=casusbeeld.VERNIETIGEN,
                )
                break
            except ActivityError as fout:
                oorzaak = fout.cause
                if not (
                    isinstance(oorzaak, ApplicationError) and oorzaak.type == names.FOUT_NOG_OPEN
                ):
                    raise
                if self.uitkomst is None:
                    self.uitkomst = VernietigingsResultaat(
                        melding_id=self.verzoek.melding_id,
                        toegekend=True,
                        reden=f"{reden}; de casus loopt nog: vernietiging volgt na afsluiting",
                    )
                self._toon("de afsluiting van de casus: de vernietiging volgt dan (dagelijks)")
                await workflow.sleep(OPNIEUW_NA, summary=casusbeeld.VERNIETIGING_OPNIEUW)
                pogingen += 1
                if pogingen >= POGINGEN_PER_RUN and workflow.patched(PATCH_VERDER_ALS_NIEUW):
                    await self._ga_verder_als_nieuw(reden)
        self.uitkomst = VernietigingsResultaat(
            melding_id=self.verzoek.melding_id,
            toegekend=True,
            uitgevoerd_op=workflow.now(),
            reden=reden,
            bericht=self.bericht,
        )
        return self.uitkomst

    async def _ga_verder_als_nieuw(self, reden: str) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(
            args=[
                self.verzoek,
                VernietigingVoortzetting(
                    reden=reden,
                    regio=self.handelingen.regio,
                    uitkomst=self.uitkomst,
                    besluit=self.besluit,
                    indiener=self.indiener,
                    beslisser=self.beslisser,
                    besloten_op=self.besloten_op,
                    recht=self.recht,
                ),
            ]
        )

    def _neem_over(self, v: VernietigingVoortzetting) -> None:
        """A continued run: decided, answered, waiting for the case to close."""
        self.handelingen.regio = v.regio
        self.uitkomst, self.besluit = v.uitkomst, v.besluit
        self.indiener, self.beslisser, self.besloten_op = v.indiener, v.beslisser, v.besloten_op
        self.recht, self.beoordeeld = v.recht, True

    def _vernietig_args(self) -> list[object]:
        """The melding, and since v5 the record of who filed and who decided."""
        if self.indiener is None:
            return [self.verzoek.melding_id]
        verslag = Vernietigingsverslag(
            aangevraagd_door=self.indiener,
            aangevraagd_op=self.verzoek.ontvangen_op,
            besloten_door=self.beslisser,
            besloten_op=self.besloten_op,
        )
        return [self.verzoek.melding_id, verslag]

    def _besloten(
        self, *, toegekend: bool, reden: str, grond: VernietigingsBesluit | None = None
    ) -> VernietigingsResultaat:
        self._toon("niets: het verzoek is niet toegekend")
        self.uitkomst = VernietigingsResultaat(
            melding_id=self.verzoek.melding_id,
            toegekend=toegekend,
            reden=reden,
            grond=grond.grond if grond else None,
        )
        return self.uitkomst

    def _toon(self, stand: str, deadline: datetime | None = None) -> None:
        """The current details in the Web UI (not a command: replay-safe)."""
        workflow.set_current_details(
            casusbeeld.vernietiging_details(
                self.verzoek.melding_id,
                f"wacht op {stand}",
                deadline=deadline,
                verstreken=self.verstreken and self.besluit is None,
            )
        )

    @workflow.query(
        name=names.QUERY_STATUS,
        description="De uitkomst van het verzoek (VernietigingsResultaat: melding_id, "
        "toegekend, uitgevoerd_op, reden); leeg zolang het wordt beoordeeld of op een besluit "
        "wacht. Geen invoer.",
    )
    def status(self) -> VernietigingsResultaat | None:
        """The answer so far: None while the request is assessed or waits for a decision."""
        return self.uitkomst

    # -- het besluit van een medewerker ---------------------------------------------------------
    @workflow.update(
        name=names.UPDATE_VERNIETIGING,
        description="Besluit over het verzoek tot vernietiging, alleen als het op een besluit "
        "wacht. Payload VernietigingsBesluit: medewerker, toegekend (true/false), reden. "
        "Antwoord: het VernietigingsResultaat.",
    )
    async def beslis_vernietiging(self, besluit: VernietigingsBesluit) -> VernietigingsResultaat:
        if not workflow.patched(PATCH_BESLUIT_AUDIT):
            self.besluit = besluit
            return VernietigingsResultaat(
                melding_id=self.verzoek.melding_id, toegekend=besluit.toegekend, reden=besluit.reden
            )
        async with self.slot:
            if not self._herhaling(besluit):
                reden = self._weigering() or self._grond(besluit)
                if reden is not None:
                    weiger(reden)
                wie = verklaring.auteur()
                self.beslisser = wie.id if wie is not None else besluit.medewerker
                self.besloten_op = workflow.now()
                await self.handelingen.audit(names.UPDATE_VERNIETIGING, self.beslisser, besluit)
                self.besluit = besluit
        await workflow.wait_condition(lambda: self.uitkomst is not None)
        assert self.uitkomst is not None
        return self.uitkomst

    @beslis_vernietiging.validator
    def _valideer(self, besluit: VernietigingsBesluit) -> None:
        if onbekend_bij_aankomst(besluit):
            weiger(f"{ONBEKEND_VELD}: niet toegestaan (geen bekend veld)")
        try:
            streng(besluit, workflow.now())
        except ValidationError as fout:
            weiger("; ".join(foutregels(fout, VernietigingsBesluit)))
        wie = verklaring.auteur()
        if wie is None:
            weiger("beslis_vernietiging: zonder geldige verklaring van de auteur geweigerd")
        if not self._herhaling(besluit):
            reden = (
                self._weigering()
                or weiger_tweede_persoon(self.indiener, wie)
                or self._grond(besluit)
            )
            if reden is not None:
                weiger(reden)

    def _herhaling(self, besluit: VernietigingsBesluit) -> bool:
        return self.besluit is not None and self.besluit == besluit

    def _grond(self, besluit: VernietigingsBesluit) -> str | None:
        """Since v7 a refusal names a legal ground with a concrete onderbouwing."""
        return weiger_grond(besluit) if self.met_gronden else None

    def _weigering(self) -> str | None:
        if self.besluit is not None:
            return "beslis_vernietiging: over dit verzoek is al beslist"
        if self.wacht_op_besluit:
            return None
        if self.beoordeeld:
            return "beslis_vernietiging: dit verzoek vraagt geen besluit (onbekende melding)"
        return "beslis_vernietiging: het verzoek wordt nog beoordeeld; probeer het zo opnieuw"


async def _nooit() -> None:
    """The wait for the decision is short (a month and a reminder): it never continues as new."""
    raise AssertionError("VernietigingWorkflow gaat niet verder als nieuw")
