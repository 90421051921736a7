import GRDB
import ModeratoCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Opens the SQLite file the way server and CLI must both open it to share it safely.
public enum DatabaseLocation {
    /// How long a connection waits for another process's write lock before giving up.
    public static let busyTimeout: TimeInterval = 5

    /// Opens (creating the folder and file if needed) a WAL-mode pool with `synchronous = FULL`,
    /// and brings the schema up to date.
    public static func open(path: String, migrate: Bool = true) throws -> DatabasePool {
        let folder = parentFolder(of: path)
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "moderato"
        let pool = try DatabasePool(path: path, configuration: configuration)
        // DatabasePool switches its writer to synchronous = NORMAL after `prepareDatabase`; an
        // acknowledged comment must survive power loss, so set FULL here, on the writer itself.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        if migrate {
            try SchemaMigrations.migrator.migrate(pool)
        }
        return pool
    }
}

extension DatabaseLocation {
    /// Applies pending migrations to the database at `path` and returns their names (empty when
    /// it was already up to date).
    public static func migrate(path: String) throws -> [String] {
        let pool = try open(path: path, migrate: false)
        let migrator = SchemaMigrations.migrator
        let before = try pool.read { db in try migrator.appliedIdentifiers(db) }
        try migrator.migrate(pool)
        return SchemaMigrations.names.filter { !before.contains($0) }
    }
}
