import Foundation
import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    public func moderationQueue(_ filter: QueueFilter) async throws -> CommentPage {
        try await pool.read { db in
            var request = CommentRecord.all()
            if let status = filter.status {
                request = request.filter(CommentRecord.Columns.status == status.rawValue)
            }
            let post = filter.post?.text
            if let post {
                request = request.filter(CommentRecord.Columns.post == post)
            }
            // Totals come from the trigger-maintained counters: constant cost at any size.
            let total: Int
            switch (filter.status, post) {
            case (let status?, let post?):
                total = try Int.fetchOne(db, sql: "SELECT count FROM comment_counts WHERE post = ? AND status = ?", arguments: [post, status.rawValue]) ?? 0
            case (let status?, nil):
                total = try Int.fetchOne(db, sql: "SELECT count FROM status_counts WHERE status = ?", arguments: [status.rawValue]) ?? 0
            case (nil, let post?):
                total = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM comment_counts WHERE post = ?", arguments: [post]) ?? 0
            case (nil, nil):
                total = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM status_counts") ?? 0
            }
            if let cursor = filter.cursorID {
                request = request.filter(filter.newestFirst ? CommentRecord.Columns.id < cursor : CommentRecord.Columns.id > cursor)
            }
            var records = try request
                .order(filter.newestFirst ? CommentRecord.Columns.id.desc : CommentRecord.Columns.id)
                .limit(filter.limit + 1)
                .fetchAll(db)
            let hasMore = records.count > filter.limit
            if hasMore { records.removeLast() }
            return CommentPage(comments: records.map(\.comment), total: total, hasMore: hasMore)
        }
    }

    public func moderate(id: Int64, to status: CommentStatus, actor: String) async throws -> Comment? {
        let now = clock()
        return try await pool.write { db in
            guard var record = try CommentRecord.fetchOne(db, key: id) else { return nil }
            let from = record.status
            record.status = status.rawValue
            record.updatedAt = now
            record.moderatedAt = now
            try record.update(db)
            try Self.log(commentID: id, action: Self.action(for: status), from: from, to: status.rawValue, actor: actor, now: now, in: db)
            if from == CommentStatus.approved.rawValue || status == .approved {
                try Self.bumpVersion(of: PostKey(stored: record.post), in: db)
            }
            return record.comment
        }
    }

    public func delete(id: Int64, actor: String) async throws -> Bool {
        let now = clock()
        let deleted = try await pool.write { db in
            guard let record = try CommentRecord.fetchOne(db, key: id) else { return false }
            try Self.purge(record, action: "delete", actor: actor, now: now, in: db)
            return true
        }
        if deleted { await eraseOldPageImages() }
        return deleted
    }

    public func statusCounts(post: PostKey?) async throws -> [CommentStatus: Int] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: post == nil ? "SELECT status, count FROM status_counts" : "SELECT status, count FROM comment_counts WHERE post = ?",
                arguments: post.map { [$0.text] } ?? []
            )
            var counts = Self.zeroCounts
            for row in rows {
                if let status = CommentStatus(rawValue: row["status"]) { counts[status, default: 0] += row["count"] as Int }
            }
            return counts
        }
    }

    public func posts() async throws -> [PostSummary] {
        try await pool.read { db in
            // Keyed by bytes (PostKey), as SQLite keys them.
            var byPost: [PostKey: (counts: [CommentStatus: Int], last: Date?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT post, status, count FROM comment_counts") {
                let post = PostKey(stored: row["post"])
                var entry = byPost[post] ?? (Self.zeroCounts, nil)
                if let status = CommentStatus(rawValue: row["status"]) { entry.counts[status, default: 0] += row["count"] as Int }
                byPost[post] = entry
            }
            // The newest comment of each post: its highest id, found through the (post, …) index.
            for row in try Row.fetchAll(db, sql: "SELECT post, (SELECT MAX(created_at) FROM comments c WHERE c.post = posts.post) AS last FROM posts") {
                byPost[PostKey(stored: row["post"]), default: (Self.zeroCounts, nil)].last = row["last"]
            }
            return try PostRecord.order(PostRecord.Columns.post).fetchAll(db).map { record in
                let post = PostKey(stored: record.post)
                return PostSummary(
                    post: post, closed: record.closed,
                    counts: byPost[post]?.counts ?? Self.zeroCounts,
                    lastCommentAt: byPost[post]?.last
                )
            }
        }
    }

    public func history(of id: Int64) async throws -> [ModerationEntry] {
        try await pool.read { db in
            try ModerationLogRecord.filter(Column("comment_id") == id).order(Column("id")).fetchAll(db).map {
                ModerationEntry(commentID: $0.commentId, action: $0.action, fromStatus: $0.fromStatus, toStatus: $0.toStatus, actor: $0.actor, at: $0.createdAt)
            }
        }
    }

    public func blockEmail(hash: String) async throws -> Bool {
        let now = clock()
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO blocked_identities (kind, hash, created_at) VALUES ('email', ?, ?) ON CONFLICT DO NOTHING",
                arguments: [hash, now]
            )
            return db.changesCount > 0
        }
    }

    public func forgetEmail(hash: String, actor: String) async throws -> Int {
        let now = clock()
        let count = try await pool.write { db in
            let records = try CommentRecord.filter(CommentRecord.Columns.emailHash == hash).order(CommentRecord.Columns.id).fetchAll(db)
            for record in records {
                // Re-read: an earlier erasure in this loop may have moved this comment up.
                guard let current = try CommentRecord.fetchOne(db, key: record.id) else { continue }
                try Self.purge(current, action: "forget", actor: actor, now: now, in: db)
            }
            return records.count
        }
        await eraseOldPageImages()
        return count
    }

    /// After an erasure the rows are zeroed in the database (`secure_delete`), but the write-ahead
    /// log still holds the pages as they were until the next checkpoint, and tools such as
    /// Litestream ship WAL frames to backups. Checkpointing at once and truncating the log leaves
    /// the erased text nowhere in the data folder.
    ///
    /// Best effort: the erasure itself is committed, and a reader that holds the log open for
    /// longer than the busy timeout (Litestream keeps one) only delays this to a later checkpoint.
    func eraseOldPageImages() async {
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// Every status with a count of zero.
    static var zeroCounts: [CommentStatus: Int] {
        Dictionary(uniqueKeysWithValues: CommentStatus.allCases.map { ($0, 0) })
    }

    /// Deletes a comment row after moving its replies up to its parent, logs it and refreshes the post.
    static func purge(_ record: CommentRecord, action: String, actor: String, now: Date, in db: Database) throws {
        guard let id = record.id else { return }
        try db.execute(sql: "UPDATE comments SET parent = ? WHERE parent = ?", arguments: [record.parent, id])
        try db.execute(sql: "DELETE FROM comments WHERE id = ?", arguments: [id])
        try log(commentID: id, action: action, from: record.status, to: nil, actor: actor, now: now, in: db)
        // Replies may have moved even when the comment itself was not public.
        try bumpVersion(of: PostKey(stored: record.post), in: db)
    }

    static func log(commentID: Int64, action: String, from: String?, to: String?, actor: String, now: Date, in db: Database) throws {
        try ModerationLogRecord(commentId: commentID, action: action, fromStatus: from, toStatus: to, actor: actor, createdAt: now).insert(db)
    }

    /// The verb a moderator used, as WP-CLI names it.
    static func action(for status: CommentStatus) -> String {
        switch status {
        case .approved: "approve"
        case .pending: "hold"
        case .spam: "spam"
        case .trash: "trash"
        }
    }

    // MARK: Tokens

    public func createToken(name: String, hash: String) async throws -> Bool {
        let now = clock()
        return try await pool.write { db in
            // A revoked token's name may be reused: the old row goes.
            try db.execute(sql: "DELETE FROM api_tokens WHERE name = ? AND revoked_at IS NOT NULL", arguments: [name])
            try db.execute(
                sql: "INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [name, hash, now]
            )
            return db.changesCount > 0
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY name").map {
                APIToken(name: $0["name"], createdAt: $0["created_at"], lastUsedAt: $0["last_used_at"], revokedAt: $0["revoked_at"])
            }
        }
    }

    public func revokeToken(name: String) async throws -> Bool {
        let now = clock()
        return try await pool.write { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [now, name])
            return db.changesCount > 0
        }
    }

    public func activeTokenHashes() async throws -> [(name: String, hash: String, lastUsedAt: Date?)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, token_hash, last_used_at FROM api_tokens WHERE revoked_at IS NULL")
                .map { ($0["name"], $0["token_hash"], $0["last_used_at"]) }
        }
    }

    /// Records that a token was used (at most once a minute per token, to spare the writer).
    public func touchToken(name: String) async throws {
        let now = clock()
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE api_tokens SET last_used_at = ? WHERE name = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                arguments: [now, name, now.addingTimeInterval(-60)]
            )
        }
    }
}
