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
