"""The CLI's output: the readable `status` summary, the `lijst` table, the outcome of a
vernietigingsverzoek, and `--json`. Only what the status holds is shown, never free text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from domain import regels
from domain.besluiten import (
    Besluit,
    DienstAfronding,
    MonitoringUitkomst,
    Triage,
    VernietigingsResultaat,
)
from domain.status import MeldingStatus
from domain.termijnen import werkdagen_resterend
from domain.waarden import DIENSTEN, Einde, Fase
from domain.werkdagen import AMSTERDAM
from starter.zoeken import MeldingRegel


def als_json(model: BaseModel | Sequence[BaseModel]) -> str:
    """One model, or a list of them, as indented JSON."""
    if isinstance(model, BaseModel):
        return model.model_dump_json(indent=2)
    return json.dumps([m.model_dump(mode="json") for m in model], indent=2)


ZONE = "Europe/Amsterdam"


def moment(waarde: datetime | None, *, zone: bool = True) -> str:
    """A moment in Amsterdam time, to the minute, with the zone named (a table names it once,
    in its header)."""
    if waarde is None:
        return "-"
    tekst = waarde.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M")
    return f"{tekst} ({ZONE})" if zone else tekst


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """`1 eerdere melding`, `2 eerdere meldingen`, `0 eerdere meldingen`."""
    return f"{n} {enkelvoud if n == 1 else meervoud}"


def samenvatting(s: MeldingStatus, nu: datetime) -> str:
    """A readable summary of a status: only what the status holds, no free text."""
    b = s.bronnen
    rijen = [
        ("fase", s.fase.value),
        ("ontvangen op", moment(s.ontvangen_op)),
        ("beoordeling", _beoordeling(s, nu)),
        ("bronnen", f"register {b.register.value}, raad {b.raad.value}, politie {b.politie.value}"),
        ("eerdere meldingen", aantal(s.eerdere_meldingen, "eerdere melding", "eerdere meldingen")),
        ("triage", _triage(s.triage) if s.triage else "-"),
        ("besluit", _besluit(s.besluit) if s.besluit else "-"),
        (
            "terugkoppelingen",
            "; ".join(f"{t.soort.value} {moment(t.verstuurd_op)}" for t in s.terugkoppelingen)
            or "-",
        ),
        (
            "tweede terugkoppeling",
            f"uiterlijk {moment(s.tweede_terugkoppeling_deadline)}"
            if s.tweede_terugkoppeling_deadline
            else "-",
        ),
        ("monitoring", _monitoring(s)),
        (
            "gekoppeld",
            "; ".join(
                [
                    *(
                        f"{k.melding_id} ({k.regio}, {moment(k.ontvangen_op)})"
                        for k in s.gekoppelde_meldingen
                    ),
                    *([f"en {s.eerdere_koppelingen} eerdere"] if s.eerdere_koppelingen else []),
                ]
            )
            or "-",
        ),
        (
            "mogelijk gekoppeld",
            "; ".join(
                f"{k.melding_id} ({k.regio}, {moment(k.ontvangen_op)})"
                for k in s.mogelijk_gekoppeld
            )
            + " (alleen op naam: mogelijk een ander huishouden; niet automatisch behandeld)"
            if s.mogelijk_gekoppeld
            else "-",
        ),
        ("volgende deadline", moment(s.volgende_deadline)),
        (
            "bezorging",
            "; ".join(
                f"{b.soort.value}: {b.kanaal.value if b.kanaal else '-'}, {b.uitkomst.value}"
                + (f" {moment(b.verzonden_op)}" if b.verzonden_op else "")
                for b in s.bezorgingen
            )
            or "-",
        ),
        ("bewaartermijn", _bewaartermijn(s)),
    ]
    kop = f"melding {s.melding_id} (regio {s.regio})"
    if s.termijn_overschreden:
        kop += "  ** TERMIJN OVERSCHREDEN **"
    return "\n".join([kop, *(f"  {naam:<22} {waarde}" for naam, waarde in rijen)])


def _bewaartermijn(s: MeldingStatus) -> str:
    t = s.bewaartermijn
    return f"tot en met {t.tot.isoformat()} ({t.grond.value})" if t else "-"


def tabel(regels: list[MeldingRegel]) -> str:
    """The rows of `lijst` as aligned columns."""
    if not regels:
        return "geen meldingen gevonden"
    rijen = [
        (
            "melding",
            "fase",
            "regio",
            f"volgende deadline ({ZONE})",
            "termijn",
            "bezorging",
            "workflow",
        )
    ]
    for r in regels:
        rijen.append(
            (
                r.melding_id,
                r.fase.value if r.fase else "-",
                r.regio or "-",
                moment(r.volgende_deadline, zone=False),
                "OVERSCHREDEN" if r.overschreden else "",
                r.bezorging or "-",
                r.status,
            )
        )
    breedtes = [max(len(rij[i]) for rij in rijen) for i in range(len(rijen[0]))]
    return "\n".join(
        "  ".join(cel.ljust(b) for cel, b in zip(rij, breedtes, strict=True)).rstrip()
        for rij in rijen
    )


_SLUIT = {
    Einde.OVERGEDRAGEN: "de casus wordt overgedragen en sluit (fase straks afgesloten)",
    Einde.AFGESLOTEN: "de casus sluit (fase straks afgesloten)",
    Einde.ADVIES: "de casus sluit (fase straks afgesloten)",
}


def na_beslissing(wat: str, invoer: BaseModel, s: MeldingStatus) -> str:
    """The answer to a decision: what was registered and what follows from it, not the phase of
    the moment it was taken in (an advies closes seconds after its besluit; `status` right
    after says afgesloten). From the decision and the protocol's rules (domain/regels.py)."""
    kop = f"{wat} geregistreerd voor melding {s.melding_id}"
    if s.fase is Fase.AFGESLOTEN:
        return f"{kop}; de casus is afgesloten"
    if isinstance(invoer, Triage):
        if s.fase is Fase.INFORMATIE_VERZAMELEN:
            return (
                f"{kop}; de bronnen worden nog bevraagd (fase informatie_verzamelen), daarna "
                "wacht de melding op het besluit"
            )
        return f"{kop}; fase nu {s.fase.value}: het besluit over de vervolgstap volgt"
    if isinstance(invoer, Besluit):
        vervolg = invoer.vervolg
        kop = f"{kop}, vervolg {vervolg.value}"
        if vervolg in DIENSTEN:
            return (
                f"{kop}: de eerste terugkoppeling gaat uit; fase nu {vervolg.value} tot de "
                "dienst is afgerond (dienst-afronden)"
            )
        einde = regels.einde_na_besluit(vervolg) or Einde.AFGESLOTEN
        return f"{kop}: de eerste terugkoppeling gaat uit en {_SLUIT[einde]}"
    if isinstance(invoer, DienstAfronding) and s.besluit is not None:
        if regels.monitoring_nodig(s.besluit.vervolg, invoer):
            eerste = (invoer.monitoring_maanden or [3])[0]
            volgt = (
                "de monitoring begint (fase straks monitoring, het eerste moment na "
                f"{eerste} maanden)"
            )
        else:
            volgt = _SLUIT[regels.einde_na_dienst(invoer)]
        return f"{kop}: de tweede terugkoppeling gaat uit (als dat nog niet gebeurde) en {volgt}"
    if isinstance(invoer, MonitoringUitkomst):
        if invoer.nieuwe_melding_nodig:
            return (
                f"{kop}: een nieuwe melding start, gekoppeld aan deze casus; de monitoring gaat "
                "door (Q&A 23)"
            )
        if invoer.stabiel_veilig and len(s.monitoring) >= 2:
            return f"{kop}: stabiel veilig, de casus sluit (fase straks afgesloten)"
        return f"{kop}: het volgende monitoringsmoment wordt gepland; fase nu {s.fase.value}"
    return f"{kop}; fase nu {s.fase.value}"


def uitkomst(r: VernietigingsResultaat) -> str:
    """The outcome of a vernietigingsverzoek in one sentence."""
    if r.toegekend:
        return (
            f"verzoek tot vernietiging van melding {r.melding_id} toegekend ({r.reden}); "
            f"dossier vernietigd op {moment(r.uitgevoerd_op)}"
        )
    return f"verzoek tot vernietiging van melding {r.melding_id} niet toegekend: {r.reden}"


def _triage(t: Triage) -> str:
    bevindingen = [
        label
        for label, ja in (
            ("A acute onveiligheid", t.acute_onveiligheid),
            ("directe interventie nodig", t.directe_interventie_nodig),
            ("B structurele onveiligheid", t.structurele_onveiligheid),
            ("C schadelijke leefsituatie", t.schadelijke_leefsituatie),
            ("informatie ontoereikend", not t.informatie_toereikend),
            ("nader onderzoek nodig", t.nader_onderzoek_nodig),
        )
        if ja
    ]
    if not bevindingen:
        return f"{t.medewerker}, urgentie {t.urgentie.value}, geen bevindingen"
    return f"{t.medewerker}, urgentie {t.urgentie.value}; bevindingen: {', '.join(bevindingen)}"


def _besluit(b: Besluit) -> str:
    delen = [f"{b.medewerker}: {b.vervolg.value}"]
    if b.ketenpartner:
        delen[0] += f" aan {b.ketenpartner.soort.value} {b.ketenpartner.naam}"
    delen.append(f"contact huishouden: {b.contact_huishouden.value}")
    if b.advies_aan_melder:
        delen.append(f"advies aan melder: {b.advies_aan_melder.value}")
    if b.geweld_vastgesteld is not None:
        delen.append(f"geweld vastgesteld: {'ja' if b.geweld_vastgesteld else 'nee'}")
    for label, ja in (
        ("anonimiteit toegezegd", b.anonimiteit_toegezegd),
        ("verzoek tot onderzoek bij de Raad", b.raad_verzoek_tot_onderzoek),
        ("politie geinformeerd", b.politie_informeren),
        ("huishouden later informeren", b.huishouden_informeren_uitstellen is not None),
    ):
        if ja:
            delen.append(label)
    return "; ".join(delen)


def _beoordeling(s: MeldingStatus, nu: datetime) -> str:
    if s.beoordeling_deadline is None:
        return "-"
    tekst = f"uiterlijk {moment(s.beoordeling_deadline)}"
    if s.besluit is not None:
        return tekst + " (besluit genomen)"
    over = werkdagen_resterend(nu, s.beoordeling_deadline)
    if over < 0 or nu > s.beoordeling_deadline:
        return tekst + f", {aantal(-over, 'werkdag', 'werkdagen')} te laat"
    return tekst + f", nog {aantal(over, 'werkdag', 'werkdagen')} (vandaag meegeteld)"


def _monitoring(s: MeldingStatus) -> str:
    regels = []
    for nummer, m in enumerate(s.monitoring, start=1):
        u = m.uitkomst
        if u is None and m.open:
            stand = "open: wacht op registreer_monitoring"
        elif u is None:
            stand = "gepland, nog niet open"
        elif u.stabiel_veilig:
            stand = f"{u.medewerker}: stabiel veilig"
        else:
            stand = (
                f"{u.medewerker}: niet stabiel veilig"
                + (", herstel gaande" if u.herstel_gaande else "")
                + (", nieuwe melding" if u.nieuwe_melding_nodig else "")
            )
        regels.append(f"{nummer}. {moment(m.gepland_op)}: {stand}")
    return "; ".join(regels) or "-"
