-- Moderato schema, version 7: the notification outbox and the one-click links already used.
--
-- A notification is written in the transaction that stores the comment it reports, so an
-- acknowledged comment always gets its notification and a rolled-back one never does. The
-- delivery service (ModeratoServer/Notifications) sends it, retrying with backoff, and records
-- each attempt here; a restart picks up where it stopped. No personal data: the comment is
-- read by id when the notification is sent.

-- One reported event: a new comment stored with a status that `notify.events` lists.
CREATE TABLE notification_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- webhook-id: the same on every retry, unique across installs ('msg_' + 32 hex digits).
    message_id  TEXT    NOT NULL UNIQUE,
    comment_id  INTEGER NOT NULL,                    -- no foreign key: a deleted comment is not sent
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
    created_at  TEXT    NOT NULL
);

-- One delivery of an event on one channel, with its own attempts and schedule.
CREATE TABLE notification_deliveries (
    event_id        INTEGER NOT NULL REFERENCES notification_events (id) ON DELETE CASCADE,
    channel         TEXT    NOT NULL CHECK (channel IN ('webhook', 'email')),
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- While pending: not before this moment (a claimed delivery is pushed out by its lease, so
    -- one that was being tried when the process died is tried again once the lease ends).
    next_attempt_at TEXT    NOT NULL,
    last_error      TEXT,                            -- what went wrong, never personal data
    finished_at     TEXT,                            -- delivered or given up
    PRIMARY KEY (event_id, channel)
) WITHOUT ROWID;
-- The delivery service's one question: what is due on this channel?
CREATE INDEX notification_deliveries_due ON notification_deliveries (channel, next_attempt_at) WHERE state = 'pending';

-- One-click links that have acted: a link works once. The id is the token's signature; rows can
-- go once the link has expired, since an expired link is refused anyway.
CREATE TABLE action_link_uses (
    link        TEXT    PRIMARY KEY NOT NULL,
    comment_id  INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    used_at     TEXT    NOT NULL
) WITHOUT ROWID;
