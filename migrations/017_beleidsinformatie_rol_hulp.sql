-- Beleidsinformatie (issue 24): the melder's CBS role (professional, or a citizen's relation to
-- the household: domain/beleidsinformatie.py melder_rol) and the type of help an overdracht
-- hands over to (after the beoordeling, after a dienst; `Ketenpartner.hulp`). Codes only.
-- A row written before this migration has no role: the backfill and the delivery leave it
-- empty (the spiegelrapport shows the fill rate).
ALTER TABLE beleidsinformatie
    ADD COLUMN IF NOT EXISTS melder_rol text,
    ADD COLUMN IF NOT EXISTS overdracht_hulp text,
    ADD COLUMN IF NOT EXISTS dienst_overdracht_hulp text;
