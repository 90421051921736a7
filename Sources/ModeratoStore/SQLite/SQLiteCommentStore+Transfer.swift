import Foundation
import GRDB
import ModeratoCore

/// `moderato copy` from and into an SQLite file.
extension SQLiteCommentStore {
    /// One server owns an SQLite file, so its rate limit lives in its memory.
    var sharedSubmissionRate: (any SharedSubmissionRate)? { nil }

    func transferCounts() async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for table in TransferTable.all {
                counts[table.name] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0
            }
            return counts
        }
    }

    func transferRows(of table: TransferTable, after: [TransferValue]?, limit: Int) async throws -> [[TransferValue]] {
        try await pool.read { db in
            let key = table.key.joined(separator: ", ")
            var sql = "SELECT \(table.columnList) FROM \(table.name)"
            var arguments = StatementArguments()
            if let after {
                sql += " WHERE (\(key)) > (\(databaseQuestionMarks(count: after.count)))"
                arguments = StatementArguments(after.map(Self.databaseValue(_:)))
            }
            sql += " ORDER BY \(key) LIMIT \(limit)"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                table.columns.enumerated().map { index, column in Self.transferValue(row[index], kind: column.kind) }
            }
        }
    }

    func insertTransferRows(_ rows: [[TransferValue]], into table: TransferTable) async throws {
        try await pool.write { db in
            let statement = try db.makeStatement(
                sql: "INSERT INTO \(table.name) (\(table.columnList)) VALUES (\(databaseQuestionMarks(count: table.columns.count)))")
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map(Self.databaseValue(_:))))
            }
        }
    }

    func transferCounters() async throws -> [String: Int64] {
        try await pool.read { db in
            var counters: [String: Int64] = [:]
            // AUTOINCREMENT remembers the highest id ever given, also of rows deleted since.
            for row in try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence") {
                counters[row["name"]] = row["seq"]
            }
            counters[TransferTable.publicationCounter] = try Int64.fetchOne(db, sql: "SELECT last FROM publication_sequence") ?? 0
            return counters
        }
    }

    func advanceTransferCounters(to values: [String: Int64]) async throws {
        try await pool.write { db in
            for table in TransferTable.all where table.identity != nil {
                guard let value = values[table.name] else { continue }
                try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ? AND seq < ?", arguments: [table.name, value])
                try db.execute(
                    sql:
                        "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                    arguments: [table.name, value, table.name])
            }
            if let value = values[TransferTable.publicationCounter] {
                try db.execute(
                    sql: "UPDATE publication_sequence SET last = MAX(last, ?, (SELECT COALESCE(MAX(version), 0) FROM posts))",
                    arguments: [value])
            }
        }
    }

    private static func transferValue(_ value: DatabaseValue, kind: TransferTable.Kind) -> TransferValue {
        if value.isNull { return .null }
        switch kind {
        case .integer: return Int64.fromDatabaseValue(value).map(TransferValue.integer) ?? .null
        case .text: return String.fromDatabaseValue(value).map(TransferValue.text) ?? .null
        case .bool: return Bool.fromDatabaseValue(value).map(TransferValue.bool) ?? .null
        case .timestamp: return Date.fromDatabaseValue(value).map(TransferValue.timestamp) ?? .null
        }
    }

    private static func databaseValue(_ value: TransferValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .bool(let flag): (flag ? 1 : 0).databaseValue
        // The column's own format, to the nearest millisecond: times that came from an engine
        // keeping more digits, or that went through its arithmetic, land on the millisecond they
        // were rather than the one below.
        case .timestamp(let date): StoredTimestamp(date.addingTimeInterval(0.0005)).text.databaseValue
        }
    }
}
