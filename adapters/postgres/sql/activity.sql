-- The activity log: append-only, read per order in time order.

-- name: activity_add_many
-- WITH ORDINALITY keeps the page's order in seq, so records of the same instant read back in order.
INSERT INTO portside.activity (id, order_id, store_id, kind, at, detail)
SELECT id, order_id, store_id, kind, at, detail
FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
     WITH ORDINALITY AS t(id, order_id, store_id, kind, at, detail, n)
ORDER BY n;

-- name: activity_list_for_order
SELECT id, order_id::text AS order_id, store_id, kind, at, detail
FROM portside.activity
WHERE order_id = $1
ORDER BY at, seq;

-- name: activity_claim_unpublished
SELECT id, order_id::text AS order_id, store_id, kind, at, detail
FROM portside.activity
WHERE NOT published
ORDER BY seq
LIMIT $1
FOR UPDATE SKIP LOCKED;

-- name: activity_mark_published
UPDATE portside.activity SET published = true WHERE id = ANY($1::text[]);
