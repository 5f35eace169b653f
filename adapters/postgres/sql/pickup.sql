-- The pickup point cache: directory answers by (carrier, point id, country), valid until expires_at.

-- name: pickup_cache_get
SELECT carrier, point_id, country, point::text AS point, fetched_at, expires_at
FROM portside.pickup_point_cache
WHERE carrier = $1 AND point_id = $2 AND country = $3 AND expires_at > $4;

-- name: pickup_cache_put
INSERT INTO portside.pickup_point_cache (carrier, point_id, country, point, fetched_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (carrier, point_id, country) DO UPDATE
SET point = EXCLUDED.point, fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at;

-- name: pickup_cache_purge_expired
-- At most $2 entries expired at $1, the longest expired first (walking pickup_point_cache_expires_idx,
-- so a batch reads only what it deletes). Rows another transaction holds (a put refreshing one) are
-- skipped, not waited for: they are purged by a later pass if they are still expired then.
WITH doomed AS (
    SELECT carrier, point_id, country
    FROM portside.pickup_point_cache
    WHERE expires_at <= $1
    ORDER BY expires_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
), gone AS (
    DELETE FROM portside.pickup_point_cache AS c
    USING doomed AS d
    WHERE c.carrier = d.carrier AND c.point_id = d.point_id AND c.country = d.country
    RETURNING 1
)
SELECT count(*) FROM gone;
