import Foundation
import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    /// The writer's page cache during an import, in KiB.
    static let importCacheKiB = 16_384

    func importComments(dryRun: Bool, _ feed: (any CommentImporter) throws -> Void) async throws {
        let changed = try importInOneTransaction(dryRun: dryRun, feed)
        changes.publish(changed)
    }

    /// Synchronous: the feed reads its file while it writes, all inside the one transaction, so
    /// a file that turns out malformed halfway leaves nothing behind. The writer is held for the
    /// whole import: other writers (the server) wait for it, up to their busy timeout.
    private func importInOneTransaction(dryRun: Bool, _ feed: (any CommentImporter) throws -> Void) throws -> PublicationChanges {
        let now = clock()
        return try pool.writeWithoutTransaction { db in
            // A large export touches the email- and IP-hash indexes all over: with SQLite's
            // default 2 MB cache their pages go to the WAL and are read back for nearly every
            // comment. 16 MB for this one transaction cut the kernel's share by 40% on a 200 MB
            // export (peak RSS 65 MB); more did not help further.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -\(Self.importCacheKiB)")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            var changed = PublicationChanges.none
            try db.inTransaction {
                let importer = try SQLiteCommentImporter(db: db, now: now)
                try feed(importer)
                for post in importer.publicPosts {
                    changed = changed.merged(with: try Self.bumpVersion(of: post, in: db))
                }
                return dryRun ? .rollback : .commit
            }
            return dryRun ? .none : changed
        }
    }
}

/// Writes one import inside the transaction `SQLiteCommentStore.importComments` opened.
///
/// Its statements are prepared once: an export holds hundreds of thousands of comments, and even
/// looking a cached statement up by its SQL text shows in the profile.
final class SQLiteCommentImporter: CommentImporter {
    private let db: Database
    private let stamp: StoredTimestamp
    private var knownPosts = Set<PostKey>()
    /// Posts whose public page changes with this import (a published comment, or closed).
    private(set) var publicPosts = Set<PostKey>()
    private let seenSource: Statement
    private let importedParent: Statement
    private let insertComment: Statement
    private let insertSource: Statement

    init(db: Database, now: Date) throws {
        self.db = db
        self.stamp = StoredTimestamp(now)
        seenSource = try db.makeStatement(
            sql: "SELECT EXISTS (SELECT 1 FROM import_sources WHERE system = ? AND source_post = ? AND source_id = ?)")
        // The parent as imported, when it is still there (a moderator may have deleted it).
        importedParent = try db.makeStatement(
            sql: """
                SELECT c.id FROM import_sources s JOIN comments c ON c.id = s.comment_id
                WHERE s.system = ? AND s.source_post = ? AND s.source_id = ? AND c.post = ?
                """)
        insertComment = try db.makeStatement(
            sql: """
                INSERT INTO comments (post, parent, status, author, url, email_hash, ip_hash, body, created_at, updated_at,
                    reason_code)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insertSource = try db.makeStatement(
            sql: "INSERT INTO import_sources (system, source_post, source_id, comment_id, imported_at) VALUES (?, ?, ?, ?, ?)")
    }

    func post(_ post: PostKey, closed: Bool) throws {
        try ensure(post)
        guard closed else { return }
        try db.cachedStatement(sql: "UPDATE posts SET closed = 1, updated_at = ? WHERE post = ? AND closed = 0")
            .execute(arguments: [stamp.text, post.text])
        if db.changesCount > 0 { publicPosts.insert(post) }
    }

    func comment(_ comment: IncomingComment) throws -> Bool {
        let source: StatementArguments = [comment.system, comment.sourcePost, comment.sourceID]
        guard try Bool.fetchOne(seenSource, arguments: source) != true else { return false }
        try ensure(comment.post)
        let parent = try comment.parentSourceID.flatMap { parentSource in
            try Int64.fetchOne(importedParent, arguments: [comment.system, comment.sourcePost, parentSource, comment.post.text])
        }
        let created = UTCTimestamp(comment.createdAt).databaseText
        try insertComment.execute(arguments: [
            comment.post.text, parent, comment.status, comment.author, comment.url,
            // No email in the source: no hash. '' never equals a live submission's hash.
            comment.emailHash ?? "", comment.ipHash, comment.body, created, created,
            // Held, spam or trash as the other system had it: that is the reason.
            comment.status == .approved ? nil : ModerationReason.imported.code.rawValue,
        ])
        try insertSource.execute(arguments: source + [db.lastInsertedRowID, stamp.text])
        if comment.status == .approved { publicPosts.insert(comment.post) }
        return true
    }

    private func ensure(_ post: PostKey) throws {
        guard knownPosts.insert(post).inserted else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (?, 0, 0, ?, ?)
                ON CONFLICT (post) DO NOTHING
                """
        ).execute(arguments: [post.text, stamp.text, stamp.text])
    }
}
