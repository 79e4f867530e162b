-- The bewaartermijn of a dossier (docs/retention.md): computed when the case closes, from the
-- closing date and the household (domain/bewaartermijn.py), and extended when a linked case's
-- term or a recorded maatregel asks for longer. A dossier past `bewaren_tot` goes onto the next
-- destruction list. No personal data: dates and the rule that gave the date.
ALTER TABLE meldingen
    ADD COLUMN afgesloten_op  timestamptz,
    ADD COLUMN maatregel_tot  date,
    ADD COLUMN bewaren_tot    date,
    ADD COLUMN bewaar_grond   text;
CREATE INDEX meldingen_bewaren_tot ON meldingen (bewaren_tot) WHERE bewaren_tot IS NOT NULL;
