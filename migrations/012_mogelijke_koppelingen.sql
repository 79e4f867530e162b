-- The radar also links households known only by name (issue 21 item 7): such a link is
-- "mogelijk" (it may be another household), shown to the medewerker and never acted on.
ALTER TABLE koppelingen ADD COLUMN IF NOT EXISTS zeker boolean NOT NULL DEFAULT true;
