"""The Grafana dashboard's figures through a real Prometheus (issue 24, docs/statistics.md):
Debian's `prometheus` scrapes statistiek.metrics (on a loopback port, at the generated year's
end) with the scrape job of deploy/prometheus/prometheus.yml, and every PromQL expression of
deploy/grafana/dashboards/veilig-thuis.json, with the dashboard's `$regio` as Grafana fills it
(All, and one region), is evaluated by that Prometheus's query API and compared with the
report's figures for the same cases. Grafana itself does not run here (no package for it);
the dashboard file's shape is checked in tests/unit/test_statistiek_dashboard.py.

Without `prometheus` and `promtool` on the PATH (`apt-get install prometheus`, which .ci/run
does) these tests fail: they never skip."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from aiohttp.test_utils import TestServer

from activities.database import maak_pool
from statistiek import gegevens, metrics, rapport
from statistiek.tabellen import fase_op, laatste_dagen, op_tijd_aandeel, te_laat_op
from tests.integration import test_beleidsinformatie as beleid
from tests.integration.beleidsjaar import EINDE, Jaar
from tests.poorten import vrije_poort

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = json.loads((ROOT / "deploy/grafana/dashboards/veilig-thuis.json").read_text())
# The year played through the activities on a database of its own (module fixtures).
beleid_dsn = beleid.beleid_dsn
jaar = beleid.jaar
CONFIG = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
Vector = dict[tuple[tuple[str, str], ...], float]


def _programma(naam: str) -> str:
    pad = shutil.which(naam)
    assert pad, f"{naam} ontbreekt: apt-get install prometheus (zie .ci/run)"
    return pad


def test_promtool_accepts_the_repositorys_prometheus_configuration() -> None:
    uit = subprocess.run(
        [
            _programma("promtool"),
            "check",
            "config",
            "--syntax-only",
            str(ROOT / "deploy/prometheus/prometheus.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert uit.returncode == 0, uit.stdout + uit.stderr


@pytest.fixture(scope="module")
async def prometheus(jaar: Jaar, beleid_dsn: str, tmp_path_factory: Any) -> AsyncIterator[str]:
    """A Prometheus that has scraped the metrics of the year's end: its base URL."""
    map_ = tmp_path_factory.mktemp("prometheus")
    pool = await maak_pool(beleid_dsn)
    server = TestServer(metrics.app(pool, klok=lambda: EINDE), host="127.0.0.1")
    await server.start_server()
    # The repository's scrape job for the statistiek service, aimed at the loopback server.
    [job] = [j for j in CONFIG["scrape_configs"] if j["job_name"] == "statistiek"]
    job = {**job, "static_configs": [{"targets": [f"127.0.0.1:{server.port}"]}]}
    job["scrape_interval"] = "1s"
    (map_ / "prometheus.yml").write_text(yaml.safe_dump({"scrape_configs": [job]}))
    poort = vrije_poort()
    proces = await asyncio.create_subprocess_exec(
        _programma("prometheus"),
        f"--config.file={map_ / 'prometheus.yml'}",
        f"--storage.tsdb.path={map_ / 'data'}",
        f"--web.listen-address=127.0.0.1:{poort}",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=(map_ / "prometheus.log").open("wb"),
    )
    url = f"http://127.0.0.1:{poort}"
    try:
        async with aiohttp.ClientSession() as sessie:
            for _ in range(600):  # until the first scrape is in (at most about a minute)
                assert proces.returncode is None, (map_ / "prometheus.log").read_text()
                try:
                    if await _vector(sessie, url, "vt_open_casussen"):
                        break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            else:
                pytest.fail(
                    "Prometheus heeft de metrics niet binnen: "
                    + (map_ / "prometheus.log").read_text()
                )
        yield url
    finally:
        proces.terminate()
        await proces.wait()
        await server.close()
        await pool.close()


async def _vector(sessie: aiohttp.ClientSession, url: str, expr: str) -> Vector:
    async with sessie.get(f"{url}/api/v1/query", params={"query": expr}) as antwoord:
        data = await antwoord.json()
    assert data["status"] == "success", (expr, data)
    assert data["data"]["resultType"] == "vector", expr
    return {
        tuple(sorted(r["metric"].items())): float(r["value"][1]) for r in data["data"]["result"]
    }


def _zonder_nullen(v: Vector) -> Vector:
    return {k: w for k, w in v.items() if w}


def _verwachtingen(
    casussen: list[gegevens.Casus], c: rapport.Cijfers, regios: set[str]
) -> dict[str, Callable[[], Vector]]:
    """Per dashboard expression (as in the file), what it must give for the regions `regios`,
    from the report's figures (`c`, the whole country) or the report's functions per region."""
    hier = [x for x in casussen if x.regio in regios]
    alle = len(regios) > 1

    def open_per_fase() -> Vector:
        per = c.open_per_fase if alle else Counter(fase_op(x, EINDE) for x in hier)
        return {(("fase", f),): float(per.get(f, 0)) for f in c.open_per_fase}

    def te_laat(sleutel: str) -> Vector:
        n: Counter[tuple[tuple[str, str], ...]] = Counter()
        for regio, rijen in c.te_laat.items():
            for _, term in rijen:
                if regio in regios:
                    n[((sleutel, regio if sleutel == "regio" else term),)] += 1
        return dict(n)

    def aandeel(per_regio: bool) -> Vector:
        uit: Vector = {}
        groepen = (
            {r: [x for x in hier if x.regio == r] for r in regios} if per_regio else {"": hier}
        )
        for r, groep in groepen.items():
            binnen, totaal = op_tijd_aandeel(laatste_dagen(groep, EINDE, metrics.DAGEN))
            if totaal:
                uit[(("regio", r),) if per_regio else ()] = binnen / totaal
        return uit

    return {
        'sum(vt_open_casussen{regio=~"$regio"})': lambda: {
            (): float(sum(open_per_fase().values()))
        },
        'sum by (termijn) (vt_casussen_over_termijn{regio=~"$regio"})': lambda: te_laat("termijn"),
        (
            'sum(vt_beoordelingen_binnen_termijn_30d{regio=~"$regio"})'
            ' / (sum(vt_beoordelingen_30d{regio=~"$regio"}) > 0)'
        ): lambda: aandeel(False),
        'sum by (fase) (vt_open_casussen{regio=~"$regio"})': open_per_fase,
        'sum by (regio) (vt_casussen_over_termijn{regio=~"$regio"})': lambda: te_laat("regio"),
        (
            'sum by (regio) (vt_beoordelingen_binnen_termijn_30d{regio=~"$regio"})'
            ' / (sum by (regio) (vt_beoordelingen_30d{regio=~"$regio"}) > 0)'
        ): lambda: aandeel(True),
    }


async def test_every_dashboard_expression_gives_the_reports_figure_in_prometheus(
    prometheus: str, beleid_dsn: str
) -> None:
    casussen = await beleid._casussen(beleid_dsn)
    c = rapport.cijfers(casussen, "2026-4", EINDE, await beleid._adviezen(beleid_dsn))
    recent = [
        x
        for x in casussen
        if x.afgesloten_op is None
        or x.afgesloten_op > EINDE - timedelta(days=metrics.DAGEN)
        or (x.beoordeeld_op and x.beoordeeld_op > EINDE - timedelta(days=metrics.DAGEN))
    ]
    regios = {x.regio for x in recent}
    [variabele] = DASHBOARD["templating"]["list"]
    assert variabele["allValue"] == ".*" and variabele["includeAll"]
    expressies = [t["expr"] for p in DASHBOARD["panels"] for t in p["targets"]]
    [gekozen, *_] = [x.regio for x in casussen if te_laat_op(x, EINDE)]  # a region with some
    async with aiohttp.ClientSession() as sessie:
        # The variable's own query: label_values(metric, label) is Grafana's, asked of
        # Prometheus's label API as Grafana does.
        async with sessie.get(
            f"{prometheus}/api/v1/label/regio/values", params={"match[]": "vt_open_casussen"}
        ) as antwoord:
            assert set((await antwoord.json())["data"]) == regios
        assert variabele["query"]["query"] == "label_values(vt_open_casussen, regio)"
        for keuze, binnen in ((".*", regios), (gekozen, {gekozen})):
            verwacht = _verwachtingen(casussen, c, binnen)
            assert set(expressies) <= set(verwacht), set(expressies) - set(verwacht)
            for expr in expressies:
                gekregen = await _vector(sessie, prometheus, expr.replace("$regio", keuze))
                assert _zonder_nullen(gekregen) == pytest.approx(
                    _zonder_nullen(verwacht[expr]())
                ), (keuze, expr, gekregen, verwacht[expr]())
    assert sum(c.open_per_fase.values()) > 0 and c.te_laat
