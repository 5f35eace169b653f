-- Housekeeping deletes expired pickup point cache entries in small batches, the longest expired
-- first (pickup_cache_purge_expired): this index lets each batch read only the rows it deletes.
-- A plain CREATE INDEX (migrations run in a transaction, which CONCURRENTLY cannot): it holds writes
-- to the cache for the build, which a cache of directory answers can afford.
CREATE INDEX pickup_point_cache_expires_idx ON portside.pickup_point_cache (expires_at);
