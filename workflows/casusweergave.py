"""The current details of a MeldingWorkflow in the Web UI: the case as domain/casusbeeld.py
draws it, built from the workflow's state (no personal data: ids, region, dates, counts).

Setting current details is not a command: replay-safe, at any time.
"""

from __future__ import annotations

from dataclasses import replace

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import casusbeeld, termijnen, wachtpunten
    from domain.keten import stand_van_overdracht
    from domain.melding import Melding
    from domain.uitwisseling import outbox_soort
    from workflows.toestand import MeldingToestand


def toon(melding: Melding, t: MeldingToestand, *, geannuleerd: bool) -> None:
    """Set the current details; what the case waits for is remembered with since when."""
    casus = _casus(melding, t, geannuleerd=geannuleerd)
    sleutel = wachtpunten.wachtpunt(casus).sleutel
    if sleutel != t.wacht_sleutel:
        t.wacht_sleutel, t.wacht_sinds = sleutel, workflow.now()
    casus = replace(casus, sinds=t.wacht_sinds)
    workflow.set_current_details(casusbeeld.huidige_details(casus))


def statisch(nieuw: Melding, *, vervolg_op: str) -> tuple[str, str]:
    """The static summary and details of a follow-up melding's run, as the starter gives the
    first run of a melding."""
    return casusbeeld.statische_samenvatting(nieuw.melding_id, nieuw.regio), (
        casusbeeld.statische_details(
            nieuw.melding_id,
            nieuw.regio,
            nieuw.melder.soort.value,
            nieuw.ontvangen_op,
            termijnen.beoordeling_deadline(nieuw.ontvangen_op),
            vervolg_op=vervolg_op,
        )
    )


def _casus(melding: Melding, t: MeldingToestand, *, geannuleerd: bool) -> wachtpunten.Casus:
    s = t.status
    eerste = s.terugkoppelingen[0].verstuurd_op if s.terugkoppelingen else None
    afspraak = t.monitoringafspraak()
    return wachtpunten.Casus(
        melding_id=s.melding_id,
        regio=s.regio,
        melder_soort=melding.melder.soort.value,
        fase=s.fase,
        ontvangen_op=s.ontvangen_op,
        nu=workflow.now(),
        geregistreerd=t.geregistreerd,
        beoordeling_deadline=s.beoordeling_deadline,
        beoordeling_herinnering=t.termijnen.herinnering if t.termijnen else None,
        bron_deadline=t.termijnen.bron_deadline if t.termijnen else None,
        bronnen=s.bronnen,
        bronnen_klaar=t.bronnen_klaar,
        eerdere_meldingen=s.eerdere_meldingen,
        triage_urgentie=s.triage.urgentie.value if s.triage else None,
        vervolg=s.besluit.vervolg.value if s.besluit else None,
        eerste_verstuurd_op=eerste if t.eerste_verstuurd else None,
        tweede_deadline=s.tweede_terugkoppeling_deadline,
        tweede_verstuurd=t.tweede_verstuurd,
        dienst_afgerond=t.afronding is not None,
        monitoring=tuple(
            wachtpunten.Monitoringmoment(
                nummer=i,
                gepland_op=m.gepland_op,
                open=t.monitoring_open and i == len(s.monitoring),
                geregistreerd=m.uitkomst is not None,
                afgesproken_maanden=termijnen.monitoring_maanden(i, afspraak),
            )
            for i, m in enumerate(s.monitoring, start=1)
        ),
        gekoppeld=s.gekoppeld(),
        mogelijk_gekoppeld=len(s.mogelijk_gekoppeld),
        verstreken=tuple(t.verstreken),
        termijn_overschreden=s.termijn_overschreden,
        einde=t.einde.value if t.einde else ("geannuleerd" if geannuleerd else None),
        overdracht=(s.overdracht.zaak_identificatie or "-", stand_van_overdracht(s.overdracht))
        if s.overdracht
        else None,
        aanvaarding_herinnering=s.overdracht.herinnering_op if s.overdracht else None,
        aanvaarding_deadline=s.overdracht.aanvaarden_voor if s.overdracht else None,
        bezorgingen=tuple(
            (
                outbox_soort(b.soort, b.ontvanger),
                b.kanaal.value if b.kanaal else "-",
                b.uitkomst.value,
                b.verzonden_op,
            )
            for b in s.bezorgingen
        ),
    )
