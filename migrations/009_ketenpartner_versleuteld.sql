-- The ketenpartner of a decision (its kind and the organisation's name, Q&A 10) is encrypted at
-- rest like the other personal columns of migration 008: AES-256-GCM with the melding's data
-- key (versleuteling/kolommen.py, KETENPARTNER), so destroying the dossier's key makes it
-- unreadable too. A name typed into `ketenpartner.naam` may be a person's. Rows written before
-- keep their plaintext JSON (as UTF-8 bytes; the register accepts that form) until
-- `python -m versleuteling.versleutel_bestaand` encrypts them in place.
ALTER TABLE meldingen
    ALTER COLUMN ketenpartner TYPE bytea USING convert_to(ketenpartner::text, 'UTF8');
