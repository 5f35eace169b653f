-- Store sync leases: one row per store; a lease is (lease_owner, lease_until) and lapses on its own
-- when its holder dies. A lease is free when nobody holds it or it ended before "now" ($now is
-- always the caller's clock, so tests and every process agree on what expired).

-- name: lease_acquire
-- Creates the row on first use. ON CONFLICT ... WHERE locks the row and re-checks it, so of two
-- concurrent acquirers exactly one gets it. The holder itself may re-acquire (to extend).
INSERT INTO portside.store_syncs AS s (store_id, lease_owner, lease_until)
VALUES ($1, $2, $3::timestamptz + make_interval(secs => $4))
ON CONFLICT (store_id) DO UPDATE
SET lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
WHERE s.lease_owner IS NULL OR s.lease_owner = $2 OR s.lease_until IS NULL OR s.lease_until < $3
RETURNING store_id;

-- name: lease_renew
UPDATE portside.store_syncs
SET lease_until = $3::timestamptz + make_interval(secs => $4)
WHERE store_id = $1 AND lease_owner = $2
RETURNING store_id;

-- name: lease_release
UPDATE portside.store_syncs
SET lease_owner = NULL, lease_until = NULL, next_run_at = COALESCE($3, next_run_at)
WHERE store_id = $1 AND lease_owner = $2;

-- name: lease_claim_due
-- SKIP LOCKED: a store another scheduler is claiming right now is simply not offered here.
UPDATE portside.store_syncs
SET lease_owner = $1, lease_until = $2::timestamptz + make_interval(secs => $3)
WHERE store_id IN (
    SELECT store_id FROM portside.store_syncs
    WHERE next_run_at <= $2 AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < $2)
    ORDER BY next_run_at, store_id
    LIMIT $4
    FOR UPDATE SKIP LOCKED
)
RETURNING store_id, next_run_at;

-- name: lease_schedule
INSERT INTO portside.store_syncs (store_id, next_run_at) VALUES ($1, $2)
ON CONFLICT (store_id) DO UPDATE SET next_run_at = EXCLUDED.next_run_at;
