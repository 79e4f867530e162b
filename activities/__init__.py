"""All I/O: PostgreSQL dossier and register, ketenpartner sources, outbox, audit, signalering.

`alle_activiteiten` builds every activity with its dependencies; only worker.py (and the
integration tests) call it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
from temporalio.client import Client

from activities.advies import AdviesActiviteiten
from activities.audit import AuditActiviteiten
from activities.beleidsinformatie import Beleidsinformatie
from activities.bezorging import BezorgActiviteiten
from activities.bronnen import BronActiviteiten
from activities.dossier import DossierActiviteiten
from activities.kalender import KalenderActiviteiten
from activities.keten import KetenActiviteiten
from activities.naloop import NaloopActiviteiten
from activities.outbox import OutboxActiviteiten
from activities.raad import RaadActiviteiten
from activities.register import RegisterActiviteiten
from activities.signalering import SignaleringActiviteiten
from activities.sleutels import Registersleutels
from activities.vernietiging import VernietigingActiviteiten
from activities.vernietigingslijst import VernietigingslijstActiviteiten
from bezorging.instellingen import Bezorginstellingen
from domain.bewaartermijn import Bewaarbeleid
from domain.poorten import Bronpoort
from domain.uitwisseling import Bron
from domain.verzoektermijn import STANDAARD_MAANDEN
from domain.werkdagen import STANDAARD_KALENDER, Werkdagkalender
from keten.instellingen import Ketenkoppelingen
from versleuteling.codec import KeyStore


def alle_activiteiten(
    pool: asyncpg.Pool,
    sleutel: bytes | Registersleutels,
    client: Client | None,
    adapters: dict[Bron, Bronpoort],
    kalender: Werkdagkalender = STANDAARD_KALENDER,
    *,
    datasleutels: KeyStore,
    bezorging: Bezorginstellingen | None = None,
    bewaarbeleid: Bewaarbeleid | None = None,
    vernietigingstermijn: int = STANDAARD_MAANDEN,
    keten: Ketenkoppelingen | None = None,
) -> list[Callable[..., Any]]:
    """`sleutel`: the register's HMAC key(s); `datasleutels`: the data keys (the codec's store)
    the personal columns are encrypted with; `adapters`: the Raad's and the politie's ports (the
    bootstrap builds them, `adapters.demobron.demo_bronnen` for the demo); `bezorging`: where
    messages go (none: nowhere); `keten`: the gemeenten's ZGW APIs an overdracht goes to (none:
    no zaken)."""
    bezorging = bezorging or Bezorginstellingen()
    keten = keten or Ketenkoppelingen()
    beleid = Beleidsinformatie(kalender)
    dossier = DossierActiviteiten(pool, sleutel, datasleutels, beleid, bewaarbeleid)
    register = RegisterActiviteiten(pool, client, datasleutels)
    bronnen = BronActiviteiten(pool, adapters, datasleutels)
    vernietiging = VernietigingActiviteiten(pool, client, sleutel, vernietigingstermijn)
    lijst = VernietigingslijstActiviteiten(pool, vernietiging, sleutel, datasleutels)
    return [
        KalenderActiviteiten(kalender).bereken_termijnen,
        dossier.sla_melding_op,
        dossier.werk_dossier_bij,
        dossier.lees_bewaartermijn,
        register.zoek_eerdere_meldingen,
        register.koppel_aan_open_meldingen,
        bronnen.vraag_bron,
        OutboxActiviteiten(pool, datasleutels).plaats_in_outbox,
        BezorgActiviteiten(
            pool,
            datasleutels,
            bezorging.mailer(),
            bezorging.drukstraat_adapter(),
            bezorging.domein,
        ).bezorg_bericht,
        *_keten(pool, datasleutels, keten, kalender),
        AuditActiviteiten(pool, datasleutels, beleid).leg_beslissing_vast,
        SignaleringActiviteiten(pool).signaleer,
        vernietiging.beoordeel_verzoek,
        vernietiging.vernietig,
        vernietiging.vernietigingstermijn,
        NaloopActiviteiten(pool, client).loop_dossiers_na,
        AdviesActiviteiten(pool).melding_id_vrij,
        AdviesActiviteiten(pool).leg_advies_vast,
        lijst.stel_lijst_samen,
        lijst.verleng_bewaartermijnen,
        lijst.vernietig_lijstdeel,
        lijst.stel_verklaring_op,
    ]


def _keten(
    pool: asyncpg.Pool, datasleutels: KeyStore, keten: Ketenkoppelingen, kalender: Werkdagkalender
) -> list[Callable[..., Any]]:
    activiteiten = KetenActiviteiten(pool, datasleutels, keten, keten.zaaksysteem(), kalender)
    raad = RaadActiviteiten(pool, datasleutels, keten.raadkanaal(), kalender)
    return [
        activiteiten.draag_zaak_over,
        activiteiten.lees_aanvaarding,
        raad.verstuur_vto,
        raad.lees_raad_antwoord,
    ]
