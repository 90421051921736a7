-- Moderato schema, version 1.
-- The single source of the schema: the binary embeds these files and GRDB's migrator applies them
-- in order, recording each in grdb_migrations. Never edit a released file; add 002_..., 003_...
--
-- Privacy: there is no column for a plain email address or a plain IP address. Only keyed
-- HMAC-SHA256 hashes (see Keyring) are stored.

-- A thread. Rows are created on the first comment (or when a moderator closes a post).
CREATE TABLE posts (
    post        TEXT    PRIMARY KEY NOT NULL,        -- thread key, e.g. '/2025/11/peace-talks/'
    closed      INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    -- Set from one site-wide sequence whenever what the public sees of this post changes, so
    -- "which posts changed since N" is one indexed query; caches key on it.
    version     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX posts_by_version ON posts (version);

CREATE TABLE comments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: an id is never reused
    post         TEXT    NOT NULL REFERENCES posts (post),
    parent       INTEGER REFERENCES comments (id),   -- NULL for a top-level comment
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
    author       TEXT    NOT NULL,
    url          TEXT,
    email_hash   TEXT    NOT NULL,                    -- hex HMAC of the normalised email
    ip_hash      TEXT,                                -- hex HMAC of the client IP
    body         TEXT    NOT NULL,                    -- as submitted (trimmed, LF line endings)
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    moderated_at TEXT
);

-- A post's public thread and its moderation queue: WHERE post = ? AND status = ? ORDER BY id.
CREATE INDEX comments_by_post_status ON comments (post, status, id);
-- The site-wide moderation queue and feed: WHERE status = ? ORDER BY id.
CREATE INDEX comments_by_status ON comments (status, id);
-- An author's history: first-time moderation, flood gap, GDPR erasure.
CREATE INDEX comments_by_email_hash ON comments (email_hash);
-- Replies of a comment, to move them up when it is deleted.
CREATE INDEX comments_by_parent ON comments (parent) WHERE parent IS NOT NULL;

-- Every moderation action: who moved which comment from what to what, and when.
-- No foreign key: the log outlives comments that are deleted or erased.
CREATE TABLE moderation_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id   INTEGER NOT NULL,
    action       TEXT    NOT NULL,                    -- approve, hold, spam, trash, delete, forget, ...
    from_status  TEXT,
    to_status    TEXT,
    actor        TEXT    NOT NULL,                    -- 'cli:$USER' or 'token:NAME'
    created_at   TEXT    NOT NULL
);
CREATE INDEX moderation_log_by_comment ON moderation_log (comment_id);

-- Moderation API bearer tokens. Only the SHA-256 of a token is kept; the token is shown once.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- Identities whose comments go straight to spam. Only keyed hashes, never the address.
CREATE TABLE blocked_identities (
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'ip')),
    hash        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (kind, hash)
) WITHOUT ROWID;
