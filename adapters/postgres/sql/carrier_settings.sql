-- Accounts' own carrier settings: the settings live encrypted in their own column, never in the document.

-- name: carrier_settings_get
SELECT settings, doc::text AS doc FROM portside.carrier_settings WHERE account_id = $1 AND carrier = $2;

-- name: carrier_settings_put
INSERT INTO portside.carrier_settings (account_id, carrier, updated_at, settings, doc)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (account_id, carrier) DO UPDATE
SET updated_at = EXCLUDED.updated_at, settings = EXCLUDED.settings, doc = EXCLUDED.doc;

-- name: carrier_settings_delete
DELETE FROM portside.carrier_settings WHERE account_id = $1 AND carrier = $2
RETURNING carrier;

-- name: carrier_settings_find
SELECT settings, doc::text AS doc FROM portside.carrier_settings WHERE account_id = $1
ORDER BY carrier;
