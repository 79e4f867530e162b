"""The werkvoorraad views (starter/werkvoorraad.py) against a real dev server, with real
workflows and activities: cases in several phases, one of them overdue, one closed; each view
lists exactly the running cases it promises, one row per melding. The views are made for a
chosen moment `nu`, so "today" and "this week" do not depend on the day the test runs."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import Client
from temporalio.worker import Worker

from contract.ids import melding_workflow_id
from domain.besluiten import Besluit, DienstAfronding, Triage
from domain.waarden import Fase
from starter import werkvoorraad
from starter.client import MeldingClient
from starter.demo import verse_melding, voorbeeld, wacht_op
from tests.ids import nieuw_melding_id
from tests.integration.test_cli import starter

pytestmark = pytest.mark.integration


async def _zoek(client: Client, zoekvraag: str, reeks: str) -> set[str]:
    """The workflow IDs of this test's meldingen (a shared server: other tests' cases run too)
    the query finds; each ID once, or the test fails."""
    ids = [
        wf.id
        async for wf in client.list_workflows(
            f'{zoekvraag} AND WorkflowId STARTS_WITH "melding-{reeks}"'
        )
    ]
    assert len(ids) == len(set(ids)), f"een melding staat dubbel in de lijst: {ids}"
    return set(ids)


async def _verwacht(client: Client, zoekvraag: str, reeks: str, ids: set[str]) -> None:
    """Visibility is eventually consistent: wait a little for exactly `ids`."""
    einde = time.monotonic() + 15
    while (gevonden := await _zoek(client, zoekvraag, reeks)) != ids:
        assert time.monotonic() < einde, (zoekvraag, sorted(gevonden), sorted(ids))
        await asyncio.sleep(0.3)


async def test_each_view_lists_exactly_its_running_cases_one_row_each(
    client: Client, worker: Worker, cli_env: dict[str, str]
) -> None:
    mc = MeldingClient(client, worker.task_queue)
    reeks = nieuw_melding_id("WV")
    nu = datetime.now(UTC)

    async def dien_in(naam: str, voorbeeldnaam: str, ontvangen: datetime = nu) -> str:
        melding_id = f"{reeks}-{naam[:4]}"  # at most four letters in a row: no names in ids
        await mc.indienen(verse_melding(voorbeeldnaam, melding_id, ontvangen))
        await wacht_op(mc, melding_id, lambda s: s.fase is not Fase.INFORMATIE_VERZAMELEN, 30)
        return melding_id

    # Received twelve days ago and entered now: its beoordeling term has passed.
    laat = await dien_in("laat", "melding_spoed", nu - timedelta(days=12))
    triage = await dien_in("triage", "melding_spoed")
    besluit = await dien_in("besluit", "melding_ex_partner")
    await mc.registreer_triage(besluit, Triage.model_validate(voorbeeld("triage")))
    dienst = await dien_in("dienst", "melding_voorwaarden")
    monitoring = await dien_in("monitoring", "melding_monitoring")
    klaar = await dien_in("klaar", "melding_advies")
    for melding_id in (dienst, monitoring):
        await mc.registreer_triage(
            melding_id, Triage.model_validate(voorbeeld("triage_structureel"))
        )
        await mc.neem_besluit(
            melding_id, Besluit.model_validate(voorbeeld("besluit_voorwaarden_en_vervolg"))
        )
    await wacht_op(mc, monitoring, lambda s: bool(s.terugkoppelingen), 30)
    await mc.rond_dienst_af(
        monitoring, DienstAfronding.model_validate(voorbeeld("dienst_afronding"))
    )
    await mc.registreer_triage(klaar, Triage.model_validate(voorbeeld("triage")))
    await mc.neem_besluit(klaar, Besluit.model_validate(voorbeeld("besluit_advies")))

    s_laat = await wacht_op(mc, laat, lambda s: s.termijn_overschreden, 30)
    s_triage = await mc.status(triage)
    s_dienst = await wacht_op(
        mc, dienst, lambda s: s.tweede_terugkoppeling_deadline is not None, 30
    )
    s_mon = await wacht_op(mc, monitoring, lambda s: s.fase is Fase.MONITORING, 30)
    await wacht_op(mc, klaar, lambda s: s.fase is Fase.AFGESLOTEN, 30)
    assert s_laat.fase is Fase.WACHT_OP_TRIAGE and not s_triage.termijn_overschreden
    assert s_triage.beoordeling_deadline is not None
    assert s_dienst.tweede_terugkoppeling_deadline is not None
    monitoringsmoment = s_mon.monitoring[0].gepland_op
    wf = melding_workflow_id

    # The case page of the overdue case: summary and details from the client, the banner first.
    laat_handle = client.get_workflow_handle(wf(laat))
    beschrijving = await laat_handle.describe()
    assert await beschrijving.static_summary() == f"Melding {laat}, regio {s_laat.regio}"
    assert f"`python -m starter status {laat}`" in (await beschrijving.static_details() or "")
    metadata = await laat_handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    assert "TERMIJN VERSTREKEN" in metadata.current_details.splitlines()[0]

    vandaag = werkvoorraad.weergaven(nu)
    await _verwacht(client, vandaag["wacht_op_triage"], reeks, {wf(laat), wf(triage)})
    await _verwacht(client, vandaag["te_laat"], reeks, {wf(laat)})
    await _verwacht(client, vandaag["monitoring_deze_maand"], reeks, set())

    # On the day of the beoordeling deadline, and the day before it.
    op_de_dag = werkvoorraad.weergaven(s_triage.beoordeling_deadline - timedelta(hours=1))
    dag_ervoor = werkvoorraad.weergaven(s_triage.beoordeling_deadline - timedelta(days=1))
    # `triage` and `besluit` were received at the same moment: the same deadline.
    await _verwacht(client, op_de_dag["beoordeling_vandaag"], reeks, {wf(triage), wf(besluit)})
    await _verwacht(client, dag_ervoor["beoordeling_morgen"], reeks, {wf(triage), wf(besluit)})
    await _verwacht(client, op_de_dag["beoordeling_morgen"], reeks, set())

    week = werkvoorraad.weergaven(s_dienst.tweede_terugkoppeling_deadline)
    await _verwacht(client, week["terugkoppeling_deze_week"], reeks, {wf(dienst)})
    await _verwacht(client, vandaag["terugkoppeling_deze_week"], reeks, set())
    maand = werkvoorraad.weergaven(monitoringsmoment)
    await _verwacht(client, maand["monitoring_deze_maand"], reeks, {wf(monitoring)})

    regio = s_triage.regio
    in_regio = {wf(m) for m in (laat, triage, besluit, dienst, monitoring)}
    in_regio = {i for i in in_regio if (await mc.status(i.removeprefix("melding-"))).regio == regio}
    await _verwacht(client, werkvoorraad.per_regio(regio), reeks, in_regio)

    # The CLI offers the same views by name, and the link for the Web UI.
    r = await starter("lijst", "--weergave", "te_laat", "--limiet", "1000", env=cli_env)
    assert r.code == 0, r.fout
    assert laat in r.uit and triage not in r.uit and klaar not in r.uit
    assert "OVERSCHREDEN" in r.uit and "volgende deadline (Europe/Amsterdam)" in r.uit
    zonder_ui = {k: v for k, v in cli_env.items() if not k.startswith("VT_UI_")}
    r = await starter("lijst", "--weergave", "te_laat", "--regio", regio, "--ui", env=zonder_ui)
    assert r.code == 0, r.fout
    assert r.uit.strip().startswith("http://localhost:8233/namespaces/default/workflows?query=")
    # make run on a moved port: its client.env says VT_UI_PORT, and the link follows it.
    r = await starter(
        "lijst", "--weergave", "te_laat", "--ui", env={**zonder_ui, "VT_UI_PORT": "18233"}
    )
    assert r.uit.strip().startswith("http://localhost:18233/namespaces/default/workflows?"), r
    r = await starter("lijst", "--weergave", "te_laat", "--fase", "monitoring", env=cli_env)
    assert r.code == 2 and "--weergave" in r.fout
