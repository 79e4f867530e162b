-- Application data encrypted at rest (versleuteling/kolommen.py, docs/privacy.md): the columns
-- that hold personal data become bytea, written as AES-256-GCM ciphertext with the melding's
-- data key. Rows written before keep their plaintext (as UTF-8 bytes; readers accept that form)
-- until `python -m versleuteling.versleutel_bestaand` encrypts them in place.
ALTER TABLE meldingen ALTER COLUMN gegevens TYPE bytea USING convert_to(gegevens::text, 'UTF8');
ALTER TABLE audit ALTER COLUMN gegevens TYPE bytea USING convert_to(gegevens::text, 'UTF8');
ALTER TABLE outbox ALTER COLUMN inhoud TYPE bytea USING convert_to(inhoud::text, 'UTF8');
ALTER TABLE bron_antwoorden
    ALTER COLUMN antwoord TYPE bytea USING convert_to(antwoord::text, 'UTF8');
ALTER TABLE bron_registraties
    ALTER COLUMN toelichting TYPE bytea USING convert_to(toelichting, 'UTF8');

-- The register's HMAC key has a version (activities/sleutels.py): stored with every hash, so
-- the key can be rotated. During a rotation a betrokkene has a row per active version; every
-- hash made before this migration was made with the one key there was: version 1.
ALTER TABLE betrokkenen ADD COLUMN sleutel_versie smallint NOT NULL DEFAULT 1;
ALTER TABLE betrokkenen ALTER COLUMN sleutel_versie DROP DEFAULT;
ALTER TABLE betrokkenen DROP CONSTRAINT betrokkenen_pkey;
ALTER TABLE betrokkenen ADD PRIMARY KEY (melding_id, volgnummer, sleutel_versie);

ALTER TABLE bron_registraties ADD COLUMN sleutel_versie smallint NOT NULL DEFAULT 1;
ALTER TABLE bron_registraties ALTER COLUMN sleutel_versie DROP DEFAULT;
