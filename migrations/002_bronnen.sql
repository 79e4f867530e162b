-- What the Raad voor de Kinderbescherming and the politie know, keyed by the same hashes:
-- the PostgreSQL-backed default of the source adapters (demo, tests, a nightly import).
CREATE TABLE bron_registraties (
    bron         text NOT NULL CHECK (bron IN ('raad', 'politie')),
    sleutel      bytea NOT NULL,
    aantal       integer NOT NULL CHECK (aantal > 0),
    toelichting  text,
    PRIMARY KEY (bron, sleutel)
);
