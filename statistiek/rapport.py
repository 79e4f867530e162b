"""The quarterly management report (issue 24): one self-contained HTML page, its charts drawn by
matplotlib and embedded as SVG, its figures also as tables and as JSON (`#cijfers`), computed
by statistiek/tabellen.py from the same rows as the CBS tables. Ids only, never personal data.
"""

from __future__ import annotations

import html
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, time

from domain.werkdagen import AMSTERDAM
from statistiek.gegevens import Advies, Casus, Periode, periode
from statistiek.tabellen import (
    FASEN,
    _telling,
    fase_op,
    kwartaal,
    maand,
    maanden_tot,
    op_tijd_aandeel,
    per,
    te_laat_op,
)

IGJ_NORM = 0.80
VERVOLGEN = ("advies", "overdracht", "voorwaarden_en_vervolg", "onderzoek", "afsluiten")


@dataclass(frozen=True)
class Cijfers:
    kwartaal: str
    peilmoment: str
    maanden: list[str]
    meldingen_per_maand: list[int]
    adviezen_per_maand: list[int]
    kwartalen: list[str]
    vervolg_per_kwartaal: dict[str, list[int]]
    op_tijd_per_maand: list[list[int]]  # [within 5 werkdagen, beoordeeld]
    tweede_op_tijd_per_kwartaal: list[list[int]]  # [within 10 weeks, diensten ended]
    open_per_fase: dict[str, int]
    te_laat: dict[str, list[list[str]]]  # regio -> [[melding_id, term], …]


def cijfers(
    casussen: Sequence[Casus], kwartaal_: str, nu: datetime, adviezen: Sequence[Advies] = ()
) -> Cijfers:
    """The report's figures; an advies counts in the month it closed (as in the tables; one
    omgezet into a melding counts as that melding)."""
    k = periode(kwartaal_, "kwartaal")
    einde = datetime.combine(k.tot, time(0), tzinfo=AMSTERDAM)
    peil = min(nu, einde)
    maanden = maanden_tot(k.tot)
    per_maand = per(casussen, lambda c: maand(c.ontvangen_op))
    adviezen_per_maand = Counter(
        maand(a.afgesloten_op) for a in adviezen if a.uitkomst == "afgesloten"
    )
    jaar = k.van.year
    kwartalen = [f"{jaar}-{n}" for n in range(1, 5)]
    vervolg: dict[str, list[int]] = {v: [] for v in VERVOLGEN}
    tweede = []
    for q in kwartalen:
        telling = _telling(casussen, periode(q, "kwartaal"), "beoordeling")
        for v in VERVOLGEN:
            vervolg[v].append(sum(n for (_, cat), n in telling.items() if cat == v))
        klaar = [
            c
            for c in casussen
            if c.tweede_op_tijd is not None and kwartaal(c.dienst_einde or _tien_weken(c)) == q
        ]
        tweede.append([sum(bool(c.tweede_op_tijd) for c in klaar), len(klaar)])
    op_tijd = []
    for m in maanden:
        binnen, totaal = op_tijd_aandeel(c for c in casussen if maand(c.beoordeeld_op) == m)
        op_tijd.append([binnen, totaal])
    open_ = per(casussen, lambda c: fase_op(c, peil))
    te_laat: dict[str, list[list[str]]] = {}
    for c in casussen:
        term = te_laat_op(c, peil)
        if term is not None:
            te_laat.setdefault(c.regio, []).append([c.melding_id or c.sleutel, term])
    return Cijfers(
        kwartaal=kwartaal_,
        peilmoment=peil.astimezone(AMSTERDAM).isoformat(timespec="minutes"),
        maanden=maanden,
        meldingen_per_maand=[per_maand.get(m, 0) for m in maanden],
        adviezen_per_maand=[adviezen_per_maand.get(m, 0) for m in maanden],
        kwartalen=kwartalen,
        vervolg_per_kwartaal=vervolg,
        op_tijd_per_maand=op_tijd,
        tweede_op_tijd_per_kwartaal=tweede,
        open_per_fase={f: int(open_.get(f, 0)) for f in FASEN},
        te_laat={r: sorted(v) for r, v in sorted(te_laat.items())},
    )


def _tien_weken(c: Casus) -> datetime | None:
    from statistiek.gegevens import TIEN_WEKEN

    return None if c.beoordeeld_op is None else c.beoordeeld_op + TIEN_WEKEN


def _svg(fig: object) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    tekst = buf.getvalue()
    return tekst[tekst.index("<svg") :]


def _grafieken(c: Cijfers) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "vt"  # stable ids: the same figures, the same file
    plt.rcParams["font.size"] = 9
    uit = []
    korte = [m[2:] for m in c.maanden]

    fig, ax = plt.subplots(figsize=(7, 2.6))
    ax.bar(korte, c.meldingen_per_maand, label="meldingen", color="#01689b")
    ax.plot(korte, c.adviezen_per_maand, label="adviezen", color="#e17000", marker="o")
    ax.set_ylabel("aantal")
    ax.legend(loc="upper left")
    ax.tick_params(axis="x", labelrotation=45)
    uit.append(("Meldingen en adviezen per maand", _svg(fig)))

    fig, ax = plt.subplots(figsize=(7, 2.6))
    onder = [0] * len(c.kwartalen)
    kleuren = ["#8fcae7", "#e17000", "#01689b", "#39870c", "#a90061"]
    for (v, reeks), kleur in zip(c.vervolg_per_kwartaal.items(), kleuren, strict=True):
        ax.bar(c.kwartalen, reeks, bottom=onder, label=v.replace("_", " "), color=kleur)
        onder = [a + b for a, b in zip(onder, reeks, strict=True)]
    ax.set_ylabel("besluiten")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    uit.append(("Opvolging per kwartaal", _svg(fig)))

    fig, ax = plt.subplots(figsize=(7, 2.6))
    aandeel = [100 * b / t if t else float("nan") for b, t in c.op_tijd_per_maand]
    plaatsen = list(range(len(korte)))  # every month on the axis, also one without beoordelingen
    ax.plot(plaatsen, aandeel, marker="o", color="#01689b", label="binnen 5 werkdagen")
    ax.set_xticks(plaatsen, korte)
    ax.axhline(100 * IGJ_NORM, color="#d52b1e", linestyle="--", label="norm IGJ 80 %")
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.legend(loc="lower left")
    ax.tick_params(axis="x", labelrotation=45)
    uit.append(("Beoordelingen binnen 5 werkdagen", _svg(fig)))

    fig, ax = plt.subplots(figsize=(7, 2.4))
    tweede = [100 * b / t if t else 0.0 for b, t in c.tweede_op_tijd_per_kwartaal]
    ax.bar(c.kwartalen, tweede, color="#39870c")
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    uit.append(("Tweede terugkoppeling binnen 10 weken", _svg(fig)))

    fig, ax = plt.subplots(figsize=(7, 2.2))
    ax.barh(list(c.open_per_fase), list(c.open_per_fase.values()), color="#01689b")
    ax.set_xlabel("open casussen")
    uit.append(("Open casussen per fase", _svg(fig)))
    return uit


def _tabel(koppen: Sequence[str], rijen: Sequence[Sequence[object]]) -> str:
    kop = "".join(f"<th>{html.escape(k)}</th>" for k in koppen)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>" for r in rijen
    )
    return f"<table><tr>{kop}</tr>{body}</table>"


def _pct(b: int, t: int) -> str:
    return f"{100 * b / t:.0f} %" if t else "-"


def html_rapport(c: Cijfers) -> str:
    grafieken = _grafieken(c)
    tabellen = [
        _tabel(
            ["maand", "meldingen", "adviezen"],
            list(zip(c.maanden, c.meldingen_per_maand, c.adviezen_per_maand, strict=True)),
        ),
        _tabel(
            ["kwartaal", *VERVOLGEN],
            [
                [q, *(c.vervolg_per_kwartaal[v][i] for v in VERVOLGEN)]
                for i, q in enumerate(c.kwartalen)
            ],
        ),
        _tabel(
            ["maand", "binnen 5 werkdagen", "beoordeeld", "aandeel"],
            [
                [m, b, t, _pct(b, t)]
                for m, (b, t) in zip(c.maanden, c.op_tijd_per_maand, strict=True)
            ],
        ),
        _tabel(
            ["kwartaal", "binnen 10 weken", "diensten", "aandeel"],
            [
                [q, b, t, _pct(b, t)]
                for q, (b, t) in zip(c.kwartalen, c.tweede_op_tijd_per_kwartaal, strict=True)
            ],
        ),
        _tabel(["fase", "open"], list(c.open_per_fase.items())),
    ]
    delen = [
        f"<section><h2>{html.escape(titel)}</h2>{svg}{tabel}</section>"
        for (titel, svg), tabel in zip(grafieken, tabellen, strict=True)
    ]
    te_laat = (
        "".join(
            f"<h3>{html.escape(regio)} ({len(rijen)})</h3>" + _tabel(["melding", "termijn"], rijen)
            for regio, rijen in c.te_laat.items()
        )
        or "<p>Geen casussen over hun termijn.</p>"
    )
    gegevens_json = json.dumps(asdict(c)).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Managementrapportage Veilig Thuis {html.escape(c.kwartaal)}</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 1rem auto; color: #222; }}
section {{ border-top: 1px solid #ccc; margin-top: 1rem; }}
table {{ border-collapse: collapse; font-size: .8rem; margin: .5rem 0; }}
td, th {{ border: 1px solid #ddd; padding: 2px 6px; text-align: right; }}
svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h1>Managementrapportage Veilig Thuis, kwartaal {html.escape(c.kwartaal)}</h1>
<p>Peilmoment {html.escape(c.peilmoment)}. Norm IGJ: 80 % van de meldingen beoordeeld binnen
5 werkdagen. Alleen kenmerken en codes, geen persoonsgegevens.</p>
{"".join(delen)}
<section><h2>Over hun termijn, per regio (alleen melding-id's)</h2>{te_laat}</section>
<script type="application/json" id="cijfers">{gegevens_json}</script>
</body></html>
"""


def kwartaal_periode(kwartaal_: str) -> Periode:
    return periode(kwartaal_, "kwartaal")
