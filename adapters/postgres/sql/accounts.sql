-- Accounts, their API keys, and the replay store behind Idempotency-Key.

-- name: account_add
INSERT INTO portside.accounts (id, name, created_at) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: account_get
SELECT id, name, created_at FROM portside.accounts WHERE id = $1;

-- name: api_key_add
INSERT INTO portside.api_keys (id, account_id, prefix, key_hash, label, created_at, revoked_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: api_key_find_by_hash
SELECT id, account_id, prefix, key_hash, label, created_at, revoked_at
FROM portside.api_keys WHERE key_hash = $1;

-- name: api_key_revoke
UPDATE portside.api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1
RETURNING id;

-- name: api_key_list_for_account
SELECT id, account_id, prefix, key_hash, label, created_at, revoked_at
FROM portside.api_keys WHERE account_id = $1
ORDER BY created_at, id;

-- name: idempotency_get
SELECT account_id, key, request_hash, status, body, created_at
FROM portside.idempotency_keys WHERE account_id = $1 AND key = $2;

-- name: idempotency_claim
INSERT INTO portside.idempotency_keys (account_id, key, request_hash, status, body, created_at)
VALUES ($1, $2, $3, 0, ''::bytea, $4)
ON CONFLICT DO NOTHING
RETURNING key;

-- name: idempotency_take_over
-- A claim older than $4 belonged to a request that died before answering.
UPDATE portside.idempotency_keys SET request_hash = $3, created_at = $5
WHERE account_id = $1 AND key = $2 AND status = 0 AND created_at < $4
RETURNING key;

-- name: idempotency_complete
UPDATE portside.idempotency_keys SET request_hash = $3, status = $4, body = $5, created_at = $6
WHERE account_id = $1 AND key = $2;

-- name: idempotency_release
DELETE FROM portside.idempotency_keys WHERE account_id = $1 AND key = $2 AND status = 0;
