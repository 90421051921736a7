import Foundation
import ModeratoCore
import PostgresNIO

/// `moderato copy` from and into a PostgreSQL database.
extension PostgreSQLCommentStore {
    func transferCounts() async throws -> [String: Int] {
        let counts = TransferTable.all.map { "(SELECT COUNT(*) FROM \($0.name))" }.joined(separator: ", ")
        guard let row = try await rows(PostgresQuery(unsafeSQL: "SELECT \(counts)")).first else { return [:] }
        var result: [String: Int] = [:]
        for (table, cell) in zip(TransferTable.all, row) {
            result[table.name] = Int(try cell.decode(Int64.self))
        }
        return result
    }

    func transferRows(of table: TransferTable, after: [TransferValue]?, limit: Int) async throws -> [[TransferValue]] {
        let key = table.key.joined(separator: ", ")
        var bindings = PostgresBindings()
        var sql = "SELECT \(table.columnList) FROM \(table.name)"
        if let after {
            let placeholders = try after.enumerated().map { index, value in
                try Self.bind(value, kind: table.columns[table.keyPositions[index]].kind, into: &bindings)
            }
            sql += " WHERE (\(key)) > (\(placeholders.joined(separator: ", ")))"
        }
        sql += " ORDER BY \(key) LIMIT \(limit)"
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: bindings)).map { row in
            try zip(table.columns, row).map { column, cell in try Self.transferValue(cell, kind: column.kind) }
        }
    }

    func insertTransferRows(_ rows: [[TransferValue]], into table: TransferTable) async throws {
        guard !rows.isEmpty else { return }
        // Statements of at most ~30,000 parameters (PostgreSQL allows 65,535).
        let perStatement = max(1, 30_000 / table.columns.count)
        let statements = try stride(from: 0, to: rows.count, by: perStatement).map { start in
            var bindings = PostgresBindings()
            let tuples = try rows[start..<min(start + perStatement, rows.count)].map { row in
                "("
                    + (try zip(row, table.columns).map { value, column in try Self.bind(value, kind: column.kind, into: &bindings) })
                    .joined(separator: ", ") + ")"
            }
            return PostgresQuery(
                unsafeSQL: "INSERT INTO \(table.name) (\(table.columnList)) VALUES \(tuples.joined(separator: ", "))", binds: bindings)
        }
        try await transaction { session in
            for statement in statements {
                try await session.rows(statement)
            }
        }
    }

    func transferCounters() async throws -> [String: Int64] {
        var counters: [String: Int64] = [:]
        for table in TransferTable.all {
            guard let identity = table.identity else { continue }
            // A sequence that never handed out a number says is_called = false.
            let rows = try await self.rows(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM \(try await sequenceName(table.name, identity))
                        """))
            counters[table.name] = try rows.first?.decode(Int64.self) ?? 0
        }
        counters[TransferTable.publicationCounter] =
            try await rows("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM publication_sequence").first?.decode(Int64.self) ?? 0
        return counters
    }

    func advanceTransferCounters(to values: [String: Int64]) async throws {
        for table in TransferTable.all {
            guard let identity = table.identity else { continue }
            let sequence = try await sequenceName(table.name, identity)
            let floor = values[table.name] ?? 0
            _ = try await rows(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT setval('\(sequence)', GREATEST(\(floor), (SELECT COALESCE(MAX(\(identity)), 0) FROM \(table.name)), 1),
                            GREATEST(\(floor), (SELECT COALESCE(MAX(\(identity)), 0) FROM \(table.name))) > 0)
                        """))
        }
        let floor = values[TransferTable.publicationCounter] ?? 0
        _ = try await rows(
            """
            SELECT setval('publication_sequence', GREATEST(\(floor), (SELECT COALESCE(MAX(version), 0) FROM posts), 1),
                GREATEST(\(floor), (SELECT COALESCE(MAX(version), 0) FROM posts)) > 0)
            """)
    }

    /// The sequence behind an identity column.
    private func sequenceName(_ table: String, _ column: String) async throws -> String {
        guard let name = try await rows("SELECT pg_get_serial_sequence(\(table), \(column))").first?.decode(String.self) else {
            throw PostgreSQLRowError.unknownStatus("(no sequence for \(table).\(column))")
        }
        return name
    }

    /// Appends `value` to `bindings` as `kind` and returns its placeholder (`$n`).
    private static func bind(_ value: TransferValue, kind: TransferTable.Kind, into bindings: inout PostgresBindings) throws -> String {
        switch (value, kind) {
        case (.null, .integer): bindings.append(Int64?.none)
        case (.null, .text): bindings.append(String?.none)
        case (.null, .bool): bindings.append(Bool?.none)
        case (.null, .timestamp): bindings.append(StoredTime?.none)
        case (.integer(let number), .integer): bindings.append(number)
        case (.integer(let number), .bool): bindings.append(number != 0)
        case (.text(let text), .text): bindings.append(text)
        case (.bool(let flag), .bool): bindings.append(flag)
        case (.bool(let flag), .integer): bindings.append(Int64(flag ? 1 : 0))
        case (.timestamp(let date), .timestamp): bindings.append(StoredTime(exactly: date))
        default: throw TransferValueError.mismatch("\(value) for a column of kind \(kind)")
        }
        return "$\(bindings.count)"
    }

    private static func transferValue(_ cell: PostgresCell, kind: TransferTable.Kind) throws -> TransferValue {
        switch kind {
        case .integer: return try cell.decode(Int64?.self).map(TransferValue.integer) ?? .null
        case .text: return try cell.decode(String?.self).map(TransferValue.text) ?? .null
        case .bool: return try cell.decode(Bool?.self).map(TransferValue.bool) ?? .null
        case .timestamp: return try cell.decode(Date?.self).map(TransferValue.timestamp) ?? .null
        }
    }
}

/// A copied value that does not fit its column: a programming error in `TransferTable`.
enum TransferValueError: Error, CustomStringConvertible {
    case mismatch(String)

    var description: String {
        switch self {
        case .mismatch(let what): "cannot copy \(what)"
        }
    }
}
