-- What an import run leaves behind: cursors, quarantined payloads and reports.

-- name: cursor_get
SELECT updated_at FROM portside.sync_cursors WHERE store_id = $1;

-- name: cursor_set
INSERT INTO portside.sync_cursors (store_id, updated_at) VALUES ($1, $2)
ON CONFLICT (store_id) DO UPDATE SET updated_at = EXCLUDED.updated_at;

-- name: quarantine_add
INSERT INTO portside.quarantine (id, store_id, channel_order_id, raw, error, received_at, sync_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO NOTHING;

-- name: quarantine_find
SELECT id, store_id, channel_order_id, raw, error, received_at, sync_id
FROM portside.quarantine
WHERE store_id = $1
ORDER BY received_at DESC, id DESC
LIMIT $2;

-- name: sync_report_save
INSERT INTO portside.sync_reports (id, store_id, started_at, doc) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET store_id = EXCLUDED.store_id, started_at = EXCLUDED.started_at, doc = EXCLUDED.doc;

-- name: sync_report_find
SELECT doc::text FROM portside.sync_reports WHERE store_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2;
