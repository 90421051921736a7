-- Moderato schema, version 4: post keys are normalised to Unicode NFC (see PostKey).
--
-- No table changes. Posts stored under two byte spellings of one key (é precomposed and as e +
-- U+0301, the Kelvin sign and K) are merged into the NFC spelling. SQL cannot normalise text, so
-- that data migration runs in Swift right after this file (SchemaMigrations.normalizePostKeys):
-- comments move to the NFC key, the merged post is closed if either spelling was, and its
-- version is bumped so caches refresh.
SELECT 1;
