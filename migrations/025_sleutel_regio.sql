-- The organisation that owns each data key (issue 19, docs/privacy.md "Organisations and
-- roles"): the codec server decodes a melding's content only for a login of its region. A
-- melding's key and the key of a request to destroy it take the region of the dossier row
-- (`meldingen.regio`), when that row is written or when the key is made after it. An
-- adviesvraag's key has no dossier row: its region stays empty (content for a national login
-- only). The region is a slug, never personal data.
ALTER TABLE data_sleutels ADD COLUMN regio text;

UPDATE data_sleutels s SET regio = m.regio
FROM meldingen m
WHERE s.sleutel_id IN ('melding/' || m.melding_id, 'vernietiging/' || m.melding_id);

CREATE FUNCTION data_sleutel_regio_van_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_sleutels SET regio = NEW.regio
    WHERE sleutel_id IN ('melding/' || NEW.melding_id, 'vernietiging/' || NEW.melding_id)
      AND regio IS DISTINCT FROM NEW.regio;
    RETURN NULL;
END
$$;

CREATE TRIGGER meldingen_regio_naar_sleutels
AFTER INSERT OR UPDATE OF regio ON meldingen
FOR EACH ROW EXECUTE FUNCTION data_sleutel_regio_van_dossier();

CREATE FUNCTION data_sleutel_regio_bij_aanmaak() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.regio IS NULL THEN
        SELECT m.regio INTO NEW.regio FROM meldingen m
        WHERE m.melding_id = split_part(NEW.sleutel_id, '/', 2)
          AND split_part(NEW.sleutel_id, '/', 1) IN ('melding', 'vernietiging');
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER data_sleutels_regio
BEFORE INSERT ON data_sleutels
FOR EACH ROW EXECUTE FUNCTION data_sleutel_regio_bij_aanmaak();
