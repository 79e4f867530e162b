"""The adviezen of the generated year (tests/integration/beleidsjaar.py): professionals of every
beroepsgroep and citizens in every role, anonymous or not, one contact or several conversations,
a vertrouwensarts now and then, closed with the CBS items or omgezet into a melding, and some
still open at the year's end. Each as the AdviesWorkflow holds it when it finishes (`vraag`,
`stand`); its names and texts are recorded in the year's sets, so a test can look for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from domain.advies import (
    AdviesAfsluiting,
    AdviesFase,
    AdviesStatus,
    Adviesvraag,
    GesprekRegel,
    VertrouwensartsConsult,
)
from domain.waarden import Beroepsgroep
from tests.ids import nieuw_melding_id

if TYPE_CHECKING:
    from tests.integration.beleidsjaar import Jaar

BURGERROLLEN = ("slachtoffer", "pleger", "familie", "buurt_of_kennis", "overig")
VORMEN = (
    ["kindermishandeling"],
    ["partnergeweld", "eergerelateerd_geweld"],
    ["ouderenmishandeling"],
    ["ex_partnergeweld", "kindermishandeling"],
    ["mensenhandel"],
    ["geweld_tegen_ouders"],
)


@dataclass
class AdviesGeval:
    vraag: Adviesvraag
    stand: AdviesStatus  # as the workflow holds it when it finishes (open: it did not)

    @property
    def klaar(self) -> bool:
        return self.stand.fase is not AdviesFase.OPEN


def maak_adviezen(j: Jaar, aantal: int = 48) -> None:
    """`aantal` adviezen through 2026, about one a week; the last ones still open."""
    from tests.integration.beleidsjaar import EINDE, REGIOS, werkdag

    beroepsgroepen = list(Beroepsgroep)
    for i in range(aantal):
        professional = i % 2 == 0
        ontvangen = werkdag(date(2026, 1, 6) + timedelta(days=7 * i), uur=9)
        anoniem = not professional and i % 3 == 0
        vrager: dict[str, Any] = {"soort": "professional" if professional else "burger"}
        if professional:
            vrager["beroepsgroep"] = beroepsgroepen[(i // 2) % len(beroepsgroepen)].value
        if anoniem:
            vrager["anoniem"] = True
        else:
            naam = f"Adviesvrager{j.r.randrange(10**6):06d}"
            j.namen.add(naam)
            vrager["naam"] = naam
        vormen = VORMEN[i % len(VORMEN)]
        vraag = Adviesvraag.model_validate(
            {
                "advies_id": nieuw_melding_id("AV-CBS"),
                "regio": REGIOS[i % len(REGIOS)],
                "ontvangen_op": ontvangen,
                "adviesvrager": vrager,
                "vraag": j._tekst("vraag"),
                "vormen": vormen,
            }
        )
        gesprekken = [
            GesprekRegel(
                datum=(ontvangen + timedelta(days=3 * n)).date(),
                soort="telefonisch" if n == 0 else "video",
                medewerker="mw-0005",
                samenvatting=j._tekst("gesprek"),
            )
            for n in range(1 + i % 3)
        ]
        stand = AdviesStatus(
            advies_id=vraag.advies_id,
            regio=vraag.regio,
            fase=AdviesFase.OPEN,
            ontvangen_op=ontvangen,
            gesprekken=gesprekken,
        )
        if i % 4 == 1:
            consult = VertrouwensartsConsult(
                medewerker="mw-0005",
                vertrouwensarts="va-0001",
                datum=gesprekken[-1].datum,
                bevinding=j._tekst("vertrouwensarts"),
            )
            stand.vertrouwensartsen.append(consult)
            stand.vertrouwensarts_geraadpleegd = True
        einde = ontvangen + timedelta(days=3 * len(gesprekken) + 1)
        if einde <= EINDE:
            stand.afgesloten_op = einde
            if i % 5 == 4:
                stand.fase = AdviesFase.OMGEZET
                stand.melding_id = nieuw_melding_id("VT-OMZ")
            else:
                stand.fase = AdviesFase.AFGESLOTEN
                stand.afsluiting = AdviesAfsluiting(
                    medewerker="mw-0005",
                    advies=j._tekst("advies"),
                    rol="professional"
                    if professional
                    else BURGERROLLEN[(i // 2) % len(BURGERROLLEN)],
                    organisatie=vrager.get("beroepsgroep"),
                    aard=vormen,
                    duur="eenmalig_contact" if len(gesprekken) == 1 else "meerdere_gesprekken",
                )
        j.adviezen.append(AdviesGeval(vraag, stand))
