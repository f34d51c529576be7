-- The run history: per order, what each pass did with it (its events, hook calls, rules'
-- actions and logs, outcome and the pass's requests), one row per order per pass, as the
-- service's JSON. Any instance reads a shop's runs, whoever worked the shop; runs older
-- than the service's retention are deleted. History, not the promise made to the shop: it
-- is written with asynchronous commit, so a crash of the database may lose the last runs.
CREATE TABLE run_history (
    seq       BIGSERIAL   PRIMARY KEY,
    shop      TEXT        NOT NULL,
    order_no  TEXT        NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    run       JSONB       NOT NULL
);
CREATE INDEX run_history_order ON run_history (shop, order_no, at DESC);
CREATE INDEX run_history_at ON run_history (shop, at);
