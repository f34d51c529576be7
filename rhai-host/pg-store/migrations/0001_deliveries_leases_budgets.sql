-- The rules service's shared state when instances share one PostgreSQL database.

-- Webhook deliveries, journaled (committed) before the shop hears 200. The shop sends a
-- delivery again when it is not answered in time (Upgates every 5 minutes), possibly to
-- another instance: the fingerprint of the event and body makes the second one a no-op.
CREATE TABLE delivery (
    id           BIGSERIAL PRIMARY KEY,
    shop         TEXT        NOT NULL,
    fingerprint  TEXT        NOT NULL,
    event        TEXT        NOT NULL,
    body         BYTEA       NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Set when a worker finished it, with the lease epoch it held then.
    done_at      TIMESTAMPTZ,
    done_epoch   BIGINT,
    UNIQUE (shop, fingerprint)
);
CREATE INDEX delivery_pending ON delivery (shop, id) WHERE done_at IS NULL;

-- One worker per shop at a time: the holder renews before `expires_at`; when it dies, the
-- lease lapses and another instance takes it with the next epoch. Every write a worker makes
-- names its epoch, so a holder that lost its lease (paused, partitioned) is refused.
CREATE TABLE shop_lease (
    shop        TEXT        PRIMARY KEY,
    holder      TEXT        NOT NULL,
    epoch       BIGINT      NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

-- Requests spent per shop and window (an hour, a day): one row per window, raised only
-- while it stays within the limit, in one statement, so instances never spend a request
-- twice.
CREATE TABLE budget_spent (
    shop          TEXT        NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    window_secs   INTEGER     NOT NULL,
    spent         INTEGER     NOT NULL CHECK (spent >= 0),
    PRIMARY KEY (shop, window_secs, window_start)
);
