-- Beleidsinformatie (issue 24, docs/statistics.md): what CBS's Bestandsdefinitie Beleidsinformatie
-- Veilig Thuis and the management report count, one row per melding, in plain non-personal
-- columns: codes of our own value sets (mapped to CBS's codes only when a file is written, by
-- statistiek/definitie/), dates, durations, counts. Never a name, BSN, address or free text.
-- Filled by the activities as the case goes (activities/beleidsinformatie.py).
--
-- `sleutel` is a random pseudonymous key (the delivery's case key); `melding_id` links the row
-- to its dossier while the dossier exists and is emptied when the dossier is destroyed (then
-- `ontvangen_op` and the other moments are kept to the day only, and `vernietigd` is set).
-- `casus`: the key of the casus the melding belongs to (a vervolgmelding joins the open case).
CREATE TABLE beleidsinformatie (
    sleutel               text PRIMARY KEY DEFAULT 'm' || substr(md5(random()::text || clock_timestamp()::text), 1, 16),
    melding_id            text UNIQUE,
    casus                 text NOT NULL,
    regio                 text NOT NULL,
    ontvangen_op          timestamptz NOT NULL,
    melder_soort          text NOT NULL,
    melder_categorie      text NOT NULL,
    meldnorm              smallint,
    aard                  text[] NOT NULL,
    duur                  text,
    aantal_betrokkenen    smallint NOT NULL,
    aantal_minderjarigen  smallint NOT NULL,
    beoordeling_deadline  timestamptz NOT NULL,
    -- eerdere betrokkenheid: eerste | hermelding_een | hermelding_meerdere |
    -- vervolg_tijdens_beoordeling | vervolg_na_beoordeling | vervolg_tijdens_monitoring |
    -- niet_ingedeeld (until the register answered, or when only a name matched)
    eerdere               text NOT NULL DEFAULT 'niet_ingedeeld',
    eerdere_bepaald_op    timestamptz,
    -- veiligheidstaxatie (triage)
    acute_onveiligheid    boolean,
    structurele_onveiligheid boolean,
    directe_interventie   boolean,
    urgentie              text,
    -- beoordeling (besluit)
    vervolg               text,
    beoordeeld_op         timestamptz,
    beoordeling_werkdagen smallint,
    geweld_vastgesteld    boolean,
    overdracht_soort      text,
    beoordeling_geescaleerd boolean NOT NULL DEFAULT false,
    -- dienst (voorwaarden_en_vervolg or onderzoek)
    dienst_einde          timestamptz,
    dienst_uitkomst       text,
    dienst_vervolg        text,
    dienst_overdracht_soort text,
    dienst_voortijdig     boolean NOT NULL DEFAULT false,
    tweede_geescaleerd    boolean NOT NULL DEFAULT false,
    -- monitoring
    monitoring_aantal     smallint NOT NULL DEFAULT 0,
    monitoring_uitkomst   text,
    afgesloten_op         timestamptz,
    vernietigd            boolean NOT NULL DEFAULT false,
    bijgewerkt_op         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX beleidsinformatie_ontvangen ON beleidsinformatie (ontvangen_op, regio);
CREATE INDEX beleidsinformatie_open ON beleidsinformatie (regio) WHERE afgesloten_op IS NULL;
