-- Moderato's PostgreSQL schema, version 4: the per-minute submission rate limit, shared by every
-- server on this database (with SQLite one server keeps it in memory).
--
-- One row per admitted submission for as long as it counts. `client` is 64 bits of the keyed
-- hash of the client's address (network) — never the address. Rows older than the window are
-- deleted as it goes: the client's own on every call, and a few of anyone's, so the table holds
-- about the last minute's submissions.
CREATE TABLE submission_rate (
    client  bigint      NOT NULL,
    at      timestamptz NOT NULL
);
CREATE INDEX submission_rate_by_client ON submission_rate (client, at);
CREATE INDEX submission_rate_by_time ON submission_rate (at);

-- Records a submission by p_client at p_now unless p_limit were recorded in the window before
-- it; returns NULL when admitted, else the seconds until the oldest counted one leaves the
-- window. Serialised per client (advisory lock class 3) so two servers cannot both admit the
-- last slot.
CREATE FUNCTION moderato_admit_submission(p_client bigint, p_limit integer, p_window interval, p_now timestamptz)
RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    counted timestamptz[];
BEGIN
    PERFORM pg_advisory_xact_lock(3, hashtext(p_client::text));
    DELETE FROM submission_rate WHERE client = p_client AND at <= p_now - p_window;
    DELETE FROM submission_rate WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM submission_rate WHERE at <= p_now - p_window LIMIT 16));
    SELECT array_agg(at ORDER BY at) INTO counted FROM submission_rate WHERE client = p_client;
    IF coalesce(array_length(counted, 1), 0) >= p_limit THEN
        RETURN extract(epoch FROM counted[array_length(counted, 1) - p_limit + 1] + p_window - p_now);
    END IF;
    INSERT INTO submission_rate (client, at) VALUES (p_client, p_now);
    RETURN NULL;
END;
$$;
