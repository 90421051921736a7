-- Moderato schema, version 5: publication versions come from one counter, not MAX(version) + 1.
--
-- A post's version changes whenever what the public sees of it changes; caches key on it and a
-- reader asks "which posts changed after version N". One monotonic source (PostgreSQL's engine
-- uses a SEQUENCE) keeps that right however writers interleave.
CREATE TABLE publication_sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    last  INTEGER NOT NULL
);
INSERT INTO publication_sequence (id, last) SELECT 1, COALESCE(MAX(version), 0) FROM posts;
