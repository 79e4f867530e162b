"""The chain (issue 22): an overdracht reaches the ketenpartner as a zaak in its gemeente's Zaken
API (the ZGW APIs: Zaken, Documenten), as pure models and rules, and the port an adapter of
`keten/` implements.

`activities/keten.py` reads the household from the dossier, asks `koppeling_voor` which
gemeente's APIs receive it and hands a `Zaakoverdracht` to a `Zaaksysteem`. The port does the
whole overdracht idempotently: each part (zaak, rollen, document, its link, status) is looked
up before it is created, so a retry after any interruption completes it without a double.
What a port raises says what happened: `ZaakTijdelijk` (try again: nothing or part was
created) or `ZaakGeweigerd` (the API refused the request for good: a human must act)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from pydantic import Field

from domain.besluiten import Besluit, DienstAfronding
from domain.melding import Melding
from domain.model import Model
from domain.termijnen import begin_van_dag, einde_van_dag
from domain.waarden import Rol
from domain.werkdagen import AMSTERDAM, Werkdagkalender

# The ZGW identificatie (of a zaak and of a document) is at most 40 characters.
IDENTIFICATIE_MAX = 40
# The document's confidentiality: a Veilig Thuis overdracht is never below this (Documenten API
# enum: openbaar … zeer_geheim); a gemeente may configure a higher one.
VERTROUWELIJK_MINIMUM = "geheim"
VERTROUWELIJKHEDEN = ("geheim", "zeer_geheim")


class OverdrachtUitkomst(StrEnum):
    AANGEMAAKT = "aangemaakt"
    # No gemeente configured for the household (no address, or its woonplaats is not
    # configured and there is no standaard): a human hands over another way.
    GEEN_KOPPELING = "geen_koppeling"
    # The API refused the overdracht (4xx other than a conflict): a human must act.
    GEWEIGERD = "geweigerd"
    # Every attempt failed (the API unreachable for the whole retry budget).
    MISLUKT = "mislukt"
    # The worker has no ZGW configuration at all.
    NIET_INGESTELD = "niet_ingesteld"


# Outcomes that need a person: a signalering on the case.
OVERDRACHT_VOOR_EEN_MENS = frozenset(
    {OverdrachtUitkomst.GEEN_KOPPELING, OverdrachtUitkomst.GEWEIGERD, OverdrachtUitkomst.MISLUKT}
)


class OverdrachtStand(StrEnum):
    """The warme overdracht (Q&A 25): until the ketenpartner accepts the zaak (its
    status one of the gemeente's `statustypen_aanvaard`, e.g. "in behandeling"), Veilig Thuis
    keeps zicht op veiligheid; a status of `statustypen_teruggegeven` hands it back."""

    WACHT = "wacht_op_aanvaarding"
    AANVAARD = "aanvaard"
    TERUGGEGEVEN = "teruggegeven"


# A ketenpartner has this many werkdagen to accept by default (a gemeente may configure its own);
# the team is reminded at the start of the last one. The Zaken API is asked this often.
AANVAARDING_WERKDAGEN = 5
PEILINTERVAL = timedelta(hours=4)


class OverdrachtOpdracht(Model):
    """The activity's input: the melding (its household is read from the dossier) and the
    besluit whose overdracht this is (already in the history as the update's argument)."""

    melding_id: str
    besluit: Besluit
    # Since v7: an overdracht decided at the end of a dienst (its ketenpartner, its summary and
    # veiligheidsvoorwaarden go into the zaak); None: the besluit's own overdracht.
    afronding: DienstAfronding | None = None
    # The workflow's moment of the besluit's step: the zaak's startdatum and its status's
    # datumStatusGezet, the same on every attempt.
    op: datetime


class ZaakOverdracht(Model, extra="ignore"):
    """The activity's result, in the case's status: which gemeente, which zaak (its identificatie
    and URL are no personal data), the outcome; `fout` a code such as `zaken 400`."""

    uitkomst: OverdrachtUitkomst
    gemeente: str | None = None
    zaak_identificatie: str | None = None
    zaak_url: str | None = None
    aangemaakt_op: datetime | None = None
    fout: str | None = None
    # The warme overdracht (None: the gemeente configured no statustypen to read it from).
    stand: OverdrachtStand | None = None
    herinnering_op: datetime | None = None
    aanvaarden_voor: datetime | None = None
    beantwoord_op: datetime | None = None
    # The gemeente's reading interval (GemeenteKoppeling.peilinterval_seconden); None: PEILINTERVAL.
    peilinterval_seconden: int | None = None


def stand_van_overdracht(o: ZaakOverdracht) -> str:
    """VtOverdracht: the warme overdracht's stand once there is one, else the outcome."""
    return o.stand.value if o.stand is not None else o.uitkomst.value


class Aanvaardingsvraag(Model):
    """The polling activity's input: which zaak at which gemeente (no personal data)."""

    melding_id: str
    gemeente: str
    zaak_url: str


class GemeenteKoppeling(Model, frozen=True):
    """One gemeente's ZGW APIs and the catalogue entries the overdracht uses (docs/deployment.md,
    *Ketenpartners: Open Zaak*). The secret is never logged or shown."""

    gemeente: str
    zaken_url: str
    documenten_url: str
    client_id: str
    secret: str = Field(repr=False)
    zaaktype: str
    statustype: str
    informatieobjecttype: str
    roltype_initiator: str
    roltype_behandelaar: str
    roltype_belanghebbende: str
    # RSIN of Veilig Thuis (bronorganisatie) and of the gemeente (verantwoordelijke organisatie).
    bronorganisatie: str
    verantwoordelijke_organisatie: str
    woonplaatsen: tuple[str, ...] = ()
    vertrouwelijkheid: str = VERTROUWELIJK_MINIMUM
    # The warme overdracht: the statustypen that mean accepted ("in behandeling") and handed
    # back; none: the zaak is created and the case closes without waiting.
    statustypen_aanvaard: tuple[str, ...] = ()
    statustypen_teruggegeven: tuple[str, ...] = ()
    aanvaarding_werkdagen: int = Field(default=AANVAARDING_WERKDAGEN, ge=1, le=20)
    # How often the case reads the zaak during the warme overdracht; None: PEILINTERVAL (4 h).
    # `make run`'s demo reads every few seconds, so its tour sees an acceptance at once.
    peilinterval_seconden: int | None = Field(default=None, ge=1, le=86_400)

    def stand_van(self, statustype: str | None) -> OverdrachtStand:
        if statustype in self.statustypen_aanvaard:
            return OverdrachtStand.AANVAARD
        if statustype in self.statustypen_teruggegeven:
            return OverdrachtStand.TERUGGEGEVEN
        return OverdrachtStand.WACHT


def koppeling_voor(
    melding: Melding, koppelingen: dict[str, GemeenteKoppeling], standaard: str | None
) -> GemeenteKoppeling | None:
    """The gemeente of the household's woonplaats, else the configured standaard, else None."""
    if melding.adres is not None:
        plaats = melding.adres.woonplaats.strip().casefold()
        for koppeling in koppelingen.values():
            if plaats in {w.casefold() for w in koppeling.woonplaatsen}:
                return koppeling
    return koppelingen.get(standaard) if standaard else None


def zaak_identificatie(melding_id: str) -> str:
    """The zaak's (and its document's) identificatie, derived from the melding: the same on
    every attempt, so a retry finds what an earlier one created. A melding_id that does not fit
    in 40 characters is hashed (`VTH-`), never cut (two ids would share one zaak)."""
    if len(melding_id) <= IDENTIFICATIE_MAX - 3:
        return f"VT-{melding_id}"
    return "VTH-" + hashlib.sha256(melding_id.encode()).hexdigest()[: IDENTIFICATIE_MAX - 4]


@dataclass(frozen=True)
class Betrokkenheid:
    """A belanghebbende: a betrokkene of the melding, as a natuurlijk persoon."""

    rol: Rol
    bsn: str | None
    voornamen: str | None
    geslachtsnaam: str | None
    geboortedatum: date | None


@dataclass(frozen=True)
class Zaakoverdracht:
    """Everything the port sends; personal data only here, in memory, never in a result."""

    identificatie: str
    startdatum: date
    omschrijving: str
    toelichting: str
    ketenpartner: str
    belanghebbenden: list[Betrokkenheid]
    document_titel: str
    document_tekst: str
    status_toelichting: str
    gezet_op: datetime


@dataclass(frozen=True)
class ZaakVerwijzing:
    identificatie: str
    url: str


class ZaakTijdelijk(Exception):
    """The API could not be reached or answered 5xx/429: a later attempt may complete it."""


class ZaakGeweigerd(Exception):
    """The API refused a request (4xx): retrying will not help, a human must act. The message
    is a code (`zaken 400 rollen`), never the request's content."""


class Zaaksysteem(Protocol):
    async def draag_over(
        self, koppeling: GemeenteKoppeling, overdracht: Zaakoverdracht
    ) -> ZaakVerwijzing: ...

    async def statustype(self, koppeling: GemeenteKoppeling, zaak_url: str) -> str | None:
        """The statustype of the zaak's current status (None: it has none)."""
        ...


def aanvaardingstermijn(
    aangemaakt: datetime, werkdagen: int, kalender: Werkdagkalender
) -> tuple[datetime, datetime]:
    """The reminder (start of the last werkdag) and the deadline (its end) of the acceptance:
    `werkdagen` werkdagen after the (local) day the zaak was created."""
    dag = kalender.plus_werkdagen(aangemaakt.astimezone(AMSTERDAM).date(), werkdagen)
    return begin_van_dag(dag), einde_van_dag(dag)


def _reden(besluit: Besluit, afronding: DienstAfronding | None) -> list[str]:
    """Why the case is handed over: the besluit's onderbouwing, or after a dienst its summary
    and the agreed veiligheidsvoorwaarden."""
    if afronding is None:
        return [f"Reden van de overdracht: {besluit.onderbouwing}"]
    return [
        f"Overdracht na afronding van de dienst ({besluit.vervolg.value}).",
        f"Samenvatting van de dienst: {afronding.samenvatting_voor_melder}",
        *(
            f"Veiligheidsvoorwaarde: {v.wat} (met: {v.met_wie}; getoetst: {v.hoe_getoetst})"
            for v in afronding.veiligheidsvoorwaarden
        ),
    ]


def zaakoverdracht(
    melding: Melding, besluit: Besluit, nu: datetime, afronding: DienstAfronding | None = None
) -> Zaakoverdracht:
    """The zaak for an overdracht besluit (a warme overdracht): the reason,
    what the melder agreed (anonymity) and the household's members as belanghebbenden. After a
    dienst (`afronding`): its ketenpartner, its summary and the agreed veiligheidsvoorwaarden."""
    partner = afronding.ketenpartner if afronding is not None else besluit.ketenpartner
    assert partner is not None
    regels = [
        "Overdracht door Veilig Thuis (warme overdracht).",
        f"Ketenpartner: {partner.naam} ({partner.soort.value}).",
        *_reden(besluit, afronding),
        f"Contact met het huishouden: {besluit.contact_huishouden.value}.",
    ]
    if besluit.anonimiteit_toegezegd:
        regels.append("De melder is anonimiteit toegezegd: deel de identiteit van de melder niet.")
    else:
        regels.append("De melder heeft niet om anonimiteit gevraagd.")
    if besluit.huishouden_informeren_uitstellen:
        regels.append("Het huishouden is nog niet geïnformeerd over de melding.")
    belanghebbenden = [
        Betrokkenheid(
            rol=b.rol,
            bsn=b.bsn,
            voornamen=b.voornaam,
            geslachtsnaam=b.achternaam,
            geboortedatum=b.geboortedatum,
        )
        for b in melding.betrokkenen
    ]
    return Zaakoverdracht(
        identificatie=zaak_identificatie(melding.melding_id),
        startdatum=nu.date(),
        omschrijving="Overdracht Veilig Thuis",
        toelichting=f"Overdracht aan {partner.naam} na een melding bij Veilig Thuis.",
        ketenpartner=partner.naam,
        belanghebbenden=belanghebbenden,
        document_titel="Overdracht Veilig Thuis",
        document_tekst="\n".join(regels) + "\n",
        status_toelichting="Overgedragen door Veilig Thuis; wacht op aanvaarding.",
        gezet_op=nu,
    )
