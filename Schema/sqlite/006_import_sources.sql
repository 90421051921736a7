-- Moderato schema, version 6: where imported comments came from (`moderato import`).
--
-- One row per comment brought in from another system, so the same export imported again adds
-- nothing (already_imported) and a newer export adds only what is new, and so a reply finds its
-- parent by the source's ids. The post's source id is part of the key: hand-edited exports repeat
-- comment ids across posts, and both comments must come in.
--
-- No foreign key: the row outlives its comment, so that a comment erased with `forget email` or
-- deleted by a moderator does not come back when the old export is imported again.
CREATE TABLE import_sources (
    system       TEXT    NOT NULL,                    -- wordpress, disqus, isso
    source_post  TEXT    NOT NULL,                    -- wp:post_id, Disqus thread id, Isso thread id
    source_id    TEXT    NOT NULL,                    -- the comment's id in the source
    comment_id   INTEGER NOT NULL,                    -- Moderato's id (the comment may since be gone)
    imported_at  TEXT    NOT NULL,
    PRIMARY KEY (system, source_post, source_id)
) WITHOUT ROWID;
