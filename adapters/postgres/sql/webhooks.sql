-- Webhook subscriptions: the secret lives encrypted in its own column, never in the document.

-- name: webhook_add
INSERT INTO portside.webhooks (id, account_id, active, created_at, secret, doc)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: webhook_get
SELECT secret, doc::text AS doc FROM portside.webhooks WHERE id = $1;

-- name: webhook_update
UPDATE portside.webhooks SET account_id = $2, active = $3, created_at = $4, secret = $5, doc = $6
WHERE id = $1
RETURNING id;

-- name: webhook_find
SELECT secret, doc::text AS doc FROM portside.webhooks
WHERE account_id = $1 AND ($2::boolean IS NULL OR active = $2)
ORDER BY created_at, id;
