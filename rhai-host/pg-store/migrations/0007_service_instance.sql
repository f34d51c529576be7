-- The instances serving shops from this database, each renewed with its leases and lapsing
-- as they do: a live instance's fair share of the shops is the shops over the live
-- instances, so a second instance takes half of them rather than none, and a dead one's
-- share goes to the others (service/src/lease.rs). Rows lapsed a day ago are deleted.
CREATE TABLE service_instance (
    holder      TEXT        PRIMARY KEY,
    expires_at  TIMESTAMPTZ NOT NULL
);
