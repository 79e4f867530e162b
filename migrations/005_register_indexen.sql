-- vt: geen-transactie
-- Register lookups as index-only joins: the BSN path and the name path each read a covering
-- index of betrokkenen (the melding it belongs to, and for a name match the BSN hash that rules
-- it out), then meldingen through a covering index (received, region, open) instead of its
-- wide rows. Replaces the two plain hash indexes of 001.
-- Outside a transaction, so CONCURRENTLY builds them without blocking intake. Safe to run again
-- after a failure: each index is dropped (a failed build leaves it invalid) and built anew.
DROP INDEX CONCURRENTLY IF EXISTS betrokkenen_bsn_melding;
CREATE INDEX CONCURRENTLY betrokkenen_bsn_melding ON betrokkenen (bsn_hash)
    INCLUDE (melding_id) WHERE bsn_hash IS NOT NULL;

DROP INDEX CONCURRENTLY IF EXISTS betrokkenen_naam_melding;
CREATE INDEX CONCURRENTLY betrokkenen_naam_melding ON betrokkenen (naam_hash)
    INCLUDE (melding_id, bsn_hash) WHERE naam_hash IS NOT NULL;

DROP INDEX CONCURRENTLY IF EXISTS meldingen_register;
CREATE INDEX CONCURRENTLY meldingen_register ON meldingen (melding_id)
    INCLUDE (ontvangen_op, regio, afgesloten);

DROP INDEX CONCURRENTLY IF EXISTS betrokkenen_bsn;
DROP INDEX CONCURRENTLY IF EXISTS betrokkenen_naam;
