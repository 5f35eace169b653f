-- Orders: the whole Order is one JSON document; the columns beside it exist for filters and keysets.
-- Queries read doc::text so msgspec decodes straight into Order (no intermediate dicts).

-- name: order_get
SELECT doc::text AS doc, content_hash, modified_at
FROM portside.orders
WHERE id = $1;

-- name: order_get_many
SELECT doc::text AS doc, content_hash, modified_at
FROM portside.orders
WHERE id = ANY($1::uuid[]);

-- name: order_get_for_update
SELECT doc::text AS doc, content_hash, modified_at
FROM portside.orders
WHERE id = $1
FOR UPDATE;

-- name: order_get_many_for_update
-- A store's orders by channel id are asked for by primary key: an order's id derives from its store
-- and channel id (order_id_for; the import checks it). Asked by (store_id, channel_order_id)
-- instead, the planner, before the table's first ANALYZE, took the (store_id, modified_at) index for
-- the few rows of a store it expected, and a cached generic plan then read the whole store for every
-- page of an import. The primary key is the only index on id: no plan is left but a key lookup (or
-- a scan of a table too small to matter).
-- Rows are locked in id order, so two writers locking overlapping pages cannot deadlock.
SELECT doc::text AS doc, content_hash, modified_at
FROM portside.orders
WHERE id = ANY($1::uuid[])
ORDER BY id
FOR UPDATE;

-- name: order_hashes_by_ids
-- By primary key, as order_get_many_for_update says.
SELECT channel_order_id, content_hash
FROM portside.orders
WHERE id = ANY($1::uuid[]);

-- name: order_save_many
-- One round trip for a whole page: parallel arrays unnested into rows, upserted by id.
-- Flags travel as one string joined with U+001F (unit separator), which no flag contains.
INSERT INTO portside.orders AS o (
    id, store_id, channel_order_id, status, channel_status, updated_at, modified_at,
    pickup_carrier, flags, content_hash, doc
)
SELECT id, store_id, channel_order_id, status, channel_status, updated_at, modified_at,
       pickup_carrier, string_to_array(flags, E'\x1f'), content_hash, doc::json
FROM unnest(
    $1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
    $8::text[], $9::text[], $10::bytea[], $11::text[]
) AS t(id, store_id, channel_order_id, status, channel_status, updated_at, modified_at,
       pickup_carrier, flags, content_hash, doc)
ON CONFLICT (id) DO UPDATE SET
    store_id = EXCLUDED.store_id,
    channel_order_id = EXCLUDED.channel_order_id,
    status = EXCLUDED.status,
    channel_status = EXCLUDED.channel_status,
    updated_at = EXCLUDED.updated_at,
    modified_at = EXCLUDED.modified_at,
    pickup_carrier = EXCLUDED.pickup_carrier,
    flags = EXCLUDED.flags,
    content_hash = EXCLUDED.content_hash,
    doc = EXCLUDED.doc;

-- name: order_find
-- Keyset pagination on (modified_at, id); a NULL parameter means "no filter".
SELECT doc::text AS doc, content_hash, modified_at
FROM portside.orders
WHERE ($1::text[] IS NULL OR store_id = ANY($1))
  AND ($2::text[] IS NULL OR status = ANY($2))
  AND ($3::timestamptz IS NULL OR modified_at >= $3)
  AND ($4::text IS NULL OR pickup_carrier = $4)
  AND ($5::timestamptz IS NULL OR (modified_at, id) > ($5, $6::uuid))
  -- Orders with a line of one of the SKUs in $8 (up to a bulk import's 50k): the SKUs become one jsonb
  -- object, built once per query (an InitPlan), and each line's SKU is a key lookup in it (a binary
  -- search). `= ANY($8)` compared each line with every SKU once the statement's plan went generic
  -- (seconds for 12k open orders and 5k SKUs); a join with unnest($8) inside the per-order subquery
  -- hashes the order's few lines, not the SKUs, and scanned all the SKUs again for every order.
  AND ($8::text[] IS NULL OR EXISTS (
      SELECT 1 FROM json_array_elements(doc->'lines') AS line
      WHERE (SELECT jsonb_object_agg(sku, true) FROM unnest($8) AS sku WHERE sku IS NOT NULL) ? (line->>'sku')
  ))
ORDER BY modified_at, id
LIMIT $7;

-- name: order_list_flagged
SELECT doc::text AS doc, content_hash, modified_at
FROM portside.orders
WHERE store_id = $1 AND flags @> ARRAY[$2::text]
ORDER BY modified_at, id
LIMIT $3;

-- name: order_count
SELECT count(*) FROM portside.orders WHERE $1::text IS NULL OR store_id = $1;
