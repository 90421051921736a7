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

    /// Opens (and migrates) the database at `path`.
    public convenience init(path: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        try self.init(pool: DatabaseLocation.open(path: path), clock: clock)
    }

    public init(pool: DatabasePool, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.pool = pool
        self.clock = clock
    }

    public func comment(id: Int64) async throws -> Comment? {
        try await pool.read { db in try CommentRecord.fetchOne(db, key: id)?.comment }
    }

    public func setPostClosed(_ post: String, closed: Bool) async throws {
        let now = clock()
        try await pool.write { db in
            try Self.ensurePost(post, now: now, in: db)
            try PostRecord.filter(key: post).updateAll(
                db, PostRecord.Columns.closed.set(to: closed), Column("updated_at").set(to: now)
            )
        }
    }

    public func checkHealth() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Creates the post's row on first use.
    static func ensurePost(_ post: String, now: Date, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (?, 0, 0, ?, ?) ON CONFLICT (post) DO NOTHING",
            arguments: [post, now, now]
        )
    }

    /// Marks what the public sees of `post` as changed, so caches keyed on its version refresh.
    /// Versions come from one site-wide sequence (the highest plus one), so a reader can ask for
    /// everything that changed since the version it last saw.
    static func bumpVersion(of post: String, in db: Database) throws {
        try db.execute(
            sql: "UPDATE posts SET version = (SELECT COALESCE(MAX(version), 0) + 1 FROM posts) WHERE post = ?",
            arguments: [post]
        )
    }
}
