"""The descriptions of MeldingWorkflow's updates, signal and query, as the Web UI and
`temporal workflow metadata` show them (Dutch: the people who read them are Veilig Thuis
staff and integrators)."""

BESCHRIJVING_TRIAGE = (
    "Triage registreren, voor het besluit. Payload Triage: medewerker, acute_onveiligheid, "
    "directe_interventie_nodig, structurele_onveiligheid, schadelijke_leefsituatie, "
    "informatie_toereikend, nader_onderzoek_nodig (true/false), urgentie "
    "(spoed|hoog|normaal), onderbouwing. Antwoord: de MeldingStatus."
)
BESCHRIJVING_BESLUIT = (
    "Besluit over het vervolg, na de triage en de bronnen. Payload Besluit: medewerker, "
    "vervolg (afsluiten|advies|overdracht|voorwaarden_en_vervolg|onderzoek), ketenpartner "
    "{soort, naam} (bij overdracht), contact_huishouden "
    "(veilig_thuis|wijkteam|betrokken_professional), anonimiteit_toegezegd, "
    "raad_verzoek_tot_onderzoek, politie_informeren, geweld_vastgesteld, advies_aan_melder "
    "(voortzetten|aanpassen|uitbreiden), huishouden_informeren_uitstellen, onderbouwing. "
    "Antwoord: de MeldingStatus."
)
BESCHRIJVING_AFRONDING = (
    "Dienst afronden (fase voorwaarden_en_vervolg of onderzoek). Payload DienstAfronding: "
    "medewerker, veiligheidsvoorwaarden_gesteld, geweld_vastgesteld, vervolg "
    "(overdracht|afsluiten), ketenpartner {soort, naam}, samenvatting_voor_melder, "
    "veiligheidsvoorwaarden [{wat, met_wie, hoe_getoetst}], monitoring_maanden (afgesproken "
    "momenten, standaard [3, 12]). Antwoord: de MeldingStatus."
)
BESCHRIJVING_MONITORING = (
    "Uitkomst van het open monitoringsmoment (een gepland moment dat nog niet open is, wordt "
    "geweigerd). Payload MonitoringUitkomst: medewerker, stabiel_veilig, herstel_gaande, "
    "nieuwe_melding_nodig, toelichting, voorwaarden [{voorwaarde (nummer), nagekomen, "
    "toelichting}] (elke afgesproken veiligheidsvoorwaarde). Antwoord: de MeldingStatus."
)
BESCHRIJVING_HUISHOUDEN = (
    "Het uitgestelde informeren van het huishouden is gedaan (Q&A 4). Payload "
    "HuishoudenInformeren: medewerker, wijze (bericht: het bericht gaat nu uit | gesprek: "
    "het huishouden is persoonlijk geinformeerd), toelichting. Antwoord: de MeldingStatus."
)
BESCHRIJVING_GEKOPPELD = (
    "Radar: een nieuwe melding over hetzelfde huishouden (gestuurd door het register, niet "
    "door mensen). Payload Koppeling: melding_id, regio, ontvangen_op."
)
BESCHRIJVING_MOGELIJK_GEKOPPELD = (
    "Radar: een nieuwe melding die alleen op naam en geboortedatum overeenkomt (geen BSN aan een "
    "kant): mogelijk hetzelfde huishouden, getoond, nooit automatisch behandeld. Gestuurd door "
    "het register. Payload Koppeling: melding_id, regio, ontvangen_op."
)
BESCHRIJVING_STATUS = (
    "De stand van de melding (MeldingStatus): fase, termijnen, bronnen, triage, besluit, "
    "terugkoppelingen, monitoring (gepland of open), gekoppelde meldingen, volgende_deadline. "
    "Geen invoer."
)
