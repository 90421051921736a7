-- Moderato schema, version 2: the flood gap (limits.flood_seconds) looks up a client's latest
-- comment by its IP hash, as it already does by email hash.
CREATE INDEX comments_by_ip_hash ON comments (ip_hash) WHERE ip_hash IS NOT NULL;
