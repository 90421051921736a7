import Foundation
import Logging
import PostgresNIO

/// The migrations of `Schema/postgresql`, embedded in the binary at build time and applied in
/// order, each recorded in `schema_migrations` in the same transaction as its own statements.
enum PostgreSQLMigrations {
    struct Migration: Sendable {
        var name: String
        var sql: String
    }

    /// Every migration, oldest first: the one list. `Package.swift` embeds every file of the
    /// folder; a test checks that this list names exactly those files.
    static let all: [Migration] = [
        // SwiftPM names embedded files after their file names, replacing the leading digit.
        Migration(name: "001_postgresql_tables", sql: String(decoding: PackageResources._01_postgresql_tables_sql, as: UTF8.self)),
        Migration(
            name: "002_postgresql_comment_counts", sql: String(decoding: PackageResources._02_postgresql_comment_counts_sql, as: UTF8.self)),
        Migration(
            name: "003_postgresql_publication_sequence",
            sql: String(decoding: PackageResources._03_postgresql_publication_sequence_sql, as: UTF8.self)),
        Migration(
            name: "004_postgresql_submission_rate",
            sql: String(decoding: PackageResources._04_postgresql_submission_rate_sql, as: UTF8.self)),
        Migration(
            name: "005_postgresql_import_sources",
            sql: String(decoding: PackageResources._05_postgresql_import_sources_sql, as: UTF8.self)),
        Migration(
            name: "006_postgresql_notification_outbox",
            sql: String(decoding: PackageResources._06_postgresql_notification_outbox_sql, as: UTF8.self)),
        Migration(
            name: "007_postgresql_comment_reasons",
            sql: String(decoding: PackageResources._07_postgresql_comment_reasons_sql, as: UTF8.self)),
    ]

    static var names: [String] { all.map(\.name) }

    /// Advisory lock class 4, held for the migrating transaction: two servers starting at once on
    /// a new database apply each migration once, the second waiting and then finding nothing to do.
    static let lockClass: Int32 = 4

    /// Whether this database holds Moderato's schema at all.
    static func isInstalled(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger).collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Applies what is pending, all in one transaction; returns the names applied.
    static func migrate(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockClass), 0)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            var names: [String] = []
            for migration in all where !applied.contains(migration.name) {
                // A file holds several statements (and function bodies); PostgresNIO sends one
                // at a time.
                for statement in SQLStatements.split(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (name) VALUES (\(migration.name))", logger: logger)
                names.append(migration.name)
            }
            try await connection.query("COMMIT", logger: logger)
            return names
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
