-- One account cannot connect the same marketplace seller twice (its orders would be imported twice).
-- The key is a digest of the channel's identity of the seller (no seller id in clear); stores saved
-- before it existed keep NULL until their next change, and the API checks them from their
-- configuration meanwhile. Different accounts may connect the same seller: they are separate tenants.
ALTER TABLE portside.stores ADD COLUMN seller_key text;
CREATE UNIQUE INDEX stores_seller_key ON portside.stores (account_id, channel, seller_key)
    WHERE seller_key IS NOT NULL;
