"""Business metrics for ops (issue 24): `python -m statistiek.metrics` serves Prometheus text on
VT_STATISTIEK_HOST:VT_STATISTIEK_PORT (default 127.0.0.1:9465) at /metrics, read from table
`beleidsinformatie` at each scrape (DATABASE_URL or VT_DATABASE_URL), by the same functions as
the management report (statistiek/tabellen.py): open cases per phase and region, cases over
their term now, beoordelingen of the last 30 days and how many within 5 werkdagen. Labels are
region, phase and term only: no ids, no personal data."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta

import asyncpg
from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from statistiek import gegevens, opslag
from statistiek.tabellen import FASEN, fase_op, laatste_dagen, op_tijd_aandeel, te_laat_op

STANDAARD_POORT = 9465
DAGEN = 30
INHOUD = "text/plain; version=0.0.4; charset=utf-8"


async def lees_actueel(con: asyncpg.Connection, nu: datetime) -> list[gegevens.Casus]:
    """The rows the metrics need: open now, or closed or beoordeeld in the last 30 days."""
    rijen = await opslag.rijen(con, gegevens.KOLOMMEN, opslag.ACTUEEL, nu - timedelta(days=DAGEN))
    return gegevens.naar_casussen(rijen)


class _Stand(Collector):
    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self._families = families

    def collect(self) -> Iterable[GaugeMetricFamily]:
        return iter(self._families)


def families(casussen: list[gegevens.Casus], nu: datetime) -> list[GaugeMetricFamily]:
    regios = sorted({c.regio for c in casussen})
    open_ = GaugeMetricFamily(
        "vt_open_casussen", "Open casussen per fase en regio", labels=["fase", "regio"]
    )
    te_laat = GaugeMetricFamily(
        "vt_casussen_over_termijn",
        "Open casussen waarvan de termijn nu verstreken is",
        labels=["termijn", "regio"],
    )
    beoordeeld = GaugeMetricFamily(
        "vt_beoordelingen_30d", "Beoordelingen in de laatste 30 dagen", labels=["regio"]
    )
    op_tijd = GaugeMetricFamily(
        "vt_beoordelingen_binnen_termijn_30d",
        "Beoordelingen in de laatste 30 dagen binnen 5 werkdagen",
        labels=["regio"],
    )
    for regio in regios:
        hier = [c for c in casussen if c.regio == regio]
        for fase in FASEN:
            open_.add_metric([fase, regio], sum(fase_op(c, nu) == fase for c in hier))
        for termijn in ("beoordeling", "tweede_terugkoppeling"):
            te_laat.add_metric([termijn, regio], sum(te_laat_op(c, nu) == termijn for c in hier))
        binnen, totaal = op_tijd_aandeel(laatste_dagen(hier, nu, DAGEN))
        beoordeeld.add_metric([regio], totaal)
        op_tijd.add_metric([regio], binnen)
    return [open_, te_laat, beoordeeld, op_tijd]


def app(
    pool: asyncpg.Pool, klok: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> web.Application:
    async def metrics(_: web.Request) -> web.Response:
        nu = klok()
        async with pool.acquire() as con:
            casussen = await lees_actueel(con, nu)
        register = CollectorRegistry()
        register.register(_Stand(families(casussen, nu)))
        return web.Response(body=generate_latest(register), headers={"Content-Type": INHOUD})

    toepassing = web.Application()
    toepassing.router.add_get("/metrics", metrics)
    return toepassing


async def _dien(env: Mapping[str, str]) -> None:
    pool = await asyncpg.create_pool(gegevens.database_url(env), min_size=1, max_size=2)
    runner = web.AppRunner(app(pool))
    await runner.setup()
    host = env.get("VT_STATISTIEK_HOST", "127.0.0.1")
    poort = int(env.get("VT_STATISTIEK_PORT", str(STANDAARD_POORT)))
    await web.TCPSite(runner, host, poort).start()
    print(f"statistiek: metrics op http://{host}:{poort}/metrics", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await pool.close()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_dien(os.environ))
