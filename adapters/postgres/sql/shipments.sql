-- Shipments: the Shipment document, with its order and notification status beside it for lookups.

-- name: shipment_add
INSERT INTO portside.shipments (id, order_id, store_id, notification_status, created_at, doc)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id) DO NOTHING
RETURNING id;

-- name: shipment_get
SELECT doc::text FROM portside.shipments WHERE id = $1;

-- name: shipment_get_for_update
SELECT doc::text FROM portside.shipments WHERE id = $1 FOR UPDATE;

-- name: shipment_get_many
SELECT doc::text FROM portside.shipments WHERE id = ANY($1::text[]);

-- name: shipment_update
UPDATE portside.shipments
SET order_id = $2, store_id = $3, notification_status = $4, created_at = $5, doc = $6
WHERE id = $1
RETURNING id;

-- name: shipment_set_notifications
UPDATE portside.shipments AS s
SET notification_status = v.status, doc = jsonb_set(s.doc, '{notification}', v.state)
FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS v(id, status, state)
WHERE s.id = v.id
RETURNING s.doc::text;

-- name: shipment_list_for_order
SELECT doc::text FROM portside.shipments WHERE order_id = $1 ORDER BY created_at, id;
