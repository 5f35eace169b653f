-- The outbox: messages for the outside world, written with their cause and leased by relays.

-- name: outbox_add
INSERT INTO portside.outbox (
    id, kind, store_id, subject_id, payload, status, attempts, available_at, created_at,
    last_error, outcome_unknown, lease_owner, lease_until, delivered_at
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (id) DO NOTHING
RETURNING id;

-- name: outbox_save
UPDATE portside.outbox
SET kind = $2, store_id = $3, subject_id = $4, payload = $5, status = $6, attempts = $7,
    available_at = $8, created_at = $9, last_error = $10, outcome_unknown = $11,
    lease_owner = $12, lease_until = $13, delivered_at = $14
WHERE id = $1
RETURNING id;

-- name: outbox_save_many
UPDATE portside.outbox AS o
SET kind = v.kind, store_id = v.store_id, subject_id = v.subject_id, payload = v.payload, status = v.status,
    attempts = v.attempts, available_at = v.available_at, created_at = v.created_at, last_error = v.last_error,
    outcome_unknown = v.outcome_unknown, lease_owner = v.lease_owner, lease_until = v.lease_until,
    delivered_at = v.delivered_at
FROM unnest(
    $1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::integer[], $8::timestamptz[],
    $9::timestamptz[], $10::text[], $11::boolean[], $12::text[], $13::timestamptz[], $14::timestamptz[]
) AS v(id, kind, store_id, subject_id, payload, status, attempts, available_at, created_at, last_error,
       outcome_unknown, lease_owner, lease_until, delivered_at)
WHERE o.id = v.id AND ($15::text IS NULL OR (o.lease_owner = $15 AND o.status = 'in_flight'))
RETURNING o.id;

-- name: outbox_get
SELECT * FROM portside.outbox WHERE id = $1;

-- name: outbox_claim
-- Due: pending and available, or in flight under a lease that ran out (its relay died or hung
-- mid-attempt: the channel may have received it, so it comes back outcome_unknown and the next relay
-- looks on the channel before resending; attempts stay as stored).
-- SKIP LOCKED: concurrent relays never wait for each other and never get the same message.
UPDATE portside.outbox
SET status = 'in_flight', lease_owner = $1, lease_until = $2::timestamptz + make_interval(secs => $3),
    outcome_unknown = outcome_unknown OR status = 'in_flight'
WHERE id IN (
    SELECT id FROM portside.outbox
    WHERE status IN ('pending', 'in_flight')
      AND ((status = 'pending' AND available_at <= $2) OR (status = 'in_flight' AND lease_until < $2))
      AND ($5::text[] IS NULL OR kind = ANY($5))
    ORDER BY available_at, id
    LIMIT $4
    FOR UPDATE SKIP LOCKED
)
RETURNING *;

-- name: outbox_renew
UPDATE portside.outbox
SET lease_until = $3
WHERE id = ANY($1::text[]) AND lease_owner = $2 AND status = 'in_flight'
RETURNING id;

-- name: outbox_find
SELECT * FROM portside.outbox
WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR store_id = $2)
  AND ($4::text IS NULL OR subject_id = $4)
ORDER BY created_at, id
LIMIT $3;

-- name: outbox_depth
-- Live rows come off the partial index outbox_due_idx, dead ones off outbox_status_idx; delivered
-- rows (the bulk of the table) are never read.
SELECT kind,
       count(*) FILTER (WHERE status = 'pending' AND available_at <= $1) AS due,
       count(*) FILTER (WHERE status = 'pending' AND available_at > $1) AS scheduled,
       count(*) FILTER (WHERE status = 'in_flight') AS in_flight,
       count(*) FILTER (WHERE status = 'dead') AS dead,
       min(available_at) FILTER (WHERE status = 'pending' AND available_at <= $1) AS oldest_due
FROM portside.outbox WHERE status IN ('pending', 'in_flight', 'dead')
GROUP BY kind
ORDER BY kind;
