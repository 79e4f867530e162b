"""Delivery of a message to its addressee (issue 20): the ports the outside world is reached
through (an SMTP server, the print street) and the choice of channel, as pure rules.

The adapters live in `bezorging/`; `activities/bezorging.py` reads the addressee from the
dossier, asks `kanaal_voor` which channel applies and hands a `Mail` or a `Brief` to a port.
What a port raises says what happened: `TijdelijkeFout` (try again later: nothing was
delivered), `Onbestelbaar` (refused for good: nothing was delivered, a human must act) or anything
else after `voor_overgave` was called (the outcome is unknown: nothing is resent)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.adres import Adres
from domain.melding import Melding
from domain.model import Model
from domain.uitwisseling import BerichtSoort
from domain.waarden import MelderSoort


class Kanaal(StrEnum):
    EMAIL = "email"
    BRIEF = "brief"
    GEEN = "geen"


class BezorgUitkomst(StrEnum):
    VERZONDEN = "verzonden"
    # No channel: an anonymous burger without contact details (not an error), or a household
    # without a known address (a human informs it another way: a signalering).
    GEEN_KANAAL = "geen_kanaal"
    GEWEIGERD = "geweigerd"
    ONZEKER = "onzeker"
    MISLUKT = "mislukt"
    # The worker has no delivery configured (no SMTP server, no print folder).
    NIET_INGESTELD = "niet_ingesteld"


# The order in which outcomes need a person, most first: the search attribute VtBezorging
# shows the first one any message of the case has.
ERNST = (
    "mislukt",
    "onzeker",
    "geweigerd",
    "geen_kanaal",
    "niet_ingesteld",
    "verzonden",
)


def samengevat(uitkomsten: list[BezorgUitkomst]) -> str | None:
    """The outcome of a case's messages that most needs a person, None before the first."""
    aanwezig = {u.value for u in uitkomsten}
    return next((u for u in ERNST if u in aanwezig), None)


# Outcomes that are a case for a human: a signalering and a metric.
VOOR_EEN_MENS = frozenset(
    {BezorgUitkomst.GEWEIGERD, BezorgUitkomst.ONZEKER, BezorgUitkomst.MISLUKT}
)


class BezorgOpdracht(Model):
    """The activity's input: which outbox row (ids only, no address)."""

    melding_id: str
    soort: BerichtSoort
    # Since v7: a professional's message, by number (domain/uitwisseling.py, outbox_soort).
    ontvanger: int | None = None


class Bezorging(Model, extra="ignore"):
    """The activity's result, kept in the workflow's status (no personal data: `fout` is a
    code such as `smtp 550` or `smtp onbereikbaar`, never an address)."""

    soort: BerichtSoort
    kanaal: Kanaal | None = None  # None: the activity itself failed (`mislukt`)
    uitkomst: BezorgUitkomst
    verzonden_op: datetime | None = None
    pogingen: int = 0
    fout: str | None = None
    ontvanger: int | None = None  # since v7: which professional (1-based)


@dataclass(frozen=True)
class Mail:
    """One email: `bericht_id` is its Message-ID, the same on every attempt."""

    bericht_id: str
    aan: str
    aan_naam: str | None
    onderwerp: str
    tekst: str
    html: str


@dataclass(frozen=True)
class Brief:
    """One letter for the print street: `kenmerk` names its file, the same on every attempt."""

    kenmerk: str
    aan: list[str]
    onderwerp: str
    alineas: list[str]


class TijdelijkeFout(Exception):
    """Nothing was delivered; a later attempt may succeed (a server down, a full folder)."""


class Onbestelbaar(Exception):
    """Nothing was delivered and retrying will not help (a recipient refused, a malformed
    address): a case for a human."""


# Called by a port at its point of no return (just before SMTP DATA, before a letter's
# rename): the attempt is recorded before anything can have reached the addressee.
VoorOvergave = Callable[[], Awaitable[None]]


class Mailer(Protocol):
    async def verstuur(self, mail: Mail, voor_overgave: VoorOvergave) -> None: ...


class Drukstraat(Protocol):
    async def lever_af(self, brief: Brief, voor_overgave: VoorOvergave) -> None: ...

    def afgeleverd(self, kenmerk: str) -> bool:
        """The letter is in the folder (or was collected: then False, and the outcome of an
        interrupted attempt is unknown)."""
        ...


@dataclass(frozen=True)
class Adressering:
    kanaal: Kanaal
    email: str | None = None
    naam: str | None = None
    adres: Adres | None = None


# The messages to the household (Q&A 4; Q&A 28: its right to destruction; since v7 the
# outcome of a destruction request): letters to its address, never to the melder.
AAN_HUISHOUDEN = frozenset(
    {
        BerichtSoort.HUISHOUDEN_INFORMEREN,
        BerichtSoort.HUISHOUDEN_VERNIETIGINGSRECHT,
        BerichtSoort.VERNIETIGING_UITKOMST,
    }
)


def kanaal_voor(melding: Melding, soort: BerichtSoort, ontvanger: int | None = None) -> Adressering:
    """Who receives the message and how: a terugkoppeling goes to the melder (email when given,
    else a letter to the melder's address, else nowhere: an anonymous burger without contact
    details); the household's messages are letters to the household's address; a
    professional's message goes to that professional (number `ontvanger` of the melding's),
    by email when given, else by letter, addressed to the organisation."""
    if soort is BerichtSoort.PROFESSIONAL_INFORMEREN:
        if ontvanger is None or not 1 <= ontvanger <= len(melding.professionals):
            return Adressering(Kanaal.GEEN)
        p = melding.professionals[ontvanger - 1]
        if p.email:
            return Adressering(Kanaal.EMAIL, email=p.email, naam=p.organisatie)
        if p.adres is not None:
            return Adressering(Kanaal.BRIEF, naam=p.organisatie, adres=p.adres)
        return Adressering(Kanaal.GEEN)
    if soort in AAN_HUISHOUDEN:
        if melding.adres is None:
            return Adressering(Kanaal.GEEN)
        return Adressering(Kanaal.BRIEF, adres=melding.adres)
    melder = melding.melder
    # A professional is addressed by name; a burger's name only if given (never required).
    naam = melder.naam
    if melder.email:
        return Adressering(Kanaal.EMAIL, email=melder.email, naam=naam)
    if melder.adres is not None:
        return Adressering(Kanaal.BRIEF, naam=naam, adres=melder.adres)
    return Adressering(Kanaal.GEEN)


def geen_kanaal_voor_een_mens(melding_soort: MelderSoort | None, soort: BerichtSoort) -> bool:
    """No channel is a case for a human when the law says the addressee must be told: the
    household (Q&A 4: informed in all cases) and a professional (who must be reachable); an
    anonymous burger without contact details chose not to hear back."""
    return (
        soort in AAN_HUISHOUDEN
        or soort is BerichtSoort.PROFESSIONAL_INFORMEREN
        or melding_soort is MelderSoort.PROFESSIONAL
    )
