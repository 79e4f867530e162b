-- What each source answered for a melding, for the medewerker who does the triage.
CREATE TABLE bron_antwoorden (
    melding_id    text NOT NULL REFERENCES meldingen ON DELETE CASCADE,
    bron          text NOT NULL,
    antwoord      jsonb NOT NULL,
    ontvangen_op  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (melding_id, bron)
);
