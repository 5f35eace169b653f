-- portside's first schema: every table lives in schema "portside".
-- Domain objects are kept whole in a jsonb "doc" (encoded by msgspec); the columns beside it are
-- the ones queries filter, sort or lock on.

CREATE SCHEMA IF NOT EXISTS portside;

CREATE TABLE portside.stores (
    id          text PRIMARY KEY,
    account_id  text NOT NULL,
    channel     text NOT NULL,
    active      boolean NOT NULL,
    created_at  timestamptz NOT NULL,
    credentials bytea,            -- encrypted JSON (never plain text); NULL when the store has none
    doc         jsonb NOT NULL    -- the Store without its credentials
);
CREATE INDEX stores_account_idx ON portside.stores (account_id, created_at, id);

CREATE TABLE portside.orders (
    id               uuid PRIMARY KEY,
    store_id         text NOT NULL,
    channel_order_id text NOT NULL,
    status           text NOT NULL,
    channel_status   text NOT NULL,
    updated_at       timestamptz NOT NULL,  -- the channel's
    modified_at      timestamptz NOT NULL,  -- portside's last write: the API's keyset
    pickup_carrier   text,
    flags            text[] NOT NULL DEFAULT '{}',
    content_hash     bytea NOT NULL,
    -- json, not jsonb: stored as sent (validated, not re-parsed into a binary tree), which makes a
    -- page's upsert markedly cheaper; nothing queries inside the document.
    doc              json NOT NULL,         -- the whole Order, lines included
    CONSTRAINT orders_channel_order_key UNIQUE (store_id, channel_order_id)
);
CREATE INDEX orders_modified_idx ON portside.orders (modified_at, id);
-- The API lists one account's stores at a time: its keyset walks this index directly.
CREATE INDEX orders_store_modified_idx ON portside.orders (store_id, modified_at, id);
CREATE INDEX orders_status_idx ON portside.orders (status);
CREATE INDEX orders_flags_idx ON portside.orders USING gin (flags);

CREATE TABLE portside.shipments (
    id                  text PRIMARY KEY,
    order_id            uuid NOT NULL,
    store_id            text NOT NULL,
    notification_status text NOT NULL,
    created_at          timestamptz NOT NULL,
    doc                 jsonb NOT NULL
);
CREATE INDEX shipments_order_idx ON portside.shipments (order_id, created_at, id);

CREATE TABLE portside.products (
    account_id text NOT NULL,
    sku        text NOT NULL,
    doc        jsonb NOT NULL,
    PRIMARY KEY (account_id, sku)
);

CREATE TABLE portside.sync_cursors (
    store_id   text PRIMARY KEY,
    updated_at timestamptz NOT NULL
);

CREATE TABLE portside.outbox (
    id              text PRIMARY KEY,
    kind            text NOT NULL,
    store_id        text,
    subject_id      text NOT NULL,
    payload         jsonb NOT NULL,
    status          text NOT NULL,
    attempts        integer NOT NULL,
    available_at    timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    last_error      text,
    outcome_unknown boolean NOT NULL,
    lease_owner     text,
    lease_until     timestamptz,
    delivered_at    timestamptz
);
-- Only live rows are ever claimed: the partial index stays as small as the backlog.
CREATE INDEX outbox_due_idx ON portside.outbox (available_at, id) WHERE status IN ('pending', 'in_flight');
CREATE INDEX outbox_status_idx ON portside.outbox (status, created_at, id);
CREATE INDEX outbox_store_idx ON portside.outbox (store_id, created_at, id);
CREATE INDEX outbox_subject_idx ON portside.outbox (subject_id);

-- The activity log doubles as the event outbox: rows not yet published are claimed by the event
-- publisher (SKIP LOCKED), so a change costs one write, not two.
CREATE TABLE portside.activity (
    id        text PRIMARY KEY,
    seq       bigint GENERATED ALWAYS AS IDENTITY,  -- write order, for records of the same instant
    order_id  uuid NOT NULL,
    store_id  text NOT NULL,
    kind      text NOT NULL,
    at        timestamptz NOT NULL,
    detail    jsonb NOT NULL,
    published boolean NOT NULL DEFAULT false
);
CREATE INDEX activity_order_idx ON portside.activity (order_id, at, seq);
CREATE INDEX activity_unpublished_idx ON portside.activity (seq) WHERE NOT published;

CREATE TABLE portside.quarantine (
    id               text PRIMARY KEY,
    store_id         text NOT NULL,
    channel_order_id text,
    raw              bytea NOT NULL,
    error            text NOT NULL,
    received_at      timestamptz NOT NULL,
    sync_id          text
);
CREATE INDEX quarantine_store_idx ON portside.quarantine (store_id, received_at DESC, id DESC);

CREATE TABLE portside.sync_reports (
    id         text PRIMARY KEY,
    store_id   text NOT NULL,
    started_at timestamptz NOT NULL,
    doc        jsonb NOT NULL
);
CREATE INDEX sync_reports_store_idx ON portside.sync_reports (store_id, started_at DESC, id DESC);

-- One row per store the scheduler knows: when it runs next and who holds it now.
CREATE TABLE portside.store_syncs (
    store_id    text PRIMARY KEY,
    next_run_at timestamptz,
    lease_owner text,
    lease_until timestamptz
);
CREATE INDEX store_syncs_due_idx ON portside.store_syncs (next_run_at) WHERE next_run_at IS NOT NULL;

-- What carriers' pickup point directories answered, kept until expires_at. A NULL point records
-- that the carrier does not know the point (remembered too, for less time).
CREATE TABLE portside.pickup_point_cache (
    carrier    text NOT NULL,
    point_id   text NOT NULL,
    country    text NOT NULL,
    point      jsonb,
    fetched_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (carrier, point_id, country)
);

-- Tenants. An API key is stored as its SHA-256 only; the prefix lets a person tell keys apart.
CREATE TABLE portside.accounts (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE portside.api_keys (
    id         text PRIMARY KEY,
    account_id text NOT NULL REFERENCES portside.accounts (id),
    prefix     text NOT NULL,
    key_hash   text NOT NULL UNIQUE,
    label      text,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX api_keys_account_idx ON portside.api_keys (account_id, created_at, id);

-- The first answer to a request sent with an Idempotency-Key, replayed to its retries.
CREATE TABLE portside.idempotency_keys (
    account_id   text NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    status       integer NOT NULL,
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (account_id, key)
);

-- Webhook subscriptions; the signing secret is encrypted at rest like store credentials.
CREATE TABLE portside.webhooks (
    id         text PRIMARY KEY,
    account_id text NOT NULL,
    active     boolean NOT NULL,
    created_at timestamptz NOT NULL,
    secret     bytea NOT NULL,
    doc        jsonb NOT NULL  -- the subscription without its secret
);
CREATE INDEX webhooks_account_idx ON portside.webhooks (account_id, created_at, id);

-- Accounts' own carrier settings (credentials, endpoint), used instead of the service's for that
-- carrier; the settings JSON is encrypted at rest like store credentials.
CREATE TABLE portside.carrier_settings (
    account_id text NOT NULL,
    carrier    text NOT NULL,
    updated_at timestamptz NOT NULL,
    settings   bytea NOT NULL,  -- encrypted JSON (never plain text)
    doc        jsonb NOT NULL,  -- the CarrierAccountSettings without its settings
    PRIMARY KEY (account_id, carrier)
);
