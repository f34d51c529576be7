-- What a shop's worker wrote besides finishing deliveries: the service's journal records
-- (history records added, orders as last seen, refused tries, dead letters set aside,
-- retried or dropped), in the order written. The next lease holder replays them, so a
-- takeover after a crash never adds a history record twice. Written only under the lease.
CREATE TABLE journal_record (
    seq     BIGSERIAL PRIMARY KEY,
    shop    TEXT   NOT NULL,
    epoch   BIGINT NOT NULL,
    record  TEXT   NOT NULL
);
CREATE INDEX journal_record_shop ON journal_record (shop, seq);
