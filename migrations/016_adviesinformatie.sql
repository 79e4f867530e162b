-- Beleidsinformatie of the adviezen (issue 24, docs/statistics.md): one row per finished advies
-- (closed with the CBS adviesvrager items, or omgezet into a melding), written by activity
-- `leg_advies_vast` when the AdviesWorkflow leaves its open phase. Plain non-personal columns:
-- codes of our own value sets (statistiek/definitie/codelijsten.toml maps them to CBS's),
-- moments and counts. Never the question, the advice, a conversation, a name or a phone number.
--
-- `sleutel` is the random pseudonymous key of the delivery; `advies_id` (a registration number,
-- never a name or BSN: domain/advies.py) keeps the write idempotent.
CREATE TABLE adviesinformatie (
    sleutel            text PRIMARY KEY DEFAULT 'a' || substr(md5(random()::text || clock_timestamp()::text), 1, 16),
    advies_id          text NOT NULL UNIQUE,
    regio              text NOT NULL,
    ontvangen_op       timestamptz NOT NULL,
    afgesloten_op      timestamptz NOT NULL,
    -- afgesloten (closed with an advice) | omgezet (became a melding)
    uitkomst           text NOT NULL,
    adviesvrager_soort text NOT NULL,
    anoniem            boolean NOT NULL,
    rol                text NOT NULL,
    organisatie        text NOT NULL,
    aard               text[] NOT NULL,
    duur               text,
    gesprekken         smallint NOT NULL,
    vertrouwensarts    boolean NOT NULL,
    bijgewerkt_op      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX adviesinformatie_afgesloten ON adviesinformatie (afgesloten_op, regio);
