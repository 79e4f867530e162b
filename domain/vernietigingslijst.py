"""The destruction list (issue 25, docs/retention.md): the dossiers past their bewaartermijn,
reviewed by a teamleider (who may keep some, with a reason, or send the list back), approved by
an archivist (another person), destroyed after a cancellable waiting period, and accounted for
in a verklaring van vernietiging.

Pure: the models the workflow, its activities and the CLI exchange, and the rules a decision
is checked against. Melding ids are the project's pseudonymous keys (never personal data); the
verklaring holds only their HMAC kenmerken, counts, logins and moments.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from domain.bewaartermijn import Grond
from domain.model import Model
from domain.tekst import Tekst

WACHTTIJD = timedelta(days=7)


class LijstFase(StrEnum):
    """The list's phase (search attribute VtFase of a VernietigingslijstWorkflow)."""

    SAMENSTELLEN = "lijst_samenstellen"
    BEOORDELEN = "lijst_beoordelen"
    GOEDKEUREN = "lijst_goedkeuren"
    WACHTTIJD = "lijst_wachttijd"
    VERNIETIGEN = "lijst_vernietigen"
    AFGEROND = "lijst_afgerond"
    LEEG = "lijst_leeg"


class LijstItem(Model, frozen=True):
    """One dossier on the list: ids, region and its term (no personal data)."""

    melding_id: str
    regio: str
    bewaren_tot: date
    grond: Grond


class Behouden(Model, frozen=True):
    """A reviewer keeps a dossier longer: until `tot`, for `reden` (free text, stored encrypted
    with the dossier's own key in its audit trail)."""

    melding_id: Annotated[str, Field(min_length=1, max_length=64)]
    tot: date
    reden: Annotated[Tekst, Field(min_length=3)]


class LijstBeoordeling(Model):
    """The teamleider's review: keep some items (an extension each), or send the list back to be
    drawn up again (`terugsturen`, with a reason)."""

    medewerker: Annotated[str, Field(min_length=1, max_length=64)]
    behouden: list[Behouden] = Field(default_factory=list)
    terugsturen: bool = False
    reden: Tekst | None = None


class LijstGoedkeuring(Model):
    """The archivist's approval of the list as reviewed."""

    medewerker: Annotated[str, Field(min_length=1, max_length=64)]


class LijstAnnulering(Model):
    """Stop the destruction during the waiting period: the list goes back to review."""

    medewerker: Annotated[str, Field(min_length=1, max_length=64)]
    reden: Annotated[Tekst, Field(min_length=3)]


class Lijstdeel(Model):
    """What one destruction activity did: destroyed now, or found done by an earlier attempt
    (a retry after a crash), or gone already (destroyed on request meanwhile)."""

    vernietigd: list[str] = Field(default_factory=list)
    al_gedaan: list[str] = Field(default_factory=list)
    niet_gevonden: list[str] = Field(default_factory=list)


class Vernietigingsverklaring(Model):
    """The verklaring van vernietiging: what was destroyed (HMAC kenmerken, as in the
    vernietigingsverslagen), how many, who reviewed and approved, and when."""

    lijst_id: str
    peildatum: date
    ronden: int
    kenmerken: list[str]
    aantal_op_lijst: int
    aantal_behouden: int
    aantal_vernietigd: int
    aantal_al_weg: int
    beoordeeld_door: str
    beoordeeld_op: datetime
    goedgekeurd_door: str
    goedgekeurd_op: datetime
    vernietigd_op: datetime


class LijstStatus(Model):
    """The list as the query `status` and the CLI show it."""

    lijst_id: str
    fase: LijstFase
    peildatum: date
    ronde: int = 0
    items: list[LijstItem] = Field(default_factory=list)
    behouden: list[str] = Field(default_factory=list)
    vernietigd: list[str] = Field(default_factory=list)
    beoordeeld_door: str | None = None
    goedgekeurd_door: str | None = None
    wacht_tot: datetime | None = None
    geannuleerd: int = 0
    verklaring: Vernietigingsverklaring | None = None


def weiger_beoordeling(s: LijstStatus, b: LijstBeoordeling, vandaag: date) -> str | None:
    """Why the review is refused (None: accepted). Names the field and the rule."""
    if s.fase is not LijstFase.BEOORDELEN:
        return f"beoordeel_lijst: de lijst wacht niet op een beoordeling (fase {s.fase.value})"
    if b.terugsturen:
        if b.behouden:
            return "behouden: niet samen met terugsturen (de lijst wordt opnieuw opgesteld)"
        if not b.reden:
            return "reden: verplicht bij terugsturen"
        return None
    op_lijst = {i.melding_id: i for i in s.items}
    gezien: set[str] = set()
    for n, h in enumerate(b.behouden):
        if h.melding_id not in op_lijst:
            return f"behouden[{n}].melding_id: {h.melding_id} staat niet op deze lijst"
        if h.melding_id in gezien:
            return f"behouden[{n}].melding_id: {h.melding_id} staat er al eerder in"
        gezien.add(h.melding_id)
        if h.tot <= vandaag:
            return f"behouden[{n}].tot: moet na vandaag ({vandaag.isoformat()}) liggen"
    return None


def weiger_goedkeuring(s: LijstStatus, wie: str) -> str | None:
    if s.fase is not LijstFase.GOEDKEUREN:
        return f"keur_lijst_goed: de lijst wacht niet op goedkeuring (fase {s.fase.value})"
    if wie == s.beoordeeld_door:
        return (
            "keur_lijst_goed: een tweede persoon keurt goed; wie de lijst beoordeelde "
            f"({wie}) kan haar niet zelf goedkeuren"
        )
    return None


def weiger_annulering(s: LijstStatus) -> str | None:
    """Stopped before the destruction began: while it waits for approval or in the waiting
    period of seven days."""
    if s.fase not in (LijstFase.GOEDKEUREN, LijstFase.WACHTTIJD):
        return (
            "annuleer_vernietiging: alleen voor de goedkeuring of tijdens de wachttijd van "
            f"zeven dagen (fase {s.fase.value})"
        )
    return None


def te_vernietigen(s: LijstStatus) -> list[str]:
    """The items not kept, in list order."""
    return [i.melding_id for i in s.items if i.melding_id not in s.behouden]


def details(s: LijstStatus) -> str:
    """The current details in the Web UI: ids, counts, logins and moments only."""
    regels = [f"### Vernietigingslijst `{s.lijst_id}` (peildatum {s.peildatum.isoformat()})"]
    regels.append(f"**Fase:** {s.fase.value} (ronde {s.ronde})")
    regels.append(
        f"**Dossiers:** {len(s.items)} op de lijst, {len(s.behouden)} behouden, "
        f"{len(s.vernietigd)} vernietigd"
    )
    if s.beoordeeld_door:
        regels.append(f"**Beoordeeld door:** {s.beoordeeld_door}")
    if s.goedgekeurd_door:
        regels.append(f"**Goedgekeurd door:** {s.goedgekeurd_door}")
    if s.wacht_tot is not None:
        regels.append(f"**Vernietiging vanaf:** {s.wacht_tot.isoformat(timespec='minutes')}")
    regels.append(f"**CLI:** `python -m starter lijst-status {s.lijst_id}`")
    return "\n".join(regels)
