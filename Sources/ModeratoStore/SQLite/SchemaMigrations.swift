import Foundation
import GRDB
import ModeratoCore

/// The migrations of `Schema/sqlite`, embedded in the binary at build time, applied in order by
/// GRDB's migrator, which records each applied name in `grdb_migrations`.
enum SchemaMigrations {
    /// One migration: a file of `Schema/sqlite`, and for the few that SQL cannot express
    /// (normalising text), a data migration in Swift that runs right after it in the same
    /// transaction.
    struct Migration: Sendable {
        var name: String
        var sql: String
        var data: (@Sendable (Database) throws -> Void)?
    }

    /// Every migration, oldest first: the one list. `Package.swift` embeds every file of the folder
    /// by itself; a test checks that this list names exactly those files.
    static let all: [Migration] = [
        // SwiftPM names embedded files after their file names, replacing the leading digit: 001_initial.sql → _01_initial_sql.
        Migration(name: "001_initial", sql: String(decoding: PackageResources._01_initial_sql, as: UTF8.self)),
        Migration(name: "002_flood_index", sql: String(decoding: PackageResources._02_flood_index_sql, as: UTF8.self)),
        Migration(name: "003_comment_counts", sql: String(decoding: PackageResources._03_comment_counts_sql, as: UTF8.self)),
        Migration(
            name: "004_nfc_post_keys", sql: String(decoding: PackageResources._04_nfc_post_keys_sql, as: UTF8.self),
            data: normalizePostKeys
        ),
        Migration(name: "005_publication_sequence", sql: String(decoding: PackageResources._05_publication_sequence_sql, as: UTF8.self)),
        Migration(name: "006_import_sources", sql: String(decoding: PackageResources._06_import_sources_sql, as: UTF8.self)),
        Migration(name: "007_notification_outbox", sql: String(decoding: PackageResources._07_notification_outbox_sql, as: UTF8.self)),
        Migration(name: "008_comment_reasons", sql: String(decoding: PackageResources._08_comment_reasons_sql, as: UTF8.self)),
    ]

    /// A migrator that knows every migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in all {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
                try migration.data?(db)
            }
        }
        return migrator
    }

    /// Names of all migrations this binary knows, oldest first.
    static var names: [String] { all.map(\.name) }

    /// Rewrites every post key to NFC (see `PostKey`), merging posts that were stored under two
    /// spellings of one key before keys were normalised: their comments move to the NFC key, the
    /// merged post is closed if either was, and its version is bumped so caches refresh.
    static func normalizePostKeys(_ db: Database) throws {
        for post in try String.fetchAll(db, sql: "SELECT post FROM posts") {
            let normalized = post.precomposedStringWithCanonicalMapping
            // By bytes: Swift's == already calls the two spellings equal.
            guard !normalized.utf8.elementsEqual(post.utf8) else { continue }
            try db.execute(
                sql: """
                    INSERT INTO posts (post, closed, version, created_at, updated_at)
                    SELECT ?, closed, version, created_at, updated_at FROM posts WHERE post = ?
                    ON CONFLICT (post) DO UPDATE SET closed = MAX(posts.closed, excluded.closed),
                        created_at = MIN(posts.created_at, excluded.created_at)
                    """,
                arguments: [normalized, post]
            )
            try db.execute(sql: "UPDATE comments SET post = ? WHERE post = ?", arguments: [normalized, post])
            try db.execute(sql: "DELETE FROM posts WHERE post = ?", arguments: [post])
            try db.execute(sql: "DELETE FROM comment_counts WHERE post = ?", arguments: [post])
            try db.execute(
                sql: "UPDATE posts SET version = (SELECT COALESCE(MAX(version), 0) + 1 FROM posts) WHERE post = ?",
                arguments: [normalized]
            )
        }
    }
}
