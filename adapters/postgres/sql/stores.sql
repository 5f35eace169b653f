-- Stores: the Store document without its credentials, which live encrypted in their own column.

-- name: store_add
-- No conflict target: a taken id and a seller the account already connects (stores_seller_key) both
-- return nothing.
INSERT INTO portside.stores (id, account_id, channel, active, created_at, credentials, doc, seller_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: store_get
SELECT doc::text AS doc, credentials FROM portside.stores WHERE id = $1;

-- name: store_get_for_update
SELECT doc::text AS doc, credentials FROM portside.stores WHERE id = $1 FOR UPDATE;

-- name: store_update
UPDATE portside.stores
SET account_id = $2, channel = $3, active = $4, created_at = $5, credentials = $6, doc = $7, seller_key = $8
WHERE id = $1
RETURNING id;

-- name: store_find
SELECT doc::text AS doc, credentials
FROM portside.stores
WHERE ($1::text IS NULL OR account_id = $1) AND ($2::boolean IS NULL OR active = $2)
ORDER BY created_at, id;
