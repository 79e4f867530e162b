"""The werkvoorraad: the Web UI views of ops staff and team leads, as Temporal visibility
queries on our search attributes (contract/names.py), and the same views for `lijst --weergave`.

Every view lists running meldingen only (`ExecutionStatus = "Running"`): after a
continue-as-new only the current run runs, so each melding is one row, and a
VernietigingWorkflow never shows (`WorkflowType`). No view sorts: the dev server cannot
`ORDER BY`. "Today", "this week" (Monday to Sunday) and "this month" are Amsterdam days,
written into the query as UTC moments, so a view is made for a moment `nu`: a link made today
shows today's cases, not tomorrow's.

| view | what it lists |
| --- | --- |
| `wacht_op_triage` | sources asked, the triage not yet registered |
| `te_laat` | a legal term passed (VtTermijnOverschreden): beoordeling or tweede terugkoppeling |
| `beoordeling_vandaag` | beoordeling due today (its besluit not yet taken) |
| `beoordeling_morgen` | beoordeling due tomorrow |
| `terugkoppeling_deze_week` | tweede terugkoppeling due this week (Monday to Sunday) |
| `monitoring_deze_maand` | a monitoring check due by the end of this month, not yet registered |

One view lists what no longer runs: `mislukt`, the meldingen whose workflow failed, was
terminated or timed out before its case closed (VtFase is not `afgesloten`: a refused second
case is an answer, not a failure). Each run is a row: a case that was Reset shows its old run
too, until that run leaves Temporal's retention. The reconciliation (workflows/naloop.py)
raises the same cases as signaleringen, with those whose workflow is missing altogether.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

from contract import names
from domain.regio import controleer_regio
from domain.termijnen import begin_van_dag
from domain.waarden import Fase
from domain.werkdagen import AMSTERDAM

LOPEND = f'WorkflowType = "{names.MELDING_WORKFLOW}" AND ExecutionStatus = "Running"'
BEOORDELING_FASEN = (Fase.INFORMATIE_VERZAMELEN, Fase.WACHT_OP_TRIAGE, Fase.WACHT_OP_BESLUIT)
DIENST_FASEN = (Fase.VOORWAARDEN_EN_VERVOLG, Fase.ONDERZOEK)
UI_LOKAAL = "http://localhost:8233"
UI_ADRES_ENV, UI_POORT_ENV = "VT_UI_ADRES", "VT_UI_PORT"

WEERGAVEN = (
    "wacht_op_triage",
    "te_laat",
    "beoordeling_vandaag",
    "beoordeling_morgen",
    "terugkoppeling_deze_week",
    "monitoring_deze_maand",
)


def _utc(dag: date) -> str:
    """The start of an Amsterdam day as a UTC moment in the query's format."""
    return begin_van_dag(dag).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fasen(fasen: tuple[Fase, ...]) -> str:
    waarden = ", ".join(f'"{f.value}"' for f in fasen)
    return f"{names.SA_FASE} IN ({waarden})"


MISLUKT = (
    f'WorkflowType = "{names.MELDING_WORKFLOW}"'
    ' AND ExecutionStatus IN ("Failed", "Terminated", "TimedOut") AND '
    + _fasen(tuple(f for f in Fase if f is not Fase.AFGESLOTEN))
)


def _deadline_tussen(van: date | None, tot: date) -> str:
    deel = [] if van is None else [f'{names.SA_VOLGENDE_DEADLINE} >= "{_utc(van)}"']
    deel.append(f'{names.SA_VOLGENDE_DEADLINE} < "{_utc(tot)}"')
    return " AND ".join(deel)


def weergaven(nu: datetime) -> dict[str, str]:
    """Each view's name and its visibility query, for the Amsterdam day of `nu`."""
    vandaag = nu.astimezone(AMSTERDAM).date()
    maandag = vandaag - timedelta(days=vandaag.weekday())
    volgende_maand = (vandaag.replace(day=1) + timedelta(days=32)).replace(day=1)
    return {
        "wacht_op_triage": f'{LOPEND} AND {names.SA_FASE} = "{Fase.WACHT_OP_TRIAGE.value}"',
        "te_laat": f"{LOPEND} AND {names.SA_TERMIJN_OVERSCHREDEN} = true",
        "beoordeling_vandaag": f"{LOPEND} AND {_fasen(BEOORDELING_FASEN)} AND "
        + _deadline_tussen(vandaag, vandaag + timedelta(days=1)),
        "beoordeling_morgen": f"{LOPEND} AND {_fasen(BEOORDELING_FASEN)} AND "
        + _deadline_tussen(vandaag + timedelta(days=1), vandaag + timedelta(days=2)),
        "terugkoppeling_deze_week": f"{LOPEND} AND {_fasen(DIENST_FASEN)} AND "
        + _deadline_tussen(maandag, maandag + timedelta(days=7)),
        # A check due earlier and still open stays in this month's work (it is not late until
        # its escalation, two weeks after it opened).
        "monitoring_deze_maand": f'{LOPEND} AND {names.SA_FASE} = "{Fase.MONITORING.value}" AND '
        + _deadline_tussen(None, volgende_maand),
    }


def per_regio(regio: str) -> str:
    """The running meldingen of one region (a slug, checked: ValueError when unknown)."""
    return f'{LOPEND} AND {names.SA_REGIO} = "{controleer_regio(regio)}"'


def met_regio(zoekvraag: str, regio: str) -> str:
    """A view narrowed to one region."""
    return f'{zoekvraag} AND {names.SA_REGIO} = "{controleer_regio(regio)}"'


def ui_adres(env: Mapping[str, str]) -> str:
    """The running Web UI's address: `VT_UI_ADRES` (a URL), else localhost at `VT_UI_PORT` (make
    run writes it into .data/client.env, also a moved port), else UI_LOKAAL. ValueError for a
    value that is neither."""
    if adres := env.get(UI_ADRES_ENV, "").strip():
        if not adres.startswith(("http://", "https://")):
            raise ValueError(f"{UI_ADRES_ENV}: een URL met http:// of https://, bijv. {UI_LOKAAL}")
        return adres.rstrip("/")
    if poort := env.get(UI_POORT_ENV, "").strip():
        if not (poort.isascii() and poort.isdigit() and 0 < int(poort) < 65536):
            raise ValueError(f"{UI_POORT_ENV}: een poortnummer (1-65535)")
        return f"http://localhost:{int(poort)}"
    return UI_LOKAAL


def ui_link(ui_basis: str, namespace: str, query: str) -> str:
    """A ready link to the Web UI's workflow list with this query."""
    return (
        f"{ui_basis.rstrip('/')}/namespaces/{quote(namespace, safe='')}/workflows"
        f"?query={quote(query, safe='')}"
    )
