-- Moderato's PostgreSQL schema, version 2: comment counts kept by triggers, as SQLite's 003 keeps
-- them, so "how many pending comments are there" costs the same at any size.
--
-- Concurrent writers: each counter row is updated in place (its row lock serialises the writers
-- of that one row until they commit, so no increment is lost), and every writer takes the rows it
-- needs in one global order — comment_counts before status_counts, each by key — so two moderators
-- moving comments in opposite directions cannot deadlock.

-- Comments per post and status (public totals, posts list, per-post counts).
CREATE TABLE comment_counts (
    post    text COLLATE "C" NOT NULL,
    status  text   NOT NULL,
    count   bigint NOT NULL,
    PRIMARY KEY (post, status)
);

-- Comments per status, site-wide (moderation queue totals, metrics).
CREATE TABLE status_counts (
    status  text   PRIMARY KEY,
    count   bigint NOT NULL
);

CREATE FUNCTION moderato_count_comments(p_post text, p_status text, p_delta bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO comment_counts AS counted (post, status, count) VALUES (p_post, p_status, p_delta)
        ON CONFLICT (post, status) DO UPDATE SET count = counted.count + excluded.count;
$$;

CREATE FUNCTION moderato_count_statuses(p_status text, p_delta bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO status_counts AS counted (status, count) VALUES (p_status, p_delta)
        ON CONFLICT (status) DO UPDATE SET count = counted.count + excluded.count;
$$;

CREATE FUNCTION moderato_comments_counted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM moderato_count_comments(NEW.post, NEW.status, 1);
        PERFORM moderato_count_statuses(NEW.status, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM moderato_count_comments(OLD.post, OLD.status, -1);
        PERFORM moderato_count_statuses(OLD.status, -1);
    ELSE
        -- Both (post, status) rows in key order, then both status rows in key order.
        IF (OLD.post, OLD.status) < (NEW.post, NEW.status) THEN
            PERFORM moderato_count_comments(OLD.post, OLD.status, -1);
            PERFORM moderato_count_comments(NEW.post, NEW.status, 1);
        ELSE
            PERFORM moderato_count_comments(NEW.post, NEW.status, 1);
            PERFORM moderato_count_comments(OLD.post, OLD.status, -1);
        END IF;
        IF OLD.status < NEW.status THEN
            PERFORM moderato_count_statuses(OLD.status, -1);
            PERFORM moderato_count_statuses(NEW.status, 1);
        ELSIF OLD.status > NEW.status THEN
            PERFORM moderato_count_statuses(NEW.status, 1);
            PERFORM moderato_count_statuses(OLD.status, -1);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER comments_counted_on_insert AFTER INSERT ON comments
    FOR EACH ROW EXECUTE FUNCTION moderato_comments_counted();
CREATE TRIGGER comments_counted_on_delete AFTER DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION moderato_comments_counted();
CREATE TRIGGER comments_counted_on_update AFTER UPDATE OF post, status ON comments
    FOR EACH ROW WHEN (OLD.post IS DISTINCT FROM NEW.post OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION moderato_comments_counted();
