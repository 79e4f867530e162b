-- Terugkoppelingen and household messages: one row per melding and kind, never sent twice.
CREATE TABLE outbox (
    melding_id     text NOT NULL,
    soort          text NOT NULL,
    inhoud         jsonb NOT NULL,
    aangemaakt_op  timestamptz NOT NULL DEFAULT now(),
    verzonden_op   timestamptz,
    PRIMARY KEY (melding_id, soort)
);

-- Every human decision: who, when, what. `sleutel` makes a retried activity write once.
CREATE TABLE audit (
    id          bigserial PRIMARY KEY,
    sleutel     text NOT NULL UNIQUE,
    melding_id  text NOT NULL,
    handeling   text NOT NULL,
    medewerker  text NOT NULL,
    op          timestamptz NOT NULL,
    gegevens    jsonb NOT NULL
);
CREATE INDEX audit_melding ON audit (melding_id, op);

-- Reminders and escalations a team lead lists (ids, region and dates only).
CREATE TABLE signaleringen (
    id             bigserial PRIMARY KEY,
    melding_id     text NOT NULL,
    regio          text NOT NULL,
    soort          text NOT NULL,
    termijn        text NOT NULL,
    deadline       timestamptz NOT NULL,
    aangemaakt_op  timestamptz NOT NULL DEFAULT now(),
    afgehandeld_op timestamptz,
    UNIQUE (melding_id, soort, termijn, deadline)
);
CREATE INDEX signaleringen_open ON signaleringen (regio, deadline) WHERE afgehandeld_op IS NULL;

-- Destroyed dossiers (Q&A 28): ids only, so a later request can be answered.
CREATE TABLE vernietigingen (
    melding_id    text PRIMARY KEY,
    uitgevoerd_op timestamptz NOT NULL DEFAULT now()
);
