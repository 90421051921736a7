import Foundation
import GRDB
import Testing

@testable import ModeratoStore

/// `moderato copy` moves every table a migration made, column by column: a table or column added
/// on both engines without its entry in `TransferTable.all` would be left behind.
@Suite("moderato copy: the tables it moves")
struct TransferTableTests {
    /// Kept by triggers, the migrations' own records, the counter table, or each engine's own.
    static let notCopied: Set<String> = ["comment_counts", "status_counts", "grdb_migrations", "publication_sequence", "submission_rate"]

    @Test func everyTableAndColumnOfTheSchemaIsCopied() async throws {
        let folder = TemporaryFolder()
        let store = try await StoreFactory.open(.sqlite(path: folder.file("moderato.sqlite")), create: true)
        try await store.close()
        let pool = try DatabasePool(path: folder.file("moderato.sqlite"))
        let schema = try await pool.read { db in
            var tables: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            where !Self.notCopied.contains(table) {
                tables[table] = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
            }
            return tables
        }
        try pool.close()
        let copied = Dictionary(uniqueKeysWithValues: TransferTable.all.map { ($0.name, $0.columns.map(\.name)) })
        #expect(copied == schema)
    }
}
