-- A new delivery wakes the shop's lease holder, whichever instance received it: the shop's
-- name is sent on the channel `shopflow_delivery` when the row commits (PostgreSQL sends a
-- transaction's notifications at commit, the same payload once). Holders still look now and
-- then, for what a listener missed while it reconnected.
CREATE FUNCTION shopflow_delivery_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shopflow_delivery', NEW.shop);
    RETURN NULL;
END
$$;

CREATE TRIGGER delivery_notify AFTER INSERT ON delivery
    FOR EACH ROW EXECUTE FUNCTION shopflow_delivery_notify();
