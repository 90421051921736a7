-- Moderato's PostgreSQL schema, version 5: where imported comments came from (`moderato import`),
-- as SQLite's 006.
--
-- One row per comment brought in from another system, so the same export imported again adds
-- nothing and a newer export adds only what is new, and so a reply finds its parent by the
-- source's ids. No foreign key: the row outlives its comment, so that a comment erased with
-- `forget email` or deleted by a moderator does not come back when the old export is imported again.
CREATE TABLE import_sources (
    system       text   NOT NULL,                    -- wordpress, disqus, isso
    source_post  text   NOT NULL,                    -- wp:post_id, Disqus thread id, Isso thread id
    source_id    text   NOT NULL,                    -- the comment's id in the source
    comment_id   bigint NOT NULL,                    -- Moderato's id (the comment may since be gone)
    imported_at  timestamptz NOT NULL,
    PRIMARY KEY (system, source_post, source_id)
);
