-- Stores: the Store document without its credentials, which live encrypted in their own column.

-- name: store_add
INSERT INTO portside.stores (id, account_id, channel, active, created_at, credentials, doc)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO NOTHING
RETURNING id;

-- name: store_get
SELECT doc::text AS doc, credentials FROM portside.stores WHERE id = $1;

-- name: store_update
UPDATE portside.stores
SET account_id = $2, channel = $3, active = $4, created_at = $5, credentials = $6, doc = $7
WHERE id = $1
RETURNING id;

-- name: store_find
SELECT doc::text AS doc, credentials
FROM portside.stores
WHERE ($1::text IS NULL OR account_id = $1) AND ($2::boolean IS NULL OR active = $2)
ORDER BY created_at, id;
