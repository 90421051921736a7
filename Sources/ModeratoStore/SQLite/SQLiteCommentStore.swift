import Foundation
import GRDB
import ModeratoCore
import Synchronization

/// The embedded engine: one SQLite file in WAL mode, shared safely by the server and the CLI.
///
/// Internal on purpose: everything above the store reaches it through `StoreFactory` and the
/// protocols of `CommentStore`.
final class SQLiteCommentStore: CommentStore {
    let pool: DatabasePool
    let clock: @Sendable () -> Date
    let batcher: SubmissionBatcher
    let changes = ChangeBroadcast()
    /// The highest version the poll for other writers has read; own writes do not move it, so a
    /// change another process committed just before ours is still found.
    private let polledVersion = Mutex<Int64>(0)

    /// Opens (and unless told otherwise migrates) the database at `path`, creating it if needed.
    init(path: String, migrate: Bool = true, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        pool = try SQLiteDatabaseFile.open(path: path, migrate: migrate)
        self.clock = clock
        let changes = self.changes
        batcher = SubmissionBatcher(pool: pool) { changed in changes.publish(changed) }
    }

    func checkHealth() async throws {
        // A file deleted or moved away under a running server still answers through the open
        // connections, but the next process would start on an empty database: that is unhealthy.
        guard FileManager.default.fileExists(atPath: pool.path) else { throw StoreError.databaseFileMissing(pool.path) }
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM posts LIMIT 1)") }
    }

    /// Checkpoints the write-ahead log into the database file and closes it.
    func close() async throws {
        try checkpointAndClose()
    }

    /// Synchronous on purpose: at shutdown the calling task may already be cancelled, and the
    /// checkpoint must happen anyway.
    private func checkpointAndClose() throws {
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try pool.close()
    }

    // MARK: Change feed

    func observeChanges(_ observer: @escaping @Sendable (PublicationChanges) -> Void) {
        changes.observe(observer)
    }

    func publicationChanges(since version: Int64) async throws -> PublicationChanges {
        try await pool.read { db in
            let latest = try Int64.fetchOne(db, sql: "SELECT last FROM publication_sequence") ?? 0
            guard latest > version else { return PublicationChanges(latest: latest, posts: [:]) }
            let rows = try Row.fetchAll(db, sql: "SELECT post, version FROM posts WHERE version > ?", arguments: [version])
            // Never `uniqueKeysWithValues` on data from the database: keys that Swift finds equal
            // but SQLite does not (written before keys were normalised) must not trap.
            return PublicationChanges(
                latest: latest,
                posts: Dictionary(rows.map { (PostKey(stored: $0["post"]), $0["version"] as Int64) }, uniquingKeysWith: max)
            )
        }
    }

    /// Other processes on the same file (the CLI) have no way to tell us; one indexed query
    /// every `interval` finds what they changed.
    func followOtherWriters(every interval: Duration) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            let since = polledVersion.withLock { $0 }
            let found = try await publicationChanges(since: since)
            guard found.latest > since else { continue }
            polledVersion.withLock { $0 = max($0, found.latest) }
            changes.publish(found)
        }
    }

    // MARK: Writes shared by the parts

    /// Creates the post's row on first use.
    static func ensurePost(_ post: PostKey, now: Date, in db: Database) throws {
        let timestamp = StoredTimestamp(now)
        try db.cachedStatement(
            sql: """
                INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (?, 0, 0, ?, ?)
                ON CONFLICT (post) DO NOTHING
                """
        ).execute(arguments: [post.text, timestamp.text, timestamp.text])
    }

    /// Marks what the public sees of `post` as changed and returns its new version, the next
    /// value of the site-wide publication sequence.
    static func bumpVersion(of post: PostKey, in db: Database) throws -> PublicationChanges {
        let version =
            try Int64.fetchOne(
                db.cachedStatement(sql: "UPDATE publication_sequence SET last = last + 1 WHERE id = 1 RETURNING last")
            ) ?? 0
        try db.cachedStatement(sql: "UPDATE posts SET version = ? WHERE post = ?").execute(arguments: [version, post.text])
        return PublicationChanges(latest: version, posts: [post: version])
    }
}
