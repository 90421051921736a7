-- Moderato's PostgreSQL schema, version 7: why a comment was held or marked as spam, stored with
-- its status, as SQLite's 008. reason_code is one of ModerationReason.Code; reason_detail says
-- which (the number of links, the word as configured, the moderator). No CHECK on the code, as in
-- SQLite: the program decides codes.
ALTER TABLE comments ADD COLUMN reason_code text;
ALTER TABLE comments ADD COLUMN reason_detail text;
