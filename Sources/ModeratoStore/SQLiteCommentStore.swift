import GRDB
import ModeratoCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The embedded store: one SQLite file in WAL mode, shared safely by the server and the CLI.
public final class SQLiteCommentStore: CommentStore {
    let pool: DatabasePool
    let clock: @Sendable () -> Date
    let batcher: SubmissionBatcher

    /// Opens (and migrates) the database at `path`.
    public convenience init(path: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        try self.init(pool: DatabaseLocation.open(path: path), clock: clock)
    }

    public init(pool: DatabasePool, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.pool = pool
        self.clock = clock
        self.batcher = SubmissionBatcher(pool: pool)
    }

    public func comment(id: Int64) async throws -> Comment? {
        try await pool.read { db in try CommentRecord.fetchOne(db, key: id)?.comment }
    }

    public func setPostClosed(_ post: PostKey, closed: Bool) async throws {
        let now = clock()
        try await pool.write { db in
            try Self.ensurePost(post, now: now, in: db)
            try PostRecord.filter(key: post.text).updateAll(
                db, PostRecord.Columns.closed.set(to: closed), Column("updated_at").set(to: now)
            )
            // Pages that show the form (the demo) change with it.
            try Self.bumpVersion(of: post, in: db)
        }
    }

    public func isPostClosed(_ post: PostKey) async throws -> Bool {
        try await pool.read { db in try Bool.fetchOne(db, sql: "SELECT closed FROM posts WHERE post = ?", arguments: [post.text]) ?? false }
    }

    public func checkHealth() async throws {
        // A file deleted or moved away under a running server still answers through the open
        // connections, but the next process would start on an empty database: that is unhealthy.
        guard FileManager.default.fileExists(atPath: pool.path) else { throw StoreError.databaseFileMissing(pool.path) }
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM posts LIMIT 1)") }
    }

    public func close() async throws {
        try checkpointAndClose()
    }

    /// Synchronous on purpose: at shutdown the calling task may already be cancelled, and the
    /// checkpoint must happen anyway.
    private func checkpointAndClose() throws {
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try pool.close()
    }

    /// A consistent copy of the whole database at `path`, taken with SQLite's online backup API
    /// while others keep reading and writing. Returns the number of comments copied.
    public func backup(to path: String) throws -> Int {
        let destination = try DatabaseQueue(path: path)
        try pool.backup(to: destination)
        let count = try destination.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM comments") ?? 0 }
        try destination.close()
        return count
    }

    /// Every comment, oldest first, handed to `body` one at a time from a single read transaction
    /// (a consistent snapshot, without loading them all into memory).
    public func forEachComment(_ body: (Comment) throws -> Void) throws {
        try pool.read { db in
            let cursor = try CommentRecord.order(CommentRecord.Columns.id).fetchCursor(db)
            while let record = try cursor.next() {
                try body(record.comment)
            }
        }
    }

    public func auditCounts() async throws -> [String: Int] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT action, COUNT(*) AS count FROM moderation_log GROUP BY action")
            return Dictionary(rows.map { ($0["action"] as String, $0["count"] as Int) }, uniquingKeysWith: +)
        }
    }

    /// Creates the post's row on first use.
    static func ensurePost(_ post: PostKey, now: Date, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (?, 0, 0, ?, ?) ON CONFLICT (post) DO NOTHING",
            arguments: [post.text, now, now]
        )
    }

    /// Marks what the public sees of `post` as changed, so caches keyed on its version refresh.
    /// Versions come from one site-wide sequence (the highest plus one), so a reader can ask for
    /// everything that changed since the version it last saw.
    static func bumpVersion(of post: PostKey, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE posts SET version = (SELECT COALESCE(MAX(version), 0) + 1 FROM posts) WHERE post = ?")
            .execute(arguments: [post.text])
    }
}

/// Failures of the store that are not SQLite's own errors.
public enum StoreError: Error, CustomStringConvertible {
    case databaseFileMissing(String)
    case cannotCreate(String, String)

    public var description: String {
        switch self {
        case .databaseFileMissing(let path): "the database file \(path) is gone"
        case .cannotCreate(let path, let reason): "cannot create the database file \(path): \(reason)"
        }
    }
}
