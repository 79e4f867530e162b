"""Issue 20: who receives a message and how (domain/bezorging.py), its Dutch words
(domain/brieftekst.py) and the letter as a PDF (bezorging/pdf.py); what the words may never
hold: another person's BSN or name, the melder's identity where anonymity was asked."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from bezorging.instellingen import Bezorginstellingen
from bezorging.pdf import pdf
from bezorging.smtp import adres
from domain import brieftekst, casusbeeld, tijdlijn, wachtpunten
from domain.adres import Adres
from domain.berichten import (
    eerste_terugkoppeling,
    huishouden_bericht,
    tweede_terugkoppeling,
    vernietigingsrecht_bericht,
)
from domain.bezorging import (
    Brief,
    Kanaal,
    Onbestelbaar,
    geen_kanaal_voor_een_mens,
    kanaal_voor,
)
from domain.uitwisseling import BerichtSoort
from domain.waarden import Fase, MelderSoort, Vervolg
from tests.unit.test_berichten import (
    MELDER_NAAM,
    NAMEN,
    afronding,
    besluit,
    melding,
    professional,
    register,
    triage,
)

ADRES = {"straat": "Lindelaan", "huisnummer": "12a", "postcode": "3512 AB", "woonplaats": "Utrecht"}
BSN = re.compile(r"\b\d{9}\b")
ANDEREN = [n for n in NAMEN if n not in MELDER_NAAM.split()]


def met_adres(m: Any, **over: Any) -> Any:
    return m.model_validate({**m.model_dump(mode="json"), "adres": ADRES, **over})


def woorden(soort: BerichtSoort, inhoud: dict[str, Any], naam: str | None = None) -> str:
    t = brieftekst.tekst(soort, inhoud, naam)
    return "\n".join([t.onderwerp, t.platte_tekst(), t.html()])


def test_a_melder_with_an_email_address_is_mailed_by_name() -> None:
    a = kanaal_voor(professional(), BerichtSoort.EERSTE_TERUGKOPPELING)
    assert (a.kanaal, a.email, a.naam) == (Kanaal.EMAIL, "melder@school.example", MELDER_NAAM)


def test_a_melder_without_email_but_with_an_address_gets_a_letter() -> None:
    m = melding(email=None, adres=ADRES)
    a = kanaal_voor(m, BerichtSoort.TWEEDE_TERUGKOPPELING)
    assert (a.kanaal, a.adres) == (Kanaal.BRIEF, Adres.model_validate(ADRES))


def test_an_anonymous_burger_without_contact_details_has_no_channel_and_needs_no_person() -> None:
    m = melding(email=None, telefoon=None, naam=None, anonimiteit_gevraagd=True)
    assert kanaal_voor(m, BerichtSoort.EERSTE_TERUGKOPPELING).kanaal is Kanaal.GEEN
    assert not geen_kanaal_voor_een_mens(MelderSoort.BURGER, BerichtSoort.EERSTE_TERUGKOPPELING)


def test_the_household_gets_a_letter_at_its_own_address_and_never_a_mail() -> None:
    """Q&A 4: the household is informed in all cases; the melder's email is not its channel."""
    assert kanaal_voor(professional(), BerichtSoort.HUISHOUDEN_INFORMEREN).kanaal is Kanaal.GEEN
    assert geen_kanaal_voor_een_mens(MelderSoort.BURGER, BerichtSoort.HUISHOUDEN_INFORMEREN)
    a = kanaal_voor(met_adres(professional()), BerichtSoort.HUISHOUDEN_INFORMEREN)
    assert (a.kanaal, a.email, a.naam) == (Kanaal.BRIEF, None, None)


@pytest.mark.parametrize("soort", list(BerichtSoort))
def test_every_kind_of_message_has_an_addressee_and_words(soort: BerichtSoort) -> None:
    """Each kind the workflow may place has its channel rule, subject, and the line in the
    case's details (the merge of issue 21's household message once fell through to the melder's
    channel and the tweede terugkoppeling's words)."""
    # A professional's message (Q&A 10) goes to the professional the besluit names (number 1).
    m = met_adres(
        professional(),
        professionals=[{"soort": "jgz", "organisatie": "JGZ", "email": "jgz@jgz.example"}],
    )
    a = kanaal_voor(m, soort, 1 if soort is BerichtSoort.PROFESSIONAL_INFORMEREN else None)
    huishouden = soort in {
        BerichtSoort.HUISHOUDEN_INFORMEREN,
        BerichtSoort.HUISHOUDEN_VERNIETIGINGSRECHT,
        BerichtSoort.VERNIETIGING_UITKOMST,
    }
    assert (a.kanaal, a.email) == ((Kanaal.BRIEF, None) if huishouden else (Kanaal.EMAIL, a.email))
    assert soort in brieftekst.ONDERWERP
    assert soort in tijdlijn.BERICHT_VERSTUREN and soort in tijdlijn.BERICHT_BEZORGEN


def test_the_right_to_destruction_goes_to_the_household_and_says_the_right() -> None:
    """Q&A 28: "actief wijzen op dit recht": a letter to the household, not to the melder."""
    m = met_adres(professional())
    bericht = vernietigingsrecht_bericht(m)
    a = kanaal_voor(m, bericht.soort)
    assert (a.kanaal, a.email, a.naam) == (Kanaal.BRIEF, None, None)
    assert a.adres == Adres.model_validate(ADRES)
    assert geen_kanaal_voor_een_mens(MelderSoort.PROFESSIONAL, bericht.soort)
    tekst = woorden(bericht.soort, bericht.inhoud)
    assert "recht om te vragen uw dossier" in tekst and "geen huiselijk geweld" in tekst
    assert not BSN.search(tekst) and not any(n in tekst for n in NAMEN)


def test_a_professional_who_stays_involved_reads_the_confidential_part() -> None:
    """Q&A 9: prior meldingen, the veiligheidsbeoordeling and the advies."""
    b = eerste_terugkoppeling(
        professional(), triage(), besluit(Vervolg.ADVIES, advies_aan_melder="aanpassen"), register()
    )
    tekst = woorden(b.soort, b.inhoud, MELDER_NAAM)
    assert "Beste Ilse Voorbeeldmelder," in tekst
    assert (
        "Eerdere meldingen over dit gezin bij Veilig Thuis: 3 (regio's: flevoland, utrecht)."
        in tekst
    )
    assert "acute onveiligheid ja" in tekst and "urgentie hoog" in tekst
    assert "Ons advies: pas uw hulp aan." in tekst
    assert (
        "- ontvangen op 2025-03-01 in regio utrecht, vervolg: overdracht, overgedragen aan: "
        "wijkteam" in tekst
    )


def test_a_burger_reads_only_what_is_not_confidential() -> None:
    b = eerste_terugkoppeling(melding(), triage(), besluit(Vervolg.OVERDRACHT), register())
    tekst = woorden(b.soort, b.inhoud, MELDER_NAAM)
    assert "Het wijkteam neemt contact op met het gezin." in tekst
    assert "De zorg gaat naar: Wijkteam" in tekst
    for vertrouwelijk in ("Eerdere meldingen", "veiligheidsbeoordeling:", "Ons advies", "urgentie"):
        assert vertrouwelijk not in tekst


def test_the_household_letter_keeps_the_melders_anonymity() -> None:
    """Q&A 4, 7: never who reported when anonymity was asked: not the name, not the kind."""
    m = professional(anonimiteit_gevraagd=True)
    b = huishouden_bericht(m, besluit(Vervolg.ONDERZOEK))
    tekst = woorden(b.soort, b.inhoud)
    assert "De melder blijft anoniem." in tekst
    for verboden in ["professional", "onderwijs", *MELDER_NAAM.split()]:
        assert verboden not in tekst


def test_the_household_letter_names_the_professional_kind_when_no_anonymity_was_asked() -> None:
    b = huishouden_bericht(professional(), besluit(Vervolg.AFSLUITEN, geweld_vastgesteld=False))
    tekst = woorden(b.soort, b.inhoud)
    assert "De melding is gedaan door een professional (beroepsgroep: onderwijs)." in tekst
    assert "het recht om te vragen uw dossier bij Veilig Thuis te vernietigen" in tekst
    assert "Ilse" not in tekst


@pytest.mark.parametrize("loopt_nog", [True, False])
def test_the_tweede_terugkoppeling_says_the_state_of_the_dienst(loopt_nog: bool) -> None:
    b = tweede_terugkoppeling(
        professional(), besluit(Vervolg.ONDERZOEK), None if loopt_nog else afronding()
    )
    tekst = woorden(b.soort, b.inhoud, MELDER_NAAM)
    if loopt_nog:
        assert "De hulp van Veilig Thuis (onderzoek) loopt nog." in tekst
    else:
        assert "Veiligheidsvoorwaarden gesteld; gezin werkt mee." in tekst
        assert "Veiligheidsvoorwaarden gesteld: ja." in tekst


def test_no_message_holds_a_bsn_or_the_name_of_anyone_but_the_addressee() -> None:
    """Every kind, for every melder kind: the betrokkenen's names and the BSN never appear."""
    for m in (melding(), professional(), professional(blijft_betrokken=False)):
        advies = "voortzetten" if m.melder.blijft_betrokken else None
        b = besluit(Vervolg.ONDERZOEK, advies_aan_melder=advies)
        for bericht in (
            eerste_terugkoppeling(m, triage(), b, register()),
            huishouden_bericht(m, b),
            tweede_terugkoppeling(m, b, afronding()),
        ):
            tekst = woorden(bericht.soort, bericht.inhoud, MELDER_NAAM)
            assert not BSN.search(tekst), tekst
            for naam in ANDEREN:
                assert naam not in tekst, (naam, tekst)


def test_html_escapes_what_a_person_typed() -> None:
    inhoud = {"dienst": "onderzoek", "loopt_nog": False, "vervolg": "afsluiten"}
    t = brieftekst.tekst(
        BerichtSoort.TWEEDE_TERUGKOPPELING, {**inhoud, "samenvatting": "<b>x</b> & y"}, None
    )
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in t.html() and "<b>" not in t.html()


def test_the_letter_is_a_pdf_whose_text_reads_back() -> None:
    brief = Brief(
        "VT-UTR-1-huishouden_informeren",
        ["Aan de bewoners van", *Adres.model_validate(ADRES).regels()],
        "Veilig Thuis heeft een melding over uw gezin ontvangen",
        ["Beste bewoners,", "Één alinea, met ë en é."],
    )
    inhoud = pdf(brief, date(2026, 12, 7))
    assert inhoud.startswith(b"%PDF-")
    tekst = PdfReader(io.BytesIO(inhoud)).pages[0].extract_text()
    for deel in ("Lindelaan 12a", "3512 AB  UTRECHT", "7 december 2026", "Één alinea, met ë en é."):
        assert deel in tekst


@pytest.mark.parametrize("postcode", ["0123 AB", "1234 ab", "12345", "1234 ABC"])
def test_a_malformed_postcode_is_refused_at_intake(postcode: str) -> None:
    with pytest.raises(ValidationError):
        Adres.model_validate({**ADRES, "postcode": postcode})


@pytest.mark.parametrize("tekst", ["geen-adres", "a@b", "iemand@", "@example.org", "a b@x.nl"])
def test_a_malformed_email_address_is_refused_for_good(tekst: str) -> None:
    """Not made right by retrying: Onbestelbaar (recorded `geweigerd`, a signalering)."""
    with pytest.raises(Onbestelbaar):
        adres(tekst)


@pytest.mark.parametrize(
    ("env", "fout"),
    [
        ({"VT_SMTP_HOST": "mail", "VT_SMTP_PORT": "zeven"}, "VT_SMTP_PORT"),
        ({"VT_SMTP_HOST": "mail", "VT_SMTP_STARTTLS": "misschien"}, "VT_SMTP_STARTTLS"),
        ({"VT_SMTP_HOST": "mail", "VT_SMTP_GEBRUIKER": "vt"}, "VT_SMTP_GEBRUIKER"),
        ({"VT_SMTP_HOST": "mail", "VT_SMTP_CA": "/bestaat/niet.pem"}, "VT_SMTP_CA"),
        ({"VT_SMTP_HOST": "mail", "VT_SMTP_AFZENDER": "geen-adres"}, "VT_SMTP_AFZENDER"),
    ],
)
def test_a_delivery_setting_that_cannot_work_names_its_variable(
    env: dict[str, str], fout: str
) -> None:
    with pytest.raises(ValueError, match=fout):
        Bezorginstellingen.uit_omgeving(env)


def test_without_smtp_server_and_print_folder_delivery_is_off() -> None:
    uit = Bezorginstellingen.uit_omgeving({})
    assert (uit.aan, uit.beschrijving(), uit.mailer(), uit.drukstraat_adapter()) == (
        False,
        "uit",
        None,
        None,
    )
    aan = Bezorginstellingen.uit_omgeving(
        {"VT_SMTP_HOST": "mail.example", "VT_DRUKSTRAAT_MAP": "/d"}
    )
    assert aan.beschrijving() == "smtp mail.example:587 (starttls), drukstraat /d"


def test_the_current_details_show_each_delivery() -> None:
    from datetime import UTC, datetime

    nu = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    casus = wachtpunten.Casus(
        melding_id="VT-1",
        regio="utrecht",
        melder_soort="burger",
        fase=Fase.AFGESLOTEN,
        ontvangen_op=nu,
        nu=nu,
        bezorgingen=(
            ("eerste_terugkoppeling", "email", "verzonden", nu),
            ("huishouden_informeren", "brief", "geweigerd", None),
        ),
    )
    details = casusbeeld.huidige_details(casus)
    assert "**Bezorging eerste terugkoppeling:** email, verzonden ma 7 dec 2026 14:00" in details
    assert "**Bezorging huishouden informeren:** brief, geweigerd\n" in details
