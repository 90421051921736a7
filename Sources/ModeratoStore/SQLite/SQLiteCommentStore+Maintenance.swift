import Foundation
import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    func migrate() async throws -> [String] {
        let migrator = SchemaMigrations.migrator
        let before = try await pool.read { db in try migrator.appliedIdentifiers(db) }
        try migrator.migrate(pool)
        return SchemaMigrations.names.filter { !before.contains($0) }
    }

    /// Taken with SQLite's online backup API; the copy is created with mode 0600 like the original.
    func backup(to path: String) async throws -> Int {
        try SQLiteDatabaseFile.createPrivately(path: path)
        let destination = try DatabaseQueue(path: path)
        try pool.backup(to: destination)
        let count = try await destination.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM comments") ?? 0 }
        try destination.close()
        return count
    }

    func forEachComment(_ body: (Comment) throws -> Void) async throws {
        try readEachComment(body)
    }

    /// One read transaction: a consistent snapshot, streamed row by row. Synchronous, so that
    /// `body` need not be `Sendable` (it writes to the caller's output).
    private func readEachComment(_ body: (Comment) throws -> Void) throws {
        try pool.read { db in
            let cursor = try CommentRecord.order(CommentRecord.Columns.id).fetchCursor(db)
            while let record = try cursor.next() {
                try body(record.comment)
            }
        }
    }
}
