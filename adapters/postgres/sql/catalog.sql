-- The catalog: one Product document per (account, sku).

-- name: product_upsert_many
INSERT INTO portside.products (account_id, sku, doc)
SELECT $1, sku, doc FROM unnest($2::text[], $3::jsonb[]) AS t(sku, doc)
ON CONFLICT (account_id, sku) DO UPDATE SET doc = EXCLUDED.doc;

-- name: product_get_many
SELECT doc::text FROM portside.products WHERE account_id = $1 AND sku = ANY($2::text[]);
