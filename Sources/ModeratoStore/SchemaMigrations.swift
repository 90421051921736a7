import GRDB

/// The migrations of `Schema/`, embedded in the binary at build time, applied in order by GRDB's
/// migrator, which records each applied name in `grdb_migrations`.
public enum SchemaMigrations {
    /// Name and SQL of every migration, oldest first. A new file in `Schema/` is added here and in
    /// `Package.swift` (`.embedInCode`), nowhere else.
    static let all: [(name: String, sql: String)] = [
        // SwiftPM names embedded files after their file names, replacing the leading digit: 001_initial.sql → _01_initial_sql.
        ("001_initial", String(decoding: PackageResources._01_initial_sql, as: UTF8.self)),
        ("002_flood_index", String(decoding: PackageResources._02_flood_index_sql, as: UTF8.self)),
        ("003_comment_counts", String(decoding: PackageResources._03_comment_counts_sql, as: UTF8.self)),
    ]

    /// A migrator that knows every migration in `Schema/`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in all {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }

    /// Names of all migrations this binary knows, oldest first.
    public static var names: [String] { all.map(\.name) }
}
