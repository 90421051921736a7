-- Moderato schema, version 8: why a comment was held or marked as spam, stored with its status.
--
-- Decided in the same transaction as the status (ModerationPolicy when a comment arrives, a
-- moderator's hold or spam later). reason_code is one of ModerationReason.Code: first_time,
-- mode_all, links, hold_word, block_word, honeypot, blocked_email, imported, moderator;
-- reason_detail says which (the number of links, the word as configured, the moderator).
--
-- Comments stored before this migration keep NULL: nobody knows why they were held, and a guess
-- would be shown to moderators as a fact. No CHECK on the code: a new kind of reason must not
-- need the comments table rebuilt (SQLite cannot alter a constraint); the program decides codes.
ALTER TABLE comments ADD COLUMN reason_code TEXT;
ALTER TABLE comments ADD COLUMN reason_detail TEXT;
