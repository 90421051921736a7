-- Moderato schema, version 3: comment counts kept up to date by triggers, so "how many pending
-- comments are there" costs the same at ten thousand comments as at a million (COUNT(*) over an
-- index range grows with the range).

-- Comments per post and status (public totals, posts list, per-post counts).
CREATE TABLE comment_counts (
    post    TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (post, status)
) WITHOUT ROWID;

-- Comments per status, site-wide (moderation queue totals, metrics).
CREATE TABLE status_counts (
    status  TEXT    PRIMARY KEY NOT NULL,
    count   INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO comment_counts (post, status, count)
    SELECT post, status, COUNT(*) FROM comments GROUP BY post, status;
INSERT INTO status_counts (status, count)
    SELECT status, COUNT(*) FROM comments GROUP BY status;

CREATE TRIGGER comments_counted_on_insert AFTER INSERT ON comments BEGIN
    INSERT INTO comment_counts (post, status, count) VALUES (NEW.post, NEW.status, 1)
        ON CONFLICT (post, status) DO UPDATE SET count = count + 1;
    INSERT INTO status_counts (status, count) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER comments_counted_on_delete AFTER DELETE ON comments BEGIN
    UPDATE comment_counts SET count = count - 1 WHERE post = OLD.post AND status = OLD.status;
    UPDATE status_counts SET count = count - 1 WHERE status = OLD.status;
END;

CREATE TRIGGER comments_counted_on_update AFTER UPDATE OF post, status ON comments
WHEN OLD.post IS NOT NEW.post OR OLD.status IS NOT NEW.status BEGIN
    UPDATE comment_counts SET count = count - 1 WHERE post = OLD.post AND status = OLD.status;
    UPDATE status_counts SET count = count - 1 WHERE status = OLD.status;
    INSERT INTO comment_counts (post, status, count) VALUES (NEW.post, NEW.status, 1)
        ON CONFLICT (post, status) DO UPDATE SET count = count + 1;
    INSERT INTO status_counts (status, count) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET count = count + 1;
END;
