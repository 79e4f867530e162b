-- After a destruction (Q&A 28, issue 17): a pseudonymised record that a dossier existed and was
-- destroyed lawfully, and by whom. Keyed by an HMAC of the melding id (the register key, version
-- in sleutel_versie), so an inspection holding the id can find it and nobody can read ids from
-- it. Logins are pseudonymous ids (mw-0042), never names.
CREATE TABLE vernietigingsverslagen (
    melding_hmac     bytea PRIMARY KEY,
    sleutel_versie   integer NOT NULL,
    aangevraagd_door text,
    aangevraagd_op   timestamptz,
    besloten_door    text,
    besloten_op      timestamptz,
    uitgevoerd_op    timestamptz NOT NULL DEFAULT now(),
    -- who decoded the dossier through the codec server: [{"wie": ..., "op": ...}, ...]
    ontsleuteld      jsonb NOT NULL DEFAULT '[]'
);
