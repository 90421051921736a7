import Foundation

/// One table that `moderato copy` moves, described the same way for every engine: the tables and
/// columns are the same in `Schema/sqlite` and `Schema/postgresql`, only their types differ.
///
/// Counters that triggers keep (`comment_counts`, `status_counts`) are not copied: the target's
/// triggers rebuild them as the comments arrive. Nor are the migrations' own records, nor the
/// per-minute rate table (a minute's worth of nothing). A table a migration adds on both engines
/// gets its entry here, or `moderato copy` leaves it behind (`TransferTableTests` checks).
public struct TransferTable: Sendable, Equatable {
    /// How a column's values travel between engines.
    public enum Kind: Sendable, Equatable {
        case integer, text, bool, timestamp
    }

    public struct Column: Sendable, Equatable {
        public var name: String
        public var kind: Kind

        init(_ name: String, _ kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    public var name: String
    public var columns: [Column]
    /// The columns of a unique key, in the order pages are read.
    public var key: [String]
    /// The column numbered by a counter (an SQLite AUTOINCREMENT, a PostgreSQL identity), if any.
    public var identity: String?

    /// Positions of the key's columns in a row.
    public var keyPositions: [Int] {
        key.map { name in columns.firstIndex { $0.name == name }! }
    }

    /// `a, b, c`: the column list of this table's statements.
    public var columnList: String { columns.map(\.name).joined(separator: ", ") }

    /// Every table, parents before the tables that refer to them.
    public static let all: [TransferTable] = [
        TransferTable(
            name: "posts",
            columns: [
                .init("post", .text), .init("closed", .bool), .init("version", .integer), .init("created_at", .timestamp),
                .init("updated_at", .timestamp),
            ],
            key: ["post"], identity: nil),
        TransferTable(
            name: "comments",
            columns: [
                .init("id", .integer), .init("post", .text), .init("parent", .integer), .init("status", .text), .init("author", .text),
                .init("url", .text), .init("email_hash", .text), .init("ip_hash", .text), .init("body", .text),
                .init("created_at", .timestamp), .init("updated_at", .timestamp), .init("moderated_at", .timestamp),
                .init("reason_code", .text), .init("reason_detail", .text),
            ],
            key: ["id"], identity: "id"),
        TransferTable(
            name: "moderation_log",
            columns: [
                .init("id", .integer), .init("comment_id", .integer), .init("action", .text), .init("from_status", .text),
                .init("to_status", .text), .init("actor", .text), .init("created_at", .timestamp),
            ],
            key: ["id"], identity: "id"),
        TransferTable(
            name: "api_tokens",
            columns: [
                .init("id", .integer), .init("name", .text), .init("token_hash", .text), .init("created_at", .timestamp),
                .init("last_used_at", .timestamp), .init("revoked_at", .timestamp),
            ],
            key: ["id"], identity: "id"),
        TransferTable(
            name: "blocked_identities",
            columns: [.init("kind", .text), .init("hash", .text), .init("created_at", .timestamp)],
            key: ["kind", "hash"], identity: nil),
        TransferTable(
            name: "import_sources",
            columns: [
                .init("system", .text), .init("source_post", .text), .init("source_id", .text), .init("comment_id", .integer),
                .init("imported_at", .timestamp),
            ],
            key: ["system", "source_post", "source_id"], identity: nil),
        TransferTable(
            name: "notification_events",
            columns: [
                .init("id", .integer), .init("message_id", .text), .init("comment_id", .integer), .init("status", .text),
                .init("created_at", .timestamp),
            ],
            key: ["id"], identity: "id"),
        TransferTable(
            name: "notification_deliveries",
            columns: [
                .init("event_id", .integer), .init("channel", .text), .init("state", .text), .init("attempts", .integer),
                .init("next_attempt_at", .timestamp), .init("last_error", .text), .init("finished_at", .timestamp),
            ],
            key: ["event_id", "channel"], identity: nil),
        TransferTable(
            name: "action_link_uses",
            columns: [
                .init("link", .text), .init("comment_id", .integer), .init("action", .text), .init("expires_at", .timestamp),
                .init("used_at", .timestamp),
            ],
            key: ["link"], identity: nil),
    ]

    /// The counter of publication versions, beside the tables' id counters.
    public static let publicationCounter = "publication"
}

/// One value of a copied row.
public enum TransferValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case bool(Bool)
    case timestamp(Date)
}

/// `moderato copy`: the configured install into another, empty store of either engine.
public enum StoreCopy {
    /// Rows per read and per write transaction.
    public static let batchSize = 1000

    /// Copies every table of `TransferTable.all` in order, then the counters, then compares the
    /// counts of both sides; returns the rows copied per table. Refuses a target that holds any row.
    ///
    /// Pages are read by key, each in its own read: writers must be stopped for the copy (a
    /// difference in the counts afterwards says one was not).
    public static func run(
        from source: any CommentStore, to target: any CommentStore, targetName: String,
        progress: (String, Int) -> Void = { _, _ in }
    ) async throws -> [String: Int] {
        guard try await target.transferCounts().values.allSatisfy({ $0 == 0 }) else { throw StoreError.notEmpty(targetName) }
        for table in TransferTable.all {
            var after: [TransferValue]?
            var copied = 0
            while true {
                let rows = try await source.transferRows(of: table, after: after, limit: batchSize)
                guard let last = rows.last else { break }
                try await target.insertTransferRows(rows, into: table)
                copied += rows.count
                progress(table.name, copied)
                after = table.keyPositions.map { last[$0] }
                if rows.count < batchSize { break }
            }
        }
        try await target.advanceTransferCounters(to: try await source.transferCounters())
        let expected = try await source.transferCounts()
        let found = try await target.transferCounts()
        guard expected == found else { throw StoreCopyError.countsDiffer(expected: expected, found: found) }
        return found
    }
}

public enum StoreCopyError: Error, Equatable, CustomStringConvertible {
    case countsDiffer(expected: [String: Int], found: [String: Int])

    public var description: String {
        switch self {
        case .countsDiffer(let expected, let found):
            let differences = TransferTable.all.map(\.name).filter { expected[$0] != found[$0] }.map {
                "\($0): \(expected[$0] ?? 0) in the source, \(found[$0] ?? 0) copied"
            }
            return
                "the copy does not match its source (\(differences.joined(separator: "; "))); was a server still writing? Stop every server, empty the target and copy again"
        }
    }
}
