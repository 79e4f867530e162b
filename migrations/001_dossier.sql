-- The dossier of a melding and the national register's matching keys.
-- Personal data lives only in meldingen.gegevens; betrokkenen carry keyed hashes (HMAC) only.
CREATE TABLE meldingen (
    melding_id          text PRIMARY KEY,
    regio               text NOT NULL,
    ontvangen_op        timestamptz NOT NULL,
    melder_soort        text NOT NULL,
    gegevens            jsonb NOT NULL,
    vervolg             text,
    ketenpartner        jsonb,
    afgesloten          boolean NOT NULL DEFAULT false,
    vernietigingsrecht  boolean NOT NULL DEFAULT false,
    geregistreerd_op    timestamptz NOT NULL DEFAULT now(),
    bijgewerkt_op       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE betrokkenen (
    melding_id   text NOT NULL REFERENCES meldingen ON DELETE CASCADE,
    volgnummer   integer NOT NULL,
    rol          text NOT NULL,
    bsn_hash     bytea,
    naam_hash    bytea,
    PRIMARY KEY (melding_id, volgnummer)
);
CREATE INDEX betrokkenen_bsn ON betrokkenen (bsn_hash) WHERE bsn_hash IS NOT NULL;
CREATE INDEX betrokkenen_naam ON betrokkenen (naam_hash) WHERE naam_hash IS NOT NULL;

-- Radar: a newer melding linked to an open case of the same household.
CREATE TABLE koppelingen (
    melding_id     text NOT NULL,
    gekoppeld_aan  text NOT NULL,
    gekoppeld_op   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (melding_id, gekoppeld_aan)
);
CREATE INDEX koppelingen_aan ON koppelingen (gekoppeld_aan);
