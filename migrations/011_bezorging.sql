-- Delivery of the outbox (issue 20, bezorging/ and activities/bezorging.py): every message is
-- taken to its addressee once. What a row records holds no personal data: the channel, the
-- outcome, attempt counts and a fault code; the address is read from the dossier when sending.
--   kanaal       email | brief | geen (no channel: an anonymous burger without contact details)
--   uitkomst     verzonden | geen_kanaal | geweigerd (refused for good) | onzeker (an attempt
--                whose outcome is unknown: a human looks, nothing is resent) | mislukt
--   poging_op    set just before the point of no return (SMTP DATA, the letter's rename) and
--                cleared when the attempt is known not to have delivered: a row with poging_op
--                and no verzonden_op after a crash is an attempt of unknown outcome
--   bericht_id   the idempotency key the addressee sees (an email's Message-ID, a letter's
--                file name)
ALTER TABLE outbox ADD COLUMN kanaal text;
ALTER TABLE outbox ADD COLUMN uitkomst text;
ALTER TABLE outbox ADD COLUMN pogingen integer NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN poging_op timestamptz;
ALTER TABLE outbox ADD COLUMN laatste_fout text;
ALTER TABLE outbox ADD COLUMN bericht_id text;
CREATE INDEX outbox_onverzonden ON outbox (aangemaakt_op) WHERE verzonden_op IS NULL;
