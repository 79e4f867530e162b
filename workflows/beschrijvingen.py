"""The descriptions of MeldingWorkflow's updates, signal and query, as the Web UI and
`temporal workflow metadata` show them (Dutch: the people who read them are Veilig Thuis
staff and integrators). The decisions' descriptions come from the lifecycle
(domain/levensloop.py), their payload's fields from the models themselves."""

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import levensloop

BESCHRIJVING_TRIAGE = levensloop.TRIAGE.beschrijving()
BESCHRIJVING_BESLUIT = levensloop.BESLUIT.beschrijving()
BESCHRIJVING_AFRONDING = levensloop.DIENST_AFRONDEN.beschrijving()
BESCHRIJVING_MONITORING = levensloop.MONITORING.beschrijving()
BESCHRIJVING_HUISHOUDEN = levensloop.HUISHOUDEN_INFORMEREN.beschrijving()
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
