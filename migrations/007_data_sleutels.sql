-- The data key of every melding (and of every request to destroy one), wrapped by the master
-- key VT_MASTER_KEY (AES-256-GCM). `hoofdsleutel` is the master key's fingerprint, so a
-- rotation knows which rows it re-wrapped. Destroying a key empties `verpakt` and keeps the
-- row: a destroyed key is never created again.
CREATE TABLE data_sleutels (
    sleutel_id     text PRIMARY KEY,
    verpakt        bytea,
    hoofdsleutel   text,
    aangemaakt_op  timestamptz NOT NULL DEFAULT now(),
    vernietigd_op  timestamptz,
    CHECK ((verpakt IS NULL) = (vernietigd_op IS NOT NULL))
);
