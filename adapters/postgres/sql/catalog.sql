-- The catalog: one Product document per (account, sku).

-- name: product_upsert_many
INSERT INTO portside.products (account_id, sku, doc)
SELECT $1, sku, doc FROM unnest($2::text[], $3::jsonb[]) AS t(sku, doc)
ON CONFLICT (account_id, sku) DO UPDATE SET doc = EXCLUDED.doc;

-- name: product_get_many
SELECT doc::text FROM portside.products WHERE account_id = $1 AND sku = ANY($2::text[]);

-- name: product_find
-- Code point order (COLLATE "C"), whatever the database's collation: the keyset compares the same way.
SELECT doc::text FROM portside.products
WHERE account_id = $1 AND ($2::text IS NULL OR sku COLLATE "C" > $2)
ORDER BY sku COLLATE "C"
LIMIT $3;

-- name: product_delete
DELETE FROM portside.products WHERE account_id = $1 AND sku = $2 RETURNING sku;
