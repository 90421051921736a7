import Foundation
import GRDB
import ModeratoCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The SQLite file, opened the way server and CLI must both open it to share it safely, and
/// migrated.
enum SQLiteDatabaseFile {
    /// How long a connection waits for another process's write lock before giving up.
    static let busyTimeout: TimeInterval = 5

    /// Opens (creating the folder and file if needed) a WAL-mode pool with `synchronous = FULL`,
    /// and brings the schema up to date.
    static func open(path: String, migrate: Bool = true) throws -> DatabasePool {
        try createPrivately(path: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "moderato"
        configuration.prepareDatabase { db in
            // Deleted rows are overwritten with zeros rather than left in free pages (erasure must
            // erase). Set explicitly: distributions build SQLite with different defaults.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
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

    /// Creates the data folder (mode 0700) and an empty database file (mode 0600) when they do not
    /// exist yet, so that nobody else on the machine can read comments or hashes. SQLite gives the
    /// `-wal` and `-shm` files the database file's mode.
    static func createPrivately(path: String) throws {
        try DataFolder.create(containing: path)
        if !createOwnerOnlyFile(path), errno != EEXIST {
            throw StoreError.cannotCreate(path, String(cString: strerror(errno)))
        }
    }
}

/// Creates `path` with mode 0600 unless it exists (`errno` is `EEXIST` then); `false` on failure.
/// A free function: inside `SQLiteDatabaseFile`, `open` names our own method.
private func createOwnerOnlyFile(_ path: String) -> Bool {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return false }
    close(descriptor)
    return true
}
