-- The destruction list (issue 25, docs/retention.md). Each dossier a list destroyed is recorded
-- in the same transaction as its destruction (so a retry after a crash skips it, and none is
-- destroyed twice); the verklaring van vernietiging records what the list destroyed. Keyed by
-- HMAC kenmerken of the melding ids (as vernietigingsverslagen), logins are pseudonymous ids.
CREATE TABLE vernietigingslijst_items (
    lijst_id        text NOT NULL,
    melding_hmac    bytea NOT NULL,
    sleutel_versie  integer NOT NULL,
    vernietigd_op   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (lijst_id, melding_hmac)
);

CREATE TABLE vernietigingsverklaringen (
    lijst_id           text PRIMARY KEY,
    peildatum          date NOT NULL,
    ronden             integer NOT NULL,
    sleutel_versie     integer NOT NULL,
    kenmerken          jsonb NOT NULL,
    aantal_op_lijst    integer NOT NULL,
    aantal_behouden    integer NOT NULL,
    aantal_vernietigd  integer NOT NULL,
    aantal_al_weg      integer NOT NULL,
    beoordeeld_door    text NOT NULL,
    beoordeeld_op      timestamptz NOT NULL,
    goedgekeurd_door   text NOT NULL,
    goedgekeurd_op     timestamptz NOT NULL,
    vernietigd_op      timestamptz NOT NULL,
    opgesteld_op       timestamptz NOT NULL DEFAULT now()
);
