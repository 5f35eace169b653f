-- The activity log: append-only, read per order in time order.

-- name: activity_add_many
INSERT INTO portside.activity (id, order_id, store_id, kind, at, detail)
SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[]);

-- name: activity_list_for_order
SELECT id, order_id::text AS order_id, store_id, kind, at, detail
FROM portside.activity
WHERE order_id = $1
ORDER BY at, id;
