-- Beleidsinformatie (issue 24): the melder's CBS role (professional, or a citizen's relation to
-- the household: domain/beleidsinformatie.py melder_rol) and the type of help an overdracht
-- hands over to (after the beoordeling, after a dienst; `Ketenpartner.hulp`). Codes only.
ALTER TABLE beleidsinformatie
    ADD COLUMN IF NOT EXISTS melder_rol text,
    ADD COLUMN IF NOT EXISTS overdracht_hulp text,
    ADD COLUMN IF NOT EXISTS dienst_overdracht_hulp text;

-- A row written before this migration: no melding could give `melder.rol` then, so its role is
-- what melder_rol derives from the kind and the category (tests/integration/
-- test_beleidsinformatie.py runs this file again on the generated year and compares). The type
-- of help of an earlier overdracht was never given: it stays empty.
UPDATE beleidsinformatie SET melder_rol = CASE
        WHEN melder_soort = 'professional' THEN 'professional'
        WHEN melder_categorie = 'familie' THEN 'familie'
        WHEN melder_categorie = 'buren_kennissen' THEN 'buurt_of_kennis'
        WHEN melder_categorie = 'betrokkene_zelf' THEN 'onbekend'
        ELSE 'overig'
    END
WHERE melder_rol IS NULL;
