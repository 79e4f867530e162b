-- PostgreSQL is the authority for "this melding exists": the run that registered a melding is
-- kept with it, so a retry of that run is recognised and any other run (a resubmission after
-- Temporal's retention, or after a destruction) is refused. NULL: registered before v2.
ALTER TABLE meldingen ADD COLUMN registratie_run text;
